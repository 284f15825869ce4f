/* load_textlint.c: textlint-rule-terminology term lists: a JSON (or JSONC,
 * with comments) array whose items are either a string, the exact
 * spelling of a term (found ignoring case, flagged when written in another
 * case), or a pair [pattern, replacement]: a regular expression matched
 * ignoring case, as whole words, and replaced (with $1 groups) - the
 * replacement may be a list, its first item the fix. Also read: an object
 * {"terms": [...]} and a .textlintrc whose rules.terminology.terms is
 * such an array. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/jsonpos.h"
#include "gls/loader.h"
#include "gls/regex.h"
#include "gls/util.h"
#include "gls/vocab.h"

/* The terms array of the file, or NULL (reported; '*bad' set for an error). */
static json_t *terms_of(gls_builder_t *b, const char *path, json_t *root, char *jp, size_t jsize,
                        int *bad)
{
    if (json_is_array(root)) {
        snprintf(jp, jsize, "%s", "");
        return root;
    }
    json_t *terms = json_object_get(root, "terms");
    snprintf(jp, jsize, "%s", "/terms");
    if (!terms) {
        json_t *rule = json_object_get(json_object_get(root, "rules"), "terminology");
        terms = json_object_get(rule, "terms");
        snprintf(jp, jsize, "%s", "/rules/terminology/terms");
    }
    if (json_is_string(terms)) {
        gls_diags_add(gls_builder_diags(b), path, 1, 1, GLS_SEV_WARNING, "glossary-not-followed",
                      "the terms are in '%s': name that file in the glossaries instead",
                      json_string_value(terms));
        return NULL;
    }
    if (!json_is_array(terms)) {
        gls_diags_add(gls_builder_diags(b), path, 1, 1, GLS_SEV_ERROR, "glossary-type",
                      "not a textlint terminology list: expected an array of terms, an object "
                      "with 'terms', or a .textlintrc with rules.terminology.terms");
        *bad = 1;
        return NULL;
    }
    return terms;
}

int gls_load_textlint(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    size_t skip = (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
    char *plain = gls_json_strip_comments(text + skip, len - skip);
    json_error_t err;
    json_t *root = json_loadb(plain, len - skip, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        gls_diags_add(gls_builder_diags(b), path, (uint32_t)(err.line > 0 ? err.line : 0),
                      (uint32_t)(err.column > 0 ? err.column : 0), GLS_SEV_ERROR,
                      "glossary-syntax", "%s",
                      err.text[0] ? err.text : "could not read the JSON: out of memory");
        free(plain);
        return 1;
    }
    gls_jsonpos_t pos;
    gls_jsonpos_build(&pos, plain, len - skip);
    int errors = 0;
    char base[64];
    int bad = 0;
    json_t *terms = terms_of(b, path, root, base, sizeof base, &bad);
    errors += bad;
    size_t i;
    json_t *v;
    json_array_foreach(terms, i, v) {
        char jp[96];
        snprintf(jp, sizeof jp, "%s/%zu", base, i);
        gls_vocab_at_t at = {path, 0, 0, "the textlint terminology list"};
        gls_jsonpos_get(&pos, jp, &at.line, &at.column);
        if (json_is_string(v)) {
            /* Exact spelling, written literally whatever its characters. */
            const char *s = json_string_value(v);
            if (gls_vocab_accept(b, &at, s, json_string_length(v), GLS_VOCAB_LITERAL) < 0)
                errors++;
            continue;
        }
        json_t *pattern = json_array_get(v, 0), *repl = json_array_get(v, 1);
        const char *use = NULL;
        gls_buf_t why;
        gls_buf_init(&why);
        if (json_is_array(repl)) {
            size_t k;
            json_t *r;
            json_array_foreach(repl, k, r) {
                if (!json_is_string(r))
                    continue;
                if (!use)
                    use = json_string_value(r);
                else
                    gls_buf_printf(&why, "%s\"%s\"", why.len ? ", " : "also right: ",
                                   json_string_value(r));
            }
        } else if (json_is_string(repl)) {
            use = json_string_value(repl);
        }
        if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_string(pattern) || !use) {
            gls_diags_add(gls_builder_diags(b), path, at.line, at.column, GLS_SEV_ERROR,
                          "glossary-type",
                          "a term must be a string or a [pattern, replacement] pair");
            errors++;
            gls_buf_close(&why);
            continue;
        }
        /* The pattern string starts one character in, after its quote. */
        char pj[112];
        snprintf(pj, sizeof pj, "%s/0", jp);
        gls_vocab_at_t pat = at;
        gls_jsonpos_get(&pos, pj, &pat.line, &pat.column);
        pat.column++;
        if (gls_vocab_avoid(b, &pat, json_string_value(pattern), json_string_length(pattern),
                            GLS_REGEX_CASELESS | GLS_REGEX_WORDS | GLS_VOCAB_CAPITALIZE, use,
                            why.len ? why.data : NULL) < 0)
            errors++;
        gls_buf_close(&why);
    }
    json_decref(root);
    gls_jsonpos_close(&pos);
    free(plain);
    return errors;
}

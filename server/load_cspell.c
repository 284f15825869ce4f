/* load_cspell.c: cspell vocabularies. A cspell configuration (cspell.json,
 * .cspell.json, cspell.config.json; JSON with comments) gives "words" (the
 * project's accepted words: acronyms among them need no definition),
 * "ignoreWords" (the same here), "flagWords" ("word", "word->suggestion"
 * or "word:suggestion": flagged wherever they occur, the suggestion as the
 * fix), "caseSensitive" (false by default: then words match in any case)
 * and "dictionaryDefinitions" whose "path" names word-list files, read
 * relative to the configuration and confined to its folder. A word list
 * has one word per line, '#' comments, "!word" for a forbidden word, and
 * "kind": "flag-words" makes every line a forbidden word. "suggestWords"
 * are not imported: cspell does not flag them by themselves. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/jsonpos.h"
#include "gls/loader.h"
#include "gls/position.h"
#include "gls/regex.h"
#include "gls/util.h"
#include "gls/vocab.h"

/* Dictionary files larger than this are refused (a word list, not a
 * document). */
#define MAX_WORD_LIST (16u << 20)

typedef enum list_kind { LIST_WORDS, LIST_FLAG_WORDS, LIST_IGNORE_WORDS } list_kind_t;

/* One flagged entry: "word", "word->suggestion", "word:suggestion"
 * (several suggestions separated by commas: the first is the fix). */
static int flag_word(gls_builder_t *b, const gls_vocab_at_t *at, const char *s, size_t n,
                     unsigned flags)
{
    const char *arrow = NULL;
    size_t sep = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && s[i] == '-' && s[i + 1] == '>') {
            arrow = s + i;
            sep = 2;
            break;
        }
        if (s[i] == ':') {
            arrow = s + i;
            sep = 1;
            break;
        }
    }
    size_t wlen = arrow ? (size_t)(arrow - s) : n;
    while (wlen > 0 && (s[wlen - 1] == ' ' || s[wlen - 1] == '\t'))
        wlen--;
    char *use = NULL, *why = NULL;
    if (arrow) {
        const char *u = arrow + sep, *end = s + n;
        while (u < end && (*u == ' ' || *u == '\t'))
            u++;
        const char *comma = u < end ? memchr(u, ',', (size_t)(end - u)) : NULL;
        const char *uend = comma ? comma : end;
        while (uend > u && (uend[-1] == ' ' || uend[-1] == '\t'))
            uend--;
        use = gls_xstrndup(u, (size_t)(uend - u));
        if (comma)
            why = gls_xasprintf("cspell also suggests %.*s", (int)(end - comma - 1), comma + 1);
    }
    int rc = gls_vocab_avoid(b, at, s, wlen, flags | GLS_VOCAB_LITERAL, use,
                             why ? why : "a cspell flagged word");
    free(use);
    free(why);
    return rc;
}

static void known_word(gls_builder_t *b, const char *s, size_t n)
{
    gls_builder_add_known_word(b, s, n);
}

/* A word-list file's text. */
static int read_word_list(gls_builder_t *b, const char *path, const char *text, size_t len,
                          list_kind_t kind, unsigned flags)
{
    int errors = 0;
    size_t i = (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
    uint32_t line = 0;
    while (i < len) {
        line++;
        size_t start = i;
        while (i < len && text[i] != '\n')
            i++;
        size_t end = i++;
        /* A '#' starts a comment (cspell dictionaries have no words with it). */
        const char *hash = memchr(text + start, '#', end - start);
        if (hash)
            end = (size_t)(hash - text);
        while (end > start && (text[end - 1] == '\r' || text[end - 1] == ' ' || text[end - 1] == '\t'))
            end--;
        size_t s = start;
        while (s < end && (text[s] == ' ' || text[s] == '\t'))
            s++;
        if (s == end)
            continue;
        if (!gls_utf8_valid(text + s, end - s)) {
            gls_diags_add(gls_builder_diags(b), path, line, 1, GLS_SEV_ERROR, "glossary-encoding",
                          "the line is not valid UTF-8; skipped");
            errors++;
            continue;
        }
        int forbidden = kind == LIST_FLAG_WORDS;
        if (text[s] == '!') {
            /* In a word list "!word" is forbidden; in a flag list it is an exception. */
            if (kind == LIST_FLAG_WORDS)
                continue;
            forbidden = 1;
            s++;
        }
        /* Compound markers and the case-insensitive marker of cspell's trie format. */
        while (s < end && (text[s] == '+' || text[s] == '*' || text[s] == '~'))
            s++;
        while (end > s && (text[end - 1] == '+' || text[end - 1] == '*'))
            end--;
        if (s == end)
            continue;
        gls_vocab_at_t at = {path, line, (uint32_t)(s - start + 1), "the cspell word list"};
        if (forbidden) {
            if (flag_word(b, &at, text + s, end - s, flags) < 0)
                errors++;
        } else {
            known_word(b, text + s, end - s);
        }
    }
    return errors;
}

int gls_load_cspell_words(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    return read_word_list(b, path, text, len, LIST_WORDS, GLS_REGEX_CASELESS);
}

/* 'rel' resolved against the folder of 'config' and confined to it:
 * a new string, or NULL with '*why' set. */
static char *confined_path(const char *config, const char *rel, const char **why)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(config, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - config), config);
    else
        snprintf(dir, sizeof dir, ".");
    char *joined = rel[0] == '/' ? gls_xstrdup(rel) : gls_xasprintf("%s/%s", dir, rel);
    char real_dir[PATH_MAX], real[PATH_MAX];
    if (!realpath(dir, real_dir) || !realpath(joined, real)) {
        *why = strerror(errno);
        free(joined);
        return NULL;
    }
    size_t n = strlen(real_dir);
    if (strncmp(real, real_dir, n) != 0 || (real[n] != '/' && real[n] != '\0')) {
        *why = "it is outside the configuration's folder";
        free(joined);
        return NULL;
    }
    free(joined);
    return gls_xstrdup(real);
}

static void read_dictionaries(gls_builder_t *b, const char *path, json_t *defs,
                              const gls_jsonpos_t *pos, unsigned flags, int *errors)
{
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d) {
        char jp[64];
        snprintf(jp, sizeof jp, "/dictionaryDefinitions/%zu", i);
        uint32_t line, col;
        gls_jsonpos_get(pos, jp, &line, &col);
        const char *file = json_string_value(json_object_get(d, "path"));
        if (!file) {
            gls_diags_add(gls_builder_diags(b), path, line, col, GLS_SEV_ERROR, "glossary-type",
                          "a dictionary definition needs a 'path' string");
            (*errors)++;
            continue;
        }
        const char *kind_name = json_string_value(json_object_get(d, "kind"));
        list_kind_t kind = LIST_WORDS;
        if (kind_name && strcmp(kind_name, "flag-words") == 0)
            kind = LIST_FLAG_WORDS;
        else if (kind_name && strcmp(kind_name, "ignore-words") == 0)
            kind = LIST_IGNORE_WORDS;
        const char *why = NULL;
        char *real = confined_path(path, file, &why);
        char *text = NULL;
        size_t len = 0;
        int rc = real ? gls_read_file(real, MAX_WORD_LIST, &text, &len) : -1;
        if (rc < 0) {
            gls_diags_add(gls_builder_diags(b), path, line, col, GLS_SEV_ERROR, "glossary-io",
                          "cannot read the dictionary '%s': %s", file,
                          why ? why : rc == -EFBIG ? "too large" : strerror(-rc));
            (*errors)++;
        } else {
            *errors += read_word_list(b, real, text, len, kind, flags);
        }
        /* Watched for live reload like the configuration itself, also when
         * it cannot be read now (it may be created later). */
        if (real)
            gls_builder_add_dependency(b, real);
        free(text);
        free(real);
    }
}

int gls_load_cspell_config(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    size_t skip = (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
    char *plain = gls_json_strip_comments(text + skip, len - skip);
    json_error_t err;
    json_t *root = json_loadb(plain, len - skip, JSON_REJECT_DUPLICATES, &err);
    if (!root || !json_is_object(root)) {
        gls_diags_add(gls_builder_diags(b), path, root ? 1 : (uint32_t)(err.line > 0 ? err.line : 0),
                      root ? 1 : (uint32_t)(err.column > 0 ? err.column : 0), GLS_SEV_ERROR,
                      root ? "glossary-type" : "glossary-syntax", "%s",
                      root ? "a cspell configuration must be a JSON object"
                           : err.text[0] ? err.text : "could not read the JSON: out of memory");
        json_decref(root);
        free(plain);
        return 1;
    }
    gls_jsonpos_t pos;
    gls_jsonpos_build(&pos, plain, len - skip);
    int errors = 0;
    unsigned flags = json_is_true(json_object_get(root, "caseSensitive")) ? 0 : GLS_REGEX_CASELESS;
    static const char *const lists[] = {"words", "ignoreWords", "flagWords"};
    for (size_t l = 0; l < GLS_ARRAY_LEN(lists); l++) {
        json_t *list = json_object_get(root, lists[l]);
        if (!list)
            continue;
        char jp[64];
        snprintf(jp, sizeof jp, "/%s", lists[l]);
        if (!json_is_array(list)) {
            uint32_t line, col;
            gls_jsonpos_get(&pos, jp, &line, &col);
            gls_diags_add(gls_builder_diags(b), path, line, col, GLS_SEV_ERROR, "glossary-type",
                          "'%s' must be an array of strings", lists[l]);
            errors++;
            continue;
        }
        size_t i;
        json_t *w;
        json_array_foreach(list, i, w) {
            snprintf(jp, sizeof jp, "/%s/%zu", lists[l], i);
            gls_vocab_at_t at = {path, 0, 0, "the cspell configuration"};
            gls_jsonpos_get(&pos, jp, &at.line, &at.column);
            if (!json_is_string(w)) {
                gls_diags_add(gls_builder_diags(b), path, at.line, at.column, GLS_SEV_ERROR,
                              "glossary-type", "expected a string");
                errors++;
                continue;
            }
            at.column++; /* past the quote */
            if (l == 2) {
                if (flag_word(b, &at, json_string_value(w), json_string_length(w), flags) < 0)
                    errors++;
            } else {
                known_word(b, json_string_value(w), json_string_length(w));
            }
        }
    }
    json_t *defs = json_object_get(root, "dictionaryDefinitions");
    if (json_is_array(defs))
        read_dictionaries(b, path, defs, &pos, flags, &errors);
    if (json_object_get(root, "import")) {
        uint32_t line, col;
        gls_jsonpos_get(&pos, "/import", &line, &col);
        gls_diags_add(gls_builder_diags(b), path, line, col, GLS_SEV_WARNING,
                      "glossary-not-followed",
                      "cspell 'import' is not followed: name the imported configuration in the "
                      "glossaries too");
    }
    json_decref(root);
    gls_jsonpos_close(&pos);
    free(plain);
    return errors;
}

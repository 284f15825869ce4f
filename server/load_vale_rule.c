/* load_vale_rule.c: Vale rule files (YAML). 'extends: substitution' rules
 * give a 'swap' map: each key (a word, phrase or regular expression, whole
 * words unless 'nonword: true', case-sensitive unless 'ignorecase: true')
 * is flagged with its value as the replacement (a value "a|b" offers the
 * first as the fix and names the others). 'extends: existence' rules give
 * 'tokens' flagged with no replacement. The rule's 'message' becomes the
 * reason shown. Other rule kinds (occurrence, conditional, ...) are not
 * vocabularies: a warning says the file was not imported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/regex.h"
#include "gls/util.h"
#include "gls/vocab.h"
#include "gls/yaml_tree.h"

/* The message without Vale's %s placeholders, as a reason. */
static char *reason(const char *message, const char *path)
{
    if (!message || !*message) {
        const char *base = strrchr(path, '/');
        return gls_xasprintf("Vale rule %s", base ? base + 1 : path);
    }
    gls_buf_t b;
    gls_buf_init(&b);
    for (const char *p = message; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
            gls_buf_puts(&b, "...");
            p++;
        } else {
            gls_buf_putc(&b, *p);
        }
    }
    return gls_buf_steal(&b, NULL);
}

static int add_entry(gls_builder_t *b, const char *path, const gls_yaml_node_t *key,
                     const char *use, const char *why, unsigned flags, int nonword)
{
    gls_vocab_at_t at = {path, key->line, key->column, "the Vale rule"};
    unsigned f = flags;
    size_t skip = gls_vocab_case_prefix(key->value, key->length, &f);
    if (!nonword)
        return gls_vocab_avoid(b, &at, key->value + skip, key->length - skip, f | GLS_REGEX_WORDS,
                               use, why);
    /* Inside words too: only a pattern can do that. */
    gls_draft_pattern_t d = {key->value + skip, key->length - skip, GLS_PATTERN_AVOID, f, use, why,
                             key->line, key->column, 0, 0};
    return gls_builder_add_pattern(b, path, &d);
}

int gls_load_vale_rule(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    int errors = 0;
    gls_yaml_doc_t doc;
    if (gls_yaml_parse(&doc, text, len) < 0) {
        gls_diags_add(gls_builder_diags(b), path, doc.error_line, doc.error_column, GLS_SEV_ERROR,
                      "glossary-syntax", "%s", doc.error);
        gls_yaml_close(&doc);
        return 1;
    }
    const gls_yaml_node_t *root = doc.root;
    const char *extends = gls_yaml_str(gls_yaml_get(root, "extends"));
    unsigned flags = gls_yaml_bool(gls_yaml_get(root, "ignorecase")) == 1 ? GLS_REGEX_CASELESS : 0;
    int nonword = gls_yaml_bool(gls_yaml_get(root, "nonword")) == 1;
    char *why = reason(gls_yaml_str(gls_yaml_get(root, "message")), path);
    if (extends && strcmp(extends, "substitution") == 0) {
        const gls_yaml_node_t *swap = gls_yaml_get(root, "swap");
        if (!swap || swap->kind != GLS_YAML_MAPPING) {
            gls_diags_add(gls_builder_diags(b), path, root->line, root->column, GLS_SEV_ERROR,
                          "glossary-type", "a substitution rule needs a 'swap' map");
            errors++;
        }
        for (size_t i = 0; swap && swap->kind == GLS_YAML_MAPPING && i < swap->count; i++) {
            const gls_yaml_node_t *k = swap->keys[i], *v = swap->items[i];
            if (k->kind != GLS_YAML_SCALAR || v->kind != GLS_YAML_SCALAR) {
                gls_diags_add(gls_builder_diags(b), path, k->line, k->column, GLS_SEV_ERROR,
                              "glossary-type", "swap entries map a string to a string");
                errors++;
                continue;
            }
            /* "a|b": the first is the fix, the others are named. */
            const char *bar = strchr(v->value, '|');
            char *use = bar ? gls_xstrndup(v->value, (size_t)(bar - v->value)) : NULL;
            char *entry_why = bar ? gls_xasprintf("%s; also right: %s", why, bar + 1) : NULL;
            if (add_entry(b, path, k, use ? use : v->value, entry_why ? entry_why : why, flags,
                          nonword) < 0)
                errors++;
            free(use);
            free(entry_why);
        }
    } else if (extends && strcmp(extends, "existence") == 0) {
        const gls_yaml_node_t *tokens = gls_yaml_get(root, "tokens");
        for (size_t i = 0; tokens && tokens->kind == GLS_YAML_SEQUENCE && i < tokens->count; i++) {
            const gls_yaml_node_t *t = tokens->items[i];
            if (t->kind != GLS_YAML_SCALAR)
                continue;
            if (add_entry(b, path, t, NULL, why, flags, nonword) < 0)
                errors++;
        }
    } else {
        gls_diags_add(gls_builder_diags(b), path, root ? root->line : 1, root ? root->column : 1,
                      GLS_SEV_WARNING, "glossary-not-imported",
                      "a Vale '%s' rule is not a vocabulary: not imported (substitution and "
                      "existence rules are)",
                      extends ? extends : "(no extends)");
    }
    free(why);
    gls_yaml_close(&doc);
    return errors;
}

/* load_contextive.c: Contextive glossary files (*.glossary.yml). A file
 * lists 'contexts', each with a 'name', an optional
 * 'domainVisionStatement' and 'terms': {name, definition, examples,
 * aliases}. Each term becomes a concept: its name the term, its aliases
 * admitted forms, its definition followed by its examples and the context
 * it belongs to. A term named in several contexts is one concept whose
 * definition says what it means in each. Contextive's 'paths' (which
 * folders a context covers) map to the nearest-config rule instead: put
 * the file in a folder's .glossary-ls.json. 'imports' are not followed
 * (they are often URLs): a warning says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/util.h"
#include "gls/yaml_tree.h"

static void warn_or_err(gls_builder_t *b, const char *path, const gls_yaml_node_t *at,
                        gls_severity_t sev, const char *code, const char *msg, int *errors)
{
    gls_diags_add(gls_builder_diags(b), path, at ? at->line : 1, at ? at->column : 1, sev, code,
                  "%s", msg);
    if (sev == GLS_SEV_ERROR)
        (*errors)++;
}

static void read_term(gls_builder_t *b, const char *path, const gls_yaml_node_t *t,
                      const char *context, int *errors)
{
    const char *name = gls_yaml_str(gls_yaml_get(t, "name"));
    if (!name || !*name) {
        warn_or_err(b, path, t, GLS_SEV_ERROR, "glossary-missing-term",
                    "a Contextive term needs a 'name'", errors);
        return;
    }
    gls_buf_t def;
    gls_buf_init(&def);
    const char *d = gls_yaml_str(gls_yaml_get(t, "definition"));
    if (d)
        gls_buf_puts(&def, d);
    while (def.len && (def.data[def.len - 1] == '\n' || def.data[def.len - 1] == ' '))
        def.data[--def.len] = '\0';
    const gls_yaml_node_t *ex = gls_yaml_get(t, "examples");
    for (size_t i = 0; ex && ex->kind == GLS_YAML_SEQUENCE && i < ex->count; i++)
        if (gls_yaml_str(ex->items[i]))
            gls_buf_printf(&def, "%s- %s", i == 0 ? "\n\nExamples:\n\n" : "\n",
                           ex->items[i]->value);
    if (context)
        gls_buf_printf(&def, "%s(Contextive context: %s)", def.len ? "\n\n" : "", context);
    const gls_yaml_node_t *al = gls_yaml_get(t, "aliases");
    size_t n = al && al->kind == GLS_YAML_SEQUENCE ? al->count : 0;
    gls_draft_form_t *forms = gls_xcalloc(n + 1, sizeof *forms);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *a = gls_yaml_str(al->items[i]);
        if (!a) {
            warn_or_err(b, path, al->items[i], GLS_SEV_WARNING, "glossary-type",
                        "an alias must be a string; ignored", errors);
            continue;
        }
        forms[k++] = (gls_draft_form_t){a, GLS_FORM_ALIAS, 0, NULL, NULL, al->items[i]->line,
                                        al->items[i]->column};
    }
    /* The same name in another context: one concept, each meaning kept. */
    long owner = gls_builder_find_form(b, name);
    gls_draft_t dr = {0};
    dr.term = name;
    dr.line = t->line;
    dr.column = t->column;
    dr.forms = forms;
    dr.form_count = k;
    const gls_concept_t *prev = owner >= 0 ? gls_builder_concept(b, (uint32_t)owner) : NULL;
    char *joined = NULL;
    if (prev && strcmp(prev->source, path) == 0) {
        joined = gls_xasprintf("%s\n\n%s", prev->definition, def.data ? def.data : "");
        dr.id = prev->id;
        dr.term = prev->term;
        dr.definition = joined;
        gls_builder_extend(b, &dr);
    } else {
        dr.definition = def.data ? def.data : "";
        gls_builder_add(b, &dr);
    }
    free(joined);
    free(forms);
    gls_buf_close(&def);
}

int gls_load_contextive(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    int errors = 0;
    gls_yaml_doc_t doc;
    if (gls_yaml_parse(&doc, text, len) < 0) {
        gls_diags_add(gls_builder_diags(b), path, doc.error_line, doc.error_column, GLS_SEV_ERROR,
                      "glossary-syntax", "%s", doc.error);
        gls_yaml_close(&doc);
        return 1;
    }
    const gls_yaml_node_t *contexts = gls_yaml_get(doc.root, "contexts");
    if (!contexts || contexts->kind != GLS_YAML_SEQUENCE) {
        warn_or_err(b, path, doc.root, GLS_SEV_ERROR, "glossary-type",
                    "a Contextive glossary is a mapping with a 'contexts' list", &errors);
    } else {
        for (size_t i = 0; i < contexts->count; i++) {
            const gls_yaml_node_t *cx = contexts->items[i];
            const char *cname = gls_yaml_str(gls_yaml_get(cx, "name"));
            const gls_yaml_node_t *terms = gls_yaml_get(cx, "terms");
            if (terms && terms->kind != GLS_YAML_SEQUENCE) {
                warn_or_err(b, path, terms, GLS_SEV_ERROR, "glossary-type",
                            "'terms' must be a list", &errors);
                continue;
            }
            for (size_t k = 0; terms && k < terms->count; k++)
                read_term(b, path, terms->items[k], cname, &errors);
        }
    }
    const gls_yaml_node_t *imports = gls_yaml_get(doc.root, "imports");
    if (imports)
        warn_or_err(b, path, imports, GLS_SEV_WARNING, "glossary-not-followed",
                    "Contextive 'imports' are not followed: name the imported files in the "
                    "glossaries instead",
                    &errors);
    gls_yaml_close(&doc);
    return errors;
}

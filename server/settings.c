/* settings.c: reading the glossaryLs settings object. */
#include "gls/settings.h"

#include <stdlib.h>
#include <string.h>

#include "gls/log.h"
#include "gls/util.h"

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void gls_settings_init(gls_settings_t *s)
{
    memset(s, 0, sizeof *s);
    gls_rule_settings_default(&s->rules);
    s->builtin = 1;
    s->hover = 1;
    s->debounce_ms = 150;
    s->workspace_index = 1;
    s->workspace_max_files = 20000;
    s->max_document_size = 16777216; /* 16 MiB */
}

void gls_settings_close(gls_settings_t *s)
{
    free_list(s->well_known, s->well_known_count);
    free_list(s->ignored, s->ignored_count);
    free_list(s->glossaries, s->glossary_count);
    free_list(s->exclude, s->exclude_count);
    free_list(s->file_types, s->file_type_count);
    memset(s, 0, sizeof *s);
}

static void read_list(json_t *v, const char *key, char ***out, size_t *n)
{
    if (!v)
        return;
    if (!json_is_array(v)) {
        gls_log_warn("setting glossaryLs.%s must be an array of strings; ignored", key);
        return;
    }
    free_list(*out, *n);
    *out = gls_xcalloc(json_array_size(v) + 1, sizeof **out);
    *n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        if (json_is_string(e))
            (*out)[(*n)++] = gls_xstrdup(json_string_value(e));
        else
            gls_log_warn("setting glossaryLs.%s[%zu] is not a string; ignored", key, i);
    }
}

void gls_settings_apply(gls_settings_t *s, json_t *obj)
{
    gls_settings_close(s);
    gls_settings_init(s);
    if (!json_is_object(obj))
        return;
    json_t *rules = json_object_get(obj, "rules");
    if (json_is_object(rules)) {
        const char *name;
        json_t *v;
        json_object_foreach(rules, name, v) {
            int r = gls_rule_find(name);
            int sev = json_is_string(v) ? gls_severity_parse(json_string_value(v))
                      : json_is_false(v) ? GLS_RULE_OFF
                      : json_is_true(v)  ? (r >= 0 ? (int)gls_rules[r].default_severity : -1)
                                         : -1;
            if (r < 0)
                gls_log_warn("setting glossaryLs.rules: unknown rule '%s'", name);
            else if (sev < 0)
                gls_log_warn("setting glossaryLs.rules.%s: expected off, hint, info, warning "
                             "or error",
                             name);
            else
                s->rules.severity[r] = (gls_severity_t)sev;
        }
    } else if (rules) {
        gls_log_warn("setting glossaryLs.rules must be an object; ignored");
    }
    read_list(json_object_get(obj, "wellKnownAcronyms"), "wellKnownAcronyms", &s->well_known,
              &s->well_known_count);
    read_list(json_object_get(obj, "ignoredWords"), "ignoredWords", &s->ignored,
              &s->ignored_count);
    read_list(json_object_get(obj, "glossaries"), "glossaries", &s->glossaries,
              &s->glossary_count);
    read_list(json_object_get(obj, "exclude"), "exclude", &s->exclude, &s->exclude_count);
    read_list(json_object_get(obj, "fileTypes"), "fileTypes", &s->file_types,
              &s->file_type_count);
    s->rules.well_known = (const char *const *)s->well_known;
    s->rules.well_known_count = s->well_known_count;
    s->rules.ignored = (const char *const *)s->ignored;
    s->rules.ignored_count = s->ignored_count;
    json_t *v;
    if ((v = json_object_get(obj, "builtinGlossary")) && json_is_boolean(v))
        s->builtin = json_is_true(v);
    if ((v = json_object_get(obj, "hover")) && json_is_boolean(v))
        s->hover = json_is_true(v);
    if ((v = json_object_get(obj, "inlayHints")) && json_is_boolean(v))
        s->inlay_hints = json_is_true(v);
    if ((v = json_object_get(obj, "semanticTokens")) && json_is_boolean(v))
        s->semantic_tokens = json_is_true(v);
    if ((v = json_object_get(obj, "workspaceIndex")) && json_is_boolean(v))
        s->workspace_index = json_is_true(v);
    if ((v = json_object_get(obj, "workspaceMaxFiles")) && json_is_integer(v) &&
        json_integer_value(v) > 0)
        s->workspace_max_files = (size_t)json_integer_value(v);
    if ((v = json_object_get(obj, "maxDocumentSize")) && json_is_integer(v) &&
        json_integer_value(v) >= 1024)
        s->max_document_size = (size_t)json_integer_value(v);
    if ((v = json_object_get(obj, "debounceMs")) && json_is_integer(v) &&
        json_integer_value(v) >= 0 && json_integer_value(v) <= 10000)
        s->debounce_ms = (unsigned)json_integer_value(v);
    if ((v = json_object_get(obj, "diagnostics")) && json_is_string(v)) {
        const char *m = json_string_value(v);
        s->diagnostics_mode = strcmp(m, "push") == 0 ? 1 : strcmp(m, "pull") == 0 ? 2 : 0;
    }
}

/* settings.h: the server's settings, read from initializationOptions and
 * the "glossaryLs" configuration section:
 *   rules:              {"avoid-term": "error", "undefined-acronym": "off", ...}
 *   wellKnownAcronyms:  ["SKU", ...]   acronyms that need no definition
 *   ignoredWords:       ["ACME", ...]  never reported
 *   glossaries:         ["/path/team-glossary.md", ...]  extra glossary files
 *   builtinGlossary:    true           include the built-in glossary
 *   hover:              true           answer hovers at all
 *   diagnostics:        "push" | "pull" | "auto" (default auto: pull when the client supports it)
 *   debounceMs:         150            delay before re-checking after an edit
 *   inlayHints:         false          show acronym expansions inline
 *   semanticTokens:     false          mark recognized terms for themes
 *   workspaceIndex:     true           index the workspace's documents (references, ranking)
 *   workspaceMaxFiles:  20000          index at most this many documents
 * Unknown keys are ignored; wrong types are reported and ignored. */
#ifndef GLS_SETTINGS_H
#define GLS_SETTINGS_H

#include <jansson.h>

#include "gls/rules.h"

typedef struct gls_settings {
    gls_rule_settings_t rules;
    char **well_known;   /* owned */
    size_t well_known_count;
    char **ignored;      /* owned */
    size_t ignored_count;
    char **glossaries;   /* owned */
    size_t glossary_count;
    char **exclude;      /* owned: globs of files not to check */
    size_t exclude_count;
    char **file_types;   /* owned: extensions (".md") of the files check and the
                            workspace index read; none: the default set */
    size_t file_type_count;
    int builtin;
    int hover;
    int diagnostics_mode; /* 0 auto, 1 push, 2 pull */
    unsigned debounce_ms;
    int inlay_hints;      /* off by default */
    int semantic_tokens;  /* off by default */
    int workspace_index;  /* on by default */
    size_t workspace_max_files;
    size_t max_document_size;  /* bytes; larger documents are not checked */
} gls_settings_t;

void gls_settings_init(gls_settings_t *s);
void gls_settings_close(gls_settings_t *s);
/* Applies 'obj' (borrowed; may be NULL) on top of the defaults; problems
 * are logged. */
void gls_settings_apply(gls_settings_t *s, json_t *obj);

#endif

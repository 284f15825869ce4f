/* sources.h: assembling the glossary in service from its sources, in
 * precedence order: built-in < user < workspace < editor settings. Each
 * later source can override (same id), extend or disable (disabled: true)
 * a concept of an earlier one. */
#ifndef GLS_SOURCES_H
#define GLS_SOURCES_H

#include <stddef.h>

#include "gls/glossary.h"

typedef struct gls_sources {
    int builtin;             /* include the built-in glossary */
    const char *const *files; /* glossary files, lowest precedence first */
    size_t file_count;
    size_t max_file_size;    /* bytes; 0 = 16 MiB */
} gls_sources_t;

/* Loads every source and freezes the result. Problems (unreadable files,
 * syntax errors, conflicts, lint) are in the returned glossary's 'diags';
 * '*errors' (may be NULL) receives the number of error-level problems.
 * Never returns NULL. */
gls_glossary_t *gls_sources_load(const gls_sources_t *src, size_t *errors);

#endif

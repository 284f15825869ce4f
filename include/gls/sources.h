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
    const char *cache_dir;   /* where large glossaries are cached; NULL: never */
} gls_sources_t;

/* Sources of at least this many bytes in all are worth a cache file
 * (smaller ones load in milliseconds anyway). */
#define GLS_CACHE_MIN_BYTES (256u << 10)

/* The cache directory: $GLOSSARY_LS_CACHE ("off" or empty: none), else
 * $XDG_CACHE_HOME/glossary-ls, else $HOME/.cache/glossary-ls; NULL when
 * there is none. Caller frees. */
char *gls_default_cache_dir(void);

/* Loads every source and freezes the result; with a cache directory, the
 * cached glossary of these sources when it is current (glossary_cache.h),
 * and a new cache file after loading sources of GLS_CACHE_MIN_BYTES or
 * more. Problems (unreadable files,
 * syntax errors, conflicts, lint) are in the returned glossary's 'diags';
 * '*errors' (may be NULL) receives the number of error-level problems.
 * Never returns NULL. */
gls_glossary_t *gls_sources_load(const gls_sources_t *src, size_t *errors);

#endif

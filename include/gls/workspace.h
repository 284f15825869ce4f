/* workspace.h: which concepts each document of a workspace uses. Built by
 * walking the workspace folders (gls_walk) and analysing every document
 * with one glossary; kept current file by file. Pure engine: no LSP, no
 * JSON. Building may run on any thread (the server uses the libuv thread
 * pool); an index is then owned by one thread. */
#ifndef GLS_WORKSPACE_H
#define GLS_WORKSPACE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "gls/analysis.h"
#include "gls/glossary.h"
#include "gls/walk.h"

/* Documents larger than this are listed but not analysed. */
#define GLS_WS_MAX_FILE (4u << 20)

typedef struct gls_ws_use {
    uint32_t concept;
    uint32_t count;
} gls_ws_use_t;

typedef struct gls_ws_file {
    char *path;         /* owned */
    gls_ws_use_t *uses; /* owned, sorted by concept */
    uint32_t use_count;
} gls_ws_file_t;

typedef struct gls_ws_index {
    gls_glossary_t *glossary; /* a reference: concept numbers are its own */
    gls_ws_file_t *files;     /* sorted by path */
    size_t count, cap;
    uint32_t *totals;         /* per concept: uses across the workspace */
    /* How the build went. */
    int capped, cancelled;
    size_t unreadable, too_large;
} gls_ws_index_t;

/* Counters a build updates as it goes, for progress reports from another
 * thread; 'cancel' stops it (the index keeps what was done). */
typedef struct gls_ws_progress {
    atomic_size_t found;  /* documents found so far (final once walking ends) */
    atomic_size_t done;   /* documents analysed */
    atomic_int walking;   /* 1 while still looking for documents */
    atomic_int cancel;
} gls_ws_progress_t;

/* Builds the index of the documents under 'roots' (directories) with 'g'
 * (a reference is taken). 'opts' caps and excludes as in gls_walk; its
 * 'cancel' is replaced by progress->cancel. Returns a new index. */
gls_ws_index_t *gls_ws_index_build(gls_glossary_t *g, const char *const *roots, size_t nroots,
                                   const gls_walk_opts_t *opts, gls_ws_progress_t *progress);
void gls_ws_index_free(gls_ws_index_t *idx);

/* The record of 'path', or NULL. */
const gls_ws_file_t *gls_ws_index_find(const gls_ws_index_t *idx, const char *path);
/* Replaces (or adds) the record of 'path' with the uses in 'a', which must
 * have been made with idx->glossary; totals follow. */
void gls_ws_index_update(gls_ws_index_t *idx, const char *path, const gls_analysis_t *a);
/* Forgets 'path' (deleted). */
void gls_ws_index_remove(gls_ws_index_t *idx, const char *path);
/* Uses of concept 'c' in the file record, or 0. */
uint32_t gls_ws_file_uses(const gls_ws_file_t *f, uint32_t c);

#endif

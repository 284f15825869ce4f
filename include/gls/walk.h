/* walk.h: the documents of a directory tree, found the way a writer
 * expects: Markdown and text files, in sorted order, skipping hidden
 * directories, node_modules, what .gitignore files ignore and the
 * configuration's "exclude" globs, and never following a symbolic link
 * (so a walk cannot leave the tree). Pure: no globals, safe on any
 * thread; the server's workspace index walks on the libuv thread pool. */
#ifndef GLS_WALK_H
#define GLS_WALK_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct gls_walk_opts {
    const char *const *exclude; /* globs (fnmatch), matched against the path
                                   relative to the root and the file name */
    size_t exclude_count;
    size_t max_files;           /* stop after this many files (0: no cap) */
    const atomic_int *cancel;   /* stop when it becomes non-zero, or NULL */
    const char *const *file_types; /* extensions (".md" or "md") to read; NULL:
                                      the default set (gls_walk_checkable) */
    size_t file_type_count;
} gls_walk_opts_t;

typedef struct gls_walk_result {
    char **paths;          /* owned: the files found, "root/rel/name", sorted */
    size_t count, cap;
    int capped;            /* stopped at max_files */
    int cancelled;         /* stopped by 'cancel' */
    size_t unreadable;     /* directories that could not be read */
    char **errors;         /* owned: "path: reason" for each of them */
    size_t error_count, error_cap;
} gls_walk_result_t;

/* Whether a file name is a document we check: one of 'types' (extensions,
 * with or without the dot, any case), or when 'count' is 0 the default
 * set (.md, .markdown, .mdx, .txt, ...). */
int gls_walk_checkable(const char *name, const char *const *types, size_t count);

/* Walks 'root' (a directory) into 'out' (initialized by this call). */
void gls_walk(const char *root, const gls_walk_opts_t *opts, gls_walk_result_t *out);
void gls_walk_result_close(gls_walk_result_t *r);

#endif

/* arena.h: a bump allocator for data that lives and dies together (the
 * strings and tables of one frozen glossary). */
#ifndef GLS_ARENA_H
#define GLS_ARENA_H

#include <stddef.h>

typedef struct gls_arena gls_arena_t;

/* Returns a new, empty arena. */
gls_arena_t *gls_arena_new(void);
/* Frees every allocation made from the arena, then the arena. */
void gls_arena_free(gls_arena_t *a);
/* Returns 'size' bytes aligned for any type; owned by the arena. */
void *gls_arena_alloc(gls_arena_t *a, size_t size);
/* Copies a string (NULL stays NULL) into the arena. */
const char *gls_arena_strdup(gls_arena_t *a, const char *s);
const char *gls_arena_strndup(gls_arena_t *a, const char *s, size_t len);
/* Bytes handed out so far, for memory reports. */
size_t gls_arena_used(const gls_arena_t *a);

#endif

/* arena.c: bump allocation in chained blocks. */
#include "gls/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "gls/util.h"

#define BLOCK_SIZE (64 * 1024)
/* Blocks this large are aligned to it and asked to be backed by huge
 * pages: a 100,000-concept glossary's concept and form tables are 20 MB,
 * and filling them 4 KB page by page cost 5,000 page faults, a fifth of a
 * check (perf). */
#define HUGE_BLOCK (2u << 20)

typedef struct block {
    struct block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
} block_t;

struct gls_arena {
    block_t *head;
    size_t total;
};

gls_arena_t *gls_arena_new(void)
{
    return gls_xcalloc(1, sizeof(gls_arena_t));
}

void gls_arena_free(gls_arena_t *a)
{
    if (!a)
        return;
    block_t *b = a->head;
    while (b) {
        block_t *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *gls_arena_alloc(gls_arena_t *a, size_t size)
{
    size_t align = alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    block_t *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > BLOCK_SIZE / 4 ? size : BLOCK_SIZE;
        block_t *nb;
        if (sizeof *nb + cap >= HUGE_BLOCK) {
            size_t bytes = (sizeof *nb + cap + HUGE_BLOCK - 1) & ~(size_t)(HUGE_BLOCK - 1);
            void *mem = NULL;
            if (posix_memalign(&mem, HUGE_BLOCK, bytes) != 0)
                mem = gls_xmalloc(sizeof *nb + cap);
            else
                (void)madvise(mem, bytes, MADV_HUGEPAGE); /* a hint; no harm if refused */
            nb = mem;
        } else {
            nb = gls_xmalloc(sizeof *nb + cap);
        }
        nb->used = 0;
        nb->size = cap;
        if (b && size > BLOCK_SIZE / 4) {
            /* A big allocation gets its own block behind the current one, so
             * the current block's free space is not wasted. */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    a->total += size;
    return p;
}

const char *gls_arena_strndup(gls_arena_t *a, const char *s, size_t len)
{
    if (!s)
        return NULL;
    char *p = gls_arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

const char *gls_arena_strdup(gls_arena_t *a, const char *s)
{
    return s ? gls_arena_strndup(a, s, strlen(s)) : NULL;
}

size_t gls_arena_used(const gls_arena_t *a)
{
    return a->total;
}

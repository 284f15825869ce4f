/* strmap.h: an open-addressing hash map from byte strings to uint32
 * values. Keys are copied into the map. */
#ifndef GLS_STRMAP_H
#define GLS_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct gls_strmap_entry {
    char *key;      /* owned; NULL = empty slot */
    size_t len;
    uint64_t hash;
    uint32_t value;
} gls_strmap_entry_t;

typedef struct gls_strmap {
    gls_strmap_entry_t *slots;
    size_t cap, count;
} gls_strmap_t;

void gls_strmap_init(gls_strmap_t *m);
void gls_strmap_close(gls_strmap_t *m);
/* Returns a pointer to the value for 'key', or NULL. */
uint32_t *gls_strmap_get(const gls_strmap_t *m, const char *key, size_t len);
/* Inserts or replaces; returns 1 when the key was new. */
int gls_strmap_put(gls_strmap_t *m, const char *key, size_t len, uint32_t value);
/* FNV-1a, 64 bits. */
uint64_t gls_hash(const void *data, size_t len, uint64_t seed);

/* A fixed list of words (a rule's static vocabulary) with O(1)
 * membership. The hash map is built on first use, once, under a lock, so
 * sets may be shared by threads; it lives as long as the program.
 *
 *   static gls_wordset_t units = GLS_WORDSET(unit_list, 1);
 *   if (gls_wordset_has(&units, w, n)) ... */
typedef struct gls_wordset {
    const char *const *words;
    size_t count;
    int fold;             /* 1: compare ignoring ASCII case */
    _Atomic int ready;
    gls_strmap_t map;
} gls_wordset_t;

#define GLS_WORDSET(list, fold_case) \
    { (list), sizeof(list) / sizeof((list)[0]), (fold_case), 0, {0, 0, 0} }

int gls_wordset_has(gls_wordset_t *s, const char *w, size_t len);

#endif

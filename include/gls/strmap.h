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

#endif

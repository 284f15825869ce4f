/* strmap.c: string -> uint32 hash map with linear probing. */
#include "gls/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "gls/util.h"

uint64_t gls_hash(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ull ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

void gls_strmap_init(gls_strmap_t *m)
{
    m->slots = NULL;
    m->cap = m->count = 0;
}

void gls_strmap_close(gls_strmap_t *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    gls_strmap_init(m);
}

static gls_strmap_entry_t *find(const gls_strmap_t *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        gls_strmap_entry_t *e = &m->slots[i];
        if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
}

static void grow(gls_strmap_t *m)
{
    gls_strmap_t bigger;
    bigger.cap = m->cap ? m->cap * 2 : 16;
    bigger.count = m->count;
    bigger.slots = gls_xcalloc(bigger.cap, sizeof *bigger.slots);
    for (size_t i = 0; i < m->cap; i++) {
        gls_strmap_entry_t *e = &m->slots[i];
        if (e->key)
            *find(&bigger, e->key, e->len, e->hash) = *e;
    }
    free(m->slots);
    *m = bigger;
}

uint32_t *gls_strmap_get(const gls_strmap_t *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    gls_strmap_entry_t *e = find(m, key, len, gls_hash(key, len, 0));
    return e->key ? &e->value : NULL;
}

int gls_strmap_put(gls_strmap_t *m, const char *key, size_t len, uint32_t value)
{
    if ((m->count + 1) * 2 > m->cap)
        grow(m);
    uint64_t h = gls_hash(key, len, 0);
    gls_strmap_entry_t *e = find(m, key, len, h);
    if (e->key) {
        e->value = value;
        return 0;
    }
    e->key = gls_xstrndup(key, len);
    e->len = len;
    e->hash = h;
    e->value = value;
    m->count++;
    return 1;
}

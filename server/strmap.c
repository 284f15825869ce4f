/* strmap.c: string -> uint32 hash map with linear probing. */
#include "gls/strmap.h"

#include <pthread.h>
#include <stdatomic.h>

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

/* Words longer than this are in no list (the lists hold short words). */
#define WORDSET_MAX_WORD 64

static pthread_mutex_t wordset_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t fold_ascii(const char *w, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
    return len;
}

int gls_wordset_has(gls_wordset_t *s, const char *w, size_t len)
{
    if (!atomic_load_explicit(&s->ready, memory_order_acquire)) {
        pthread_mutex_lock(&wordset_lock);
        if (!atomic_load_explicit(&s->ready, memory_order_relaxed)) {
            gls_strmap_init(&s->map);
            for (size_t i = 0; i < s->count; i++) {
                char buf[WORDSET_MAX_WORD];
                size_t n = strlen(s->words[i]);
                if (n > WORDSET_MAX_WORD)
                    continue;
                if (s->fold)
                    gls_strmap_put(&s->map, buf, fold_ascii(s->words[i], n, buf), 1);
                else
                    gls_strmap_put(&s->map, s->words[i], n, 1);
            }
            atomic_store_explicit(&s->ready, 1, memory_order_release);
        }
        pthread_mutex_unlock(&wordset_lock);
    }
    if (len > WORDSET_MAX_WORD)
        return 0;
    if (!s->fold)
        return gls_strmap_get(&s->map, w, len) != NULL;
    char buf[WORDSET_MAX_WORD];
    return gls_strmap_get(&s->map, buf, fold_ascii(w, len, buf)) != NULL;
}

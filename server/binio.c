/* binio.c: flat binary writing and bounds-checked reading. */
#include "gls/binio.h"

#include <stdlib.h>
#include <string.h>

void gls_put_u8(gls_buf_t *b, uint8_t v)
{
    gls_buf_append(b, &v, 1);
}

void gls_put_u32(gls_buf_t *b, uint32_t v)
{
    gls_buf_append(b, &v, sizeof v);
}

void gls_put_u64(gls_buf_t *b, uint64_t v)
{
    gls_buf_append(b, &v, sizeof v);
}

void gls_put_f64(gls_buf_t *b, double v)
{
    gls_buf_append(b, &v, sizeof v);
}

void gls_put_bytes(gls_buf_t *b, const void *p, size_t n)
{
    gls_put_u32(b, (uint32_t)n);
    if (n)
        gls_buf_append(b, p, n);
}

void gls_put_raw(gls_buf_t *b, const void *p, size_t n)
{
    if (n)
        gls_buf_append(b, p, n);
}

void gls_put_align(gls_buf_t *b, size_t align)
{
    static const char zeros[64];
    size_t pad = (align - b->len % align) % align;
    gls_buf_append(b, zeros, pad);
}

void gls_reader_init(gls_reader_t *r, void *data, size_t len)
{
    r->p = data;
    r->end = r->p + len;
    r->bad = 0;
}

void *gls_get_raw(gls_reader_t *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return NULL;
    }
    void *at = r->p;
    r->p += n;
    return at;
}

void *gls_get_bytes(gls_reader_t *r, size_t *len)
{
    size_t n = gls_get_u32(r);
    void *at = gls_get_raw(r, n);
    *len = at ? n : 0;
    return at;
}

void *gls_get_array(gls_reader_t *r, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        r->bad = 1;
        return NULL;
    }
    const void *at = gls_get_raw(r, n * size);
    if (!at)
        return NULL;
    size_t bytes = n * size;
    void *out = gls_xmalloc(bytes + 1);
    if (bytes > 0)
        memcpy(out, at, bytes);
    return out;
}

void *gls_get_aligned(gls_reader_t *r, const void *start, size_t n, size_t size, size_t align)
{
    size_t at = (size_t)(r->p - (const uint8_t *)start);
    if (!gls_get_raw(r, (align - at % align) % align))
        return NULL;
    if (size && n > SIZE_MAX / size) {
        r->bad = 1;
        return NULL;
    }
    return gls_get_raw(r, n * size);
}

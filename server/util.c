/* util.c: aborting allocators and the growable byte buffer. */
#include "gls/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long gls_alloc_fail_after = -1;

static void out_of_memory(size_t size)
{
    fprintf(stderr, "glossary-ls: out of memory allocating %zu bytes; aborting\n", size);
    abort();
}

/* Counts down the injected-failure budget; true when this allocation must fail. */
static int injected_failure(void)
{
    if (gls_alloc_fail_after < 0)
        return 0;
    if (gls_alloc_fail_after == 0)
        return 1;
    gls_alloc_fail_after--;
    return 0;
}

void *gls_xmalloc(size_t size)
{
    void *p = injected_failure() ? NULL : malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *gls_xcalloc(size_t count, size_t size)
{
    void *p = injected_failure() ? NULL : calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *gls_xrealloc(void *ptr, size_t size)
{
    void *p = injected_failure() ? NULL : realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

char *gls_xstrndup(const char *s, size_t len)
{
    char *p = gls_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *gls_xstrdup(const char *s)
{
    return gls_xstrndup(s, strlen(s));
}

char *gls_xvasprintf(const char *fmt, va_list ap)
{
    gls_buf_t b;
    gls_buf_init(&b);
    gls_buf_vprintf(&b, fmt, ap);
    if (!b.data)
        gls_buf_reserve(&b, 1);
    return gls_buf_steal(&b, NULL);
}

char *gls_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = gls_xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void gls_buf_init(gls_buf_t *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void gls_buf_close(gls_buf_t *b)
{
    free(b->data);
    gls_buf_init(b);
}

void gls_buf_reserve(gls_buf_t *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap < ((size_t)-1) / 2 ? cap * 2 : need;
    b->data = gls_xrealloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0';
}

void gls_buf_append(gls_buf_t *b, const void *data, size_t len)
{
    gls_buf_reserve(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void gls_buf_puts(gls_buf_t *b, const char *s)
{
    gls_buf_append(b, s, strlen(s));
}

void gls_buf_putc(gls_buf_t *b, char c)
{
    gls_buf_append(b, &c, 1);
}

void gls_buf_vprintf(gls_buf_t *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    gls_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void gls_buf_printf(gls_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gls_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void gls_buf_clear(gls_buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void gls_buf_consume(gls_buf_t *b, size_t n)
{
    if (n >= b->len) {
        gls_buf_clear(b);
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

char *gls_buf_steal(gls_buf_t *b, size_t *len)
{
    char *p = b->data;
    if (len)
        *len = b->len;
    gls_buf_init(b);
    return p;
}

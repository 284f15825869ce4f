/* util.h: allocation wrappers that abort on failure, and a growable byte buffer. */
#ifndef GLS_UTIL_H
#define GLS_UTIL_H

#include <stddef.h>
#include <stdarg.h>

#define GLS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation failure is not recoverable in a language server that must not
 * corrupt state: these print a message to stderr and abort(). They never
 * return NULL. 'gls_xmalloc(0)' returns a unique pointer. */
void *gls_xmalloc(size_t size);
void *gls_xcalloc(size_t count, size_t size);
void *gls_xrealloc(void *ptr, size_t size);
char *gls_xstrdup(const char *s);
char *gls_xstrndup(const char *s, size_t len);
/* Returns a new heap string formatted like printf; the caller frees it. */
char *gls_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with a va_list. */
char *gls_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Fault injection for tests: when 'gls_alloc_fail_after' is >= 0, that many
 * allocations succeed and the next one takes the failure path. Left at -1
 * in production. */
extern long gls_alloc_fail_after;

/* A growable byte buffer. 'data' is always NUL-terminated after the first
 * append so it can be handed to string functions; 'len' excludes the NUL. */
typedef struct gls_buf {
    char *data;
    size_t len;
    size_t cap;
} gls_buf_t;

void gls_buf_init(gls_buf_t *b);
void gls_buf_close(gls_buf_t *b);
void gls_buf_reserve(gls_buf_t *b, size_t extra);
void gls_buf_append(gls_buf_t *b, const void *data, size_t len);
void gls_buf_puts(gls_buf_t *b, const char *s);
void gls_buf_putc(gls_buf_t *b, char c);
void gls_buf_printf(gls_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gls_buf_vprintf(gls_buf_t *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void gls_buf_clear(gls_buf_t *b);
/* Removes the first 'n' bytes. */
void gls_buf_consume(gls_buf_t *b, size_t n);
/* Returns the contents and leaves 'b' empty; the caller frees the result. */
char *gls_buf_steal(gls_buf_t *b, size_t *len);

#endif

/* binio.h: little helpers to write and read a flat binary file (the
 * glossary cache). Writing appends to a gls_buf_t in the machine's byte
 * order (a cache is only read back by the binary that wrote it). Reading
 * never runs past the end: a short or damaged input sets 'bad' and every
 * later read returns zeros, so a reader checks 'bad' once at the end of a
 * section instead of after every field. */
#ifndef GLS_BINIO_H
#define GLS_BINIO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gls/util.h"

void gls_put_u8(gls_buf_t *b, uint8_t v);
void gls_put_u32(gls_buf_t *b, uint32_t v);
void gls_put_u64(gls_buf_t *b, uint64_t v);
void gls_put_f64(gls_buf_t *b, double v);
/* A length (u32) and that many bytes. */
void gls_put_bytes(gls_buf_t *b, const void *p, size_t n);
/* n raw bytes (an array of fixed-size items; no length). */
void gls_put_raw(gls_buf_t *b, const void *p, size_t n);
/* Zero bytes up to a multiple of 'align' (a power of two) from the start
 * of 'b', so that an array written next can be used in place when the
 * whole buffer is read back into memory aligned at least as much. */
void gls_put_align(gls_buf_t *b, size_t align);

/* Reads a buffer the caller owns and may keep using in place (the
 * borrowed results point into it). */
typedef struct gls_reader {
    uint8_t *p, *end;
    int bad;
} gls_reader_t;

void gls_reader_init(gls_reader_t *r, void *data, size_t len);
/* n bytes, borrowed from the input; NULL when fewer remain. */
void *gls_get_raw(gls_reader_t *r, size_t n);

/* Fixed-size values; 0 once bad. Inline: a large cache reads millions. */
#define GLS_GET_FIXED(name, type)                                  \
    static inline type name(gls_reader_t *r)                       \
    {                                                              \
        type v = 0;                                                \
        if (!r->bad && (size_t)(r->end - r->p) >= sizeof v) {     \
            memcpy(&v, r->p, sizeof v);                            \
            r->p += sizeof v;                                      \
        } else {                                                   \
            r->bad = 1;                                            \
        }                                                          \
        return v;                                                  \
    }
GLS_GET_FIXED(gls_get_u8, uint8_t)
GLS_GET_FIXED(gls_get_u32, uint32_t)
GLS_GET_FIXED(gls_get_u64, uint64_t)
GLS_GET_FIXED(gls_get_f64, double)
#undef GLS_GET_FIXED
/* The bytes written by gls_put_bytes: borrowed from the input (not
 * terminated); NULL with *len 0 when bad. */
void *gls_get_bytes(gls_reader_t *r, size_t *len);
/* Skips what gls_put_align wrote ('start' is the input's first byte, at
 * least as aligned as 'align'), then returns n items of 'size' bytes in
 * place, borrowed; NULL (and bad) when short or when n * size overflows. */
void *gls_get_aligned(gls_reader_t *r, const void *start, size_t n, size_t size, size_t align);
/* Copies n items of 'size' bytes into a new array (caller frees; at least
 * one byte is allocated), or NULL when the input is short or n * size
 * overflows. */
void *gls_get_array(gls_reader_t *r, size_t n, size_t size);

#endif

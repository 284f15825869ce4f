/* framing.h: turns a byte stream into LSP message bodies (base protocol
 * headers + Content-Length bodies). Knows nothing of libuv or JSON. */
#ifndef GLS_FRAMING_H
#define GLS_FRAMING_H

#include <stddef.h>
#include "gls/util.h"

#define GLS_FRAMING_DEFAULT_MAX_MESSAGE ((size_t)64 << 20) /* 64 MiB */
#define GLS_FRAMING_MAX_HEADER_LINE 8192

/* Called once per complete body. 'body' is borrowed: valid only during the
 * call, not NUL-terminated. */
typedef void (*gls_framer_message_cb)(void *ud, const char *body, size_t len);
/* Called for every framing problem (garbage header, bad Content-Length,
 * oversized message). 'message' is borrowed. The framer has already
 * recovered when this is called. */
typedef void (*gls_framer_error_cb)(void *ud, const char *message);

typedef enum gls_framer_state {
    GLS_FRAMER_HEADER,  /* reading header lines */
    GLS_FRAMER_LONG_LINE, /* discarding the rest of an over-long header line */
    GLS_FRAMER_BODY,    /* collecting 'want' body bytes */
    GLS_FRAMER_SKIP     /* discarding 'want' bytes of an oversized body */
} gls_framer_state_t;

typedef struct gls_framer {
    gls_framer_state_t state;
    gls_buf_t line;      /* the header line being read */
    gls_buf_t body;      /* the body being collected, when split over feeds */
    size_t want;         /* bytes still expected in BODY or SKIP */
    long long content_length; /* -1 until a valid header is seen in this block */
    int header_error;    /* this header block had an invalid header */
    int header_lines;    /* lines seen in this block */
    size_t max_message;
    gls_framer_message_cb on_message;
    gls_framer_error_cb on_error;
    void *ud;
    /* Counters, for logs and tests. */
    size_t messages;
    size_t errors;
} gls_framer_t;

/* 'max_message' caps a body; 0 means GLS_FRAMING_DEFAULT_MAX_MESSAGE. */
void gls_framer_init(gls_framer_t *f, size_t max_message, gls_framer_message_cb on_message,
                     gls_framer_error_cb on_error, void *ud);
void gls_framer_close(gls_framer_t *f);

/* Consumes every complete message in 'data', keeps the partial tail for the
 * next call. Accepts any split of the stream, down to one byte per call.
 * Callbacks run synchronously from inside this call. */
void gls_framer_feed(gls_framer_t *f, const char *data, size_t len);

/* True when the framer holds a partial message (for reporting a truncated
 * message at end of input). */
int gls_framer_has_partial(const gls_framer_t *f);

/* Writes the header for a body of 'len' bytes into 'out' (at least 40
 * bytes); returns its length. */
size_t gls_framing_header(char *out, size_t len);

#endif

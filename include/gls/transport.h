/* transport.h: the byte pipes of the server on a libuv loop. Reads stdin
 * (pipe, socket, tty or regular file) and writes whole frames to stdout
 * through a queue that never blocks the loop and never interleaves two
 * messages. Knows nothing of JSON. */
#ifndef GLS_TRANSPORT_H
#define GLS_TRANSPORT_H

#include <stddef.h>
#include <uv.h>

typedef struct gls_transport gls_transport_t;

/* 'data' is borrowed for the duration of the call. */
typedef void (*gls_transport_read_cb)(gls_transport_t *t, const char *data, size_t len);
/* End of input (EOF or a read error; 'status' is 0 for EOF, else a libuv error). */
typedef void (*gls_transport_eof_cb)(gls_transport_t *t, int status);
/* A write failed (the client closed stdout, for instance). */
typedef void (*gls_transport_write_error_cb)(gls_transport_t *t, int status);
/* All handles are closed; the loop can finish. */
typedef void (*gls_transport_closed_cb)(gls_transport_t *t);

typedef enum gls_io_kind {
    GLS_IO_STREAM, /* pipe, socket or tty: a uv_stream_t */
    GLS_IO_FILE    /* regular file or character device: uv_fs_* requests */
} gls_io_kind_t;

struct gls_transport {
    uv_loop_t *loop;
    void *data; /* for the owner */
    gls_transport_read_cb on_read;
    gls_transport_eof_cb on_eof;
    gls_transport_write_error_cb on_write_error;
    gls_transport_closed_cb on_closed;

    /* Input. */
    gls_io_kind_t in_kind;
    int in_fd;
    union {
        uv_pipe_t pipe;
        uv_tty_t tty;
        uv_tcp_t tcp;
    } in;
    uv_fs_t in_req;
    char *in_buf;     /* for file reads */
    int reading;
    int in_open;      /* the input handle is initialized and not closed */
    int in_eof;

    /* Output. */
    gls_io_kind_t out_kind;
    int out_fd;
    union {
        uv_pipe_t pipe;
        uv_tty_t tty;
        uv_tcp_t tcp;
    } out;
    int out_open;
    int out_failed;
    int64_t file_offset;       /* -1: write at the current position */
    struct gls_write_req *file_head, *file_tail; /* queued file writes */
    int file_writing;
    size_t pending_writes;     /* frames queued and not yet completed */
    size_t pending_bytes;

    int closing;
    int handles_open; /* handles whose close callback has not run */
    int drain_then_close;
};

/* Sets up reading 'in_fd' and writing 'out_fd' on 'loop'. Returns 0 or a
 * negative libuv error; on failure nothing needs closing. */
int gls_transport_init(gls_transport_t *t, uv_loop_t *loop, int in_fd, int out_fd);

/* Starts delivering input to 'on_read'. */
int gls_transport_start(gls_transport_t *t);
/* Stops delivering input (for example after exit). */
void gls_transport_stop_reading(gls_transport_t *t);

/* Queues one frame: 'header' then 'body', written back to back. Steals
 * 'body' (allocated with gls_xmalloc); 'header' is copied. Frames are
 * written in the order they were queued. */
void gls_transport_write(gls_transport_t *t, const char *header, size_t header_len, char *body,
                         size_t body_len);

/* Closes the handles once every queued frame is written (or has failed);
 * 'on_closed' runs when they are all closed. */
void gls_transport_close(gls_transport_t *t);

#endif

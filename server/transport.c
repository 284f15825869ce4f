/* transport.c: stdin/stdout on libuv, with a write queue of whole frames. */
#include "gls/transport.h"

#include <stdlib.h>
#include <string.h>

#include "gls/log.h"
#include "gls/util.h"

#define READ_CHUNK 65536

/* One queued frame. For streams the uv_write_t is used; for files the frame
 * waits in the transport's own queue and is written with uv_fs_write. */
typedef struct gls_write_req {
    union {
        uv_write_t write;
        uv_fs_t fs;
    } req;
    gls_transport_t *t;
    struct gls_write_req *next;
    uv_buf_t bufs[2];
    size_t done; /* bytes already written to a file */
    char header[64];
    char *body;
} gls_write_req_t;

static gls_io_kind_t kind_of(uv_handle_type type)
{
    return (type == UV_NAMED_PIPE || type == UV_TTY || type == UV_TCP) ? GLS_IO_STREAM
                                                                       : GLS_IO_FILE;
}

/* Opens 'fd' as the right stream handle inside 'h'. */
static int open_stream(uv_loop_t *loop, int fd, void *h, int readable)
{
    int rc;
    switch (uv_guess_handle(fd)) {
    case UV_TTY:
        return uv_tty_init(loop, (uv_tty_t *)h, fd, readable);
    case UV_TCP:
        rc = uv_tcp_init(loop, (uv_tcp_t *)h);
        if (rc)
            return rc;
        rc = uv_tcp_open((uv_tcp_t *)h, fd);
        if (rc)
            uv_close((uv_handle_t *)h, NULL);
        return rc;
    default:
        rc = uv_pipe_init(loop, (uv_pipe_t *)h, 0);
        if (rc)
            return rc;
        rc = uv_pipe_open((uv_pipe_t *)h, fd);
        if (rc)
            uv_close((uv_handle_t *)h, NULL);
        return rc;
    }
}

int gls_transport_init(gls_transport_t *t, uv_loop_t *loop, int in_fd, int out_fd)
{
    memset(t, 0, sizeof *t);
    t->loop = loop;
    t->in_fd = in_fd;
    t->out_fd = out_fd;
    t->file_offset = -1;
    t->in_kind = kind_of(uv_guess_handle(in_fd));
    t->out_kind = kind_of(uv_guess_handle(out_fd));
    if (t->in_kind == GLS_IO_STREAM) {
        int rc = open_stream(loop, in_fd, &t->in, 1);
        if (rc) {
            /* A pipe libuv cannot poll (rare): fall back to blocking reads in the pool. */
            t->in_kind = GLS_IO_FILE;
        } else {
            t->in_open = 1;
            t->handles_open++;
        }
    }
    if (t->out_kind == GLS_IO_STREAM) {
        int rc = open_stream(loop, out_fd, &t->out, 0);
        if (rc) {
            t->out_kind = GLS_IO_FILE;
        } else {
            t->out_open = 1;
            t->handles_open++;
        }
    }
    return 0;
}

static void handle_closed_cb(uv_handle_t *h)
{
    gls_transport_t *t = h->data;
    if (--t->handles_open == 0 && t->on_closed)
        t->on_closed(t);
}

static void maybe_finish_close(gls_transport_t *t)
{
    if (!t->drain_then_close || t->pending_writes > 0 || t->file_writing)
        return;
    if (t->reading && t->in_kind == GLS_IO_FILE)
        return; /* a file read is in flight; its callback comes back here */
    t->drain_then_close = 0;
    t->closing = 1;
    int closed_any = 0;
    if (t->in_open) {
        t->in_open = 0;
        ((uv_handle_t *)&t->in)->data = t;
        uv_close((uv_handle_t *)&t->in, handle_closed_cb);
        closed_any = 1;
    }
    if (t->out_open) {
        t->out_open = 0;
        ((uv_handle_t *)&t->out)->data = t;
        uv_close((uv_handle_t *)&t->out, handle_closed_cb);
        closed_any = 1;
    }
    if (!closed_any && t->handles_open == 0 && t->on_closed)
        t->on_closed(t);
}

/* ---- input ---- */

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    static char chunk[READ_CHUNK]; /* one loop, one reader: a static buffer is enough */
    buf->base = chunk;
    buf->len = sizeof chunk;
}

static void stream_read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    gls_transport_t *t = s->data;
    if (nread > 0) {
        t->on_read(t, buf->base, (size_t)nread);
        return;
    }
    if (nread == 0)
        return; /* EAGAIN */
    uv_read_stop(s);
    t->reading = 0;
    t->in_eof = 1;
    if (t->on_eof)
        t->on_eof(t, nread == UV_EOF ? 0 : (int)nread);
}

static void file_read_next(gls_transport_t *t);

static void file_read_cb(uv_fs_t *req)
{
    gls_transport_t *t = req->data;
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);
    if (!t->reading || t->closing) {
        t->reading = 0;
        maybe_finish_close(t);
        return;
    }
    if (n > 0) {
        t->on_read(t, t->in_buf, (size_t)n);
        if (t->reading)
            file_read_next(t);
        else
            maybe_finish_close(t);
        return;
    }
    t->reading = 0;
    t->in_eof = 1;
    if (t->on_eof)
        t->on_eof(t, n == 0 ? 0 : (int)n);
    maybe_finish_close(t);
}

static void file_read_next(gls_transport_t *t)
{
    uv_buf_t b = uv_buf_init(t->in_buf, READ_CHUNK);
    t->in_req.data = t;
    int rc = uv_fs_read(t->loop, &t->in_req, t->in_fd, &b, 1, -1, file_read_cb);
    if (rc) {
        t->reading = 0;
        t->in_eof = 1;
        if (t->on_eof)
            t->on_eof(t, rc);
    }
}

int gls_transport_start(gls_transport_t *t)
{
    t->reading = 1;
    if (t->in_kind == GLS_IO_STREAM) {
        ((uv_handle_t *)&t->in)->data = t;
        int rc = uv_read_start((uv_stream_t *)&t->in, alloc_cb, stream_read_cb);
        if (rc)
            t->reading = 0;
        return rc;
    }
    if (!t->in_buf)
        t->in_buf = gls_xmalloc(READ_CHUNK);
    file_read_next(t);
    return 0;
}

void gls_transport_stop_reading(gls_transport_t *t)
{
    if (!t->reading)
        return;
    if (t->in_kind == GLS_IO_STREAM) {
        uv_read_stop((uv_stream_t *)&t->in);
        t->reading = 0;
    } else {
        /* The in-flight read completes in the pool; its callback sees the flag. */
        t->reading = 0;
        t->in_eof = 1;
    }
}

/* ---- output ---- */

static void write_done(gls_transport_t *t, gls_write_req_t *w, int status)
{
    t->pending_writes--;
    t->pending_bytes -= w->bufs[0].len + w->bufs[1].len;
    free(w->body);
    free(w);
    if (status < 0 && !t->out_failed) {
        t->out_failed = 1;
        gls_log_error("writing to the client failed: %s", uv_strerror(status));
        if (t->on_write_error)
            t->on_write_error(t, status);
    }
    maybe_finish_close(t);
}

static void stream_write_cb(uv_write_t *req, int status)
{
    gls_write_req_t *w = (gls_write_req_t *)req;
    write_done(w->t, w, status);
}

static void file_write_next(gls_transport_t *t);

static void file_write_cb(uv_fs_t *req)
{
    gls_write_req_t *w = (gls_write_req_t *)req;
    gls_transport_t *t = w->t;
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);
    t->file_writing = 0;
    if (n < 0) {
        t->file_head = w->next;
        if (!t->file_head)
            t->file_tail = NULL;
        write_done(t, w, (int)n);
        file_write_next(t);
        return;
    }
    w->done += (size_t)n;
    size_t total = w->bufs[0].len + w->bufs[1].len;
    if (w->done >= total) {
        t->file_head = w->next;
        if (!t->file_head)
            t->file_tail = NULL;
        write_done(t, w, 0);
    }
    file_write_next(t);
}

static void file_write_next(gls_transport_t *t)
{
    gls_write_req_t *w = t->file_head;
    if (!w || t->file_writing)
        return;
    if (t->out_failed) {
        /* Drop the rest: the client is gone. */
        while ((w = t->file_head)) {
            t->file_head = w->next;
            write_done(t, w, 0);
        }
        t->file_tail = NULL;
        return;
    }
    /* Resume a partial write where it stopped. */
    uv_buf_t bufs[2];
    unsigned nbufs = 0;
    size_t skip = w->done;
    for (int i = 0; i < 2; i++) {
        if (skip >= w->bufs[i].len) {
            skip -= w->bufs[i].len;
            continue;
        }
        bufs[nbufs++] = uv_buf_init(w->bufs[i].base + skip, (unsigned)(w->bufs[i].len - skip));
        skip = 0;
    }
    t->file_writing = 1;
    int rc = uv_fs_write(t->loop, &w->req.fs, t->out_fd, bufs, nbufs, -1, file_write_cb);
    if (rc) {
        t->file_writing = 0;
        t->file_head = w->next;
        if (!t->file_head)
            t->file_tail = NULL;
        write_done(t, w, rc);
    }
}

void gls_transport_write(gls_transport_t *t, const char *header, size_t header_len, char *body,
                         size_t body_len)
{
    if (t->out_failed || t->closing || header_len >= sizeof(((gls_write_req_t *)0)->header)) {
        free(body);
        return;
    }
    gls_write_req_t *w = gls_xcalloc(1, sizeof *w);
    w->t = t;
    memcpy(w->header, header, header_len);
    w->body = body;
    w->bufs[0] = uv_buf_init(w->header, (unsigned)header_len);
    w->bufs[1] = uv_buf_init(body, (unsigned)body_len);
    t->pending_writes++;
    t->pending_bytes += header_len + body_len;
    if (t->out_kind == GLS_IO_STREAM) {
        /* libuv keeps stream writes in order and writes each request's buffers
         * completely before the next one, so frames never interleave. */
        int rc = uv_write(&w->req.write, (uv_stream_t *)&t->out, w->bufs, 2, stream_write_cb);
        if (rc)
            write_done(t, w, rc);
        return;
    }
    if (t->file_tail)
        t->file_tail->next = w;
    else
        t->file_head = w;
    t->file_tail = w;
    file_write_next(t);
}

void gls_transport_close(gls_transport_t *t)
{
    if (t->closing || t->drain_then_close)
        return;
    gls_transport_stop_reading(t);
    t->drain_then_close = 1;
    maybe_finish_close(t);
}

/* framing.c: the base-protocol state machine, bytes in, message bodies out. */
#include "gls/framing.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void gls_framer_init(gls_framer_t *f, size_t max_message, gls_framer_message_cb on_message,
                     gls_framer_error_cb on_error, void *ud)
{
    memset(f, 0, sizeof *f);
    f->state = GLS_FRAMER_HEADER;
    gls_buf_init(&f->line);
    gls_buf_init(&f->body);
    f->content_length = -1;
    f->max_message = max_message ? max_message : GLS_FRAMING_DEFAULT_MAX_MESSAGE;
    f->on_message = on_message;
    f->on_error = on_error;
    f->ud = ud;
}

void gls_framer_close(gls_framer_t *f)
{
    gls_buf_close(&f->line);
    gls_buf_close(&f->body);
}

static void report(gls_framer_t *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(gls_framer_t *f, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    f->errors++;
    if (f->on_error)
        f->on_error(f->ud, msg);
}

static void start_header_block(gls_framer_t *f)
{
    f->state = GLS_FRAMER_HEADER;
    f->content_length = -1;
    f->header_error = 0;
    f->header_lines = 0;
    gls_buf_clear(&f->line);
}

/* Parses a decimal Content-Length value; -1 when it is not a plain
 * non-negative integer. */
static long long parse_length(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n > 18)
        return -1;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static void printable_prefix(const char *s, size_t n, char *out, size_t outsz)
{
    size_t j = 0;
    for (size_t i = 0; i < n && j + 5 < outsz; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) {
            out[j++] = (char)c;
        } else {
            j += (size_t)snprintf(out + j, outsz - j, "\\x%02x", c);
        }
    }
    if (n > 0 && j + 5 >= outsz && j >= 3)
        memcpy(out + j - 3, "...", 3);
    out[j] = '\0';
}

/* Bytes kept from the end of an over-long line: enough to find a
 * Content-Length header glued to the end of garbage. */
#define LONG_LINE_TAIL 64

/* Offset of the last case-insensitive "Content-Length" in 's', or -1. */
static long find_content_length(const char *s, size_t n)
{
    static const char name[] = "content-length";
    size_t k = sizeof name - 1;
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (strncasecmp(s + i, name, k) == 0)
            return (long)i;
    return -1;
}

/* Where a header line should be read from: 0, or the offset of a
 * Content-Length header when the line is not a known header but holds one
 * further on. That is garbage glued to the next message's header, most often
 * the body of a discarded message, which has no line end of its own. */
static size_t resync_point(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    size_t name_len = colon ? (size_t)(colon - s) : n;
    while (name_len && (s[name_len - 1] == ' ' || s[name_len - 1] == '\t'))
        name_len--;
    if ((name_len == 14 && strncasecmp(s, "Content-Length", 14) == 0) ||
        (name_len == 12 && strncasecmp(s, "Content-Type", 12) == 0))
        return 0;
    long k = find_content_length(s, n);
    return k > 0 ? (size_t)k : 0;
}

/* Handles one complete header line (without its terminator). An empty line
 * ends the header block. */
static void header_line(gls_framer_t *f, const char *s, size_t n)
{
    if (n == 0) {
        if (f->header_lines == 0)
            return; /* stray blank line between messages: harmless */
        if (f->content_length < 0) {
            if (!f->header_error)
                report(f, "header block without a valid Content-Length; message discarded");
            start_header_block(f);
            return;
        }
        size_t len = (size_t)f->content_length;
        gls_buf_clear(&f->body);
        if (len > f->max_message) {
            report(f, "message of %zu bytes exceeds the limit of %zu bytes; discarded", len,
                   f->max_message);
            f->state = GLS_FRAMER_SKIP;
            f->want = len;
        } else if (len == 0) {
            f->messages++;
            f->on_message(f->ud, "", 0);
            start_header_block(f);
        } else {
            f->state = GLS_FRAMER_BODY;
            f->want = len;
        }
        return;
    }
    f->header_lines++;
    size_t skip = resync_point(s, n);
    if (skip) {
        char shown[80];
        printable_prefix(s, skip, shown, sizeof shown);
        report(f, "garbage before a Content-Length header skipped: \"%s\"", shown);
        s += skip;
        n -= skip;
    }
    const char *colon = memchr(s, ':', n);
    if (!colon) {
        char shown[80];
        printable_prefix(s, n, shown, sizeof shown);
        report(f, "malformed header line ignored: \"%s\"", shown);
        return;
    }
    size_t name_len = (size_t)(colon - s);
    const char *value = colon + 1;
    size_t value_len = n - name_len - 1;
    while (name_len && (s[name_len - 1] == ' ' || s[name_len - 1] == '\t'))
        name_len--;
    if (name_len == 14 && strncasecmp(s, "Content-Length", 14) == 0) {
        long long v = parse_length(value, value_len);
        if (v < 0) {
            char shown[80];
            printable_prefix(value, value_len, shown, sizeof shown);
            report(f, "invalid Content-Length \"%s\"; message discarded", shown);
            f->header_error = 1;
            f->content_length = -1;
        } else if (f->content_length >= 0 && f->content_length != v) {
            report(f, "conflicting Content-Length headers; message discarded");
            f->header_error = 1;
            f->content_length = -1;
        } else if (!f->header_error) {
            f->content_length = v;
        }
    } else if (name_len == 12 && strncasecmp(s, "Content-Type", 12) == 0) {
        /* The only charset the protocol defines is utf-8 ('utf8' is accepted
         * for backwards compatibility). Anything else is logged, and the
         * body is still read as UTF-8 since that is what clients send. */
        char v[128];
        printable_prefix(value, value_len < 120 ? value_len : 120, v, sizeof v);
        const char *cs = strcasestr(v, "charset=");
        if (cs && strncasecmp(cs + 8, "utf-8", 5) != 0 && strncasecmp(cs + 8, "utf8", 4) != 0)
            report(f, "unsupported charset in Content-Type \"%s\"; reading as utf-8", v);
    }
    /* Other headers are allowed by the base protocol and ignored. */
}

void gls_framer_feed(gls_framer_t *f, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    while (p < end) {
        switch (f->state) {
        case GLS_FRAMER_HEADER: {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t take = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (f->line.len + take > GLS_FRAMING_MAX_HEADER_LINE) {
                /* Ignored like any malformed line: a valid Content-Length
                 * in the same block still counts. */
                report(f, "header line longer than %d bytes discarded",
                       GLS_FRAMING_MAX_HEADER_LINE);
                f->header_lines++;
                f->state = GLS_FRAMER_LONG_LINE;
                break;
            }
            gls_buf_append(&f->line, p, take);
            p += take;
            if (!nl)
                break;
            p++; /* the '\n' */
            size_t n = f->line.len;
            if (n && f->line.data[n - 1] == '\r')
                n--;
            /* header_line() only clears the buffer (never frees it), and only
             * after it has finished reading the line. */
            char *copy = f->line.data;
            header_line(f, copy ? copy : "", n);
            gls_buf_clear(&f->line);
            break;
        }
        case GLS_FRAMER_LONG_LINE: {
            /* Only the tail of the line is kept, in 'line'. */
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t take = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (take >= LONG_LINE_TAIL) {
                gls_buf_clear(&f->line);
                gls_buf_append(&f->line, p + take - LONG_LINE_TAIL, LONG_LINE_TAIL);
            } else {
                gls_buf_append(&f->line, p, take);
                if (f->line.len > LONG_LINE_TAIL)
                    gls_buf_consume(&f->line, f->line.len - LONG_LINE_TAIL);
            }
            p += take;
            if (!nl)
                break;
            p++; /* the '\n' */
            f->state = GLS_FRAMER_HEADER;
            size_t n = f->line.len;
            if (n && f->line.data[n - 1] == '\r')
                n--;
            long k = f->line.data ? find_content_length(f->line.data, n) : -1;
            if (k >= 0)
                header_line(f, f->line.data + k, n - (size_t)k);
            gls_buf_clear(&f->line);
            break;
        }
        case GLS_FRAMER_BODY: {
            size_t avail = (size_t)(end - p);
            if (f->body.len == 0 && avail >= f->want) {
                /* The whole body is in this chunk: hand it over without copying. */
                size_t n = f->want;
                const char *b = p;
                p += n;
                start_header_block(f);
                f->messages++;
                f->on_message(f->ud, b, n);
                break;
            }
            size_t take = avail < f->want ? avail : f->want;
            gls_buf_append(&f->body, p, take);
            p += take;
            f->want -= take;
            if (f->want == 0) {
                start_header_block(f);
                f->messages++;
                f->on_message(f->ud, f->body.data, f->body.len);
                /* Large bodies should not pin their memory until the next one. */
                if (f->body.cap > (1u << 20))
                    gls_buf_close(&f->body);
                else
                    gls_buf_clear(&f->body);
            }
            break;
        }
        case GLS_FRAMER_SKIP: {
            size_t avail = (size_t)(end - p);
            size_t take = avail < f->want ? avail : f->want;
            p += take;
            f->want -= take;
            if (f->want == 0)
                start_header_block(f);
            break;
        }
        }
    }
}

int gls_framer_has_partial(const gls_framer_t *f)
{
    return f->state != GLS_FRAMER_HEADER || f->line.len > 0 || f->header_lines > 0;
}

size_t gls_framing_header(char *out, size_t len)
{
    return (size_t)sprintf(out, "Content-Length: %zu\r\n\r\n", len);
}

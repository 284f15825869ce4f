/* test_framing.c: the base-protocol framer, fed whole streams, random splits and broken input. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/framing.h"
#include "gls/util.h"

#include "rng.h"

/* What the framer handed out: every body and every error message, in order. */
typedef struct sink {
    char **bodies;
    size_t *lens;
    size_t n, cap;
    char **errors;
    size_t nerr, errcap;
} sink_t;

static void on_message(void *ud, const char *body, size_t len)
{
    sink_t *s = ud;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->bodies = gls_xrealloc(s->bodies, s->cap * sizeof *s->bodies);
        s->lens = gls_xrealloc(s->lens, s->cap * sizeof *s->lens);
    }
    s->bodies[s->n] = gls_xstrndup(body, len);
    s->lens[s->n] = len;
    s->n++;
}

static void on_error(void *ud, const char *message)
{
    sink_t *s = ud;
    cr_assert_not_null(message);
    if (s->nerr == s->errcap) {
        s->errcap = s->errcap ? s->errcap * 2 : 16;
        s->errors = gls_xrealloc(s->errors, s->errcap * sizeof *s->errors);
    }
    s->errors[s->nerr++] = gls_xstrdup(message);
}

static void sink_close(sink_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->bodies[i]);
    for (size_t i = 0; i < s->nerr; i++)
        free(s->errors[i]);
    free(s->bodies);
    free(s->lens);
    free(s->errors);
    memset(s, 0, sizeof *s);
}

/* A framer wired to a sink, with a message cap ('max' 0: the default). */
typedef struct fixture {
    gls_framer_t f;
    sink_t s;
} fixture_t;

static void fx_init(fixture_t *fx, size_t max)
{
    memset(&fx->s, 0, sizeof fx->s);
    gls_framer_init(&fx->f, max, on_message, on_error, &fx->s);
}

static void fx_close(fixture_t *fx)
{
    gls_framer_close(&fx->f);
    sink_close(&fx->s);
}

static void feed_str(fixture_t *fx, const char *s)
{
    gls_framer_feed(&fx->f, s, strlen(s));
}

/* Feeds 'len' bytes one at a time. */
static void feed_bytes(fixture_t *fx, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        gls_framer_feed(&fx->f, s + i, 1);
}

static void assert_bodies(const sink_t *s, const char *const *want, size_t n)
{
    cr_assert_eq(s->n, n, "got %zu bodies, want %zu", s->n, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(s->lens[i], strlen(want[i]), "body %zu: length %zu, want %zu", i,
                     s->lens[i], strlen(want[i]));
        cr_assert_eq(memcmp(s->bodies[i], want[i], s->lens[i]), 0, "body %zu: \"%s\", want \"%s\"",
                     i, s->bodies[i], want[i]);
    }
}

/* True when some error message contains 'needle'. */
static int has_error(const sink_t *s, const char *needle)
{
    for (size_t i = 0; i < s->nerr; i++)
        if (strstr(s->errors[i], needle))
            return 1;
    return 0;
}


/* Random streams. */

typedef struct stream {
    gls_buf_t bytes;   /* the whole stream */
    gls_buf_t *bodies; /* the bodies, in order */
    size_t n;
} stream_t;

static const char *const body_pieces[] = {
    "{\"jsonrpc\":\"2.0\"}",
    "\r\n\r\n",
    "Content-Length: 12\r\n\r\n",
    "content-length: 999999\n\n",
    "\xc3\xa9",         /* é */
    "\xe6\xbc\xa2\xe5\xad\x97", /* 漢字 */
    "\xf0\x9f\x98\x80", /* 😀 */
    "\n",
    "\r",
    ":",
    "x",
    "0123456789",
};

/* Header blocks around the length: what comes before it, and after it. */
static const struct {
    const char *pre, *post;
} header_styles[] = {
    {"Content-Length: ", "\r\n\r\n"},
    {"content-length: ", "\r\n\r\n"},
    {"CONTENT-LENGTH:", "\r\n\r\n"},
    {"Content-Length:   ", "  \r\n\r\n"},
    {"Content-Length: ", "\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"},
    {"Content-Type: application/vscode-jsonrpc; charset=utf8\r\nContent-Length: ", "\r\n\r\n"},
    {"Content-Length: ", "\n\n"},
    {"X-Extra: ignored\r\nContent-Length: ", "\r\n\r\n"},
    {"\r\nContent-Length: ", "\r\n\r\n"}, /* a stray blank line between messages */
};

static void stream_make(stream_t *st, uint64_t seed, size_t n)
{
    uint64_t r = seed;
    gls_buf_init(&st->bytes);
    st->bodies = gls_xcalloc(n, sizeof *st->bodies);
    st->n = n;
    for (size_t i = 0; i < n; i++) {
        gls_buf_t *b = &st->bodies[i];
        gls_buf_init(b);
        /* One body in eight is empty; the others draw up to 30 pieces. */
        size_t pieces = rng_below(&r, 8) == 0 ? 0 : rng_below(&r, 30) + 1;
        for (size_t k = 0; k < pieces; k++)
            gls_buf_puts(b, body_pieces[rng_below(&r, GLS_ARRAY_LEN(body_pieces))]);
        size_t k = rng_below(&r, GLS_ARRAY_LEN(header_styles));
        gls_buf_printf(&st->bytes, "%s%zu%s", header_styles[k].pre, b->len,
                       header_styles[k].post);
        gls_buf_append(&st->bytes, b->data, b->len);
    }
}

static void stream_free(stream_t *st)
{
    for (size_t i = 0; i < st->n; i++)
        gls_buf_close(&st->bodies[i]);
    free(st->bodies);
    gls_buf_close(&st->bytes);
}

static void assert_stream(const sink_t *s, const stream_t *st)
{
    cr_assert_eq(s->nerr, 0, "unexpected framing error: %s", s->nerr ? s->errors[0] : "");
    cr_assert_eq(s->n, st->n, "got %zu bodies, want %zu", s->n, st->n);
    for (size_t i = 0; i < st->n; i++) {
        cr_assert_eq(s->lens[i], st->bodies[i].len, "body %zu: length %zu, want %zu", i,
                     s->lens[i], st->bodies[i].len);
        cr_assert_eq(memcmp(s->bodies[i], st->bodies[i].data ? st->bodies[i].data : "",
                            s->lens[i]),
                     0, "body %zu differs", i);
    }
}

Test(framing, random_stream_in_one_feed)
{
    stream_t st;
    stream_make(&st, 1, 200);
    fixture_t fx;
    fx_init(&fx, 0);
    gls_framer_feed(&fx.f, st.bytes.data, st.bytes.len);
    assert_stream(&fx.s, &st);
    cr_assert_eq(fx.f.messages, 200);
    cr_assert_eq(fx.f.errors, 0);
    cr_assert_not(gls_framer_has_partial(&fx.f));
    fx_close(&fx);
    stream_free(&st);
}

Test(framing, random_stream_one_byte_at_a_time)
{
    stream_t st;
    stream_make(&st, 2, 200);
    fixture_t fx;
    fx_init(&fx, 0);
    feed_bytes(&fx, st.bytes.data, st.bytes.len);
    assert_stream(&fx.s, &st);
    cr_assert_not(gls_framer_has_partial(&fx.f));
    fx_close(&fx);
    stream_free(&st);
}

Test(framing, random_stream_random_splits)
{
    for (uint64_t seed = 10; seed < 30; seed++) {
        stream_t st;
        stream_make(&st, seed, 200);
        fixture_t fx;
        fx_init(&fx, 0);
        uint64_t r = seed * 7919;
        size_t off = 0;
        while (off < st.bytes.len) {
            /* Mostly small chunks, sometimes a large one spanning messages. */
            size_t max = rng_below(&r, 4) == 0 ? 2000 : 40;
            size_t n = rng_below(&r, max) + 1;
            if (n > st.bytes.len - off)
                n = st.bytes.len - off;
            gls_framer_feed(&fx.f, st.bytes.data + off, n);
            off += n;
        }
        assert_stream(&fx.s, &st);
        cr_assert_not(gls_framer_has_partial(&fx.f));
        fx_close(&fx);
        stream_free(&st);
    }
}

/* Junk a broken client could put between messages. None of it holds a
 * Content-Length the framer could take for the next message's. */
static const char *const junk_pieces[] = {
    "junk",
    "junk\r\n",
    "junk line\r\n\r\n",
    "{\"jsonrpc\":\"2.0\",\"id\":1}",
    "\xff\xfe\xc3",
    "Content-Length: abc\r\n\r\n{\"lost\":true}",
    "Content-Length: -1\r\n\r\nlost\r\n",
    "Content-Type: application/vscode-jsonrpc\r\n\r\n{\"no\":\"length\"}",
    "Content-Length: 1\r\nContent-Length: 2\r\n\r\nxy",
};

Test(framing, random_stream_with_junk_between_messages)
{
    for (uint64_t seed = 100; seed < 110; seed++) {
        stream_t st;
        stream_make(&st, seed, 200);
        /* Rebuild the byte stream with junk before one message in three. */
        gls_buf_t bytes;
        gls_buf_init(&bytes);
        uint64_t r = seed;
        size_t junk = 0;
        for (size_t i = 0; i < st.n; i++) {
            if (rng_below(&r, 3) == 0) {
                gls_buf_puts(&bytes, junk_pieces[rng_below(&r, GLS_ARRAY_LEN(junk_pieces))]);
                junk++;
            }
            size_t k = rng_below(&r, GLS_ARRAY_LEN(header_styles));
            gls_buf_printf(&bytes, "%s%zu%s", header_styles[k].pre, st.bodies[i].len,
                           header_styles[k].post);
            gls_buf_append(&bytes, st.bodies[i].data, st.bodies[i].len);
        }
        for (int bytewise = 0; bytewise < 2; bytewise++) {
            fixture_t fx;
            fx_init(&fx, 0);
            if (bytewise)
                feed_bytes(&fx, bytes.data, bytes.len);
            else
                gls_framer_feed(&fx.f, bytes.data, bytes.len);
            cr_assert_eq(fx.s.n, st.n, "seed %llu: got %zu bodies, want %zu",
                         (unsigned long long)seed, fx.s.n, st.n);
            for (size_t i = 0; i < st.n; i++) {
                cr_assert_eq(fx.s.lens[i], st.bodies[i].len, "seed %llu body %zu",
                             (unsigned long long)seed, i);
                cr_assert_eq(memcmp(fx.s.bodies[i], st.bodies[i].data ? st.bodies[i].data : "",
                                    fx.s.lens[i]),
                             0);
            }
            cr_assert_gt(junk, 0);
            cr_assert_gt(fx.s.nerr, 0);
            fx_close(&fx);
        }
        gls_buf_close(&bytes);
        stream_free(&st);
    }
}

Test(framing, every_split_point_of_two_messages)
{
    const char *stream = "Content-Length: 5\r\n\r\nhelloContent-Length: 0\r\n\r\n"
                         "Content-Length: 4\r\n\r\n\r\n\r\n";
    const char *want[] = {"hello", "", "\r\n\r\n"};
    size_t len = strlen(stream);
    for (size_t a = 0; a <= len; a++) {
        for (size_t b = a; b <= len; b++) {
            fixture_t fx;
            fx_init(&fx, 0);
            gls_framer_feed(&fx.f, stream, a);
            gls_framer_feed(&fx.f, stream + a, b - a);
            gls_framer_feed(&fx.f, stream + b, len - b);
            assert_bodies(&fx.s, want, 3);
            cr_assert_eq(fx.s.nerr, 0);
            fx_close(&fx);
        }
    }
}

Test(framing, many_small_messages_in_one_feed)
{
    gls_buf_t b;
    gls_buf_init(&b);
    for (int i = 0; i < 1000; i++) {
        char body[32];
        int n = snprintf(body, sizeof body, "{\"n\":%d}", i);
        gls_buf_printf(&b, "Content-Length: %d\r\n\r\n%s", n, body);
    }
    fixture_t fx;
    fx_init(&fx, 0);
    gls_framer_feed(&fx.f, b.data, b.len);
    cr_assert_eq(fx.s.n, 1000);
    for (int i = 0; i < 1000; i++) {
        char body[32];
        snprintf(body, sizeof body, "{\"n\":%d}", i);
        cr_assert_str_eq(fx.s.bodies[i], body);
    }
    cr_assert_eq(fx.s.nerr, 0);
    fx_close(&fx);
    gls_buf_close(&b);
}

/* Headers. */

Test(framing, content_type_charsets)
{
    fixture_t fx;
    fx_init(&fx, 0);
    feed_str(&fx, "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
                  "Content-Length: 1\r\n\r\na");
    feed_str(&fx, "Content-Length: 1\r\n"
                  "Content-Type: application/vscode-jsonrpc; charset=utf8\r\n\r\nb");
    feed_str(&fx, "Content-Length: 1\r\ncontent-type: application/vscode-jsonrpc; "
                  "CHARSET=UTF-8\r\n\r\nc");
    feed_str(&fx, "Content-Length: 1\r\nContent-Type: application/vscode-jsonrpc\r\n\r\nd");
    cr_assert_eq(fx.s.nerr, 0, "%s", fx.s.nerr ? fx.s.errors[0] : "");
    /* An unsupported charset is reported, and the body is still delivered. */
    feed_str(&fx, "Content-Length: 1\r\n"
                  "Content-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\ne");
    cr_assert_eq(fx.s.nerr, 1);
    cr_assert(has_error(&fx.s, "charset"), "%s", fx.s.errors[0]);
    cr_assert(has_error(&fx.s, "latin1"), "%s", fx.s.errors[0]);
    const char *want[] = {"a", "b", "c", "d", "e"};
    assert_bodies(&fx.s, want, 5);
    fx_close(&fx);
}

Test(framing, header_names_are_case_insensitive)
{
    fixture_t fx;
    fx_init(&fx, 0);
    feed_str(&fx, "content-length: 3\r\n\r\nabc");
    feed_str(&fx, "CONTENT-LENGTH: 3\r\n\r\ndef");
    feed_str(&fx, "CoNtEnT-lEnGtH:3\r\n\r\nghi");
    feed_str(&fx, "Content-Length \t: 3\r\n\r\njkl"); /* blanks before the colon */
    const char *want[] = {"abc", "def", "ghi", "jkl"};
    assert_bodies(&fx.s, want, 4);
    cr_assert_eq(fx.s.nerr, 0);
    fx_close(&fx);
}

Test(framing, bare_newline_line_endings)
{
    fixture_t fx;
    fx_init(&fx, 0);
    feed_str(&fx, "Content-Length: 5\n\nhello");
    feed_str(&fx, "Content-Type: application/vscode-jsonrpc; charset=utf-8\n"
                  "Content-Length: 2\r\n\nhi"); /* mixed endings in one block */
    feed_str(&fx, "Content-Length: 0\n\n");
    const char *want[] = {"hello", "hi", ""};
    assert_bodies(&fx.s, want, 3);
    cr_assert_eq(fx.s.nerr, 0);
    fx_close(&fx);
}

Test(framing, duplicate_equal_content_length_is_accepted)
{
    fixture_t fx;
    fx_init(&fx, 0);
    feed_str(&fx, "Content-Length: 2\r\ncontent-length: 2\r\n\r\nok");
    const char *want[] = {"ok"};
    assert_bodies(&fx.s, want, 1);
    cr_assert_eq(fx.s.nerr, 0);
    fx_close(&fx);
}

Test(framing, stray_blank_lines_between_messages)
{
    fixture_t fx;
    fx_init(&fx, 0);
    feed_str(&fx, "\r\n\r\n\n");
    cr_assert_not(gls_framer_has_partial(&fx.f));
    feed_str(&fx, "Content-Length: 1\r\n\r\na\r\n\r\nContent-Length: 1\r\n\r\nb");
    const char *want[] = {"a", "b"};
    assert_bodies(&fx.s, want, 2);
    cr_assert_eq(fx.s.nerr, 0);
    fx_close(&fx);
}

/* Broken input: each case reports, discards, and reads on. */

Test(framing, missing_content_length_discards_and_recovers)
{
    /* The discarded body has no line end, so the next header is glued to
     * it: the framer must still find that header. */
    const char *stream = "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
                         "{\"jsonrpc\":\"2.0\",\"method\":\"lost\"}"
                         "Content-Length: 5\r\n\r\nhello"
                         "Content-Length: 5\r\n\r\nworld";
    for (int bytewise = 0; bytewise < 2; bytewise++) {
        fixture_t fx;
        fx_init(&fx, 0);
        if (bytewise)
            feed_bytes(&fx, stream, strlen(stream));
        else
            feed_str(&fx, stream);
        const char *want[] = {"hello", "world"};
        assert_bodies(&fx.s, want, 2);
        cr_assert_geq(fx.s.nerr, 1);
        cr_assert(has_error(&fx.s, "Content-Length"), "%s", fx.s.errors[0]);
        cr_assert_eq(fx.f.errors, fx.s.nerr);
        cr_assert_not(gls_framer_has_partial(&fx.f));
        fx_close(&fx);
    }
}

/* Regression: the body of a discarded message was read as header lines and
 * swallowed the next message's Content-Length, and so on down the stream. */
Test(framing, bug_discarded_body_swallowed_the_next_header)
{
    fixture_t fx;
    fx_init(&fx, 0);
    feed_str(&fx, "Content-Length: x\r\n\r\n{}Content-Length: 1\r\n\r\na"
                  "Content-Length: 1\r\n\r\nb");
    const char *want[] = {"a", "b"};
    assert_bodies(&fx.s, want, 2);
    cr_assert_eq(fx.s.nerr, 2); /* the bad length, then the skipped "{}" */
    cr_assert(has_error(&fx.s, "\"{}\""), "%s", fx.s.errors[1]);
    fx_close(&fx);
}

Test(framing, missing_content_length_body_ending_in_newline)
{
    fixture_t fx;
    fx_init(&fx, 0);
    feed_str(&fx, "X-Only: header\r\n\r\n{\"a\":1}\r\nContent-Length: 2\r\n\r\nok");
    const char *want[] = {"ok"};
    assert_bodies(&fx.s, want, 1);
    cr_assert_geq(fx.s.nerr, 1);
    fx_close(&fx);
}

Test(framing, invalid_content_length_values)
{
    static const char *const bad[] = {
        "Content-Length: -5\r\n",
        "Content-Length: abc\r\n",
        "Content-Length: 5x\r\n",
        "Content-Length: 0x10\r\n",
        "Content-Length: 1e3\r\n",
        "Content-Length: +5\r\n",
        "Content-Length: \r\n",
        "Content-Length: 5 5\r\n",
        "Content-Length: 99999999999999999999999\r\n",
        "Content-Length: 18446744073709551621\r\n", /* 2^64 + 5: must not wrap to 5 */
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Content-Length: 6\r\nContent-Length: 5\r\n",
        "Content-Length: abc\r\nContent-Length: 5\r\n",
        "Content-Length: 5\r\nContent-Length: abc\r\n",
    };
    for (size_t i = 0; i < GLS_ARRAY_LEN(bad); i++) {
        for (int bytewise = 0; bytewise < 2; bytewise++) {
            gls_buf_t b;
            gls_buf_init(&b);
            gls_buf_printf(&b, "%s\r\nhello" "Content-Length: 5\r\n\r\nworld", bad[i]);
            fixture_t fx;
            fx_init(&fx, 0);
            if (bytewise)
                feed_bytes(&fx, b.data, b.len);
            else
                gls_framer_feed(&fx.f, b.data, b.len);
            cr_assert_eq(fx.s.n, 1, "case %zu: %zu bodies", i, fx.s.n);
            cr_assert_str_eq(fx.s.bodies[0], "world", "case %zu", i);
            cr_assert_geq(fx.s.nerr, 1, "case %zu: no error", i);
            cr_assert(has_error(&fx.s, "Content-Length"), "case %zu: %s", i, fx.s.errors[0]);
            cr_assert_not(gls_framer_has_partial(&fx.f), "case %zu", i);
            fx_close(&fx);
            gls_buf_close(&b);
        }
    }
}

Test(framing, conflicting_content_length_reported_once)
{
    fixture_t fx;
    fx_init(&fx, 0);
    feed_str(&fx, "Content-Length: 5\r\nContent-Length: 6\r\n\r\n\r\n");
    cr_assert_eq(fx.s.nerr, 1);
    cr_assert(has_error(&fx.s, "conflicting"), "%s", fx.s.errors[0]);
    cr_assert_eq(fx.s.n, 0);
    fx_close(&fx);
}

Test(framing, garbage_bytes_before_a_message)
{
    static const char *const garbage[] = {
        "garbage",
        "\x00\x01\xff\xfe",
        "{\"half\":",
        "junk: with a colon ",
        "Content-Lengt", /* a truncated header name */
        "\xe6\xbc\xa2\xf0\x9f\x98\x80",
    };
    for (size_t i = 0; i < GLS_ARRAY_LEN(garbage); i++) {
        for (int bytewise = 0; bytewise < 2; bytewise++) {
            gls_buf_t b;
            gls_buf_init(&b);
            gls_buf_append(&b, garbage[i], i == 1 ? 4 : strlen(garbage[i]));
            gls_buf_puts(&b, "Content-Length: 5\r\n\r\nhelloContent-Length: 3\r\n\r\nend");
            fixture_t fx;
            fx_init(&fx, 0);
            if (bytewise)
                feed_bytes(&fx, b.data, b.len);
            else
                gls_framer_feed(&fx.f, b.data, b.len);
            const char *want[] = {"hello", "end"};
            assert_bodies(&fx.s, want, 2);
            cr_assert_geq(fx.s.nerr, 1, "case %zu: garbage not reported", i);
            fx_close(&fx);
            gls_buf_close(&b);
        }
    }
}

Test(framing, garbage_lines_before_a_message)
{
    fixture_t fx;
    fx_init(&fx, 0);
    feed_str(&fx, "this is not a header\r\nnor this\nContent-Length: 5\r\n\r\nhello");
    feed_str(&fx, "junk line\r\n\r\nContent-Length: 2\r\n\r\nhi");
    const char *want[] = {"hello", "hi"};
    assert_bodies(&fx.s, want, 2);
    /* Three malformed lines, and one header block without a length. */
    cr_assert_eq(fx.s.nerr, 4);
    cr_assert(has_error(&fx.s, "this is not a header"));
    fx_close(&fx);
}

Test(framing, header_line_too_long)
{
    size_t n = GLS_FRAMING_MAX_HEADER_LINE + 100;
    gls_buf_t b;
    gls_buf_init(&b);
    gls_buf_puts(&b, "X-Long: ");
    for (size_t i = 0; i < n; i++)
        gls_buf_putc(&b, 'a');
    gls_buf_puts(&b, "\r\nContent-Length: 5\r\n\r\nhelloContent-Length: 5\r\n\r\nworld");
    for (int mode = 0; mode < 3; mode++) {
        fixture_t fx;
        fx_init(&fx, 0);
        if (mode == 0) {
            gls_framer_feed(&fx.f, b.data, b.len);
        } else if (mode == 1) {
            feed_bytes(&fx, b.data, b.len);
        } else {
            for (size_t off = 0; off < b.len; off += 100)
                gls_framer_feed(&fx.f, b.data + off, b.len - off < 100 ? b.len - off : 100);
        }
        /* The over-long line is reported and ignored like any other
         * malformed line; the Content-Length of its block still counts. */
        const char *want[] = {"hello", "world"};
        assert_bodies(&fx.s, want, 2);
        cr_assert_eq(fx.s.nerr, 1, "mode %d: %zu errors", mode, fx.s.nerr);
        cr_assert(has_error(&fx.s, "longer than"), "%s", fx.s.errors[0]);
        cr_assert_not(gls_framer_has_partial(&fx.f));
        fx_close(&fx);
    }
    gls_buf_close(&b);
}

/* Regression: a block with an over-long line was discarded when the line came
 * before Content-Length and delivered when it came after. */
Test(framing, bug_long_header_line_outcome_depended_on_order)
{
    /* The same header block with its lines in either order. */
    char *longline = gls_xmalloc(GLS_FRAMING_MAX_HEADER_LINE + 20);
    memset(longline, 'b', GLS_FRAMING_MAX_HEADER_LINE + 19);
    longline[GLS_FRAMING_MAX_HEADER_LINE + 19] = '\0';
    char *first = gls_xasprintf("X: %s\r\nContent-Length: 2\r\n\r\nhi", longline);
    char *second = gls_xasprintf("Content-Length: 2\r\nX: %s\r\n\r\nhi", longline);
    fixture_t a, b;
    fx_init(&a, 0);
    fx_init(&b, 0);
    feed_str(&a, first);
    feed_str(&b, second);
    cr_assert_eq(a.s.n, b.s.n, "%zu vs %zu bodies", a.s.n, b.s.n);
    cr_assert_eq(a.s.nerr, b.s.nerr);
    const char *want[] = {"hi"};
    assert_bodies(&a.s, want, 1);
    fx_close(&a);
    fx_close(&b);
    free(first);
    free(second);
    free(longline);
}

Test(framing, header_line_just_under_the_limit_is_read)
{
    size_t n = GLS_FRAMING_MAX_HEADER_LINE - 20;
    gls_buf_t b;
    gls_buf_init(&b);
    gls_buf_puts(&b, "X-Big: ");
    for (size_t i = 0; i < n; i++)
        gls_buf_putc(&b, 'z');
    gls_buf_puts(&b, "\r\nContent-Length: 2\r\n\r\nok");
    fixture_t fx;
    fx_init(&fx, 0);
    feed_bytes(&fx, b.data, b.len);
    const char *want[] = {"ok"};
    assert_bodies(&fx.s, want, 1);
    cr_assert_eq(fx.s.nerr, 0);
    fx_close(&fx);
    gls_buf_close(&b);
}

/* Regression: garbage longer than a header line swallowed the header glued
 * to its end. */
Test(framing, bug_long_garbage_swallowed_the_next_header)
{
    /* Garbage longer than a header line with no line end, directly
     * followed by a valid message (for instance a large discarded body). */
    gls_buf_t b;
    gls_buf_init(&b);
    for (size_t i = 0; i < 3 * GLS_FRAMING_MAX_HEADER_LINE; i++)
        gls_buf_putc(&b, (char)('a' + i % 26));
    gls_buf_puts(&b, "Content-Length: 5\r\n\r\nhello");
    for (int bytewise = 0; bytewise < 2; bytewise++) {
        fixture_t fx;
        fx_init(&fx, 0);
        if (bytewise)
            feed_bytes(&fx, b.data, b.len);
        else
            gls_framer_feed(&fx.f, b.data, b.len);
        const char *want[] = {"hello"};
        assert_bodies(&fx.s, want, 1);
        cr_assert_geq(fx.s.nerr, 1);
        fx_close(&fx);
    }
    gls_buf_close(&b);
}

/* The size cap. */

static char *repeat(char c, size_t n)
{
    char *s = gls_xmalloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

Test(framing, body_at_the_cap_is_delivered)
{
    fixture_t fx;
    fx_init(&fx, 100);
    char *body = repeat('q', 100);
    feed_str(&fx, "Content-Length: 100\r\n\r\n");
    feed_str(&fx, body);
    cr_assert_eq(fx.s.n, 1);
    cr_assert_str_eq(fx.s.bodies[0], body);
    cr_assert_eq(fx.s.nerr, 0);
    free(body);
    fx_close(&fx);
}

Test(framing, oversized_body_skipped_in_one_feed)
{
    fixture_t fx;
    fx_init(&fx, 100);
    char *big = repeat('x', 101);
    char *stream = gls_xasprintf("Content-Length: 101\r\n\r\n%sContent-Length: 4\r\n\r\nnext", big);
    feed_str(&fx, stream);
    const char *want[] = {"next"};
    assert_bodies(&fx.s, want, 1);
    cr_assert_eq(fx.s.nerr, 1);
    cr_assert(has_error(&fx.s, "101"), "%s", fx.s.errors[0]);
    cr_assert(has_error(&fx.s, "100"), "%s", fx.s.errors[0]);
    cr_assert_eq(fx.f.messages, 1);
    free(big);
    free(stream);
    fx_close(&fx);
}

Test(framing, oversized_body_skipped_in_small_chunks)
{
    for (size_t chunk = 1; chunk <= 7; chunk += 3) {
        fixture_t fx;
        fx_init(&fx, 64);
        char *big = repeat('y', 1000);
        char *stream = gls_xasprintf(
            "Content-Length: 1000\r\n\r\n%sContent-Length: 4\r\n\r\nnext", big);
        size_t len = strlen(stream);
        size_t header = strlen("Content-Length: 1000\r\n\r\n");
        for (size_t off = 0; off < len; off += chunk) {
            size_t n = len - off < chunk ? len - off : chunk;
            gls_framer_feed(&fx.f, stream + off, n);
            /* While the oversized body streams past, nothing is delivered and
             * the framer reports a partial message. */
            if (off + n > header && off + n < header + 1000) {
                cr_assert_eq(fx.s.n, 0);
                cr_assert(gls_framer_has_partial(&fx.f));
                cr_assert_eq(fx.f.state, GLS_FRAMER_SKIP);
            }
        }
        const char *want[] = {"next"};
        assert_bodies(&fx.s, want, 1);
        cr_assert_eq(fx.s.nerr, 1, "chunk %zu: %zu errors", chunk, fx.s.nerr);
        cr_assert_not(gls_framer_has_partial(&fx.f));
        free(big);
        free(stream);
        fx_close(&fx);
    }
}

Test(framing, default_cap)
{
    fixture_t fx;
    fx_init(&fx, 0);
    cr_assert_eq(fx.f.max_message, GLS_FRAMING_DEFAULT_MAX_MESSAGE);
    /* One byte over the default cap is refused from its header alone. */
    char *hdr = gls_xasprintf("Content-Length: %zu\r\n\r\n", GLS_FRAMING_DEFAULT_MAX_MESSAGE + 1);
    feed_str(&fx, hdr);
    cr_assert_eq(fx.s.nerr, 1);
    cr_assert_eq(fx.f.state, GLS_FRAMER_SKIP);
    cr_assert_eq(fx.f.want, GLS_FRAMING_DEFAULT_MAX_MESSAGE + 1);
    free(hdr);
    fx_close(&fx);
}

Test(framing, large_body_split_over_feeds_releases_its_buffer)
{
    size_t n = 3u << 20;
    char *big = repeat('L', n);
    fixture_t fx;
    fx_init(&fx, 0);
    char *hdr = gls_xasprintf("Content-Length: %zu\r\n\r\n", n);
    feed_str(&fx, hdr);
    gls_framer_feed(&fx.f, big, n / 2);
    cr_assert_eq(fx.s.n, 0);
    gls_framer_feed(&fx.f, big + n / 2, n - n / 2);
    cr_assert_eq(fx.s.n, 1);
    cr_assert_eq(fx.s.lens[0], n);
    cr_assert_eq(memcmp(fx.s.bodies[0], big, n), 0);
    cr_assert_eq(fx.f.body.cap, 0, "a body over 1 MiB must not stay pinned");
    feed_str(&fx, "Content-Length: 2\r\n\r\no");
    feed_str(&fx, "k");
    cr_assert_eq(fx.s.n, 2);
    cr_assert_str_eq(fx.s.bodies[1], "ok");
    free(hdr);
    free(big);
    fx_close(&fx);
}

/* Partial state and the header writer. */

Test(framing, has_partial)
{
    fixture_t fx;
    fx_init(&fx, 0);
    cr_assert_not(gls_framer_has_partial(&fx.f));
    feed_str(&fx, "Content-Len");
    cr_assert(gls_framer_has_partial(&fx.f)); /* part of a header line */
    feed_str(&fx, "gth: 3\r\n");
    cr_assert(gls_framer_has_partial(&fx.f)); /* a header line, no blank line yet */
    feed_str(&fx, "\r\n");
    cr_assert(gls_framer_has_partial(&fx.f)); /* waiting for the body */
    feed_str(&fx, "ab");
    cr_assert(gls_framer_has_partial(&fx.f)); /* part of the body */
    cr_assert_eq(fx.s.n, 0);
    feed_str(&fx, "c");
    cr_assert_not(gls_framer_has_partial(&fx.f));
    cr_assert_eq(fx.s.n, 1);
    cr_assert_str_eq(fx.s.bodies[0], "abc");
    feed_str(&fx, "\r\n");
    cr_assert_not(gls_framer_has_partial(&fx.f)); /* a stray blank line */
    feed_str(&fx, "Content-Length: 0\r\n\r\n");
    cr_assert_not(gls_framer_has_partial(&fx.f)); /* an empty body is complete */
    cr_assert_eq(fx.s.n, 2);
    cr_assert_eq(fx.s.lens[1], 0);
    fx_close(&fx);
}

Test(framing, has_partial_inside_a_long_line)
{
    fixture_t fx;
    fx_init(&fx, 0);
    char *junk = repeat('j', GLS_FRAMING_MAX_HEADER_LINE + 1);
    feed_str(&fx, junk);
    cr_assert(gls_framer_has_partial(&fx.f));
    cr_assert_eq(fx.s.nerr, 1);
    feed_str(&fx, "\r\n\r\n");
    cr_assert_not(gls_framer_has_partial(&fx.f));
    free(junk);
    fx_close(&fx);
}

Test(framing, header_writer)
{
    char out[64];
    cr_assert_eq(gls_framing_header(out, 0), strlen("Content-Length: 0\r\n\r\n"));
    cr_assert_str_eq(out, "Content-Length: 0\r\n\r\n");
    cr_assert_eq(gls_framing_header(out, 5), 21);
    cr_assert_str_eq(out, "Content-Length: 5\r\n\r\n");
    size_t n = gls_framing_header(out, 123456789);
    cr_assert_str_eq(out, "Content-Length: 123456789\r\n\r\n");
    cr_assert_eq(n, strlen(out));
    n = gls_framing_header(out, (size_t)-1);
    cr_assert_eq(n, strlen(out));
    cr_assert_leq(n, 40);
}

Test(framing, header_writer_round_trip)
{
    const char *bodies[] = {"", "x", "{\"a\":\"\xf0\x9f\x98\x80\"}", "Content-Length: 3\r\n\r\n"};
    fixture_t fx;
    fx_init(&fx, 0);
    for (size_t i = 0; i < GLS_ARRAY_LEN(bodies); i++) {
        char hdr[64];
        size_t n = gls_framing_header(hdr, strlen(bodies[i]));
        gls_framer_feed(&fx.f, hdr, n);
        feed_str(&fx, bodies[i]);
    }
    assert_bodies(&fx.s, bodies, GLS_ARRAY_LEN(bodies));
    cr_assert_eq(fx.s.nerr, 0);
    fx_close(&fx);
}

Test(framing, no_error_callback_still_counts)
{
    sink_t s;
    memset(&s, 0, sizeof s);
    gls_framer_t f;
    gls_framer_init(&f, 0, on_message, NULL, &s);
    const char *in = "bad line\r\n\r\nContent-Length: 1\r\n\r\nz";
    gls_framer_feed(&f, in, strlen(in));
    cr_assert_eq(f.errors, 2);
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.bodies[0], "z");
    gls_framer_close(&f);
    sink_close(&s);
}

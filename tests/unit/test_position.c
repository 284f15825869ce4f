/* test_position.c: UTF-8 decoding, line tables, and offset <-> position conversion. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gls/position.h"

static const gls_encoding_t all_encodings[] = {GLS_ENCODING_UTF8, GLS_ENCODING_UTF16,
                                               GLS_ENCODING_UTF32};

/* 'gls_utf8_decode'. */

typedef struct decode_case {
    const char *bytes;
    size_t len;       /* bytes available to the decoder */
    uint32_t cp;      /* expected code point */
    size_t consumed;  /* expected length */
} decode_case_t;

static void check_decode(const decode_case_t *c, size_t i)
{
    uint32_t cp = 0x12345678;
    size_t n = gls_utf8_decode((const unsigned char *)c->bytes, c->len, &cp);
    cr_assert_eq(n, c->consumed, "case %zu: consumed %zu, want %zu", i, n, c->consumed);
    cr_assert_eq(cp, c->cp, "case %zu: U+%04X, want U+%04X", i, (unsigned)cp, (unsigned)c->cp);
}

Test(position, decode_valid_sequences)
{
    static const decode_case_t cases[] = {
        {"\x00", 1, 0x00, 1},
        {"A", 1, 0x41, 1},
        {"\x7f", 1, 0x7f, 1},
        {"\xc2\x80", 2, 0x80, 2},
        {"\xc3\xa9", 2, 0xe9, 2},                   /* é */
        {"\xdf\xbf", 2, 0x7ff, 2},
        {"\xe0\xa0\x80", 3, 0x800, 3},
        {"\xe6\xbc\xa2", 3, 0x6f22, 3},             /* 漢 */
        {"\xe5\xad\x97", 3, 0x5b57, 3},             /* 字 */
        {"\xed\x9f\xbf", 3, 0xd7ff, 3},             /* just below the surrogates */
        {"\xee\x80\x80", 3, 0xe000, 3},             /* just above them */
        {"\xef\xbf\xbd", 3, 0xfffd, 3},             /* a real U+FFFD */
        {"\xef\xbf\xbf", 3, 0xffff, 3},
        {"\xf0\x90\x80\x80", 4, 0x10000, 4},
        {"\xf0\x9f\x98\x80", 4, 0x1f600, 4},        /* 😀 */
        {"\xf4\x8f\xbf\xbf", 4, 0x10ffff, 4},
        {"\xc3\xa9zz", 4, 0xe9, 2},                 /* more bytes available than needed */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_decode(&cases[i], i);
}

Test(position, decode_invalid_sequences_take_one_byte)
{
    static const decode_case_t cases[] = {
        /* lone continuation bytes and bytes that never start a sequence */
        {"\x80", 1, 0xfffd, 1},
        {"\xbf", 1, 0xfffd, 1},
        {"\xc0\x80", 2, 0xfffd, 1},
        {"\xc1\xbf", 2, 0xfffd, 1},
        {"\xf5\x80\x80\x80", 4, 0xfffd, 1},
        {"\xf7\xbf\xbf\xbf", 4, 0xfffd, 1},
        {"\xf8\x88\x80\x80\x80", 5, 0xfffd, 1},
        {"\xfe", 1, 0xfffd, 1},
        {"\xff", 1, 0xfffd, 1},
        /* overlong forms */
        {"\xe0\x80\x80", 3, 0xfffd, 1},
        {"\xe0\x9f\xbf", 3, 0xfffd, 1},
        {"\xf0\x80\x80\x80", 4, 0xfffd, 1},
        {"\xf0\x8f\xbf\xbf", 4, 0xfffd, 1},
        /* surrogates */
        {"\xed\xa0\x80", 3, 0xfffd, 1},
        {"\xed\xbf\xbf", 3, 0xfffd, 1},
        {"\xed\xb0\x80", 3, 0xfffd, 1},
        /* above U+10FFFF */
        {"\xf4\x90\x80\x80", 4, 0xfffd, 1},
        /* truncated: the input ends early */
        {"\xc3", 1, 0xfffd, 1},
        {"\xe6\xbc", 2, 0xfffd, 1},
        {"\xf0\x9f\x98", 3, 0xfffd, 1},
        {"\xc3\xa9", 1, 0xfffd, 1}, /* complete in memory, but only 1 byte available */
        {"\xf0\x9f\x98\x80", 3, 0xfffd, 1},
        /* truncated: a non-continuation byte interrupts */
        {"\xc3\x41", 2, 0xfffd, 1},
        {"\xe6\xbc\x41", 3, 0xfffd, 1},
        {"\xf0\x9f\x98\x41", 4, 0xfffd, 1},
        {"\xe6\xc3\xa9", 3, 0xfffd, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_decode(&cases[i], i);
}

Test(position, decode_every_single_byte)
{
    for (unsigned b = 0; b < 256; b++) {
        unsigned char c = (unsigned char)b;
        uint32_t cp;
        size_t n = gls_utf8_decode(&c, 1, &cp);
        cr_assert_eq(n, 1, "byte %02x", b);
        cr_assert_eq(cp, b < 0x80 ? b : 0xfffd, "byte %02x", b);
    }
}

Test(position, utf8_valid)
{
    cr_assert(gls_utf8_valid("", 0));
    cr_assert(gls_utf8_valid("plain ascii\r\n", 13));
    const char *mixed = "a\xc3\xa9\xe6\xbc\xa2\xe5\xad\x97\xf0\x9f\x98\x80\xef\xbf\xbd";
    cr_assert(gls_utf8_valid(mixed, strlen(mixed)));
    cr_assert(gls_utf8_valid("\x00\x01", 2));
    static const char *const bad[] = {
        "\x80", "a\xc3", "\xc3\x41", "\xc0\x80", "\xed\xa0\x80", "\xf5\x80\x80\x80",
        "\xff", "ok\xf4\x90\x80\x80", "\xe0\x80\x80", "\xf0\x9f\x98",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(gls_utf8_valid(bad[i], strlen(bad[i])), "case %zu", i);
    /* Only 'len' bytes count: a valid prefix of an invalid string. */
    cr_assert(gls_utf8_valid("ab\xff", 2));
    cr_assert_not(gls_utf8_valid(mixed, 2)); /* cuts é in half */
}

Test(position, encoding_names_and_units)
{
    cr_assert_str_eq(gls_encoding_name(GLS_ENCODING_UTF8), "utf-8");
    cr_assert_str_eq(gls_encoding_name(GLS_ENCODING_UTF16), "utf-16");
    cr_assert_str_eq(gls_encoding_name(GLS_ENCODING_UTF32), "utf-32");
    cr_assert_eq(gls_units(0x41, 1, GLS_ENCODING_UTF16), 1);
    cr_assert_eq(gls_units(0x6f22, 3, GLS_ENCODING_UTF8), 3);
    cr_assert_eq(gls_units(0x6f22, 3, GLS_ENCODING_UTF16), 1);
    cr_assert_eq(gls_units(0x1f600, 4, GLS_ENCODING_UTF16), 2);
    cr_assert_eq(gls_units(0x1f600, 4, GLS_ENCODING_UTF32), 1);
    cr_assert_eq(gls_units(0xffff, 3, GLS_ENCODING_UTF16), 1);
    cr_assert_eq(gls_units(0x10000, 4, GLS_ENCODING_UTF16), 2);
    cr_assert_eq(gls_units(0xfffd, 1, GLS_ENCODING_UTF8), 1); /* an invalid byte */
}

/* Line tables. */

typedef struct lines_case {
    const char *text;
    size_t count;
    size_t starts[8];
} lines_case_t;

static const lines_case_t lines_cases[] = {
    {"", 1, {0}},
    {"abc", 1, {0}},
    {"\n", 2, {0, 1}},
    {"\r\n", 2, {0, 2}},
    {"\r", 2, {0, 1}},
    {"a\n", 2, {0, 2}},
    {"a\nb", 2, {0, 2}},
    {"a\r\nb", 2, {0, 3}},
    {"a\rb", 2, {0, 2}},
    {"\n\n", 3, {0, 1, 2}},
    {"\r\r", 3, {0, 1, 2}},
    {"\n\r", 3, {0, 1, 2}},
    {"\r\r\n\n", 4, {0, 1, 3, 4}},
    {"a\nb\r\nc\rd", 4, {0, 2, 5, 7}},
    {"one\ntwo\nthree", 3, {0, 4, 8}},
    {"x\r\n\r\ny\r", 4, {0, 3, 5, 7}},
    {"\xe6\xbc\xa2\n\xf0\x9f\x98\x80\r\n", 3, {0, 4, 10}},
};

static void check_lines(const gls_lines_t *l, const lines_case_t *c, size_t i)
{
    cr_assert_eq(l->count, c->count, "case %zu: %zu lines, want %zu", i, l->count, c->count);
    for (size_t k = 0; k < c->count; k++)
        cr_assert_eq(l->starts[k], c->starts[k], "case %zu line %zu: start %zu, want %zu", i, k,
                     l->starts[k], c->starts[k]);
}

Test(position, lines_build)
{
    for (size_t i = 0; i < sizeof lines_cases / sizeof lines_cases[0]; i++) {
        gls_lines_t l;
        gls_lines_init(&l);
        gls_lines_build(&l, lines_cases[i].text, strlen(lines_cases[i].text));
        check_lines(&l, &lines_cases[i], i);
        gls_lines_close(&l);
    }
}

Test(position, lines_build_reuses_and_reinitializes)
{
    gls_lines_t l;
    gls_lines_init(&l);
    cr_assert_eq(l.count, 1);
    cr_assert_eq(l.starts[0], 0);
    /* One table rebuilt for every case, so stale entries would show. */
    for (size_t i = sizeof lines_cases / sizeof lines_cases[0]; i-- > 0;) {
        gls_lines_build(&l, lines_cases[i].text, strlen(lines_cases[i].text));
        check_lines(&l, &lines_cases[i], i);
    }
    gls_lines_close(&l);
    cr_assert_null(l.starts);
    cr_assert_eq(l.count, 0);
    /* A closed table is set up again by the next build. */
    gls_lines_build(&l, "a\nb", 3);
    check_lines(&l, &lines_cases[6], 6);
    gls_lines_close(&l);
}

Test(position, lines_build_many_lines)
{
    /* Enough lines to grow the table several times, on both scan paths. */
    for (int cr = 0; cr < 2; cr++) {
        char *text = malloc(3000);
        for (size_t i = 0; i < 1000; i++) {
            text[3 * i] = 'x';
            text[3 * i + 1] = cr ? '\r' : 'y';
            text[3 * i + 2] = '\n';
        }
        gls_lines_t l;
        gls_lines_init(&l);
        gls_lines_build(&l, text, 3000);
        cr_assert_eq(l.count, 1001);
        for (size_t i = 0; i < 1001; i++)
            cr_assert_eq(l.starts[i], 3 * i);
        gls_lines_close(&l);
        free(text);
    }
}

Test(position, lines_find_and_content_end)
{
    const char *t = "ab\r\ncd\ne\rf"; /* lines: "ab" 0..2, "cd" 4..6, "e" 7..8, "f" 9..10 */
    size_t len = strlen(t);
    gls_lines_t l;
    gls_lines_init(&l);
    gls_lines_build(&l, t, len);
    cr_assert_eq(l.count, 4);
    static const size_t line_of[] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3};
    for (size_t o = 0; o <= len; o++)
        cr_assert_eq(gls_lines_find(&l, o), line_of[o], "offset %zu", o);
    cr_assert_eq(gls_lines_find(&l, 1000), 3);
    cr_assert_eq(gls_lines_content_end(&l, t, len, 0), 2);
    cr_assert_eq(gls_lines_content_end(&l, t, len, 1), 6);
    cr_assert_eq(gls_lines_content_end(&l, t, len, 2), 8);
    cr_assert_eq(gls_lines_content_end(&l, t, len, 3), 10);
    cr_assert_eq(gls_lines_content_end(&l, t, len, 4), len);
    cr_assert_eq(gls_lines_content_end(&l, t, len, 99), len);
    gls_lines_close(&l);

    /* Empty lines, and a final empty line after a terminator. */
    const char *u = "\r\n\n\r";
    gls_lines_init(&l);
    gls_lines_build(&l, u, 4);
    cr_assert_eq(l.count, 4);
    cr_assert_eq(gls_lines_content_end(&l, u, 4, 0), 0);
    cr_assert_eq(gls_lines_content_end(&l, u, 4, 1), 2);
    cr_assert_eq(gls_lines_content_end(&l, u, 4, 2), 3);
    cr_assert_eq(gls_lines_content_end(&l, u, 4, 3), 4);
    gls_lines_close(&l);
}

/* Position <-> offset. */

/* The text used by the table-driven cases:
 *   line 0: "a" 漢 😀 "b" "\r\n"  bytes 0, 1-3, 4-7, 8, 9-10
 *   line 1: é "x" "\r"          bytes 11-12, 13, 14
 *   line 2: "last" 😀           bytes 15-18, 19-22; length 23 */
static const char sample[] = "a\xe6\xbc\xa2\xf0\x9f\x98\x80"
                             "b\r\n"
                             "\xc3\xa9x\r"
                             "last\xf0\x9f\x98\x80";
#define SAMPLE_LEN (sizeof sample - 1)

typedef struct pos_case {
    uint32_t line, character;
    size_t offset[3]; /* expected in utf-8, utf-16, utf-32 */
} pos_case_t;

static const pos_case_t pos_cases[] = {
    {0, 0, {0, 0, 0}},
    {0, 1, {1, 1, 1}},
    {0, 2, {1, 4, 4}},   /* utf-8: inside 漢 */
    {0, 3, {1, 4, 8}},   /* utf-16: between the surrogates of 😀 */
    {0, 4, {4, 8, 9}},
    {0, 5, {4, 9, 9}},   /* utf-16, utf-32: past the end of the line */
    {0, 6, {4, 9, 9}},
    {0, 7, {4, 9, 9}},   /* utf-8: inside 😀 */
    {0, 8, {8, 9, 9}},
    {0, 9, {9, 9, 9}},
    {0, 10, {9, 9, 9}},  /* never between '\r' and '\n' */
    {0, 1000, {9, 9, 9}},
    {0, UINT32_MAX, {9, 9, 9}},
    {1, 0, {11, 11, 11}},
    {1, 1, {11, 13, 13}},
    {1, 2, {13, 14, 14}},
    {1, 3, {14, 14, 14}},
    {1, 4, {14, 14, 14}},
    {2, 0, {15, 15, 15}},
    {2, 4, {19, 19, 19}},
    {2, 5, {19, 19, 23}},
    {2, 6, {19, 23, 23}},
    {2, 7, {19, 23, 23}},
    {2, 8, {23, 23, 23}},
    {2, 9, {23, 23, 23}},
    {3, 0, {23, 23, 23}},  /* a line past the end */
    {UINT32_MAX, 0, {23, 23, 23}},
};

Test(position, position_to_offset)
{
    gls_lines_t l;
    gls_lines_init(&l);
    gls_lines_build(&l, sample, SAMPLE_LEN);
    cr_assert_eq(l.count, 3);
    for (size_t i = 0; i < sizeof pos_cases / sizeof pos_cases[0]; i++) {
        const pos_case_t *c = &pos_cases[i];
        for (size_t e = 0; e < 3; e++) {
            size_t got = gls_position_to_offset(&l, sample, SAMPLE_LEN, c->line, c->character,
                                                all_encodings[e]);
            cr_assert_eq(got, c->offset[e], "(%u,%u) in %s: %zu, want %zu", c->line,
                         c->character, gls_encoding_name(all_encodings[e]), got, c->offset[e]);
        }
    }
    gls_lines_close(&l);
}

typedef struct off_case {
    size_t offset;
    uint32_t line;
    uint32_t character[3]; /* expected in utf-8, utf-16, utf-32 */
} off_case_t;

static const off_case_t off_cases[] = {
    {0, 0, {0, 0, 0}},
    {1, 0, {1, 1, 1}},
    {2, 0, {1, 1, 1}},   /* inside 漢: its start */
    {3, 0, {1, 1, 1}},
    {4, 0, {4, 2, 2}},
    {5, 0, {4, 2, 2}},   /* inside 😀 */
    {7, 0, {4, 2, 2}},
    {8, 0, {8, 4, 3}},
    {9, 0, {9, 5, 4}},   /* the end of line 0's content */
    {11, 1, {0, 0, 0}},
    {12, 1, {0, 0, 0}},  /* inside é */
    {13, 1, {2, 1, 1}},
    {14, 1, {3, 2, 2}},
    {15, 2, {0, 0, 0}},
    {19, 2, {4, 4, 4}},
    {21, 2, {4, 4, 4}},
    {23, 2, {8, 6, 5}},  /* the end of the text */
    {24, 2, {8, 6, 5}},  /* clamped */
    {(size_t)-1, 2, {8, 6, 5}},
};

Test(position, offset_to_position)
{
    gls_lines_t l;
    gls_lines_init(&l);
    gls_lines_build(&l, sample, SAMPLE_LEN);
    for (size_t i = 0; i < sizeof off_cases / sizeof off_cases[0]; i++) {
        const off_case_t *c = &off_cases[i];
        for (size_t e = 0; e < 3; e++) {
            uint32_t line = 99, ch = 99;
            gls_offset_to_position(&l, sample, SAMPLE_LEN, c->offset, all_encodings[e], &line,
                                   &ch);
            cr_assert_eq(line, c->line, "offset %zu in %s: line %u, want %u", c->offset,
                         gls_encoding_name(all_encodings[e]), line, c->line);
            cr_assert_eq(ch, c->character[e], "offset %zu in %s: character %u, want %u",
                         c->offset, gls_encoding_name(all_encodings[e]), ch, c->character[e]);
        }
    }
    gls_lines_close(&l);
}

Test(position, cjk_in_utf16)
{
    /* 漢字 are one UTF-16 unit each, three UTF-8 bytes each. */
    const char *t = "\xe6\xbc\xa2\xe5\xad\x97!";
    gls_lines_t l;
    gls_lines_init(&l);
    gls_lines_build(&l, t, 7);
    cr_assert_eq(gls_position_to_offset(&l, t, 7, 0, 1, GLS_ENCODING_UTF16), 3);
    cr_assert_eq(gls_position_to_offset(&l, t, 7, 0, 2, GLS_ENCODING_UTF16), 6);
    cr_assert_eq(gls_position_to_offset(&l, t, 7, 0, 3, GLS_ENCODING_UTF16), 7);
    cr_assert_eq(gls_position_to_offset(&l, t, 7, 0, 3, GLS_ENCODING_UTF8), 3);
    cr_assert_eq(gls_position_to_offset(&l, t, 7, 0, 5, GLS_ENCODING_UTF8), 3);
    cr_assert_eq(gls_position_to_offset(&l, t, 7, 0, 6, GLS_ENCODING_UTF8), 6);
    uint32_t line, ch;
    gls_offset_to_position(&l, t, 7, 6, GLS_ENCODING_UTF16, &line, &ch);
    cr_assert_eq(line, 0);
    cr_assert_eq(ch, 2);
    gls_offset_to_position(&l, t, 7, 7, GLS_ENCODING_UTF8, &line, &ch);
    cr_assert_eq(ch, 7);
    gls_lines_close(&l);
}

Test(position, invalid_bytes_count_one_unit_each)
{
    /* 0xFF, a truncated 0xC3, 'b', a surrogate encoding (3 invalid bytes), 'c' */
    const char *t = "\xff\xc3"
                    "b\xed\xa0\x80"
                    "c";
    size_t len = 7;
    gls_lines_t l;
    gls_lines_init(&l);
    gls_lines_build(&l, t, len);
    for (size_t e = 0; e < 3; e++) {
        for (uint32_t ch = 0; ch <= 7; ch++) {
            size_t got = gls_position_to_offset(&l, t, len, 0, ch, all_encodings[e]);
            cr_assert_eq(got, ch, "character %u in %s: %zu", ch,
                         gls_encoding_name(all_encodings[e]), got);
        }
        cr_assert_eq(gls_position_to_offset(&l, t, len, 0, 8, all_encodings[e]), 7);
        for (size_t o = 0; o <= len; o++) {
            uint32_t line, ch;
            gls_offset_to_position(&l, t, len, o, all_encodings[e], &line, &ch);
            cr_assert_eq(line, 0);
            cr_assert_eq(ch, o, "offset %zu in %s: %u", o, gls_encoding_name(all_encodings[e]),
                         ch);
        }
    }
    gls_lines_close(&l);
}

Test(position, empty_text)
{
    gls_lines_t l;
    gls_lines_init(&l);
    gls_lines_build(&l, "", 0);
    for (size_t e = 0; e < 3; e++) {
        cr_assert_eq(gls_position_to_offset(&l, "", 0, 0, 0, all_encodings[e]), 0);
        cr_assert_eq(gls_position_to_offset(&l, "", 0, 0, 5, all_encodings[e]), 0);
        cr_assert_eq(gls_position_to_offset(&l, "", 0, 3, 1, all_encodings[e]), 0);
        uint32_t line = 9, ch = 9;
        gls_offset_to_position(&l, "", 0, 4, all_encodings[e], &line, &ch);
        cr_assert_eq(line, 0);
        cr_assert_eq(ch, 0);
    }
    gls_lines_close(&l);
}

Test(position, text_without_trailing_newline_and_with_one)
{
    gls_lines_t l;
    gls_lines_init(&l);
    gls_lines_build(&l, "ab\ncd", 5);
    cr_assert_eq(gls_position_to_offset(&l, "ab\ncd", 5, 1, 9, GLS_ENCODING_UTF16), 5);
    cr_assert_eq(gls_position_to_offset(&l, "ab\ncd", 5, 2, 0, GLS_ENCODING_UTF16), 5);
    gls_lines_build(&l, "ab\ncd\n", 6);
    cr_assert_eq(l.count, 3);
    cr_assert_eq(gls_position_to_offset(&l, "ab\ncd\n", 6, 1, 9, GLS_ENCODING_UTF16), 5);
    cr_assert_eq(gls_position_to_offset(&l, "ab\ncd\n", 6, 2, 0, GLS_ENCODING_UTF16), 6);
    uint32_t line, ch;
    gls_offset_to_position(&l, "ab\ncd\n", 6, 6, GLS_ENCODING_UTF16, &line, &ch);
    cr_assert_eq(line, 2);
    cr_assert_eq(ch, 0);
    gls_lines_close(&l);
}

/* Every code-point boundary of a mixed text maps to a position and back to
 * itself, in every encoding. The one exception is the offset between '\r'
 * and '\n', which is inside a line terminator: it maps back to the end of
 * its line's content. */
Test(position, round_trip_at_every_boundary)
{
    static const char text[] = "\xef\xbb\xbfhead \xe6\xbc\xa2\xe5\xad\x97\r\n"
                               "\xf0\x9f\x98\x80\xf0\x9f\x98\x80 caf\xc3\xa9\r"
                               "\n\n"
                               "bad \xff\xc3 \xed\xa0\x80 end\r\r\n"
                               "\xf4\x8f\xbf\xbf"
                               "z\xc3";
    size_t len = sizeof text - 1;
    gls_lines_t l;
    gls_lines_init(&l);
    gls_lines_build(&l, text, len);
    cr_assert_eq(l.count, 6);
    const unsigned char *s = (const unsigned char *)text;
    for (size_t e = 0; e < 3; e++) {
        gls_encoding_t enc = all_encodings[e];
        size_t checked = 0;
        size_t o = 0;
        for (;;) {
            uint32_t line, ch;
            gls_offset_to_position(&l, text, len, o, enc, &line, &ch);
            size_t back = gls_position_to_offset(&l, text, len, line, ch, enc);
            int mid_crlf = o > 0 && o < len && text[o - 1] == '\r' && text[o] == '\n';
            cr_assert_eq(back, mid_crlf ? o - 1 : o, "offset %zu in %s -> (%u,%u) -> %zu", o,
                         gls_encoding_name(enc), line, ch, back);
            cr_assert_eq(line, gls_lines_find(&l, o));
            checked++;
            if (o == len)
                break;
            uint32_t cp;
            o += gls_utf8_decode(s + o, len - o, &cp);
        }
        cr_assert_geq(checked, 40);
    }
    gls_lines_close(&l);
}

/* The converse: every position at a code-point boundary maps to an offset
 * and back to itself. */
Test(position, positions_round_trip)
{
    static const char text[] = "a\xe6\xbc\xa2\xf0\x9f\x98\x80\r\n\xc3\xa9\xff\rq\n";
    size_t len = sizeof text - 1;
    gls_lines_t l;
    gls_lines_init(&l);
    gls_lines_build(&l, text, len);
    const unsigned char *s = (const unsigned char *)text;
    for (size_t e = 0; e < 3; e++) {
        gls_encoding_t enc = all_encodings[e];
        for (uint32_t line = 0; line < l.count; line++) {
            size_t p = l.starts[line];
            size_t end = gls_lines_content_end(&l, text, len, line);
            uint32_t units = 0;
            for (;;) {
                size_t off = gls_position_to_offset(&l, text, len, line, units, enc);
                cr_assert_eq(off, p, "(%u,%u) in %s", line, units, gls_encoding_name(enc));
                uint32_t l2, c2;
                gls_offset_to_position(&l, text, len, off, enc, &l2, &c2);
                cr_assert_eq(l2, line);
                cr_assert_eq(c2, units);
                if (p >= end)
                    break;
                uint32_t cp;
                size_t n = gls_utf8_decode(s + p, len - p, &cp);
                units += (uint32_t)gls_units(cp, n, enc);
                p += n;
            }
        }
    }
    gls_lines_close(&l);
}

/* test_document.c: document edits, the line index kept up to date, and the store. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/document.h"
#include "gls/position.h"
#include "gls/util.h"

#include "rng.h"

/* Asserts that 'doc' holds exactly 'text' and that its line table equals one
 * built from scratch. */
static void assert_doc(const gls_document_t *doc, const char *text, size_t len)
{
    cr_assert_eq(doc->len, len, "length %zu, want %zu", doc->len, len);
    cr_assert_eq(memcmp(doc->text, text, len), 0, "text \"%s\", want \"%s\"", doc->text, text);
    cr_assert_eq(doc->text[len], '\0');
    gls_lines_t fresh;
    gls_lines_init(&fresh);
    gls_lines_build(&fresh, doc->text, doc->len);
    cr_assert_eq(doc->lines.count, fresh.count, "%zu lines, want %zu", doc->lines.count,
                 fresh.count);
    for (size_t i = 0; i < fresh.count; i++)
        cr_assert_eq(doc->lines.starts[i], fresh.starts[i], "line %zu starts at %zu, want %zu",
                     i, doc->lines.starts[i], fresh.starts[i]);
    gls_lines_close(&fresh);
}

static void assert_doc_str(const gls_document_t *doc, const char *text)
{
    assert_doc(doc, text, strlen(text));
}

/* One document. */

Test(document, new_copies_everything)
{
    char text[] = "hello\nworld";
    gls_document_t *doc = gls_document_new("file:///a.md", "markdown", 7, text, 11);
    text[0] = 'J'; /* the document has its own copy */
    cr_assert_str_eq(doc->uri, "file:///a.md");
    cr_assert_str_eq(doc->language_id, "markdown");
    cr_assert_eq(doc->version, 7);
    cr_assert_eq(doc->edits, 0);
    assert_doc_str(doc, "hello\nworld");
    cr_assert_eq(doc->lines.count, 2);
    cr_assert_eq(doc->lines.starts[1], 6);
    gls_document_free(doc);

    doc = gls_document_new("u", NULL, -1, "", 0);
    cr_assert_str_eq(doc->language_id, "");
    cr_assert_eq(doc->version, -1);
    assert_doc_str(doc, "");
    cr_assert_eq(doc->lines.count, 1);
    gls_document_free(doc);
    gls_document_free(NULL);
}

Test(document, new_keeps_nul_bytes)
{
    gls_document_t *doc = gls_document_new("u", "t", 1, "a\0b\nc", 5);
    assert_doc(doc, "a\0b\nc", 5);
    cr_assert_eq(doc->lines.count, 2);
    gls_document_free(doc);
}

Test(document, replace)
{
    gls_document_t *doc = gls_document_new("u", "t", 1, "hello world", 11);
    gls_document_replace(doc, 5, 5, ",", 1);
    assert_doc_str(doc, "hello, world");
    gls_document_replace(doc, 0, 5, "bye", 3);
    assert_doc_str(doc, "bye, world");
    gls_document_replace(doc, 3, 5, "", 0);
    assert_doc_str(doc, "byeworld");
    gls_document_replace(doc, 3, 3, "\r\n", 2);
    assert_doc_str(doc, "bye\r\nworld");
    cr_assert_eq(doc->lines.count, 2);
    cr_assert_eq(doc->lines.starts[1], 5);
    /* Reversed bounds are swapped. */
    gls_document_replace(doc, 5, 3, "\n", 1);
    assert_doc_str(doc, "bye\nworld");
    /* Bounds past the end are clamped. */
    gls_document_replace(doc, 100, 200, "!", 1);
    assert_doc_str(doc, "bye\nworld!");
    gls_document_replace(doc, 4, (size_t)-1, "", 0);
    assert_doc_str(doc, "bye\n");
    gls_document_replace(doc, (size_t)-1, 0, "x", 1);
    assert_doc_str(doc, "x");
    cr_assert_eq(doc->edits, 8);
    gls_document_free(doc);
}

Test(document, replace_grows_past_capacity)
{
    gls_document_t *doc = gls_document_new("u", "t", 1, "", 0);
    gls_buf_t want;
    gls_buf_init(&want);
    for (int i = 0; i < 2000; i++) {
        gls_document_replace(doc, doc->len, doc->len, "line\n", 5);
        gls_buf_puts(&want, "line\n");
    }
    assert_doc(doc, want.data, want.len);
    cr_assert_eq(doc->lines.count, 2001);
    /* Insert in the middle: every later line start shifts. */
    gls_document_replace(doc, 2, 2, "\r\n\r", 3);
    cr_assert_eq(doc->lines.count, 2003);
    cr_assert_eq(doc->lines.starts[1], 4);
    cr_assert_eq(doc->lines.starts[2], 5);
    cr_assert_eq(doc->lines.starts[3], 8);
    cr_assert_eq(doc->lines.starts[2002], 10003);
    gls_buf_close(&want);
    gls_document_free(doc);
}

Test(document, edit_in_each_encoding)
{
    /* "a😀b\r\n漢字" */
    const char *t = "a\xf0\x9f\x98\x80"
                    "b\r\n\xe6\xbc\xa2\xe5\xad\x97";
    gls_document_t *doc = gls_document_new("u", "t", 1, t, strlen(t));
    /* Replace "b" (utf-16 character 3 to 4) with "B". */
    gls_document_edit(doc, 0, 3, 0, 4, GLS_ENCODING_UTF16, "B", 1);
    assert_doc_str(doc, "a\xf0\x9f\x98\x80"
                        "B\r\n\xe6\xbc\xa2\xe5\xad\x97");
    /* Delete 😀 in utf-8 (bytes 1 to 5). */
    gls_document_edit(doc, 0, 1, 0, 5, GLS_ENCODING_UTF8, "", 0);
    assert_doc_str(doc, "aB\r\n\xe6\xbc\xa2\xe5\xad\x97");
    /* Replace 字 in utf-32 and join the lines, range given reversed. */
    gls_document_edit(doc, 1, 2, 0, 2, GLS_ENCODING_UTF32, "+", 1);
    assert_doc_str(doc, "aB+");
    cr_assert_eq(doc->lines.count, 1);
    /* A range past the end appends. */
    gls_document_edit(doc, 9, 0, 12, 3, GLS_ENCODING_UTF16, "\n\xf0\x9f\x98\x80", 5);
    assert_doc_str(doc, "aB+\n\xf0\x9f\x98\x80");
    /* A character inside the surrogate pair snaps to the start of 😀. */
    gls_document_edit(doc, 1, 1, 1, 1, GLS_ENCODING_UTF16, "x", 1);
    assert_doc_str(doc, "aB+\nx\xf0\x9f\x98\x80");
    /* A character past the end of line 0 stops before its terminator. */
    gls_document_edit(doc, 0, 50, 0, 60, GLS_ENCODING_UTF8, "!", 1);
    assert_doc_str(doc, "aB+!\nx\xf0\x9f\x98\x80");
    cr_assert_eq(doc->edits, 6);
    gls_document_free(doc);
}

Test(document, set_text)
{
    gls_document_t *doc = gls_document_new("u", "t", 1, "old\ntext", 8);
    gls_document_set_text(doc, "new\r\ntext\rmore", 14);
    assert_doc_str(doc, "new\r\ntext\rmore");
    cr_assert_eq(doc->lines.count, 3);
    gls_document_set_text(doc, "", 0);
    assert_doc_str(doc, "");
    cr_assert_eq(doc->lines.count, 1);
    /* A small text replacing a big one gives the memory back. */
    size_t n = 1 << 20;
    char *big = malloc(n);
    memset(big, '\n', n);
    gls_document_set_text(doc, big, n);
    assert_doc(doc, big, n);
    cr_assert_eq(doc->lines.count, n + 1);
    cr_assert_geq(doc->cap, n + 1);
    gls_document_set_text(doc, "tiny", 4);
    assert_doc_str(doc, "tiny");
    cr_assert_lt(doc->cap, 4096);
    cr_assert_eq(doc->edits, 4, "each full replacement counts as one change");
    free(big);
    gls_document_free(doc);
}

/* The store. */

Test(document, store)
{
    gls_documents_t s;
    gls_documents_init(&s);
    cr_assert_null(gls_documents_get(&s, "file:///a"));
    cr_assert_eq(gls_documents_remove(&s, "file:///a"), -1);

    gls_document_t *a = gls_document_new("file:///a", "markdown", 1, "A", 1);
    gls_document_t *b = gls_document_new("file:///b", "markdown", 1, "B", 1);
    cr_assert_eq(gls_documents_put(&s, a), 0);
    cr_assert_eq(gls_documents_put(&s, b), 0);
    cr_assert_eq(s.count, 2);
    cr_assert_eq(gls_documents_get(&s, "file:///a"), a);
    cr_assert_eq(gls_documents_get(&s, "file:///b"), b);
    cr_assert_null(gls_documents_get(&s, "file:///c"));
    cr_assert_null(gls_documents_get(&s, "file:///A"));

    /* The same URI again replaces (and frees) the open document. */
    gls_document_t *a2 = gls_document_new("file:///a", "plaintext", 2, "A2", 2);
    cr_assert_eq(gls_documents_put(&s, a2), 1);
    cr_assert_eq(s.count, 2);
    cr_assert_eq(gls_documents_get(&s, "file:///a"), a2);
    cr_assert_str_eq(gls_documents_get(&s, "file:///a")->text, "A2");
    cr_assert_eq(gls_documents_get(&s, "file:///a")->version, 2);

    cr_assert_eq(gls_documents_remove(&s, "file:///a"), 0);
    cr_assert_null(gls_documents_get(&s, "file:///a"));
    cr_assert_eq(gls_documents_get(&s, "file:///b"), b);
    cr_assert_eq(gls_documents_remove(&s, "file:///a"), -1);
    cr_assert_eq(s.count, 1);
    gls_documents_close(&s);
    cr_assert_eq(s.count, 0);
    cr_assert_null(s.items);
}

Test(document, store_many)
{
    gls_documents_t s;
    gls_documents_init(&s);
    char uri[32];
    for (int i = 0; i < 100; i++) {
        snprintf(uri, sizeof uri, "file:///%d", i);
        cr_assert_eq(gls_documents_put(&s, gls_document_new(uri, "t", i, uri, strlen(uri))), 0);
    }
    cr_assert_eq(s.count, 100);
    /* Remove the even ones; the odd ones stay reachable. */
    for (int i = 0; i < 100; i += 2) {
        snprintf(uri, sizeof uri, "file:///%d", i);
        cr_assert_eq(gls_documents_remove(&s, uri), 0);
    }
    cr_assert_eq(s.count, 50);
    for (int i = 0; i < 100; i++) {
        snprintf(uri, sizeof uri, "file:///%d", i);
        gls_document_t *d = gls_documents_get(&s, uri);
        if (i % 2) {
            cr_assert_not_null(d, "%s", uri);
            cr_assert_str_eq(d->text, uri);
            cr_assert_eq(d->version, i);
        } else {
            cr_assert_null(d, "%s", uri);
        }
    }
    gls_documents_close(&s);
}

/* 'gls_lines_update', directly. */

/* Applies "replace [start, old_end) of 'old' with 'ins'" to a table built
 * for 'old', and compares it with one built for the new text. */
static void check_update(const char *old, size_t start, size_t old_end, const char *ins)
{
    size_t olen = strlen(old), ilen = strlen(ins);
    char text[64];
    memcpy(text, old, start);
    memcpy(text + start, ins, ilen);
    memcpy(text + start + ilen, old + old_end, olen - old_end);
    size_t len = olen - (old_end - start) + ilen;
    text[len] = '\0';
    gls_lines_t l, fresh;
    gls_lines_init(&l);
    gls_lines_init(&fresh);
    gls_lines_build(&l, old, olen);
    gls_lines_update(&l, text, len, start, old_end, start + ilen);
    gls_lines_build(&fresh, text, len);
    cr_assert_eq(l.count, fresh.count, "\"%s\" [%zu,%zu) <- \"%s\": %zu lines, want %zu", old,
                 start, old_end, ins, l.count, fresh.count);
    for (size_t i = 0; i < fresh.count; i++)
        cr_assert_eq(l.starts[i], fresh.starts[i],
                     "\"%s\" [%zu,%zu) <- \"%s\": line %zu at %zu, want %zu", old, start,
                     old_end, ins, i, l.starts[i], fresh.starts[i]);
    gls_lines_close(&l);
    gls_lines_close(&fresh);
}

Test(document, lines_update_cr_lf_joins_and_splits)
{
    check_update("a\rb", 2, 2, "\n");       /* "\r" + inserted "\n" become one terminator */
    check_update("a\r\nb", 1, 2, "");       /* delete the "\r" of "\r\n" */
    check_update("a\r\nb", 2, 3, "");       /* delete the "\n": a lone "\r" remains */
    check_update("a\nb", 1, 1, "\r");       /* "\r" inserted before "\n" */
    check_update("a\r\nb", 2, 2, "x");      /* split "\r\n" apart */
    check_update("a\rb\nc", 2, 3, "");      /* deleting "b" joins "\r" and "\n" */
    check_update("\r", 1, 1, "\n");
    check_update("\n", 0, 0, "\r");
    check_update("\r\rb", 1, 1, "\n");
    check_update("x\r\r\ny", 2, 3, "");
    check_update("one\ntwo\nthree\n", 3, 9, "X\r\nY\rZ");
    check_update("one\ntwo\nthree\n", 0, 14, "");
    check_update("", 0, 0, "\r\n\r\n");
    check_update("a\r", 2, 2, "\nb");
    check_update("\r\n\r\n", 1, 3, "");     /* "\r" + "\n" from two terminators */
}

/* Every edit of every short text over { 'a', '\r', '\n' }, with inserts
 * that make and break "\r\n" pairs. */
Test(document, lines_update_exhaustive_small_texts)
{
    static const char alphabet[] = {'a', '\r', '\n'};
    static const char *const inserts[] = {"", "a", "\n", "\r", "\r\n", "\n\r", "\na\r"};
    size_t checked = 0;
    for (size_t len = 0; len <= 4; len++) {
        size_t combos = 1;
        for (size_t i = 0; i < len; i++)
            combos *= 3;
        for (size_t c = 0; c < combos; c++) {
            char old[8];
            size_t v = c;
            for (size_t i = 0; i < len; i++, v /= 3)
                old[i] = alphabet[v % 3];
            old[len] = '\0';
            for (size_t a = 0; a <= len; a++)
                for (size_t b = a; b <= len; b++)
                    for (size_t k = 0; k < sizeof inserts / sizeof inserts[0]; k++) {
                        check_update(old, a, b, inserts[k]);
                        checked++;
                    }
        }
    }
    cr_assert_eq(checked, 7 * (1 + 3 * 3 + 9 * 6 + 27 * 10 + 81 * 15));
}

/* The randomized differential test. */


/* The reference model: a plain byte string, and position arithmetic written
 * from the LSP rules without position.c. */
typedef struct model {
    char *text;
    size_t len;
} model_t;

/* Length of the code point at 's' ('avail' > 0 bytes): the length its lead
 * byte announces when that many continuation bytes follow, else 1. */
static size_t ref_seq_len(const unsigned char *s, size_t avail)
{
    size_t need;
    if (s[0] < 0x80)
        need = 1;
    else if ((s[0] & 0xe0) == 0xc0)
        need = 2;
    else if ((s[0] & 0xf0) == 0xe0)
        need = 3;
    else if ((s[0] & 0xf8) == 0xf0)
        need = 4;
    else
        return 1;
    if (need > avail)
        return 1;
    for (size_t i = 1; i < need; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 1;
    return need;
}

static size_t ref_units(size_t nbytes, gls_encoding_t enc)
{
    if (enc == GLS_ENCODING_UTF8)
        return nbytes;
    if (enc == GLS_ENCODING_UTF16)
        return nbytes == 4 ? 2 : 1;
    return 1;
}

/* Finds line 'line': its first byte and the end of its content. Returns 0
 * when the text has fewer lines. */
static int ref_line(const model_t *m, size_t line, size_t *start, size_t *end)
{
    size_t s = 0, i = 0, n = 0;
    for (;;) {
        while (i < m->len && m->text[i] != '\n' && m->text[i] != '\r')
            i++;
        if (n == line) {
            *start = s;
            *end = i;
            return 1;
        }
        if (i == m->len)
            return 0;
        i += (m->text[i] == '\r' && i + 1 < m->len && m->text[i + 1] == '\n') ? 2 : 1;
        s = i;
        n++;
    }
}

static size_t ref_line_count(const model_t *m)
{
    size_t n = 1;
    for (size_t i = 0; i < m->len; i++)
        if (m->text[i] == '\n' || (m->text[i] == '\r' && (i + 1 == m->len || m->text[i + 1] != '\n')))
            n++;
    return n;
}

static size_t ref_offset(const model_t *m, uint32_t line, uint32_t character, gls_encoding_t enc)
{
    size_t p, end;
    if (!ref_line(m, line, &p, &end))
        return m->len;
    size_t units = 0;
    while (p < end && units < character) {
        size_t n = ref_seq_len((const unsigned char *)m->text + p, end - p);
        size_t u = ref_units(n, enc);
        if (units + u > character)
            break;
        units += u;
        p += n;
    }
    return p;
}

/* Units on line 'line' (0 past the end). */
static size_t ref_line_units(const model_t *m, size_t line, gls_encoding_t enc)
{
    size_t p, end, units = 0;
    if (!ref_line(m, line, &p, &end))
        return 0;
    while (p < end) {
        size_t n = ref_seq_len((const unsigned char *)m->text + p, end - p);
        units += ref_units(n, enc);
        p += n;
    }
    return units;
}

static void ref_replace(model_t *m, size_t a, size_t b, const char *ins, size_t ilen)
{
    if (a > m->len)
        a = m->len;
    if (b > m->len)
        b = m->len;
    if (a > b) {
        size_t t = a;
        a = b;
        b = t;
    }
    char *t = gls_xmalloc(m->len - (b - a) + ilen + 1);
    memcpy(t, m->text, a);
    memcpy(t + a, ins, ilen);
    memcpy(t + a + ilen, m->text + b, m->len - b);
    m->len = m->len - (b - a) + ilen;
    t[m->len] = '\0';
    free(m->text);
    m->text = t;
}

static const char *const tokens[] = {
    "a", "b", " ", "\n", "\r\n", "\r", "\xc3\xa9", "\xe6\xbc\xa2", "\xf0\x9f\x98\x80",
};

/* Appends 'n' random tokens to 'b'; with 'invalid', some are a 0xFF byte. */
static void random_text(gls_buf_t *b, uint64_t *r, size_t n, int invalid)
{
    for (size_t i = 0; i < n; i++) {
        if (invalid && rng_below(r, 20) == 0)
            gls_buf_putc(b, (char)0xff);
        else
            gls_buf_puts(b, tokens[rng_below(r, sizeof tokens / sizeof tokens[0])]);
    }
}

/* Compares the document with the model: the same bytes, a line table that
 * equals a fresh build, and the model's own line count. */
static void assert_same(const gls_document_t *doc, const model_t *m, uint64_t seed, int step)
{
    cr_assert_eq(doc->len, m->len, "seed %llu step %d: length %zu, want %zu",
                 (unsigned long long)seed, step, doc->len, m->len);
    cr_assert_eq(memcmp(doc->text, m->text, m->len), 0, "seed %llu step %d: text differs",
                 (unsigned long long)seed, step);
    cr_assert_eq(doc->text[doc->len], '\0');
    gls_lines_t fresh;
    gls_lines_init(&fresh);
    gls_lines_build(&fresh, doc->text, doc->len);
    cr_assert_eq(doc->lines.count, fresh.count, "seed %llu step %d: %zu lines, want %zu",
                 (unsigned long long)seed, step, doc->lines.count, fresh.count);
    for (size_t i = 0; i < fresh.count; i++)
        cr_assert_eq(doc->lines.starts[i], fresh.starts[i],
                     "seed %llu step %d: line %zu at %zu, want %zu", (unsigned long long)seed,
                     step, i, doc->lines.starts[i], fresh.starts[i]);
    gls_lines_close(&fresh);
    cr_assert_eq(doc->lines.count, ref_line_count(m), "seed %llu step %d",
                 (unsigned long long)seed, step);
}

/* A random LSP position: usually inside the text, sometimes past the end of
 * its line or of the text. */
static void random_position(uint64_t *r, const model_t *m, size_t lines, gls_encoding_t enc,
                            uint32_t *line, uint32_t *character)
{
    size_t k = rng_below(r, 20);
    if (k == 0) {
        *line = (uint32_t)(lines + rng_below(r, 3));
    } else if (k == 1) {
        *line = UINT32_MAX;
    } else {
        *line = (uint32_t)rng_below(r, lines);
    }
    size_t units = ref_line_units(m, *line, enc);
    k = rng_below(r, 20);
    if (k == 0)
        *character = UINT32_MAX;
    else if (k < 3)
        *character = (uint32_t)(units + 1 + rng_below(r, 4));
    else
        *character = (uint32_t)rng_below(r, units + 1);
}

Test(document, randomized_differential_lsp_edits)
{
    static const gls_encoding_t encs[] = {GLS_ENCODING_UTF8, GLS_ENCODING_UTF16,
                                          GLS_ENCODING_UTF32};
    size_t edits = 0, line_changes = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        uint64_t r = seed;
        gls_buf_t start;
        gls_buf_init(&start);
        random_text(&start, &r, 60 + rng_below(&r, 100), 1);
        gls_document_t *doc = gls_document_new("file:///fuzz", "t", 0, start.data, start.len);
        model_t m = {gls_xstrndup(start.data, start.len), start.len};
        gls_buf_close(&start);
        assert_same(doc, &m, seed, -1);
        for (int step = 0; step < 500; step++) {
            size_t lines = ref_line_count(&m);
            if (rng_below(&r, 100) == 0) {
                /* Now and then a full replacement, as a client may send. */
                gls_buf_t t;
                gls_buf_init(&t);
                random_text(&t, &r, rng_below(&r, 120), 1);
                gls_document_set_text(doc, t.data ? t.data : "", t.len);
                free(m.text);
                m.text = gls_xstrndup(t.data ? t.data : "", t.len);
                m.len = t.len;
                gls_buf_close(&t);
                assert_same(doc, &m, seed, step);
                continue;
            }
            gls_encoding_t enc = encs[rng_below(&r, 3)];
            uint32_t sl, sc, el, ec;
            random_position(&r, &m, lines, enc, &sl, &sc);
            if (rng_below(&r, 3) == 0) {
                random_position(&r, &m, lines, enc, &el, &ec);
            } else {
                /* A local edit: the same line or the next, maybe reversed. */
                el = sl + (uint32_t)(rng_below(&r, 4) == 0);
                if (el < sl)
                    el = sl;
                ec = (uint32_t)rng_below(&r, ref_line_units(&m, el, enc) + 2);
            }
            gls_buf_t ins;
            gls_buf_init(&ins);
            /* Keep the text from shrinking to nothing: insert more than is
             * usually deleted. */
            random_text(&ins, &r, rng_below(&r, m.len < 80 ? 12 : 6), 0);
            const char *it = ins.data ? ins.data : "";
            size_t a = ref_offset(&m, sl, sc, enc);
            size_t b = ref_offset(&m, el, ec, enc);
            gls_document_edit(doc, sl, sc, el, ec, enc, it, ins.len);
            ref_replace(&m, a, b, it, ins.len);
            if (ref_line_count(&m) != lines)
                line_changes++;
            gls_buf_close(&ins);
            edits++;
            assert_same(doc, &m, seed, step);
        }
        cr_assert_gt(doc->edits, 400);
        free(m.text);
        gls_document_free(doc);
    }
    cr_assert_geq(edits, 9500);
    cr_assert_geq(line_changes, 1000, "the edits must exercise the line table");
}

/* The same with raw byte ranges, which may split "\r\n" pairs and UTF-8
 * sequences (the line table must not care). */
Test(document, randomized_differential_byte_edits)
{
    for (uint64_t seed = 1; seed <= 20; seed++) {
        uint64_t r = seed * 1000003;
        gls_buf_t start;
        gls_buf_init(&start);
        random_text(&start, &r, 100, 1);
        gls_document_t *doc = gls_document_new("u", "t", 0, start.data, start.len);
        model_t m = {gls_xstrndup(start.data, start.len), start.len};
        gls_buf_close(&start);
        for (int step = 0; step < 500; step++) {
            size_t a = rng_below(&r, m.len + 3);
            size_t b = rng_below(&r, 4) ? a + rng_below(&r, 6) : rng_below(&r, m.len + 3);
            if (rng_below(&r, 50) == 0)
                b = (size_t)-1;
            gls_buf_t ins;
            gls_buf_init(&ins);
            random_text(&ins, &r, rng_below(&r, 4), 1);
            /* Sometimes only part of a token: half a "\r\n" or of a code point. */
            size_t ilen = ins.len && rng_below(&r, 3) == 0 ? rng_below(&r, ins.len) : ins.len;
            const char *it = ins.data ? ins.data : "";
            gls_document_replace(doc, a, b, it, ilen);
            ref_replace(&m, a, b, it, ilen);
            gls_buf_close(&ins);
            assert_same(doc, &m, seed, step);
        }
        free(m.text);
        gls_document_free(doc);
    }
}

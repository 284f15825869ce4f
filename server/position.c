/* position.c: UTF-8 decoding, line tables, offset <-> position conversion. */
#include "gls/position.h"

#include <stdlib.h>
#include <string.h>

#include "gls/util.h"

const char *gls_encoding_name(gls_encoding_t enc)
{
    switch (enc) {
    case GLS_ENCODING_UTF8:
        return "utf-8";
    case GLS_ENCODING_UTF32:
        return "utf-32";
    default:
        return "utf-16";
    }
}

size_t gls_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2, v = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3, v = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = 0xfffd;
        return 1;
    }
    if (len < n) {
        *cp = 0xfffd;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        *cp = 0xfffd;
        return 1;
    }
    *cp = v;
    return n;
}

int gls_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = gls_utf8_decode(p + i, len - i, &cp);
        if (cp == 0xfffd && n == 1)
            return 0;
        i += n;
    }
    return 1;
}

void gls_lines_init(gls_lines_t *l)
{
    l->cap = 16;
    l->starts = gls_xmalloc(l->cap * sizeof *l->starts);
    l->starts[0] = 0;
    l->count = 1;
}

void gls_lines_close(gls_lines_t *l)
{
    free(l->starts);
    l->starts = NULL;
    l->count = l->cap = 0;
}

static void lines_reserve(gls_lines_t *l, size_t n)
{
    if (n <= l->cap)
        return;
    size_t cap = l->cap ? l->cap : 16;
    while (cap < n)
        cap *= 2;
    l->starts = gls_xrealloc(l->starts, cap * sizeof *l->starts);
    l->cap = cap;
}

/* Appends to 'out' the line starts at positions p in (from, to], given the
 * full text. A line starts at p when text[p-1] is '\n', or is '\r' not
 * followed by '\n'. */
static void scan_starts(gls_lines_t *out, const char *text, size_t len, size_t from, size_t to)
{
    for (size_t p = from + 1; p <= to && p <= len; p++) {
        char prev = text[p - 1];
        if (prev == '\n' || (prev == '\r' && (p == len || text[p] != '\n'))) {
            lines_reserve(out, out->count + 1);
            out->starts[out->count++] = p;
        }
    }
}

void gls_lines_build(gls_lines_t *l, const char *text, size_t len)
{
    if (!l->starts)
        gls_lines_init(l);
    l->count = 1;
    l->starts[0] = 0;
    /* memchr-driven fast path: most files have no bare '\r'. */
    const char *p = text, *end = text + len;
    if (!memchr(text, '\r', len)) {
        while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
            p++;
            lines_reserve(l, l->count + 1);
            l->starts[l->count++] = (size_t)(p - text);
        }
        return;
    }
    scan_starts(l, text, len, 0, len);
}

size_t gls_lines_find(const gls_lines_t *l, size_t offset)
{
    size_t lo = 0, hi = l->count; /* invariant: starts[lo] <= offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void gls_lines_update(gls_lines_t *l, const char *text, size_t len, size_t start, size_t old_end,
                      size_t new_end)
{
    size_t line = gls_lines_find(l, start);
    /* Back up one line: an edit at the very start of a line can join a
     * preceding '\r' with an inserted '\n' and so remove that line start. */
    if (line > 0)
        line--;
    size_t from = l->starts[line];
    /* Old entries after old_end stay valid, shifted; entries in
     * (from, old_end] are recomputed from the new text over (from, new_end]. */
    size_t keep_from = line + 1;
    while (keep_from < l->count && l->starts[keep_from] <= old_end)
        keep_from++;
    size_t tail = l->count - keep_from;
    size_t *saved = NULL;
    if (tail) {
        saved = gls_xmalloc(tail * sizeof *saved);
        memcpy(saved, l->starts + keep_from, tail * sizeof *saved);
    }
    l->count = line + 1;
    scan_starts(l, text, len, from, new_end);
    lines_reserve(l, l->count + tail);
    for (size_t i = 0; i < tail; i++)
        l->starts[l->count++] = saved[i] - old_end + new_end;
    free(saved);
}

size_t gls_lines_content_end(const gls_lines_t *l, const char *text, size_t len, size_t line)
{
    if (line >= l->count)
        return len;
    size_t end = line + 1 < l->count ? l->starts[line + 1] : len;
    if (end > l->starts[line] && line + 1 < l->count) {
        if (text[end - 1] == '\n')
            end--;
        if (end > l->starts[line] && text[end - 1] == '\r')
            end--;
    }
    return end;
}

size_t gls_position_to_offset(const gls_lines_t *l, const char *text, size_t len, uint32_t line,
                              uint32_t character, gls_encoding_t enc)
{
    if (line >= l->count)
        return len;
    size_t p = l->starts[line];
    size_t end = gls_lines_content_end(l, text, len, line);
    const unsigned char *s = (const unsigned char *)text;
    size_t units = 0;
    while (p < end && units < character) {
        uint32_t cp;
        size_t n = s[p] < 0x80 ? (cp = s[p], 1) : gls_utf8_decode(s + p, end - p, &cp);
        size_t u = gls_units(cp, n, enc);
        if (units + u > character)
            break; /* inside this code point: snap to its start */
        units += u;
        p += n;
    }
    return p;
}

void gls_offset_to_position(const gls_lines_t *l, const char *text, size_t len, size_t offset,
                            gls_encoding_t enc, uint32_t *line, uint32_t *character)
{
    if (offset > len)
        offset = len;
    size_t ln = gls_lines_find(l, offset);
    size_t p = l->starts[ln];
    const unsigned char *s = (const unsigned char *)text;
    size_t units = 0;
    while (p < offset) {
        uint32_t cp;
        size_t n = s[p] < 0x80 ? (cp = s[p], 1) : gls_utf8_decode(s + p, len - p, &cp);
        if (p + n > offset)
            break; /* offset inside a code point: report its start */
        units += gls_units(cp, n, enc);
        p += n;
    }
    *line = (uint32_t)ln;
    *character = (uint32_t)units;
}

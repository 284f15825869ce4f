/* jsonpos.c: a position-recording scanner for already-valid JSON. */
#include "gls/jsonpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/util.h"

/* Paths are not stored: each is known by the 64-bit FNV-1a hash of its
 * text, which the scanner extends component by component (a member adds
 * "/key", an element "/3") and a lookup computes from the path string.
 * No string is copied per member, which kept a 100,000-concept glossary
 * busy in malloc and free; a collision between two paths of one file
 * (odds about n^2 / 2^64) would only misplace a message. */
#define FNV_BASIS 1469598103934665603ull
#define FNV_PRIME 1099511628211ull

static inline uint64_t fnv_byte(uint64_t h, unsigned char c)
{
    return (h ^ c) * FNV_PRIME;
}

static uint64_t fnv_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = fnv_byte(h, (unsigned char)s[i]);
    return h;
}

static size_t slot_of(uint64_t key, size_t mask)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (size_t)key & mask;
}

/* Open addressing; vals[] marks empty slots with UINT32_MAX (a key may be 0). */
static void table_put(gls_jsonpos_t *p, uint64_t key, uint32_t value)
{
    if ((p->used + 1) * 2 > p->slots) {
        size_t slots = p->slots ? p->slots * 2 : 1024;
        uint64_t *keys = gls_xmalloc(slots * sizeof *keys);
        uint32_t *vals = gls_xmalloc(slots * sizeof *vals);
        memset(vals, 0xff, slots * sizeof *vals);
        for (size_t i = 0; i < p->slots; i++) {
            if (p->vals[i] == UINT32_MAX)
                continue;
            size_t j = slot_of(p->keys[i], slots - 1);
            while (vals[j] != UINT32_MAX)
                j = (j + 1) & (slots - 1);
            keys[j] = p->keys[i];
            vals[j] = p->vals[i];
        }
        free(p->keys);
        free(p->vals);
        p->keys = keys;
        p->vals = vals;
        p->slots = slots;
    }
    size_t j = slot_of(key, p->slots - 1);
    while (p->vals[j] != UINT32_MAX) {
        if (p->keys[j] == key) {
            p->vals[j] = value;
            return;
        }
        j = (j + 1) & (p->slots - 1);
    }
    p->keys[j] = key;
    p->vals[j] = value;
    p->used++;
}

static const uint32_t *table_get(const gls_jsonpos_t *p, uint64_t key)
{
    if (!p->slots)
        return NULL;
    size_t j = slot_of(key, p->slots - 1);
    while (p->vals[j] != UINT32_MAX) {
        if (p->keys[j] == key)
            return &p->vals[j];
        j = (j + 1) & (p->slots - 1);
    }
    return NULL;
}

typedef struct scanner {
    const char *s;
    size_t len, i;
    uint32_t line, col;
    gls_jsonpos_t *out;
    int depth;
} scanner_t;

static void advance(scanner_t *sc)
{
    unsigned char c = (unsigned char)sc->s[sc->i++];
    if (c == '\n') {
        sc->line++;
        sc->col = 1;
    } else if ((c & 0xc0) != 0x80) {
        sc->col++;
    }
}

static void skip_ws(scanner_t *sc)
{
    while (sc->i < sc->len) {
        char c = sc->s[sc->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        advance(sc);
    }
}

static void record(scanner_t *sc, uint64_t path, uint32_t line, uint32_t col)
{
    gls_jsonpos_t *p = sc->out;
    if (p->count == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->lines = gls_xrealloc(p->lines, p->cap * sizeof *p->lines);
        p->cols = gls_xrealloc(p->cols, p->cap * sizeof *p->cols);
    }
    p->lines[p->count] = line;
    p->cols[p->count] = col;
    table_put(p, path, (uint32_t)p->count);
    p->count++;
}

/* Scans a string at sc->i (on the opening quote); returns 'h' extended
 * with its raw contents (escapes as written, minus the backslash, which
 * is enough for the plain keys we look up). */
static uint64_t scan_string(scanner_t *sc, uint64_t h)
{
    advance(sc); /* opening quote */
    while (sc->i < sc->len && sc->s[sc->i] != '"') {
        if (sc->s[sc->i] == '\\' && sc->i + 1 < sc->len) {
            h = fnv_byte(h, (unsigned char)sc->s[sc->i + 1]);
            advance(sc);
            advance(sc);
            continue;
        }
        h = fnv_byte(h, (unsigned char)sc->s[sc->i]);
        advance(sc);
    }
    if (sc->i < sc->len)
        advance(sc);
    return h;
}

static void scan_value(scanner_t *sc, uint64_t path)
{
    skip_ws(sc);
    if (sc->i >= sc->len || sc->depth > 200)
        return;
    char c = sc->s[sc->i];
    if (c == '{') {
        sc->depth++;
        advance(sc);
        for (;;) {
            skip_ws(sc);
            if (sc->i >= sc->len || sc->s[sc->i] == '}')
                break;
            if (sc->s[sc->i] == ',') {
                advance(sc);
                continue;
            }
            if (sc->s[sc->i] != '"')
                return;
            uint32_t line = sc->line, col = sc->col;
            uint64_t member = scan_string(sc, fnv_byte(path, '/'));
            record(sc, member, line, col);
            skip_ws(sc);
            if (sc->i < sc->len && sc->s[sc->i] == ':')
                advance(sc);
            scan_value(sc, member);
        }
        if (sc->i < sc->len)
            advance(sc);
        sc->depth--;
    } else if (c == '[') {
        sc->depth++;
        advance(sc);
        size_t index = 0;
        for (;;) {
            skip_ws(sc);
            if (sc->i >= sc->len || sc->s[sc->i] == ']')
                break;
            if (sc->s[sc->i] == ',') {
                advance(sc);
                continue;
            }
            char digits[24];
            int n = snprintf(digits, sizeof digits, "/%zu", index++);
            uint64_t element = fnv_bytes(path, digits, (size_t)n);
            record(sc, element, sc->line, sc->col);
            size_t before = sc->i;
            scan_value(sc, element);
            if (sc->i == before)
                return; /* not valid JSON after all: stop */
        }
        if (sc->i < sc->len)
            advance(sc);
        sc->depth--;
    } else if (c == '"') {
        scan_string(sc, 0);
    } else {
        while (sc->i < sc->len) {
            c = sc->s[sc->i];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' ||
                c == '\t')
                break;
            advance(sc);
        }
    }
}

void gls_jsonpos_build(gls_jsonpos_t *p, const char *text, size_t len)
{
    memset(p, 0, sizeof *p);
    scanner_t sc = {text, len, 0, 1, 1, p, 0};
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        sc.i = 3;
    skip_ws(&sc);
    record(&sc, FNV_BASIS, sc.line, sc.col); /* "" = the document */
    scan_value(&sc, FNV_BASIS);
}

void gls_jsonpos_close(gls_jsonpos_t *p)
{
    free(p->keys);
    free(p->vals);
    free(p->lines);
    free(p->cols);
    memset(p, 0, sizeof *p);
}

void gls_jsonpos_get(const gls_jsonpos_t *p, const char *path, uint32_t *line, uint32_t *col)
{
    size_t len = strlen(path);
    for (;;) {
        const uint32_t *ix = table_get(p, fnv_bytes(FNV_BASIS, path, len));
        if (ix) {
            *line = p->lines[*ix];
            *col = p->cols[*ix];
            return;
        }
        if (len == 0)
            break;
        while (len > 0 && path[len - 1] != '/')
            len--;
        if (len > 0)
            len--; /* drop the '/' */
    }
    *line = 0;
    *col = 0;
}

/* Blanks out // and block comments outside strings, keeping every byte's
 * line and column (JSONC, as strip-json-comments reads it). */
char *gls_json_strip_comments(const char *text, size_t len)
{
    char *out = gls_xstrndup(text, len);
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = out[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '/' && i + 1 < len && out[i + 1] == '/') {
            while (i < len && out[i] != '\n')
                out[i++] = ' ';
        } else if (c == '/' && i + 1 < len && out[i + 1] == '*') {
            out[i] = out[i + 1] = ' ';
            for (i += 2; i < len && !(out[i] == '*' && i + 1 < len && out[i + 1] == '/'); i++)
                if (out[i] != '\n')
                    out[i] = ' ';
            if (i < len)
                out[i] = out[i + 1] = ' ', i++;
        }
    }
    return out;
}

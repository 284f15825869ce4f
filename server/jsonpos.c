/* jsonpos.c: a position-recording scanner for already-valid JSON. */
#include "gls/jsonpos.h"

#include <stdlib.h>
#include <string.h>

#include "gls/util.h"

typedef struct scanner {
    const char *s;
    size_t len, i;
    uint32_t line, col;
    gls_jsonpos_t *out;
    gls_buf_t path;
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

static void record(scanner_t *sc, uint32_t line, uint32_t col)
{
    gls_jsonpos_t *p = sc->out;
    if (p->count == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->lines = gls_xrealloc(p->lines, p->cap * sizeof *p->lines);
        p->cols = gls_xrealloc(p->cols, p->cap * sizeof *p->cols);
    }
    p->lines[p->count] = line;
    p->cols[p->count] = col;
    gls_strmap_put(&p->paths, sc->path.data ? sc->path.data : "", sc->path.len,
                   (uint32_t)p->count);
    p->count++;
}

/* Scans a string at sc->i (on the opening quote); appends its raw
 * contents to 'out' when non-NULL (escapes are kept as written, which is
 * enough for the plain keys we look up). */
static void scan_string(scanner_t *sc, gls_buf_t *out)
{
    advance(sc); /* opening quote */
    while (sc->i < sc->len && sc->s[sc->i] != '"') {
        if (sc->s[sc->i] == '\\' && sc->i + 1 < sc->len) {
            if (out)
                gls_buf_putc(out, sc->s[sc->i + 1]);
            advance(sc);
            advance(sc);
            continue;
        }
        if (out)
            gls_buf_putc(out, sc->s[sc->i]);
        advance(sc);
    }
    if (sc->i < sc->len)
        advance(sc);
}

static void scan_value(scanner_t *sc);

static void scan_value(scanner_t *sc)
{
    skip_ws(sc);
    if (sc->i >= sc->len || sc->depth > 200)
        return;
    char c = sc->s[sc->i];
    if (c == '{') {
        sc->depth++;
        advance(sc);
        size_t base = sc->path.len;
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
            gls_buf_putc(&sc->path, '/');
            scan_string(sc, &sc->path);
            record(sc, line, col);
            skip_ws(sc);
            if (sc->i < sc->len && sc->s[sc->i] == ':')
                advance(sc);
            scan_value(sc);
            sc->path.len = base;
            if (sc->path.data)
                sc->path.data[base] = '\0';
        }
        if (sc->i < sc->len)
            advance(sc);
        sc->depth--;
    } else if (c == '[') {
        sc->depth++;
        advance(sc);
        size_t base = sc->path.len;
        size_t index = 0;
        for (;;) {
            skip_ws(sc);
            if (sc->i >= sc->len || sc->s[sc->i] == ']')
                break;
            if (sc->s[sc->i] == ',') {
                advance(sc);
                continue;
            }
            gls_buf_printf(&sc->path, "/%zu", index++);
            record(sc, sc->line, sc->col);
            size_t before = sc->i;
            scan_value(sc);
            sc->path.len = base;
            if (sc->path.data)
                sc->path.data[base] = '\0';
            if (sc->i == before)
                return; /* not valid JSON after all: stop */
        }
        if (sc->i < sc->len)
            advance(sc);
        sc->depth--;
    } else if (c == '"') {
        scan_string(sc, NULL);
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
    gls_strmap_init(&p->paths);
    scanner_t sc = {text, len, 0, 1, 1, p, {0}, 0};
    gls_buf_init(&sc.path);
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        sc.i = 3;
    skip_ws(&sc);
    record(&sc, sc.line, sc.col); /* "" = the document */
    scan_value(&sc);
    gls_buf_close(&sc.path);
}

void gls_jsonpos_close(gls_jsonpos_t *p)
{
    gls_strmap_close(&p->paths);
    free(p->lines);
    free(p->cols);
    memset(p, 0, sizeof *p);
}

void gls_jsonpos_get(const gls_jsonpos_t *p, const char *path, uint32_t *line, uint32_t *col)
{
    size_t len = strlen(path);
    for (;;) {
        uint32_t *ix = gls_strmap_get(&p->paths, path, len);
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

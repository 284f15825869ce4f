/* diag.c: lists of located problems. */
#include "gls/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "gls/util.h"

void gls_diags_init(gls_diags_t *d)
{
    d->items = NULL;
    d->count = d->cap = 0;
}

void gls_diags_close(gls_diags_t *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].path);
        free(d->items[i].code);
        free(d->items[i].message);
    }
    free(d->items);
    gls_diags_init(d);
}

static gls_diag_t *push(gls_diags_t *d)
{
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->items = gls_xrealloc(d->items, d->cap * sizeof *d->items);
    }
    return &d->items[d->count++];
}

void gls_diags_add(gls_diags_t *d, const char *path, uint32_t line, uint32_t column,
                   gls_severity_t severity, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gls_diags_vadd(d, path, line, column, severity, code, fmt, ap);
    va_end(ap);
}

void gls_diags_vadd(gls_diags_t *d, const char *path, uint32_t line, uint32_t column,
                    gls_severity_t severity, const char *code, const char *fmt, va_list ap)
{
    gls_diag_t *it = push(d);
    it->path = gls_xstrdup(path ? path : "");
    it->line = line;
    it->column = column;
    it->severity = severity;
    it->code = gls_xstrdup(code ? code : "");
    it->message = gls_xvasprintf(fmt, ap);
}

void gls_diags_extend(gls_diags_t *d, const gls_diags_t *src)
{
    for (size_t i = 0; i < src->count; i++) {
        const gls_diag_t *s = &src->items[i];
        gls_diags_add(d, s->path, s->line, s->column, s->severity, s->code, "%s", s->message);
    }
}

size_t gls_diags_count(const gls_diags_t *d, gls_severity_t severity)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity <= severity)
            n++;
    return n;
}

char *gls_diag_format(const gls_diag_t *it)
{
    static const char *names[] = {"", "error", "warning", "info", "hint"};
    return gls_xasprintf("%s:%u:%u: %s: %s [%s]", it->path, it->line, it->column,
                         names[it->severity], it->message, it->code);
}

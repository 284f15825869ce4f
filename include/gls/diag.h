/* diag.h: located problems (loader errors, lint findings) as plain data,
 * independent of LSP and JSON. */
#ifndef GLS_DIAG_H
#define GLS_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef enum gls_severity {
    GLS_SEV_ERROR = 1,
    GLS_SEV_WARNING = 2,
    GLS_SEV_INFO = 3,
    GLS_SEV_HINT = 4
} gls_severity_t;

typedef struct gls_diag {
    char *path;       /* owned */
    uint32_t line, column; /* 1-based; 0 when unknown */
    gls_severity_t severity;
    char *code;       /* owned, e.g. "glossary-conflict" */
    char *message;    /* owned */
} gls_diag_t;

typedef struct gls_diags {
    gls_diag_t *items;
    size_t count, cap;
} gls_diags_t;

void gls_diags_init(gls_diags_t *d);
void gls_diags_close(gls_diags_t *d);
void gls_diags_add(gls_diags_t *d, const char *path, uint32_t line, uint32_t column,
                   gls_severity_t severity, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* The same with a va_list. */
void gls_diags_vadd(gls_diags_t *d, const char *path, uint32_t line, uint32_t column,
                    gls_severity_t severity, const char *code, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));
/* Appends copies of every item of 'src'. */
void gls_diags_extend(gls_diags_t *d, const gls_diags_t *src);
/* Number of items at 'severity' or worse. */
size_t gls_diags_count(const gls_diags_t *d, gls_severity_t severity);
/* Formats one item as "path:line:col: severity: message [code]" into a new string. */
char *gls_diag_format(const gls_diag_t *item);

#endif

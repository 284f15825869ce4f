/* jsonpos.h: source positions for a JSON text that jansson has already
 * accepted. jansson keeps no positions on values, so this scans the text
 * once and records, for every object member and array element, the line
 * and column where it starts, under its JSON-pointer path ("/concepts/3/
 * term"; for a member, the position of its key). */
#ifndef GLS_JSONPOS_H
#define GLS_JSONPOS_H

#include <stddef.h>
#include <stdint.h>


typedef struct gls_jsonpos {
    uint64_t *keys;       /* path hashes (see jsonpos.c), open addressing */
    uint32_t *vals;       /* -> index into 'lines'/'cols'; UINT32_MAX: empty slot */
    size_t slots, used;
    uint32_t *lines, *cols;
    size_t count, cap;
} gls_jsonpos_t;

/* Scans 'text'; never fails (a malformed tail just records less). */
void gls_jsonpos_build(gls_jsonpos_t *p, const char *text, size_t len);
void gls_jsonpos_close(gls_jsonpos_t *p);
/* Finds 'path'; on a miss walks up to the nearest recorded ancestor.
 * Line and column are 1-based (0 when nothing is known); the column counts
 * characters (code points). */
void gls_jsonpos_get(const gls_jsonpos_t *p, const char *path, uint32_t *line, uint32_t *col);

/* A copy of 'text' with // and block comments (JSONC, as textlint and
 * cspell configs allow) blanked out with spaces outside strings, so every
 * byte keeps its line and column. Caller frees. */
char *gls_json_strip_comments(const char *text, size_t len);

#endif

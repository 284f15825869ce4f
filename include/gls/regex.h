/* regex.h: regular expressions for imported vocabularies (Vale, prh,
 * textlint), compiled and matched by PCRE2. Nothing else in glossary-ls
 * uses regular expressions: glossary forms go through the token matcher
 * (matcher.h), which is linear and independent of the glossary size; only
 * entries that really are patterns come here. A compiled regex is
 * immutable and may be matched from several threads at once. */
#ifndef GLS_REGEX_H
#define GLS_REGEX_H

#include <stddef.h>

#include "gls/util.h"

typedef struct gls_regex gls_regex_t;

enum {
    GLS_REGEX_CASELESS = 1 << 0, /* ignore case (as (?i) does) */
    GLS_REGEX_WORDS = 1 << 1     /* whole words only: the match may not start or end inside a word */
};

/* Compiles 'pattern' (PCRE2 syntax, which covers the JavaScript and Go
 * syntax vocabularies use in practice; UTF-8, Unicode properties). On
 * error returns NULL, writes a message to 'err' and the byte offset of
 * the problem in the pattern to '*err_offset'. Caller frees the result
 * with gls_regex_free. */
gls_regex_t *gls_regex_compile(const char *pattern, size_t len, unsigned flags, char *err,
                               size_t err_size, size_t *err_offset);
void gls_regex_free(gls_regex_t *re);

/* A match and its capture groups: group 0 is the whole match. */
typedef struct gls_regex_match {
    size_t start, end;
    size_t group_count;
    size_t groups[2 * 10]; /* start, end of groups 0..9; (size_t)-1 when unset */
} gls_regex_match_t;

/* Finds the first match in subject[from, len). Returns 1 and fills 'm',
 * 0 when there is none, -1 when the match gave up (the backtracking limit
 * that keeps a hostile pattern from stalling a worker). Empty matches are
 * never returned: the search moves on. */
int gls_regex_find(const gls_regex_t *re, const char *subject, size_t len, size_t from,
                   gls_regex_match_t *m);

/* Appends 'templ' to 'out' with $& and $0 replaced by the whole match, $1..$9
 * by the groups (empty when unset) and $$ by '$' (the JavaScript replace
 * syntax prh and textlint use; Vale's replacements are plain text and
 * contain no '$'). */
void gls_regex_expand(const gls_regex_match_t *m, const char *subject, const char *templ,
                      gls_buf_t *out);

/* Replaces every match in subject[0, len) by 'templ' expanded, into a new
 * string (caller frees), as a global JavaScript replace does. */
char *gls_regex_replace_all(const gls_regex_t *re, const char *subject, size_t len,
                            const char *templ);

/* 1 when 'pattern' has no regex syntax, so it can be matched as a plain
 * glossary form instead. */
int gls_regex_is_literal(const char *pattern, size_t len);

#endif

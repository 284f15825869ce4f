/* regex.c: the PCRE2 wrapper behind regex.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/regex.h"

/* PCRE2's JIT writes machine code valgrind cannot follow (it reports
 * uninitialised values in it): under valgrind the interpreter runs the
 * same patterns. The header comes with Debian's valgrind package. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

/* Backtracking budget per match attempt: plenty for the patterns
 * vocabularies contain, and it bounds a catastrophic one ("(a+)+$") to a
 * few milliseconds instead of minutes. */
#define MATCH_LIMIT 200000u
#define DEPTH_LIMIT 5000u

struct gls_regex {
    pcre2_code *code;
    pcre2_match_context *mctx;
    unsigned flags;
};

gls_regex_t *gls_regex_compile(const char *pattern, size_t len, unsigned flags, char *err,
                               size_t err_size, size_t *err_offset)
{
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    if (flags & GLS_REGEX_CASELESS)
        opts |= PCRE2_CASELESS;
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);
    if (!cctx)
        gls_xmalloc((size_t)-1); /* reports and aborts like every other allocation */
    /* Whole words: wrapped so that alternatives stay inside the group. */
    gls_buf_t wrapped;
    gls_buf_init(&wrapped);
    const char *src = pattern;
    size_t src_len = len;
    size_t shift = 0;
    if (flags & GLS_REGEX_WORDS) {
        /* (?<!\w) and (?!\w) rather than \b: a pattern that itself starts
         * or ends with a non-word character still works. */
        gls_buf_puts(&wrapped, "(?<![\\w])(?:");
        shift = wrapped.len;
        gls_buf_append(&wrapped, pattern, len);
        gls_buf_puts(&wrapped, ")(?![\\w])");
        src = wrapped.data;
        src_len = wrapped.len;
    }
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, src_len, opts, &code, &offset, cctx);
    pcre2_compile_context_free(cctx);
    gls_buf_close(&wrapped);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        if (err && err_size)
            snprintf(err, err_size, "%s", (const char *)msg);
        if (err_offset) {
            *err_offset = offset >= shift ? offset - shift : 0;
            if (*err_offset > len)
                *err_offset = len;
        }
        return NULL;
    }
    /* JIT makes the scan over each block several times faster; when the
     * platform has no JIT the interpreter runs the same pattern. */
    if (!UNDER_VALGRIND())
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    gls_regex_t *r = gls_xcalloc(1, sizeof *r);
    r->code = re;
    r->flags = flags;
    r->mctx = pcre2_match_context_create(NULL);
    if (!r->mctx)
        gls_xmalloc((size_t)-1);
    pcre2_set_match_limit(r->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(r->mctx, DEPTH_LIMIT);
    return r;
}

void gls_regex_free(gls_regex_t *re)
{
    if (!re)
        return;
    pcre2_match_context_free(re->mctx);
    pcre2_code_free(re->code);
    free(re);
}

int gls_regex_find(const gls_regex_t *re, const char *subject, size_t len, size_t from,
                   gls_regex_match_t *m)
{
    pcre2_match_data *md = pcre2_match_data_create(10, NULL);
    if (!md)
        gls_xmalloc((size_t)-1);
    int found = 0;
    while (from <= len) {
        int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, from, 0, md, re->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0 && rc != 0) {
            found = -1;
            break;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] == ov[0]) {
            /* An empty match marks nothing: try again one character on. */
            from = ov[0] + 1;
            while (from < len && ((unsigned char)subject[from] & 0xc0) == 0x80)
                from++;
            continue;
        }
        size_t pairs = rc == 0 ? 10 : (size_t)rc;
        m->start = ov[0];
        m->end = ov[1];
        m->group_count = pairs;
        for (size_t g = 0; g < 10; g++) {
            int set = g < pairs && ov[2 * g] != PCRE2_UNSET;
            m->groups[2 * g] = set ? ov[2 * g] : (size_t)-1;
            m->groups[2 * g + 1] = set ? ov[2 * g + 1] : (size_t)-1;
        }
        found = 1;
        break;
    }
    pcre2_match_data_free(md);
    return found;
}

void gls_regex_expand(const gls_regex_match_t *m, const char *subject, const char *templ,
                      gls_buf_t *out)
{
    for (const char *p = templ; *p; p++) {
        if (*p != '$' || !p[1]) {
            gls_buf_putc(out, *p);
            continue;
        }
        char c = p[1];
        if (c == '$') {
            gls_buf_putc(out, '$');
            p++;
        } else if (c == '&' || (c >= '0' && c <= '9')) {
            size_t g = c == '&' ? 0 : (size_t)(c - '0');
            if (g < 10 && m->groups[2 * g] != (size_t)-1)
                gls_buf_append(out, subject + m->groups[2 * g],
                               m->groups[2 * g + 1] - m->groups[2 * g]);
            p++;
        } else {
            gls_buf_putc(out, '$');
        }
    }
    if (!out->data)
        gls_buf_append(out, "", 0);
}

char *gls_regex_replace_all(const gls_regex_t *re, const char *subject, size_t len,
                            const char *templ)
{
    gls_buf_t out;
    gls_buf_init(&out);
    gls_buf_append(&out, "", 0);
    size_t at = 0;
    gls_regex_match_t m;
    while (at <= len && gls_regex_find(re, subject, len, at, &m) == 1) {
        gls_buf_append(&out, subject + at, m.start - at);
        gls_regex_expand(&m, subject, templ, &out);
        at = m.end;
    }
    if (at < len)
        gls_buf_append(&out, subject + at, len - at);
    return gls_buf_steal(&out, NULL);
}

int gls_regex_is_literal(const char *pattern, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (strchr("\\^$.|?*+()[]{}", pattern[i]) && pattern[i])
            return 0;
    return len > 0;
}

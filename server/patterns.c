/* patterns.c: an imported vocabulary's regular expressions over prose. */
#include <stdlib.h>
#include <string.h>

#include "gls/patterns.h"
#include "gls/regex.h"
#include "gls/text.h"

void gls_pattern_scratch_init(gls_pattern_scratch_t *sc)
{
    memset(sc, 0, sizeof *sc);
    gls_buf_init(&sc->joined);
    gls_buf_init(&sc->expanded);
}

void gls_pattern_scratch_close(gls_pattern_scratch_t *sc)
{
    gls_buf_close(&sc->joined);
    gls_buf_close(&sc->expanded);
    free(sc->map);
    memset(sc, 0, sizeof *sc);
}

static void put(gls_pattern_scratch_t *sc, char c, uint32_t from)
{
    if (sc->joined.len + 1 > sc->map_cap) {
        sc->map_cap = sc->map_cap ? 2 * sc->map_cap : 256;
        while (sc->map_cap < sc->joined.len + 1)
            sc->map_cap *= 2;
        sc->map = gls_xrealloc(sc->map, sc->map_cap * sizeof *sc->map);
    }
    sc->map[sc->joined.len] = from;
    gls_buf_putc(&sc->joined, c);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The block's prose as one string. A hard break (a code span, a URL)
 * becomes U+001F, which is neither a word character nor white space, so
 * no sensible pattern matches across it. */
static void join_block(const gls_prose_t *p, size_t block, const char *text,
                       gls_pattern_scratch_t *sc)
{
    const gls_block_t *b = &p->blocks[block];
    gls_buf_clear(&sc->joined);
    int last_space = 1;
    for (uint32_t k = 0; k < b->seg_count; k++) {
        const gls_segment_t *s = &p->segs[b->seg_first + k];
        if (k > 0 && s->sep == GLS_SEP_HARD) {
            put(sc, '\x1f', s->start);
            last_space = 1;
        } else if (k > 0 && s->sep == GLS_SEP_SPACE && !last_space) {
            put(sc, ' ', s->start);
            last_space = 1;
        }
        uint32_t skip_from = UINT32_MAX, skip_to = 0;
        for (uint32_t i = s->start; i < s->end; i++) {
            if (is_space(text[i])) {
                if (!last_space)
                    put(sc, ' ', i);
                last_space = 1;
                continue;
            }
            /* URLs and e-mail addresses are not prose: skipped as the
             * tokenizer skips them. */
            if ((i == s->start || is_space(text[i - 1])) &&
                !gls_url_or_email(text, i, s->end, &skip_from, &skip_to))
                skip_from = UINT32_MAX;
            if (i >= skip_from) {
                put(sc, '\x1f', i);
                i = skip_to - 1;
                skip_from = UINT32_MAX;
                last_space = 1;
                continue;
            }
            put(sc, text[i], i);
            last_space = 0;
        }
    }
    if (!sc->joined.data)
        gls_buf_append(&sc->joined, "", 0);
}

static int hit_cmp(const void *a, const void *b)
{
    const gls_pattern_hit_t *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1; /* longer first */
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

static void push(gls_pattern_hits_t *out, gls_pattern_hit_t h)
{
    if (out->count == out->cap) {
        out->cap = out->cap ? 2 * out->cap : 16;
        out->items = gls_xrealloc(out->items, out->cap * sizeof *out->items);
    }
    out->items[out->count++] = h;
}

/* Whether the exact (case-sensitive) pattern matches all of s[start, end). */
static int written_as_pattern(const gls_pattern_t *pt, const char *s, size_t start, size_t end)
{
    gls_regex_match_t m;
    size_t from = start;
    while (gls_regex_find(pt->exact, s, end, from, &m) == 1) {
        if (m.start == start && m.end == end)
            return 1;
        if (m.start > start)
            return 0;
        from = m.start + 1;
    }
    return 0;
}

/* Whether the words already read as the replacement would make them
 * ("[Jj]ava[Ss]cript" -> "JavaScript" over "JavaScript"): a finding
 * whose fix changes nothing is noise, and prh and textlint skip it too. */
static int already_replaced(const gls_pattern_t *pt, const char *s, const gls_regex_match_t *m,
                            gls_buf_t *scratch)
{
    gls_buf_clear(scratch);
    gls_regex_expand(m, s, pt->use, scratch);
    return scratch->len == m->end - m->start && memcmp(scratch->data, s + m->start, scratch->len) == 0;
}

void gls_patterns_find(const gls_glossary_t *g, const gls_prose_t *p, size_t block,
                       const char *text, gls_pattern_scratch_t *sc, gls_pattern_hits_t *out)
{
    if (!g->pattern_count || p->blocks[block].seg_count == 0)
        return;
    join_block(p, block, text, sc);
    const char *s = sc->joined.data;
    size_t len = sc->joined.len;
    if (len == 0)
        return;
    size_t first = out->count;
    for (uint32_t pi = 0; pi < g->pattern_count; pi++) {
        const gls_pattern_t *pt = &g->patterns[pi];
        size_t at = 0;
        gls_regex_match_t m;
        while (at < len && gls_regex_find(pt->compiled, s, len, at, &m) == 1) {
            at = m.end;
            if (pt->kind == GLS_PATTERN_EXACT_CASE && written_as_pattern(pt, s, m.start, m.end))
                continue;
            if (pt->kind == GLS_PATTERN_AVOID && pt->use && already_replaced(pt, s, &m, &sc->expanded))
                continue;
            if (pt->empty_group && pt->empty_group < m.group_count &&
                m.groups[2 * pt->empty_group] != (size_t)-1 &&
                m.groups[2 * pt->empty_group + 1] > m.groups[2 * pt->empty_group])
                continue;
            /* The last byte's offset + 1: joined bytes map one to one
             * onto the text except collapsed white space. */
            push(out, (gls_pattern_hit_t){sc->map[m.start], sc->map[m.end - 1] + 1, pi});
        }
    }
    size_t n = out->count - first;
    if (n > 1) {
        qsort(out->items + first, n, sizeof *out->items, hit_cmp);
        /* Two patterns over the same words say it once (the first). */
        size_t w = first + 1;
        for (size_t r = first + 1; r < out->count; r++) {
            const gls_pattern_hit_t *prev = &out->items[w - 1];
            if (out->items[r].start == prev->start && out->items[r].end == prev->end)
                continue;
            out->items[w++] = out->items[r];
        }
        out->count = w;
    }
}

/* analysis.c: prose extraction plus matching for a whole document. */
#include "gls/analysis.h"

#include <stdlib.h>
#include <string.h>

#include "gls/util.h"

void gls_analysis_init(gls_analysis_t *a)
{
    memset(a, 0, sizeof *a);
    gls_prose_init(&a->prose);
    gls_matches_init(&a->matches);
}

void gls_analysis_close(gls_analysis_t *a)
{
    gls_prose_parser_free(a->parser);
    gls_prose_close(&a->prose);
    gls_matches_close(&a->matches);
    free(a->match_block);
    free(a->caps.items);
    free(a->caps_block);
    free(a->hits.items);
    free(a->hit_block);
    gls_glossary_unref(a->glossary);
    memset(a, 0, sizeof *a);
}

/* A list of records kept per block, in document order, each beginning
 * with uint32_t start, end (gls_match_t, gls_caps_word_t), with a
 * parallel array of block indexes. One implementation of append and
 * splice serves both. */
typedef struct block_list {
    void **items;
    size_t *count, *cap;
    uint32_t **blocks;
    size_t size; /* bytes per record */
} block_list_t;

static void list_reserve(block_list_t *l, size_t want)
{
    if (want <= *l->cap && *l->blocks)
        return;
    size_t cap = *l->cap ? *l->cap : 32;
    while (cap < want)
        cap *= 2;
    *l->items = gls_xrealloc(*l->items, cap * l->size);
    *l->blocks = gls_xrealloc(*l->blocks, cap * sizeof **l->blocks);
    *l->cap = cap;
}

static void list_push(block_list_t *l, const void *item, uint32_t block)
{
    list_reserve(l, *l->count + 1);
    memcpy((char *)*l->items + *l->count * l->size, item, l->size);
    (*l->blocks)[*l->count] = block;
    (*l->count)++;
}

/* First record of block 'b' or later. */
static size_t list_lower_bound(const block_list_t *l, uint32_t b)
{
    size_t lo = 0, hi = *l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((*l->blocks)[mid] < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Replaces the records of blocks [first, first + removed) with those of
 * 'mid' (already for blocks [first, first + added)); the records after
 * move with one memmove and shift by 'delta' bytes and by the change in
 * the number of blocks. */
static void list_splice(block_list_t *l, uint32_t first, uint32_t removed, uint32_t added,
                        const block_list_t *mid, int64_t delta)
{
    size_t lo = list_lower_bound(l, first), hi = list_lower_bound(l, first + removed);
    size_t tail = *l->count - hi, n = *mid->count;
    size_t count = lo + n + tail;
    list_reserve(l, count);
    char *items = *l->items;
    uint32_t *blocks = *l->blocks;
    if (tail && lo + n != hi) {
        memmove(items + (lo + n) * l->size, items + hi * l->size, tail * l->size);
        memmove(blocks + lo + n, blocks + hi, tail * sizeof *blocks);
    }
    if (n) {
        memcpy(items + lo * l->size, *mid->items, n * l->size);
        memcpy(blocks + lo, *mid->blocks, n * sizeof *blocks);
    }
    int64_t block_shift = (int64_t)added - (int64_t)removed;
    if (delta != 0 || block_shift != 0)
        for (size_t k = lo + n; k < count; k++) {
            uint32_t *span = (uint32_t *)(void *)(items + k * l->size);
            span[0] = (uint32_t)((int64_t)span[0] + delta);
            span[1] = (uint32_t)((int64_t)span[1] + delta);
            blocks[k] = (uint32_t)((int64_t)blocks[k] + block_shift);
        }
    *l->count = count;
}

/* Appends old records [from, to) of 'l' to 'dst', shifted by 'delta' bytes
 * and 'block_shift' blocks. */
static void copy_shifted(block_list_t *dst, const block_list_t *l, size_t from, size_t to,
                         int64_t delta, int64_t block_shift)
{
    if (to <= from)
        return;
    size_t n = to - from, at = *dst->count;
    list_reserve(dst, at + n);
    char *items = (char *)*dst->items;
    uint32_t *blocks = *dst->blocks;
    memcpy(items + at * l->size, (char *)*l->items + from * l->size, n * l->size);
    memcpy(blocks + at, *l->blocks + from, n * sizeof *blocks);
    if (delta != 0 || block_shift != 0)
        for (size_t k = at; k < at + n; k++) {
            uint32_t *span = (uint32_t *)(void *)(items + k * l->size);
            span[0] = (uint32_t)((int64_t)span[0] + delta);
            span[1] = (uint32_t)((int64_t)span[1] + delta);
            blocks[k] = (uint32_t)((int64_t)blocks[k] + block_shift);
        }
    *dst->count = at + n;
}

/* Applies the runs of an incremental update to the records of 'l': the
 * records of each run's replaced blocks give way to those of 'mid'
 * (scanned for the new blocks, in document order), the others move by the
 * runs before them. One run (the common case: one edit, or edits close
 * together) splices in place; several are merged in one pass into new
 * arrays, not spliced one by one (each splice moves the whole tail). */
static void list_splice_runs(block_list_t *l, const gls_prose_splices_t *runs,
                             const block_list_t *mid)
{
    if (runs->count == 1) {
        const gls_prose_splice_t *sp = &runs->items[0];
        list_splice(l, (uint32_t)sp->first, (uint32_t)sp->removed, (uint32_t)sp->added, mid,
                    sp->delta);
        return;
    }
    void *items = NULL;
    uint32_t *blocks = NULL;
    size_t count = 0, cap = 0;
    block_list_t out = {&items, &count, &cap, &blocks, l->size};
    size_t src = 0, m = 0, n = *l->count, nmid = *mid->count;
    const uint32_t *old_blocks = *l->blocks;
    int64_t delta = 0, block_shift = 0;
    list_reserve(&out, n + nmid);
    for (size_t r = 0; r < runs->count; r++) {
        const gls_prose_splice_t *sp = &runs->items[r];
        uint32_t old_first = (uint32_t)((int64_t)sp->first - block_shift);
        size_t stop = src;
        while (stop < n && old_blocks[stop] < old_first)
            stop++;
        copy_shifted(&out, l, src, stop, delta, block_shift);
        src = stop;
        while (src < n && old_blocks[src] < old_first + sp->removed)
            src++;
        size_t mstop = m;
        while (mstop < nmid && (*mid->blocks)[mstop] < sp->first + sp->added)
            mstop++;
        copy_shifted(&out, mid, m, mstop, 0, 0);
        m = mstop;
        block_shift += (int64_t)sp->added - (int64_t)sp->removed;
        delta += sp->delta;
    }
    copy_shifted(&out, l, src, n, delta, block_shift);
    free(*l->items);
    free(*l->blocks);
    *l->items = items;
    *l->blocks = blocks;
    *l->count = count;
    *l->cap = cap;
}

static block_list_t match_list(gls_matches_t *ms, uint32_t **blocks)
{
    return (block_list_t){(void **)&ms->items, &ms->count, &ms->cap, blocks, sizeof *ms->items};
}

static block_list_t caps_list(gls_caps_words_t *cw, uint32_t **blocks)
{
    return (block_list_t){(void **)&cw->items, &cw->count, &cw->cap, blocks, sizeof *cw->items};
}

static block_list_t hit_list(gls_pattern_hits_t *h, uint32_t **blocks)
{
    return (block_list_t){(void **)&h->items, &h->count, &h->cap, blocks, sizeof *h->items};
}

static int caps_token(const char *text, const gls_token_t *t)
{
    size_t base;
    return t->letters >= 2 && (t->flags & GLS_TOKEN_UPPER) &&
           gls_acronym_shape(text + t->start, t->end - t->start, &base);
}

/* Records the acronym-shaped words of one block's tokens. */
static void find_caps(const char *text, const gls_tokens_t *toks, uint32_t block,
                      block_list_t *out)
{
    const gls_token_t *t = toks->items;
    size_t n = toks->count;
    size_t first = *out->count;
    int any_lower = 0;
    for (size_t k = 0; k < n; k++) {
        any_lower |= (t[k].flags & GLS_TOKEN_LOWER) != 0;
        if (!caps_token(text, &t[k]))
            continue;
        gls_caps_word_t c = {t[k].start, t[k].end, 0};
        if (k > 0 && t[k].sep <= GLS_SEP_SPACE && caps_token(text, &t[k - 1]))
            c.flags |= GLS_CAPS_PREV_CAPS;
        if (k + 1 < n && t[k + 1].sep <= GLS_SEP_SPACE && caps_token(text, &t[k + 1]))
            c.flags |= GLS_CAPS_NEXT_CAPS;
        if (k + 1 < n && t[k + 1].sep == GLS_SEP_SPACE &&
            text[t[k + 1].start] >= 'A' && text[t[k + 1].start] <= 'Z' &&
            (t[k + 1].flags & GLS_TOKEN_LOWER))
            c.flags |= GLS_CAPS_NEXT_NAME;
        list_push(out, &c, block);
    }
    if (!any_lower)
        for (size_t k = first; k < *out->count; k++)
            ((gls_caps_word_t *)*out->items)[k].flags |= GLS_CAPS_ALL_CAPS_BLOCK;
}

/* Appends the matches, caps words and pattern hits of blocks [first, last). */
static void scan_blocks(const gls_analysis_t *a, const gls_glossary_t *g, const char *text,
                        size_t first, size_t last, block_list_t *ms, block_list_t *caps,
                        block_list_t *hits)
{
    gls_pattern_scratch_t psc;
    gls_pattern_scratch_init(&psc);
    gls_pattern_hits_t found_hits = {0};
    gls_tokens_t toks;
    gls_tokens_init(&toks);
    gls_match_scratch_t sc;
    gls_match_scratch_init(&sc);
    gls_matches_t found;
    gls_matches_init(&found);
    for (size_t b = first; b < last; b++) {
        toks.count = 0;
        gls_prose_tokenize_block(&a->prose, b, text, &toks);
        found.count = 0;
        gls_match_tokens_scratch(g, text, toks.items, toks.count, &sc, &found);
        for (size_t m = 0; m < found.count; m++)
            list_push(ms, &found.items[m], (uint32_t)b);
        find_caps(text, &toks, (uint32_t)b, caps);
        if (g->pattern_count) {
            found_hits.count = 0;
            gls_patterns_find(g, &a->prose, b, text, &psc, &found_hits);
            for (size_t h = 0; h < found_hits.count; h++)
                list_push(hits, &found_hits.items[h], (uint32_t)b);
        }
    }
    free(found_hits.items);
    gls_pattern_scratch_close(&psc);
    gls_matches_close(&found);
    gls_match_scratch_close(&sc);
    gls_tokens_close(&toks);
}

void gls_analysis_run(gls_analysis_t *a, gls_glossary_t *g, const char *text, uint32_t len,
                      gls_language_t lang)
{
    gls_glossary_ref(g);
    gls_glossary_unref(a->glossary);
    a->glossary = g;
    a->language = lang;
    if (!a->parser)
        a->parser = gls_prose_parser_new();
    gls_prose_parse(a->parser, &a->prose, text, len, lang);
    a->matches.count = 0;
    a->caps.count = 0;
    a->hits.count = 0;
    block_list_t ms = match_list(&a->matches, &a->match_block);
    block_list_t caps = caps_list(&a->caps, &a->caps_block);
    block_list_t hits = hit_list(&a->hits, &a->hit_block);
    scan_blocks(a, g, text, 0, a->prose.block_count, &ms, &caps, &hits);
    a->full_runs++;
    a->last_blocks_rematched = a->prose.block_count;
}

void gls_analysis_update(gls_analysis_t *a, gls_glossary_t *g, const char *text, uint32_t len,
                         gls_language_t lang, const gls_text_edit_t *edits, size_t n, int full)
{
    gls_prose_splices_t runs = {0};
    if (full || n == 0 || a->glossary != g || a->language != lang || !a->parser ||
        gls_prose_reparse(a->parser, &a->prose, text, len, edits, n, &runs) < 0) {
        free(runs.items);
        gls_analysis_run(a, g, text, len, lang);
        return;
    }
    /* The new blocks of every run are scanned afresh; the records of the
     * other blocks move (list_splice_runs). */
    gls_matches_t mid_matches;
    gls_matches_init(&mid_matches);
    gls_caps_words_t mid_caps = {0};
    gls_pattern_hits_t mid_hits = {0};
    uint32_t *mid_match_block = NULL, *mid_caps_block = NULL, *mid_hit_block = NULL;
    block_list_t mm = match_list(&mid_matches, &mid_match_block);
    block_list_t mc = caps_list(&mid_caps, &mid_caps_block);
    block_list_t mh = hit_list(&mid_hits, &mid_hit_block);
    size_t rematched = 0;
    for (size_t r = 0; r < runs.count; r++) {
        const gls_prose_splice_t *sp = &runs.items[r];
        scan_blocks(a, g, text, sp->first, sp->first + sp->added, &mm, &mc, &mh);
        rematched += sp->added;
    }
    block_list_t ms = match_list(&a->matches, &a->match_block);
    block_list_t caps = caps_list(&a->caps, &a->caps_block);
    list_splice_runs(&ms, &runs, &mm);
    list_splice_runs(&caps, &runs, &mc);
    block_list_t hits = hit_list(&a->hits, &a->hit_block);
    list_splice_runs(&hits, &runs, &mh);
    free(mid_hits.items);
    free(mid_hit_block);
    gls_matches_close(&mid_matches);
    free(mid_match_block);
    free(mid_caps.items);
    free(mid_caps_block);
    free(runs.items);
    a->incremental_runs++;
    a->last_blocks_rematched = rematched;
}

long gls_analysis_match_at(const gls_analysis_t *a, uint32_t offset)
{
    /* Blocks come in document order and so do their matches. */
    size_t lo = 0, hi = a->matches.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->matches.items[mid].end < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < a->matches.count && a->matches.items[lo].start <= offset &&
        offset <= a->matches.items[lo].end)
        return (long)lo;
    return -1;
}

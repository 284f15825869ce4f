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
    gls_glossary_unref(a->glossary);
    memset(a, 0, sizeof *a);
}

/* Appends the matches of blocks [first, last) to 'ms' / 'mb'. */
static void match_blocks(const gls_analysis_t *a, const gls_glossary_t *g, const char *text,
                         size_t first, size_t last, gls_matches_t *ms, uint32_t **mb, size_t *cap)
{
    gls_tokens_t toks;
    gls_tokens_init(&toks);
    gls_match_scratch_t sc;
    gls_match_scratch_init(&sc);
    for (size_t b = first; b < last; b++) {
        toks.count = 0;
        gls_prose_tokenize_block(&a->prose, b, text, &toks);
        size_t before = ms->count;
        gls_match_tokens_scratch(g, text, toks.items, toks.count, &sc, ms);
        if (ms->count > *cap) {
            *cap = ms->cap;
            *mb = gls_xrealloc(*mb, *cap * sizeof **mb);
        }
        for (size_t m = before; m < ms->count; m++)
            (*mb)[m] = (uint32_t)b;
    }
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
    size_t cap = 0;
    free(a->match_block);
    a->match_block = NULL;
    match_blocks(a, g, text, 0, a->prose.block_count, &a->matches, &a->match_block, &cap);
    a->full_runs++;
    a->last_blocks_rematched = a->prose.block_count;
}

void gls_analysis_update(gls_analysis_t *a, gls_glossary_t *g, const char *text, uint32_t len,
                         gls_language_t lang, const gls_text_edit_t *edits, size_t n, int full)
{
    gls_prose_splice_t sp;
    if (full || n == 0 || a->glossary != g || a->language != lang || !a->parser ||
        gls_prose_reparse(a->parser, &a->prose, text, len, edits, n, &sp) < 0) {
        gls_analysis_run(a, g, text, len, lang);
        return;
    }
    int64_t delta = 0;
    for (size_t e = 0; e < n; e++)
        delta += (int64_t)edits[e].new_end - (int64_t)edits[e].old_end;
    /* Matches: those of blocks before the splice stay where they are, the
     * spliced blocks are matched afresh, those after move (one memmove)
     * and shift by the edits' total delta. */
    size_t lo = 0, hi;
    {
        /* First match of block sp.first, and first after the removed ones
         * (matches are sorted by block). */
        size_t l = 0, h = a->matches.count;
        while (l < h) {
            size_t mid = l + (h - l) / 2;
            if (a->match_block[mid] < sp.first)
                l = mid + 1;
            else
                h = mid;
        }
        lo = l;
        h = a->matches.count;
        while (l < h) {
            size_t mid = l + (h - l) / 2;
            if (a->match_block[mid] < sp.first + sp.removed)
                l = mid + 1;
            else
                h = mid;
        }
        hi = l;
    }
    gls_matches_t mid;
    gls_matches_init(&mid);
    uint32_t *mid_block = NULL;
    size_t mid_cap = 0;
    match_blocks(a, g, text, sp.first, sp.first + sp.added, &mid, &mid_block, &mid_cap);
    size_t tail = a->matches.count - hi;
    size_t count = lo + mid.count + tail;
    if (count > a->matches.cap) {
        size_t cap = a->matches.cap ? a->matches.cap : 32;
        while (cap < count)
            cap *= 2;
        a->matches.items = gls_xrealloc(a->matches.items, cap * sizeof *a->matches.items);
        a->matches.cap = cap;
    }
    a->match_block = gls_xrealloc(a->match_block, (a->matches.cap + 1) * sizeof *a->match_block);
    if (tail && lo + mid.count != hi) {
        memmove(a->matches.items + lo + mid.count, a->matches.items + hi,
                tail * sizeof *a->matches.items);
        memmove(a->match_block + lo + mid.count, a->match_block + hi,
                tail * sizeof *a->match_block);
    }
    if (mid.count) {
        memcpy(a->matches.items + lo, mid.items, mid.count * sizeof *mid.items);
        memcpy(a->match_block + lo, mid_block, mid.count * sizeof *mid_block);
    }
    int64_t block_shift = (int64_t)sp.added - (int64_t)sp.removed;
    for (size_t k = lo + mid.count; k < count; k++) {
        gls_match_t *m = &a->matches.items[k];
        m->start = (uint32_t)((int64_t)m->start + delta);
        m->end = (uint32_t)((int64_t)m->end + delta);
        a->match_block[k] = (uint32_t)((int64_t)a->match_block[k] + block_shift);
    }
    a->matches.count = count;
    gls_matches_close(&mid);
    free(mid_block);
    a->incremental_runs++;
    a->last_blocks_rematched = sp.added;
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

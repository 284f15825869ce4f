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
    for (size_t b = first; b < last; b++) {
        toks.count = 0;
        gls_prose_tokenize_block(&a->prose, b, text, &toks);
        size_t before = ms->count;
        gls_match_tokens(g, text, toks.items, toks.count, ms);
        if (ms->count > *cap) {
            *cap = ms->cap;
            *mb = gls_xrealloc(*mb, *cap * sizeof **mb);
        }
        for (size_t m = before; m < ms->count; m++)
            (*mb)[m] = (uint32_t)b;
    }
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
    /* Matches: those of blocks before the splice stay, the spliced blocks
     * are matched afresh, those after shift by the edits' total delta. */
    gls_matches_t ms;
    gls_matches_init(&ms);
    uint32_t *mb = NULL;
    size_t cap = 0;
    size_t k = 0;
    while (k < a->matches.count && a->match_block[k] < sp.first) {
        gls_matches_push(&ms, &a->matches.items[k]);
        k++;
    }
    if (ms.count > cap) {
        cap = ms.cap;
        mb = gls_xrealloc(mb, cap * sizeof *mb);
    }
    if (k)
        memcpy(mb, a->match_block, k * sizeof *mb);
    match_blocks(a, g, text, sp.first, sp.first + sp.added, &ms, &mb, &cap);
    while (k < a->matches.count && a->match_block[k] < sp.first + sp.removed)
        k++;
    for (; k < a->matches.count; k++) {
        gls_match_t m = a->matches.items[k];
        m.start = (uint32_t)((int64_t)m.start + delta);
        m.end = (uint32_t)((int64_t)m.end + delta);
        gls_matches_push(&ms, &m);
        if (ms.count > cap) {
            cap = ms.cap;
            mb = gls_xrealloc(mb, cap * sizeof *mb);
        }
        mb[ms.count - 1] = (uint32_t)((int64_t)a->match_block[k] + (int64_t)sp.added -
                                      (int64_t)sp.removed);
    }
    gls_matches_close(&a->matches);
    free(a->match_block);
    a->matches = ms;
    a->match_block = mb;
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

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
    gls_prose_close(&a->prose);
    gls_matches_close(&a->matches);
    free(a->match_block);
    gls_glossary_unref(a->glossary);
    memset(a, 0, sizeof *a);
}

void gls_analysis_run(gls_analysis_t *a, gls_glossary_t *g, const char *text, uint32_t len,
                      gls_language_t lang)
{
    gls_glossary_ref(g);
    gls_glossary_unref(a->glossary);
    a->glossary = g;
    a->language = lang;
    gls_prose_extract(&a->prose, text, len, lang);
    a->matches.count = 0;
    gls_tokens_t toks;
    gls_tokens_init(&toks);
    size_t cap = 0;
    free(a->match_block);
    a->match_block = NULL;
    for (size_t b = 0; b < a->prose.block_count; b++) {
        toks.count = 0;
        gls_prose_tokenize_block(&a->prose, b, text, &toks);
        size_t before = a->matches.count;
        gls_match_tokens(g, text, toks.items, toks.count, &a->matches);
        if (a->matches.count > cap) {
            cap = a->matches.cap;
            a->match_block = gls_xrealloc(a->match_block, cap * sizeof *a->match_block);
        }
        for (size_t m = before; m < a->matches.count; m++)
            a->match_block[m] = (uint32_t)b;
    }
    gls_tokens_close(&toks);
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

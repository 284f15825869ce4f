/* rule_acronym_case.c: a glossary acronym in the wrong case ("Nps",
 * "nrr"). Acronyms whose lowercase is an ordinary word (MAP, SOW) never
 * reach here: the matcher does not match them in another case. */
#include <ctype.h>
#include <stdlib.h>

#include "gls/rules.h"
#include "gls/util.h"

static int all_caps(const char *t, const gls_block_t *b)
{
    for (uint32_t i = b->start; i < b->end; i++)
        if (islower((unsigned char)t[i]))
            return 0;
    return 1;
}

static int number_before(const char *t, uint32_t from, uint32_t at)
{
    while (at > from && (t[at - 1] == ' ' || t[at - 1] == '\t'))
        at--;
    return at > from && isdigit((unsigned char)t[at - 1]);
}

void gls_rule_acronym_case(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out)
{
    const gls_glossary_t *g = ctx->glossary;
    const gls_matches_t *ms = &ctx->analysis->matches;
    for (size_t i = 0; i < ms->count; i++) {
        const gls_match_t *m = &ms->items[i];
        if (!(m->flags & GLS_MATCH_CASE_MISMATCH))
            continue;
        const gls_form_t *f = &g->forms[m->form];
        /* A form to avoid, in any case, is the avoid-term rule's. */
        if (f->kind == GLS_FORM_AVOID)
            continue;
        /* An all-caps heading is a style, not a case error. */
        const gls_block_t *b = &ctx->analysis->prose.blocks[ctx->analysis->match_block[i]];
        if (b->kind == GLS_BLOCK_HEADING && all_caps(ctx->text, b))
            continue;
        /* "5 ml", "10 gb": a unit after a number, not the acronym. */
        if (number_before(ctx->text, b->start, m->start))
            continue;
        char *written = gls_match_text_dup(ctx, m);
        /* A vocabulary's exact spelling ("Gainsight") is written as it is;
         * an acronym keeps the match's plural ending. */
        char *fixed = (f->flags & GLS_FORM_ACRONYM) ? gls_match_adapt(ctx, m, f->text)
                                                    : gls_xstrdup(f->text);
        gls_finding_t *x = gls_findings_add(out, self, m->start, m->end,
                                            "\"%s\" is written \"%s\" (%s)", written, fixed,
                                            g->concepts[m->concept].term);
        x->concept = m->concept;
        if (gls_match_contiguous(ctx, m)) {
            x->replacement = fixed;
            x->fix_title = gls_xasprintf("Write \"%s\"", fixed);
        } else {
            free(fixed);
        }
        free(written);
    }
}

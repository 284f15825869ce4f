/* rule_acronym_case.c: a glossary acronym in the wrong case ("Nps",
 * "nrr"). Acronyms whose lowercase is an ordinary word (MAP, SOW) never
 * reach here: the matcher does not match them in another case. */
#include <stdlib.h>

#include "gls/rules.h"
#include "gls/util.h"

void gls_rule_acronym_case(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out)
{
    const gls_glossary_t *g = ctx->glossary;
    const gls_matches_t *ms = &ctx->analysis->matches;
    for (size_t i = 0; i < ms->count; i++) {
        const gls_match_t *m = &ms->items[i];
        if (!(m->flags & GLS_MATCH_CASE_MISMATCH))
            continue;
        const gls_form_t *f = &g->forms[m->form];
        char *written = gls_match_text_dup(ctx, m);
        char *fixed = gls_match_adapt(ctx, m, f->text);
        gls_finding_t *x = gls_findings_add(out, self, m->start, m->end,
                                            "\"%s\" is written \"%s\" (%s)", written, fixed,
                                            g->concepts[m->concept].term);
        x->concept = m->concept;
        x->replacement = fixed;
        x->fix_title = gls_xasprintf("Write \"%s\"", fixed);
        free(written);
    }
}

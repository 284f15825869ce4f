/* rule_avoid_term.c: a form the glossary marks to avoid, or an avoided
 * spelling of a form ("cross sell" for "cross-sell"). */
#include <stdlib.h>
#include <string.h>

#include "gls/rules.h"
#include "gls/util.h"

/* The first sentence of a definition, for the message. */
static void first_sentence(const char *def, gls_buf_t *out)
{
    const char *end = def;
    while (*end && !(end[0] == '.' && (end[1] == ' ' || end[1] == '\0' || end[1] == '\n')))
        end++;
    gls_buf_append(out, def, (size_t)(end - def) + (*end == '.' ? 1 : 0));
}

void gls_rule_avoid_term(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out)
{
    const gls_glossary_t *g = ctx->glossary;
    const gls_matches_t *ms = &ctx->analysis->matches;
    for (size_t i = 0; i < ms->count; i++) {
        const gls_match_t *m = &ms->items[i];
        const gls_form_t *f = &g->forms[m->form];
        const gls_form_t *spelling = NULL;
        if (f->kind != GLS_FORM_AVOID) {
            spelling = gls_match_spelling_avoid(ctx, m);
            if (!spelling)
                continue;
            f = spelling;
        }
        const gls_concept_t *c = &g->concepts[m->concept];
        const char *use = f->use && *f->use ? f->use : c->term;
        /* A spelling rule keeps the words and fixes only the separators. */
        const char *target = spelling ? g->forms[m->form].text : use;
        char *written = gls_match_text_dup(ctx, m);
        gls_buf_t def;
        gls_buf_init(&def);
        first_sentence(c->definition, &def);
        gls_finding_t *x = gls_findings_add(
            out, self, m->start, m->end, "Avoid \"%s\": write \"%s\"%s%s%s%s%s", written, target,
            f->why && *f->why ? " (" : "", f->why && *f->why ? f->why : "",
            f->why && *f->why ? ")" : "", def.len ? ". " : ".", def.len ? def.data : "");
        x->concept = m->concept;
        x->replacement = gls_match_fix(ctx, m, target);
        if (x->replacement)
            x->fix_title = gls_xasprintf("Replace with \"%s\"", x->replacement);
        free(written);
        gls_buf_close(&def);
    }
}

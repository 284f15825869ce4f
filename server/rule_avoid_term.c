/* rule_avoid_term.c: a form the glossary marks to avoid, an avoided
 * spelling of a form ("cross sell" for "cross-sell"), or the prose breaking
 * an imported vocabulary's pattern (a Vale swap, a prh rule). */
#include <stdlib.h>
#include <string.h>

#include "gls/regex.h"
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

/* The fix for a pattern hit: its template expanded over the words as
 * written. Only when the words are on one line and the pattern matches
 * exactly them again (markup or a line break inside gets no fix). */
static char *pattern_fix(const gls_rule_ctx_t *ctx, const gls_pattern_t *pt, uint32_t start,
                         uint32_t end)
{
    if (!pt->use || pt->kind != GLS_PATTERN_AVOID)
        return NULL;
    if (memchr(ctx->text + start, '\n', end - start))
        return NULL;
    gls_regex_match_t m;
    if (gls_regex_find(pt->compiled, ctx->text, end, start, &m) != 1 || m.start != start ||
        m.end != end)
        return NULL;
    gls_buf_t out;
    gls_buf_init(&out);
    gls_regex_expand(&m, ctx->text, pt->use, &out);
    /* A capitalized word starting a sentence stays capitalized
     * ("Health-scores drop" -> "Health scores drop"). */
    if (pt->capitalize && out.len && out.data[0] >= 'a' && out.data[0] <= 'z' && ctx->text[start] >= 'A' &&
        ctx->text[start] <= 'Z' && gls_sentence_start(ctx->text, start))
        out.data[0] = (char)(out.data[0] - 32);
    return gls_buf_steal(&out, NULL);
}

static void pattern_finding(const gls_rule_ctx_t *ctx, int self, const gls_pattern_hit_t *h,
                            gls_findings_t *out)
{
    const gls_pattern_t *pt = &ctx->glossary->patterns[h->pattern];
    char *written = gls_xstrndup(ctx->text + h->start, h->end - h->start);
    for (char *c = written; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    char *fix = pattern_fix(ctx, pt, h->start, h->end);
    const char *why = pt->why && *pt->why ? pt->why : NULL;
    gls_buf_t msg;
    gls_buf_init(&msg);
    if (pt->kind == GLS_PATTERN_EXACT_CASE)
        gls_buf_printf(&msg, "\"%s\" is not written as the vocabulary spells it", written);
    else if (fix)
        gls_buf_printf(&msg, "Avoid \"%s\": write \"%s\"", written, fix);
    else if (pt->use && !strchr(pt->use, '$'))
        gls_buf_printf(&msg, "Avoid \"%s\": write \"%s\"", written, pt->use);
    else
        gls_buf_printf(&msg, "Avoid \"%s\"", written);
    if (why)
        gls_buf_printf(&msg, " (%s)", why);
    else /* no reason given: name the rule, so the writer can find it */
        gls_buf_printf(&msg, " (pattern %s, %s:%u)", pt->regex, pt->source, pt->line);
    gls_finding_t *x = gls_findings_add(out, self, h->start, h->end, "%s.", msg.data);
    gls_buf_close(&msg);
    x->concept = UINT32_MAX;
    if (fix) {
        x->replacement = fix;
        x->fix_title = gls_xasprintf("Replace with \"%s\"", fix);
    }
    free(written);
}

void gls_rule_avoid_term(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out)
{
    const gls_glossary_t *g = ctx->glossary;
    const gls_matches_t *ms = &ctx->analysis->matches;
    size_t first = out->count;
    for (size_t i = 0; i < ms->count; i++) {
        const gls_match_t *m = &ms->items[i];
        const gls_form_t *f = &g->forms[m->form];
        const gls_form_t *spelling = NULL;
        /* A vocabulary's case-sensitive entry ("mac OS X" in Vale's
         * reject.txt) flags only that case; an acronym to avoid is
         * flagged in any case ("cltv" as much as "CLTV"). */
        if (f->kind == GLS_FORM_AVOID && (m->flags & GLS_MATCH_CASE_MISMATCH) &&
            !(f->flags & GLS_FORM_ACRONYM))
            continue;
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
    /* A pattern over the very words a form already flagged says nothing
     * new (a vocabulary repeating the glossary): both lists are in
     * document order, so one pass skips those. */
    size_t k = first;
    for (size_t i = 0; i < ctx->analysis->hits.count; i++) {
        const gls_pattern_hit_t *h = &ctx->analysis->hits.items[i];
        while (k < out->count && out->items[k].start < h->start)
            k++;
        int same = 0;
        for (size_t j = k; j < out->count && out->items[j].start == h->start && !same; j++)
            same = out->items[j].end == h->end;
        if (!same)
            pattern_finding(ctx, self, h, out);
    }
}

/* rule_expand.c: expand-on-first-use: a glossary acronym used before the
 * document spells it out as "Full Form (ABBR)" or "ABBR (Full Form)", or
 * defines it with a "*[ABBR]: ..." line. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gls/rules.h"
#include "gls/strmap.h"
#include "gls/util.h"

/* Bytes of 'text' in [from, to) are only white space and at most one
 * 'open' character (and nothing else). */
static int only_paren_between(const char *text, uint32_t from, uint32_t to, char paren)
{
    int seen = 0;
    for (uint32_t i = from; i < to; i++) {
        char c = text[i];
        if (c == paren && !seen)
            seen = 1;
        else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '*' && c != '_')
            return 0; /* emphasis around the full form is fine: *Term* (ABBR) */
    }
    return seen;
}

static int is_acronym_form(const gls_form_t *f)
{
    return (f->flags & GLS_FORM_ACRONYM) && f->kind != GLS_FORM_AVOID;
}

/* Whether matches i and i+1 are a definition pair of one concept:
 * "Full Form (ABBR)" or "ABBR (Full Form)". */
int gls_definition_pair(const gls_rule_ctx_t *ctx, size_t i)
{
    const gls_matches_t *ms = &ctx->analysis->matches;
    if (i + 1 >= ms->count)
        return 0;
    const gls_match_t *a = &ms->items[i], *b = &ms->items[i + 1];
    if (a->concept != b->concept || (a->flags & GLS_MATCH_CASE_MISMATCH) ||
        (b->flags & GLS_MATCH_CASE_MISMATCH))
        return 0;
    const gls_form_t *fa = &ctx->glossary->forms[a->form], *fb = &ctx->glossary->forms[b->form];
    if (fa->kind == GLS_FORM_AVOID || fb->kind == GLS_FORM_AVOID)
        return 0;
    if (is_acronym_form(fa) == is_acronym_form(fb))
        return 0;
    if (!only_paren_between(ctx->text, a->end, b->start, '('))
        return 0;
    uint32_t k = b->end;
    while (k < ctx->len && (ctx->text[k] == ' ' || ctx->text[k] == '\t' ||
                            ctx->text[k] == '*' || ctx->text[k] == '_'))
        k++;
    return k < ctx->len && ctx->text[k] == ')';
}

/* The "*[ABBR]:" lines of the document, found in one pass. */
static void abbr_lines(const gls_rule_ctx_t *ctx, gls_strmap_t *out)
{
    const char *t = ctx->text, *end = t + ctx->len;
    for (const char *p = t; p < end; p++) {
        /* p is at the start of a line */
        if (end - p > 3 && p[0] == '*' && p[1] == '[') {
            const char *e = p + 2;
            while (e < end && *e != ']' && *e != '\n')
                e++;
            if (end - e > 1 && e[0] == ']' && e[1] == ':' && e > p + 2)
                gls_strmap_put(out, p + 2, (size_t)(e - p - 2), 1);
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        p = nl;
    }
}

/* Whether the capitals of 'abbr' are the initials of the words of 'full'
 * ("GDR" and "Gross Dollar Retention"). */
static int initials_match(const char *abbr, const char *full)
{
    const char *a = abbr;
    int at_word = 1;
    for (const char *f = full; *f && *a; f++) {
        if (*f == ' ' || *f == '-' || *f == '/') {
            at_word = 1;
            continue;
        }
        if (at_word && toupper((unsigned char)*f) == toupper((unsigned char)*a)) {
            a++;
            while (*a && !isupper((unsigned char)*a) && !isdigit((unsigned char)*a))
                a++; /* tNPS: lowercase letters of the acronym are extras */
        }
        at_word = 0;
    }
    return *a == '\0';
}

/* The full form an acronym stands for: the concept's term, or the full
 * form alias whose initials it is (GDR -> Gross Dollar Retention). */
static const char *expansion_of(const gls_glossary_t *g, uint32_t ci, const char *abbr)
{
    const gls_concept_t *c = &g->concepts[ci];
    if (initials_match(abbr, c->term))
        return c->term;
    for (uint32_t k = 0; k < c->form_count; k++) {
        const gls_form_t *f = &g->forms[c->first_form + k];
        if (f->kind == GLS_FORM_ALIAS && !(f->flags & GLS_FORM_ACRONYM) &&
            initials_match(abbr, f->text))
            return f->text;
    }
    return c->term;
}

void gls_rule_expand_on_first_use(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out)
{
    const gls_glossary_t *g = ctx->glossary;
    const gls_analysis_t *a = ctx->analysis;
    const gls_matches_t *ms = &a->matches;
    /* Per concept: 1 = spelled out already (or reported), so nothing more to say. */
    unsigned char *done = gls_xcalloc(g->concept_count + 1, 1);
    gls_strmap_t lines; /* "*[ABBR]:" lines, read when first needed */
    gls_strmap_init(&lines);
    int lines_read = 0;
    for (size_t i = 0; i < ms->count; i++) {
        const gls_match_t *m = &ms->items[i];
        if (done[m->concept])
            continue;
        if (gls_definition_pair(ctx, i)) {
            done[m->concept] = 1;
            i++;
            continue;
        }
        const gls_form_t *f = &g->forms[m->form];
        if (!is_acronym_form(f) || (f->flags & GLS_FORM_WELL_KNOWN) ||
            (m->flags & GLS_MATCH_CASE_MISMATCH))
            continue;
        /* Uses in headings neither count nor define. */
        if (a->prose.blocks[a->match_block[i]].kind == GLS_BLOCK_HEADING)
            continue;
        const gls_concept_t *c = &g->concepts[m->concept];
        /* Nothing to expand to when the term contains the acronym itself
         * ("LTV:CAC Ratio", "DAU/MAU Ratio"). */
        if (strstr(c->term, f->text))
            continue;
        done[m->concept] = 1;
        /* Spelled out by the document in its own words, or meaning
         * something else here ("Change Advisory Board (CAB)" where the
         * glossary's CAB is the Customer Advisory Board): nothing to say. */
        if (!lines_read) {
            abbr_lines(ctx, &lines);
            lines_read = 1;
        }
        if (gls_strmap_get(&lines, f->text, strlen(f->text)) ||
            gls_defined_locally(ctx->text, ctx->len, f->text, strlen(f->text), m->start))
            continue;
        /* "Full Form (ABBR)", with the plural carried to both parts. */
        const char *expansion = expansion_of(g, m->concept, f->text);
        char *full = gls_match_adapt(ctx, m, expansion);
        /* An acronym's capitals say nothing about how its expansion is
         * cased: mid-sentence, the term keeps its glossary case. */
        if (islower((unsigned char)expansion[0]) && !gls_sentence_start(ctx->text, m->start))
            full[0] = expansion[0];
        char *abbr = gls_match_text_dup(ctx, m);
        gls_finding_t *x = gls_findings_add(
            out, self, m->start, m->end,
            "\"%s\" is used before it is spelled out: write \"%s (%s)\" on first use", abbr, full,
            abbr);
        x->concept = m->concept;
        if (gls_match_contiguous(ctx, m)) {
            x->replacement = gls_xasprintf("%s (%s)", full, abbr);
            x->fix_title = gls_xasprintf("Spell out: \"%s\"", x->replacement);
        }
        free(full);
        free(abbr);
    }
    gls_strmap_close(&lines);
    free(done);
}

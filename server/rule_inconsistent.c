/* rule_inconsistent.c: inconsistent-term: one document naming one concept
 * in two ways where a style guide says pick one: two acronyms (CLV and
 * CLTV), two full forms (Voice of Customer, Voice of the Customer), or two
 * spellings of one form (time to value, time-to-value). A full form with
 * its acronym is the legitimate pair and never reported. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gls/rules.h"
#include "gls/util.h"

typedef struct use {
    uint32_t concept;
    uint32_t form;
    uint8_t spelling; /* 0 as in the glossary, 1 hyphenated, 2 spaced */
    uint8_t acronym;
    size_t match;
} use_t;

typedef struct variant {
    uint32_t form;
    uint8_t spelling;
    size_t count;
    size_t first;     /* first match index */
    int preference;   /* lower is preferred on a tie */
} variant_t;

/* Groups uses by (concept, acronym), keeping document order within a
 * group: a stable LSD radix sort on that key, 11 bits a digit and only
 * as many digits as the largest key has (one pass for a glossary of up to
 * 1,023 concepts, two up to 2 million), linear in the number of uses (a
 * comparison sort was a fifth of the rules' time on a large document; a
 * byte a time, with four counting passes, was still the longest rule on
 * every keystroke in a 1 MB document). */
static inline uint32_t use_key(const use_t *u)
{
    return (u->concept << 1) | u->acronym;
}

#define DIGIT_BITS 11
#define DIGIT_VALUES (1u << DIGIT_BITS)

static void sort_uses(use_t *uses, size_t n)
{
    if (n < 2)
        return;
    uint32_t max = 0;
    for (size_t k = 0; k < n; k++)
        if (use_key(&uses[k]) > max)
            max = use_key(&uses[k]);
    use_t *tmp = gls_xmalloc(n * sizeof *tmp);
    use_t *from = uses, *to = tmp;
    static _Thread_local size_t count[DIGIT_VALUES + 1];
    for (unsigned shift = 0; shift < 32 && (max >> shift) != 0; shift += DIGIT_BITS) {
        memset(count, 0, sizeof count);
        for (size_t k = 0; k < n; k++)
            count[((use_key(&from[k]) >> shift) & (DIGIT_VALUES - 1)) + 1]++;
        for (size_t b = 1; b <= DIGIT_VALUES; b++)
            count[b] += count[b - 1];
        for (size_t k = 0; k < n; k++)
            to[count[(use_key(&from[k]) >> shift) & (DIGIT_VALUES - 1)]++] = from[k];
        use_t *swap = from;
        from = to;
        to = swap;
    }
    if (from != uses)
        memcpy(uses, from, n * sizeof *uses);
    free(tmp);
}

/* The text of a variant: the form, with its separators as written. */
static char *variant_text(const gls_form_t *f, uint8_t spelling)
{
    char *s = gls_xstrdup(f->text);
    for (char *p = s; *p; p++) {
        if (spelling == 1 && *p == ' ')
            *p = '-';
        else if (spelling == 2 && *p == '-')
            *p = ' ';
    }
    return s;
}

/* Folds 's' for comparison: lowercase, hyphens as spaces. */
static void fold_words(const char *s, gls_buf_t *out)
{
    gls_buf_clear(out);
    gls_buf_putc(out, ' ');
    for (; *s; s++)
        gls_buf_putc(out, *s == '-' ? ' ' : (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s));
    gls_buf_putc(out, ' ');
}

/* True when the words of one of 'a' and 'b' appear, in order and whole,
 * inside the other. */
static int contains_words(const char *a, const char *b)
{
    gls_buf_t fa, fb;
    gls_buf_init(&fa);
    gls_buf_init(&fb);
    fold_words(a, &fa);
    fold_words(b, &fb);
    int r = strstr(fa.data, fb.data) != NULL || strstr(fb.data, fa.data) != NULL;
    gls_buf_close(&fa);
    gls_buf_close(&fb);
    return r;
}

static void report_group(const gls_rule_ctx_t *ctx, int self, use_t *u, size_t n,
                         gls_findings_t *out)
{
    const gls_glossary_t *g = ctx->glossary;
    const gls_matches_t *ms = &ctx->analysis->matches;
    variant_t vs[16];
    size_t nv = 0;
    for (size_t k = 0; k < n; k++) {
        size_t v = 0;
        while (v < nv && !(vs[v].form == u[k].form && vs[v].spelling == u[k].spelling))
            v++;
        if (v == nv) {
            if (nv == GLS_ARRAY_LEN(vs))
                continue;
            const gls_form_t *f = &g->forms[u[k].form];
            int kind_rank = f->kind == GLS_FORM_TERM ? 0 : f->kind == GLS_FORM_ABBREV ? 1 : 2;
            vs[nv++] = (variant_t){u[k].form, u[k].spelling, 0, u[k].match,
                                   kind_rank * 1000 + (int)(u[k].form - g->concepts[u[k].concept].first_form) * 3 + u[k].spelling};
        }
        vs[v].count++;
    }
    if (nv < 2)
        return;
    size_t keep = 0;
    for (size_t v = 1; v < nv; v++)
        if (vs[v].count > vs[keep].count ||
            (vs[v].count == vs[keep].count && vs[v].preference < vs[keep].preference))
            keep = v;
    const gls_form_t *kf = &g->forms[vs[keep].form];
    char *keep_text = variant_text(kf, vs[keep].spelling);
    const gls_match_t *km = &ms->items[vs[keep].first];
    for (size_t k = 0; k < n; k++) {
        if (u[k].form == vs[keep].form && u[k].spelling == vs[keep].spelling)
            continue;
        /* A shortened form ("Retention Rate" beside "Customer Retention
         * Rate") is a writer's normal back-reference, not a rival name. */
        if (u[k].form != vs[keep].form && contains_words(kf->text, g->forms[u[k].form].text))
            continue;
        const gls_match_t *m = &ms->items[u[k].match];
        char *written = gls_match_text_dup(ctx, m);
        gls_finding_t *x = gls_findings_add(
            out, self, m->start, m->end,
            "\"%s\" and \"%s\" both name %s in this document: pick one (\"%s\" is used %zu "
            "time%s)",
            written, keep_text, g->concepts[u[k].concept].term, keep_text, vs[keep].count,
            vs[keep].count == 1 ? "" : "s");
        x->concept = u[k].concept;
        x->replacement = gls_match_fix(ctx, m, keep_text);
        if (x->replacement)
            x->fix_title = gls_xasprintf("Replace with \"%s\"", x->replacement);
        x->related_start = km->start;
        x->related_end = km->end;
        x->related_message = gls_xasprintf("\"%s\" is used here", keep_text);
        free(written);
    }
    free(keep_text);
}

/* Words that follow a noun phrase rather than a modified noun. */
static const char *const after_noun[] = {
    "is", "was", "are", "were", "be", "been", "has", "had", "have", "will", "would", "can",
    "could", "should", "must", "may", "might", "and", "or", "but", "nor", "of", "for", "in",
    "to", "by", "as", "on", "at", "with", "from", "that", "which", "who", "than", "into",
    "per", "across", "over", "under", "after", "before", "during", "remains", "matters",
    "improves", "drops", "falls", "rises", "grows", "shows", "means", "depends", "tells",
    "measures", "tracks", "the", "a", "an", "this", "these", "those", "it", "we", "they",
    "every", "each", "all", "some", "any", "no", "short", "long", "low", "high", "down", "up",
    "above", "below", "again", "too", "first", "now", "then", "here", "there", "today",
    "soon", "fast", "slow", "well", "better", "worse", "less", "more", "under", "within"};

/* Whether the match is directly followed by a lowercase word that does
 * not start a predicate: then it modifies that word. */
static int modifier_use(const gls_rule_ctx_t *ctx, const gls_match_t *m)
{
    const char *t = ctx->text;
    uint32_t i = m->end;
    if (i >= ctx->len || t[i] != ' ')
        return 0;
    while (i < ctx->len && t[i] == ' ')
        i++;
    uint32_t w = i;
    while (w < ctx->len && islower((unsigned char)t[w]))
        w++;
    if (w == i || (w < ctx->len && isalnum((unsigned char)t[w])))
        return 0;
    if (w - i > 2 && t[w - 2] == 'l' && t[w - 1] == 'y')
        return 0; /* an adverb: "measure time-to-value weekly" */
    for (size_t k = 0; k < GLS_ARRAY_LEN(after_noun); k++)
        if (strlen(after_noun[k]) == w - i && strncmp(after_noun[k], t + i, w - i) == 0)
            return 0;
    return 1;
}

/* Whether the match stands in quotation marks. */
static int quoted(const gls_rule_ctx_t *ctx, const gls_match_t *m)
{
    const char *t = ctx->text;
    int before = m->start > 0 && (t[m->start - 1] == '"' || t[m->start - 1] == '\'');
    if (m->start >= 3 && (unsigned char)t[m->start - 3] == 0xe2 &&
        (unsigned char)t[m->start - 2] == 0x80 &&
        ((unsigned char)t[m->start - 1] == 0x9c || (unsigned char)t[m->start - 1] == 0x98))
        before = 1;
    int after = m->end < ctx->len && (t[m->end] == '"' || t[m->end] == '\'');
    if (m->end + 2 < ctx->len && (unsigned char)t[m->end] == 0xe2 &&
        (unsigned char)t[m->end + 1] == 0x80 &&
        ((unsigned char)t[m->end + 2] == 0x9d || (unsigned char)t[m->end + 2] == 0x99))
        after = 1;
    return before && after;
}

/* Matches i and i+1 are one concept's "Form (Other form)". */
static int paren_pair(const gls_rule_ctx_t *ctx, size_t i)
{
    const gls_matches_t *ms = &ctx->analysis->matches;
    if (i + 1 >= ms->count)
        return 0;
    const gls_match_t *a = &ms->items[i], *b = &ms->items[i + 1];
    if (a->concept != b->concept)
        return 0;
    int open = 0;
    for (uint32_t k = a->end; k < b->start; k++) {
        char c = ctx->text[k];
        if (c == '(' && !open)
            open = 1;
        else if (c != ' ' && c != '*' && c != '_')
            return 0;
    }
    return open && b->end < ctx->len && ctx->text[b->end] == ')';
}

/* A heading that names two forms of one concept is about the names
 * ("Are CLV and CLTV the same?"), not a use of either. */
static int names_variants(const gls_rule_ctx_t *ctx, size_t i)
{
    const gls_analysis_t *a = ctx->analysis;
    uint32_t b = a->match_block[i];
    if (a->prose.blocks[b].kind != GLS_BLOCK_HEADING)
        return 0;
    const gls_match_t *m = &a->matches.items[i];
    /* Matches are grouped by block: look only at this block's. */
    size_t k = i;
    while (k > 0 && a->match_block[k - 1] == b)
        k--;
    for (; k < a->matches.count && a->match_block[k] == b; k++)
        if (k != i && a->matches.items[k].concept == m->concept &&
            a->matches.items[k].form != m->form)
            return 1;
    return 0;
}

void gls_rule_inconsistent_term(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out)
{
    const gls_glossary_t *g = ctx->glossary;
    const gls_matches_t *ms = &ctx->analysis->matches;
    use_t *uses = gls_xmalloc((ms->count + 1) * sizeof *uses);
    size_t n = 0;
    for (size_t i = 0; i < ms->count; i++) {
        const gls_match_t *m = &ms->items[i];
        const gls_form_t *f = &g->forms[m->form];
        if (f->kind == GLS_FORM_AVOID || (m->flags & GLS_MATCH_CASE_MISMATCH) ||
            gls_match_spelling_avoid(ctx, m))
            continue;
        uint8_t spelling = (m->flags & GLS_MATCH_HYPHENATED) ? 1
                           : (m->flags & GLS_MATCH_SPACED)   ? 2
                                                             : 0;
        /* "time-to-value targets": hyphens in a compound modifier are
         * standard style, not a second spelling of the noun. */
        if (spelling == 1 && modifier_use(ctx, m))
            continue;
        /* A name mentioned rather than used ("finance writes “CLTV”"), a
         * heading that names the variants ("Are CLV and CLTV the same?"),
         * and a form glossed by another in parentheses ("Customer Success
         * Operations (CS Ops)") are not competing uses. */
        if (quoted(ctx, m) || names_variants(ctx, i))
            continue;
        /* In "Form (Other form)" of one kind, the second glosses the first. */
        if (i > 0 && paren_pair(ctx, i - 1) &&
            ((g->forms[ms->items[i - 1].form].flags ^ f->flags) & GLS_FORM_ACRONYM) == 0)
            continue;
        uses[n++] = (use_t){m->concept, m->form, spelling, (f->flags & GLS_FORM_ACRONYM) != 0, i};
    }
    sort_uses(uses, n);
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && uses[e].concept == uses[s].concept && uses[e].acronym == uses[s].acronym)
            e++;
        report_group(ctx, self, uses + s, e - s, out);
        s = e;
    }
    free(uses);
}

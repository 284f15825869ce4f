/* rule_metric.c: metric-misuse: a number stated for a metric that the
 * glossary's facts rule out ("GRR of 112%", "an NPS of 85%", "CSAT of
 * 7/5"), and a qualifier right before a term that contradicts it ("annual
 * QBR"). The facts and words come from the glossary. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/rules.h"
#include "gls/util.h"

/* Words that may stand between a metric and its value. */
static const char *const connectors[] = {
    "of", "at", "is", "was", "were", "are", "be", "been", "reached", "hit", "to", "from",
    "around", "about", "approximately", "roughly", "nearly", "almost", "rose", "fell", "dropped",
    "increased", "decreased", "improved", "grew", "jumped", "climbed", "went", "stood", "stands",
    "sits", "sat", "remains", "remained", "stayed", "now", "currently", "score", "rate", "a",
    "an", "the", "by", "our", "its", "their", "just", "only", "over", "under", "above", "below",
    "target", "goal", "=", "sat"};

typedef struct stated {
    double value;
    int percent;      /* followed by % or "percent" */
    int has_scale;    /* "7/5" or "7 out of 5" */
    double scale;
    int currency;     /* "$" or a currency word nearby */
    uint32_t start, end;
} stated_t;

static int is_connector(const char *w, size_t n)
{
    for (size_t i = 0; i < GLS_ARRAY_LEN(connectors); i++)
        if (strlen(connectors[i]) == n && strncasecmp(connectors[i], w, n) == 0)
            return 1;
    return 0;
}

/* Parses a number at t[i] (sign, digits, thousands commas, decimals). */
static int parse_number(const char *t, uint32_t len, uint32_t *i, double *out)
{
    uint32_t k = *i;
    int neg = 0;
    if (k < len && (t[k] == '-' || t[k] == '+')) {
        neg = t[k] == '-';
        k++;
    } else if (k + 2 < len && (unsigned char)t[k] == 0xe2 && (unsigned char)t[k + 1] == 0x88 &&
               (unsigned char)t[k + 2] == 0x92) {
        neg = 1; /* U+2212 minus sign */
        k += 3;
    }
    if (k >= len || !isdigit((unsigned char)t[k]))
        return 0;
    char buf[64];
    size_t n = 0;
    while (k < len && n < sizeof buf - 1 &&
           (isdigit((unsigned char)t[k]) ||
            (t[k] == ',' && k + 3 < len && isdigit((unsigned char)t[k + 1]) &&
             isdigit((unsigned char)t[k + 2]) && isdigit((unsigned char)t[k + 3])) ||
            (t[k] == '.' && k + 1 < len && isdigit((unsigned char)t[k + 1])))) {
        if (t[k] != ',')
            buf[n++] = t[k];
        k++;
    }
    buf[n] = '\0';
    /* "2024" or a version "1.2.3" is not a metric value. */
    if (k < len && (t[k] == '.' && k + 1 < len && isdigit((unsigned char)t[k + 1])))
        return 0;
    *out = strtod(buf, NULL) * (neg ? -1 : 1);
    *i = k;
    return 1;
}

/* Reads the value stated after byte 'from' in the same sentence: up to
 * four connector words, then a number with its unit. */
static int value_after(const char *t, uint32_t len, uint32_t from, uint32_t limit, stated_t *s)
{
    uint32_t i = from;
    int words = 0;
    memset(s, 0, sizeof *s);
    while (i < limit) {
        while (i < limit && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' ||
                             t[i] == ':' || t[i] == '*' || t[i] == '_'))
            i++;
        if (i >= limit)
            return 0;
        if (t[i] == '$' || ((unsigned char)t[i] == 0xe2 && i + 2 < len &&
                            (unsigned char)t[i + 1] == 0x82 && (unsigned char)t[i + 2] == 0xac)) {
            s->currency = 1;
            i += t[i] == '$' ? 1 : 3;
            continue;
        }
        uint32_t ns = i;
        double v;
        if (parse_number(t, limit, &i, &v)) {
            s->value = v;
            s->start = ns;
            if (i < limit && t[i] == '%') {
                s->percent = 1;
                i++;
            } else if (i + 8 <= limit && strncasecmp(t + i, " percent", 8) == 0) {
                s->percent = 1;
                i += 8;
            } else if (i < limit && t[i] == '/') {
                uint32_t j = i + 1;
                double sc;
                if (parse_number(t, limit, &j, &sc)) {
                    s->has_scale = 1;
                    s->scale = sc;
                    i = j;
                }
            } else if (i + 8 <= limit && strncasecmp(t + i, " out of ", 8) == 0) {
                uint32_t j = i + 8;
                double sc;
                if (parse_number(t, limit, &j, &sc)) {
                    s->has_scale = 1;
                    s->scale = sc;
                    i = j;
                }
            }
            /* "5 days", "3 months", "10k", "$2M", "15 points": a unit we do not
             * judge, or a change rather than a level. */
            uint32_t j = i;
            while (j < limit && t[j] == ' ')
                j++;
            if (j < limit && isalpha((unsigned char)t[j]) && !s->percent && !s->has_scale) {
                uint32_t w = j;
                while (w < limit && isalpha((unsigned char)t[w]))
                    w++;
                if (!(w - j == 2 && strncasecmp(t + j, "on", 2) == 0) &&
                    !(w - j == 3 && strncasecmp(t + j, "and", 3) == 0) &&
                    !(w - j == 2 && strncasecmp(t + j, "in", 2) == 0) &&
                    !(w - j == 3 && strncasecmp(t + j, "for", 3) == 0))
                    return 0;
            }
            if (i < limit && isalpha((unsigned char)t[i]))
                return 0; /* "10k", "2M" */
            s->end = i;
            return 1;
        }
        uint32_t ws = i;
        while (i < limit && (isalpha((unsigned char)t[i]) || t[i] == '='))
            i++;
        if (i == ws || !is_connector(t + ws, i - ws) || ++words > 4)
            return 0;
        /* "increased by", "points": a change, not a level. */
        if ((i - ws == 2 && strncasecmp(t + ws, "by", 2) == 0))
            return 0;
    }
    return 0;
}

/* End of the sentence that contains byte 'at', within the block. */
static uint32_t sentence_end(const char *t, uint32_t at, uint32_t block_end)
{
    for (uint32_t i = at; i < block_end; i++) {
        if ((t[i] == '.' || t[i] == '!' || t[i] == '?' || t[i] == ';') &&
            (i + 1 >= block_end || t[i + 1] == ' ' || t[i + 1] == '\n'))
            return i;
    }
    return block_end;
}

static const char *unit_word(gls_unit_t u)
{
    switch (u) {
    case GLS_UNIT_PERCENT:
        return "a percentage";
    case GLS_UNIT_SCORE:
        return "a score";
    case GLS_UNIT_CURRENCY:
        return "an amount of money";
    case GLS_UNIT_RATIO:
        return "a ratio";
    default:
        return "a count";
    }
}

static void describe_ranges(const gls_concept_t *c, gls_buf_t *out)
{
    for (uint32_t k = 0; k < c->value_count; k++) {
        const gls_value_range_t *r = &c->values[k];
        if (k)
            gls_buf_puts(out, k + 1 == c->value_count ? " or " : ", ");
        gls_buf_puts(out, unit_word((gls_unit_t)r->unit));
        const char *pct = r->unit == GLS_UNIT_PERCENT ? "%" : "";
        if (r->has_min && r->has_max)
            gls_buf_printf(out, " from %g%s to %g%s", r->min, pct, r->max, pct);
        else if (r->has_max)
            gls_buf_printf(out, " of at most %g%s", r->max, pct);
        else if (r->has_min)
            gls_buf_printf(out, " of at least %g%s", r->min, pct);
    }
}

/* Whether the stated value fits one of the concept's ranges. */
static int fits(const gls_concept_t *c, const stated_t *s)
{
    for (uint32_t k = 0; k < c->value_count; k++) {
        const gls_value_range_t *r = &c->values[k];
        int unit_ok;
        switch (r->unit) {
        case GLS_UNIT_PERCENT:
            unit_ok = s->percent;
            break;
        case GLS_UNIT_SCORE:
            unit_ok = !s->percent && !s->currency && (!s->has_scale || (r->has_max && s->scale == r->max));
            break;
        case GLS_UNIT_CURRENCY:
            unit_ok = !s->percent;
            break;
        case GLS_UNIT_RATIO:
            unit_ok = 1;
            break;
        default:
            unit_ok = !s->percent;
        }
        if (!unit_ok)
            continue;
        if ((r->has_min && s->value < r->min) || (r->has_max && s->value > r->max))
            continue;
        return 1;
    }
    return 0;
}

void gls_rule_metric_misuse(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out)
{
    const gls_glossary_t *g = ctx->glossary;
    const gls_analysis_t *a = ctx->analysis;
    const gls_matches_t *ms = &a->matches;
    const char *t = ctx->text;
    for (size_t i = 0; i < ms->count; i++) {
        const gls_match_t *m = &ms->items[i];
        const gls_concept_t *c = &g->concepts[m->concept];
        const gls_block_t *b = &a->prose.blocks[a->match_block[i]];
        if (g->forms[m->form].kind == GLS_FORM_AVOID)
            continue;
        /* A qualifier right before the term that contradicts it. */
        if (c->contradicting_count) {
            uint32_t e = m->start;
            while (e > b->start && (t[e - 1] == ' ' || t[e - 1] == '-'))
                e--;
            uint32_t s = e;
            while (s > b->start && isalpha((unsigned char)t[s - 1]))
                s--;
            for (uint32_t k = 0; k < c->contradicting_count && s < e; k++) {
                const char *q = c->contradicting[k];
                if (strlen(q) == e - s && strncasecmp(t + s, q, e - s) == 0) {
                    char *written = gls_match_text_dup(ctx, m);
                    gls_finding_t *x = gls_findings_add(
                        out, self, s, m->end, "\"%.*s %s\" contradicts itself: %s is %s by definition",
                        (int)(e - s), t + s, written, c->term,
                        c->cadence ? c->cadence : "something else");
                    x->concept = m->concept;
                    free(written);
                    break;
                }
            }
        }
        if (!c->value_count)
            continue;
        /* Stop at the next glossary term: its value is its own. */
        uint32_t limit = sentence_end(t, m->end, b->end);
        if (i + 1 < ms->count && ms->items[i + 1].start < limit &&
            a->match_block[i + 1] == a->match_block[i])
            limit = ms->items[i + 1].start;
        stated_t s;
        if (!value_after(t, ctx->len, m->end, limit, &s))
            continue;
        if (fits(c, &s))
            continue;
        char *written = gls_match_text_dup(ctx, m);
        gls_buf_t ranges;
        gls_buf_init(&ranges);
        describe_ranges(c, &ranges);
        gls_finding_t *x = gls_findings_add(out, self, m->start, s.end,
                                            "%s of %.*s is impossible: %s is stated as %s",
                                            written, (int)(s.end - s.start), t + s.start, written,
                                            ranges.data ? ranges.data : "something else");
        x->concept = m->concept;
        free(written);
        gls_buf_close(&ranges);
    }
}

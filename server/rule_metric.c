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
#include "gls/strmap.h"
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

static gls_wordset_t connector_set = GLS_WORDSET(connectors, 1);

static int is_connector(const char *w, size_t n)
{
    return gls_wordset_has(&connector_set, w, n);
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

/* Words after a number that make it something other than the metric's
 * level: a duration, a count of things, a change in points. */
static const char *const unit_words[] = {
    "day", "days", "week", "weeks", "month", "months", "year", "years", "quarter", "quarters",
    "hour", "hours", "minute", "minutes", "point", "points", "pts", "pp", "bps", "basis",
    "user", "users", "customer", "customers", "account", "accounts", "seat", "seats",
    "license", "licenses", "ticket", "tickets", "people", "respondent", "respondents",
    "response", "responses", "survey", "surveys", "time", "times", "x", "k", "m", "bn",
    "percentage", "ppts", "logos", "deals", "renewals"};

/* Verbs that state a change; "grew 20%" is a change, "grew to 20%" a level. */
static const char *const change_verbs[] = {
    "rose", "fell", "dropped", "increased", "decreased", "grew", "jumped", "climbed",
    "improved", "declined", "gained", "lost", "slipped", "moved", "shifted", "changed", "up",
    "down"};

static gls_wordset_t unit_word_set = GLS_WORDSET(unit_words, 1);
static gls_wordset_t change_verb_set = GLS_WORDSET(change_verbs, 1);

/* Reads the value stated after byte 'from' in the same sentence: up to
 * four connector words, then a number with its unit. A change ("grew
 * 20%"), a duration or a count ("30 days", "15 points") is not a level. */
static int value_after(const char *t, uint32_t len, uint32_t from, uint32_t limit, stated_t *s)
{
    uint32_t i = from;
    int words = 0, change = 0;
    memset(s, 0, sizeof *s);
    while (i < limit) {
        while (i < limit && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' ||
                             t[i] == ':' || t[i] == '*' || t[i] == '_' || t[i] == ','))
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
            /* "for 2024", "in Q3 2025": a year, not the value. */
            if (i - ns == 4 && v >= 1900 && v <= 2100 && !(i < limit && t[i] == '%')) {
                if (++words > 4)
                    return 0;
                continue;
            }
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
            if (i < limit && isalpha((unsigned char)t[i]))
                return 0; /* "10k", "2M", "3x" */
            uint32_t j = i;
            while (j < limit && t[j] == ' ')
                j++;
            uint32_t w = j;
            while (w < limit && isalpha((unsigned char)t[w]))
                w++;
            if (w > j && gls_wordset_has(&unit_word_set, t + j, w - j))
                return 0;
            if (change)
                return 0;
            /* "45% - 20% = 25": a term in a calculation, not the value. */
            uint32_t o = i;
            while (o < limit && t[o] == ' ')
                o++;
            if (o < limit && strchr("-+*/=x", t[o]) && o + 1 < limit) {
                uint32_t q = o + 1;
                while (q < limit && t[q] == ' ')
                    q++;
                if (q < limit && (isdigit((unsigned char)t[q]) || t[q] == '$'))
                    return 0;
            }
            if (o + 1 < limit && (unsigned char)t[o] == 0xc3 && (unsigned char)t[o + 1] == 0x97)
                return 0; /* the multiplication sign */
            if (o + 2 < limit && (unsigned char)t[o] == 0xe2 &&
                (((unsigned char)t[o + 1] == 0x88 && (unsigned char)t[o + 2] == 0x92) ||
                 ((unsigned char)t[o + 1] == 0x80 && (unsigned char)t[o + 2] == 0x93)))
                return 0; /* a minus sign or an en dash between numbers */
            s->end = i;
            return 1;
        }
        uint32_t ws = i;
        while (i < limit && (isalpha((unsigned char)t[i]) || t[i] == '='))
            i++;
        if (i == ws)
            return 0;
        if (gls_wordset_has(&change_verb_set, t + ws, i - ws)) {
            change = 1;
        } else if (i - ws == 2 && strncasecmp(t + ws, "to", 2) == 0) {
            change = 0; /* "rose to 45": a level again */
        } else if (i - ws == 2 && strncasecmp(t + ws, "by", 2) == 0) {
            return 0; /* "increased by 15": a change */
        } else if (!is_connector(t + ws, i - ws) &&
                   !(i - ws == 3 && strncasecmp(t + ws, "for", 3) == 0) &&
                   !(i - ws == 2 && strncasecmp(t + ws, "in", 2) == 0)) {
            return 0;
        }
        if (++words > 4)
            return 0;
    }
    return 0;
}

/* End of the sentence that contains byte 'at', within the block. */
/* The end of the sentence that 'at' is in, looked for before 'stop'
 * (<= 'block_end'); 'stop' when there is none. */
static uint32_t sentence_end(const char *t, uint32_t at, uint32_t stop, uint32_t block_end)
{
    for (uint32_t i = at; i < stop; i++) {
        if ((t[i] == '.' || t[i] == '!' || t[i] == '?' || t[i] == ';') &&
            (i + 1 >= block_end || t[i + 1] == ' ' || t[i + 1] == '\n'))
            return i;
    }
    return stop;
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

/* Whether the word w[0, n) contradicts the concept: listed as is, or a
 * hyphenated word whose last part is listed ("bi-weekly"), or an adverb
 * of a listed adjective ("annually"). */
static int qualifier(const gls_concept_t *c, const char *w, size_t n)
{
    const char *dash = NULL;
    for (size_t i = 0; i < n; i++)
        if (w[i] == '-')
            dash = w + i;
    for (uint32_t k = 0; k < c->contradicting_count; k++) {
        const char *q = c->contradicting[k];
        size_t ql = strlen(q);
        if (ql == n && strncasecmp(q, w, n) == 0)
            return 1;
        if (dash && ql == (size_t)(w + n - dash - 1) && strncasecmp(q, dash + 1, ql) == 0)
            return 1;
        if (n == ql + 2 && strncasecmp(q, w, ql) == 0 && strncasecmp(w + ql, "ly", 2) == 0)
            return 1;
    }
    return 0;
}

/* Nouns that, right after a term, make it a modifier ("QBR calendar"). */
static const char *const heads[] = {
    "prep", "preparation", "call", "calls", "calendar", "calendars", "schedule", "schedules",
    "planning", "sync", "syncs", "invite", "invites", "reminder", "reminders",
    "program", "programme", "season", "cycle", "cycles", "report", "reports", "summary",
    "rollup", "review", "reviews", "retro", "retrospective", "check-in", "huddle", "standup",
    "stand-up", "meeting", "meetings", "slot", "slots", "window", "tracker"};

static gls_wordset_t head_set = GLS_WORDSET(heads, 1);

static int compound_head(const char *t, uint32_t end, uint32_t limit)
{
    uint32_t i = end;
    while (i < limit && t[i] == ' ')
        i++;
    uint32_t w = i;
    while (w < limit && (isalpha((unsigned char)t[w]) || t[w] == '-'))
        w++;
    return w > i && gls_wordset_has(&head_set, t + i, w - i);
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
        /* A qualifier right before the term ("annual QBR", "bi-weekly
         * QBR") or right after it ("the QBR annually") that contradicts it. */
        if (c->contradicting_count) {
            uint32_t e = m->start;
            if (e > b->start && t[e - 1] == '-')
                e--; /* "annual-QBR" */
            while (e > b->start && t[e - 1] == ' ')
                e--;
            uint32_t st = e;
            while (st > b->start && (isalpha((unsigned char)t[st - 1]) || t[st - 1] == '-'))
                st--;
            while (st < e && t[st] == '-')
                st++;
            uint32_t as = m->end;
            while (as < b->end && t[as] == ' ')
                as++;
            uint32_t ae = as;
            while (ae < b->end && isalpha((unsigned char)t[ae]))
                ae++;
            uint32_t qs = 0, qe = 0;
            /* "a weekly QBR prep call": the qualifier is the call's. */
            if (st < e && qualifier(c, t + st, e - st) && !compound_head(t, m->end, b->end))
                qs = st, qe = e;
            else if (ae > as && qualifier(c, t + as, ae - as))
                qs = as, qe = ae;
            if (qe > qs) {
                char *written = gls_match_text_dup(ctx, m);
                uint32_t fs = qs < m->start ? qs : m->start, fe = qe > m->end ? qe : m->end;
                gls_finding_t *x = gls_findings_add(
                    out, self, fs, fe, "\"%.*s\" contradicts \"%s\": %s is %s by definition",
                    (int)(qe - qs), t + qs, written, c->term,
                    c->cadence ? c->cadence : "something else");
                x->concept = m->concept;
                free(written);
            }
        }
        if (!c->value_count)
            continue;
        /* Stop at the next glossary term (its value is its own), and look
         * for the sentence's end only up to it. */
        uint32_t stop = b->end;
        if (i + 1 < ms->count && ms->items[i + 1].start < stop &&
            a->match_block[i + 1] == a->match_block[i])
            stop = ms->items[i + 1].start;
        uint32_t limit = sentence_end(t, m->end, stop, b->end);
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

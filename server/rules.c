/* rules.c: the rule table, findings, suppression comments, and helpers
 * the rules share. */
#include "gls/rules.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/util.h"


const gls_rule_t gls_rules[] = {
    {"undefined-acronym", GLS_SEV_INFO,
     "an acronym that no glossary and no definition in the document explains",
     gls_rule_undefined_acronym},
    {"expand-on-first-use", GLS_SEV_INFO,
     "a glossary acronym used before the document spells it out", gls_rule_expand_on_first_use},
    {"inconsistent-term", GLS_SEV_WARNING,
     "two or more forms of one concept where one should be picked", gls_rule_inconsistent_term},
    {"avoid-term", GLS_SEV_WARNING, "a term the glossary says to avoid", gls_rule_avoid_term},
    {"acronym-case", GLS_SEV_WARNING, "a glossary acronym written in the wrong case",
     gls_rule_acronym_case},
    {"metric-misuse", GLS_SEV_WARNING,
     "a metric stated in a way its definition rules out", gls_rule_metric_misuse},
};
const size_t gls_rule_count = GLS_ARRAY_LEN(gls_rules);

int gls_rule_find(const char *name)
{
    for (size_t i = 0; i < gls_rule_count; i++)
        if (strcmp(gls_rules[i].name, name) == 0)
            return (int)i;
    return -1;
}

void gls_rule_settings_default(gls_rule_settings_t *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < gls_rule_count; i++)
        s->severity[i] = gls_rules[i].default_severity;
}

int gls_severity_parse(const char *name)
{
    if (strcasecmp(name, "off") == 0 || strcasecmp(name, "none") == 0)
        return GLS_RULE_OFF;
    if (strcasecmp(name, "hint") == 0)
        return GLS_SEV_HINT;
    if (strcasecmp(name, "info") == 0 || strcasecmp(name, "information") == 0)
        return GLS_SEV_INFO;
    if (strcasecmp(name, "warning") == 0 || strcasecmp(name, "warn") == 0)
        return GLS_SEV_WARNING;
    if (strcasecmp(name, "error") == 0)
        return GLS_SEV_ERROR;
    return -1;
}

const char *gls_severity_name(gls_severity_t s)
{
    switch (s) {
    case GLS_SEV_ERROR:
        return "error";
    case GLS_SEV_WARNING:
        return "warning";
    case GLS_SEV_INFO:
        return "info";
    case GLS_SEV_HINT:
        return "hint";
    default:
        return "off";
    }
}

void gls_findings_init(gls_findings_t *f)
{
    f->items = NULL;
    f->count = f->cap = 0;
}

static void finding_free(gls_finding_t *x)
{
    free(x->message);
    free(x->replacement);
    free(x->fix_title);
    free(x->related_message);
    free(x->token);
}

void gls_findings_close(gls_findings_t *f)
{
    for (size_t i = 0; i < f->count; i++)
        finding_free(&f->items[i]);
    free(f->items);
    gls_findings_init(f);
}

gls_finding_t *gls_findings_add(gls_findings_t *f, int rule, uint32_t start, uint32_t end,
                                const char *fmt, ...)
{
    if (f->count == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->items = gls_xrealloc(f->items, f->cap * sizeof *f->items);
    }
    gls_finding_t *x = &f->items[f->count++];
    memset(x, 0, sizeof *x);
    x->rule = rule;
    x->start = start;
    x->end = end;
    x->concept = UINT32_MAX;
    x->severity = gls_rules[rule].default_severity;
    va_list ap;
    va_start(ap, fmt);
    x->message = gls_xvasprintf(fmt, ap);
    va_end(ap);
    return x;
}

static int finding_cmp(const void *a, const void *b)
{
    const gls_finding_t *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

void gls_findings_sort(gls_findings_t *f)
{
    if (f->count > 1)
        qsort(f->items, f->count, sizeof *f->items, finding_cmp);
}

/* ---- suppression ---- */

typedef struct region {
    uint32_t start, end;
    uint32_t rules; /* bit mask; all bits: every rule */
} region_t;

typedef struct regions {
    region_t *items;
    size_t count, cap;
} regions_t;

static void region_add(regions_t *r, uint32_t start, uint32_t end, uint32_t rules)
{
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->items = gls_xrealloc(r->items, r->cap * sizeof *r->items);
    }
    r->items[r->count++] = (region_t){start, end, rules};
}

static uint32_t line_start(const char *t, uint32_t i)
{
    while (i > 0 && t[i - 1] != '\n')
        i--;
    return i;
}

static uint32_t line_end(const char *t, uint32_t len, uint32_t i)
{
    while (i < len && t[i] != '\n')
        i++;
    return i;
}

/* Reads the rule names after a directive up to the end of the comment or
 * line; returns the mask (all rules when none is named). */
static uint32_t directive_rules(const char *t, uint32_t i, uint32_t end)
{
    uint32_t mask = 0;
    while (i < end) {
        while (i < end && (t[i] == ' ' || t[i] == '\t' || t[i] == ','))
            i++;
        uint32_t s = i;
        while (i < end && (isalnum((unsigned char)t[i]) || t[i] == '-'))
            i++;
        if (i == s)
            break;
        char name[64];
        size_t n = i - s < sizeof name - 1 ? i - s : sizeof name - 1;
        memcpy(name, t + s, n);
        name[n] = '\0';
        int r = gls_rule_find(name);
        if (r >= 0)
            mask |= 1u << r;
    }
    return mask ? mask : ~0u;
}

/* True when front matter at the top says "glossary-ls: false". */
static int front_matter_off(const char *t, uint32_t len)
{
    if (len < 4 || strncmp(t, "---", 3) != 0)
        return 0;
    const char *end = memmem(t + 3, len - 3, "\n---", 4);
    if (!end)
        return 0;
    const char *k = memmem(t, (size_t)(end - t), "glossary-ls:", 12);
    if (!k)
        return 0;
    k += 12;
    while (*k == ' ' || *k == '\t')
        k++;
    return strncmp(k, "false", 5) == 0 || strncmp(k, "off", 3) == 0;
}

/* True when the line starting at 'ls' is inside a fenced code block:
 * counts the ``` and ~~~ fence lines before it. */
static int in_fence(const char *t, uint32_t ls)
{
    int open = 0;
    char fence = 0;
    uint32_t i = 0;
    while (i < ls) {
        uint32_t j = i;
        while (j < ls && (t[j] == ' ' || t[j] == '>'))
            j++;
        if (j + 2 < ls && (t[j] == '`' || t[j] == '~') && t[j + 1] == t[j] && t[j + 2] == t[j]) {
            if (!open) {
                open = 1;
                fence = t[j];
            } else if (t[j] == fence) {
                open = 0;
            }
        }
        while (i < ls && t[i] != '\n')
            i++;
        i++;
    }
    return open;
}

static void find_suppressions(const gls_rule_ctx_t *ctx, regions_t *out)
{
    const char *t = ctx->text;
    uint32_t len = ctx->len;
    if (front_matter_off(t, len)) {
        region_add(out, 0, len, ~0u);
        return;
    }
    static const char word[] = "glossary-ls-";
    uint32_t open_start = 0, open_rules = 0;
    int open = 0;
    const char *p = t;
    while ((p = memmem(p, (size_t)(t + len - p), word, sizeof word - 1))) {
        uint32_t at = (uint32_t)(p - t);
        p += sizeof word - 1;
        uint32_t ls = line_start(t, at), le = line_end(t, len, at);
        /* Only in a comment: an HTML comment in Markdown, or a line that is
         * nothing but the directive (after an optional comment marker) in
         * plain text. */
        const char *comment_end = NULL;
        uint32_t stop = le;
        if (ctx->analysis->language == GLS_LANGUAGE_MARKDOWN) {
            const char *o = memmem(t + ls, at - ls, "<!--", 4);
            /* A directive quoted in a code span or a fenced block is an
             * example, not a directive. */
            if (!o || memchr(t + ls, '`', (size_t)(o - (t + ls))) || in_fence(t, ls))
                continue;
            comment_end = memmem(p, (size_t)(t + len - p), "-->", 3);
            if (!comment_end)
                continue;
            stop = (uint32_t)(comment_end - t);
        } else {
            uint32_t k = ls;
            while (k < at && t[k] && strchr(" \t#/;%*-<!", t[k]))
                k++;
            if (k != at)
                continue;
        }
        uint32_t after = (uint32_t)(p - t);
        if (strncmp(p, "disable-next-line", 17) == 0) {
            uint32_t rules = directive_rules(t, after + 17, stop);
            uint32_t end_of_comment = comment_end ? (uint32_t)(comment_end - t) : le;
            uint32_t next = line_end(t, len, end_of_comment);
            uint32_t next_end = next < len ? line_end(t, len, next + 1) : len;
            region_add(out, next, next_end, rules);
        } else if (strncmp(p, "disable-line", 12) == 0) {
            region_add(out, ls, le, directive_rules(t, after + 12, stop));
        } else if (strncmp(p, "disable", 7) == 0) {
            if (!open) {
                open = 1;
                open_start = at;
                open_rules = directive_rules(t, after + 7, stop);
            }
        } else if (strncmp(p, "enable", 6) == 0) {
            if (open) {
                region_add(out, open_start, at, open_rules);
                open = 0;
            }
        }
    }
    if (open)
        region_add(out, open_start, len, open_rules);
}

/* A large document's rules run on two threads, each rule into a list of
 * its own, joined in rule order (so the findings are the same as from one
 * thread). Why: the rules re-run over the whole document on every edit
 * and were most of keystroke-to-diagnostics on 1 MB (perf: metric-misuse,
 * inconsistent-term and undefined-acronym lead). The rules only read the
 * context; the word sets they share initialize under a lock. */
size_t gls_rules_parallel_min_matches = 4000;

/* Rules for the second thread: undefined-acronym and inconsistent-term,
 * about half of the measured cost. */
static int second_thread_rule(size_t r)
{
    return r == 0 || r == 2;
}

typedef struct rules_job {
    const gls_rule_ctx_t *ctx;
    gls_findings_t *per_rule;
    int second;
} rules_job_t;

static gls_severity_t rule_severity(const gls_rule_ctx_t *ctx, size_t r)
{
    return ctx->settings ? ctx->settings->severity[r] : gls_rules[r].default_severity;
}

static void *run_rule_group(void *arg)
{
    rules_job_t *j = arg;
    for (size_t r = 0; r < gls_rule_count; r++)
        if (rule_severity(j->ctx, r) != GLS_RULE_OFF && second_thread_rule(r) == j->second)
            gls_rules[r].run(j->ctx, (int)r, &j->per_rule[r]);
    return NULL;
}

static void run_rules(const gls_rule_ctx_t *ctx, gls_findings_t *out)
{
    gls_findings_t per_rule[16];
    for (size_t r = 0; r < gls_rule_count; r++)
        gls_findings_init(&per_rule[r]);
    rules_job_t second = {ctx, per_rule, 1}, first = {ctx, per_rule, 0};
    pthread_t thread;
    int threaded = ctx->analysis->matches.count >= gls_rules_parallel_min_matches &&
                   pthread_create(&thread, NULL, run_rule_group, &second) == 0;
    run_rule_group(&first);
    if (threaded)
        pthread_join(thread, NULL);
    else
        run_rule_group(&second);
    for (size_t r = 0; r < gls_rule_count; r++) {
        gls_severity_t sev = rule_severity(ctx, r);
        for (size_t k = 0; k < per_rule[r].count; k++) {
            per_rule[r].items[k].severity = sev;
            if (out->count == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 16;
                out->items = gls_xrealloc(out->items, out->cap * sizeof *out->items);
            }
            out->items[out->count++] = per_rule[r].items[k];
        }
        free(per_rule[r].items); /* the findings themselves moved to 'out' */
    }
}

void gls_rules_run(const gls_rule_ctx_t *ctx, gls_findings_t *out)
{
    size_t first = out->count;
    run_rules(ctx, out);
    regions_t regions = {0};
    find_suppressions(ctx, &regions);
    if (regions.count) {
        size_t w = first;
        for (size_t k = first; k < out->count; k++) {
            gls_finding_t *x = &out->items[k];
            int drop = 0;
            for (size_t i = 0; i < regions.count && !drop; i++) {
                region_t *rg = &regions.items[i];
                drop = x->start >= rg->start && x->start <= rg->end && (rg->rules >> x->rule) & 1;
            }
            if (drop)
                finding_free(x);
            else
                out->items[w++] = *x;
        }
        out->count = w;
    }
    free(regions.items);
    gls_findings_sort(out);
}

/* ---- helpers ---- */

char *gls_match_text_dup(const gls_rule_ctx_t *ctx, const gls_match_t *m)
{
    return gls_xstrndup(ctx->text + m->start, m->end - m->start);
}

/* Whether only white space and markup stand between 'at' and the start
 * of the text or the end of a sentence. */
int gls_sentence_start(const char *t, uint32_t at)
{
    while (at > 0) {
        char c = t[at - 1];
        if (c == '.' || c == '!' || c == '?' || c == '\n')
            return 1;
        if (c != ' ' && c != '\t' && c != '*' && c != '_' && c != '#' && c != '>' && c != '"')
            return 0;
        at--;
    }
    return 1;
}

char *gls_match_adapt(const gls_rule_ctx_t *ctx, const gls_match_t *m, const char *replacement)
{
    gls_buf_t b;
    gls_buf_init(&b);
    gls_buf_puts(&b, replacement);
    const char *w = ctx->text + m->start;
    size_t wl = m->end - m->start;
    if (m->flags & GLS_MATCH_PLURAL) {
        size_t n = b.len;
        int acronym = n >= 2 && isupper((unsigned char)b.data[n - 1]) &&
                      isupper((unsigned char)b.data[n - 2]);
        if (acronym || n == 0)
            gls_buf_putc(&b, 's');
        else if (b.data[n - 1] == 'y' && n >= 2 && !strchr("aeiou", b.data[n - 2])) {
            b.len--;
            gls_buf_puts(&b, "ies");
        } else if (b.data[n - 1] == 's' || b.data[n - 1] == 'x' || b.data[n - 1] == 'z' ||
                   (n >= 2 && b.data[n - 1] == 'h' && strchr("cs", b.data[n - 2])))
            gls_buf_puts(&b, "es");
        else
            gls_buf_putc(&b, 's');
    }
    if (m->flags & GLS_MATCH_POSSESSIVE) {
        /* Carry the apostrophe as written (straight or curly). */
        const char *ap = NULL;
        for (size_t i = wl; i > 0 && !ap; i--)
            if (w[i - 1] == '\'' ||
                (i >= 3 && (unsigned char)w[i - 3] == 0xe2 && (unsigned char)w[i - 2] == 0x80 &&
                 (unsigned char)w[i - 1] == 0x99))
                ap = w[i - 1] == '\'' ? "'" : "\xe2\x80\x99";
        if (!ap)
            ap = "'";
        if (b.len && b.data[b.len - 1] == 's' && (m->flags & GLS_MATCH_PLURAL))
            gls_buf_puts(&b, ap);
        else {
            gls_buf_puts(&b, ap);
            gls_buf_putc(&b, 's');
        }
    }
    /* The replacement follows the writer's case, word by word: written
     * in lowercase (or in sentence case), a Title-Case glossary word is
     * lowercased; acronyms and mixed-case names (NRR, SaaS, RevOps) keep
     * their case. The first letter is handled below. */
    int written_upper_after_first = 0;
    for (size_t i = 1; i < wl; i++)
        if (isupper((unsigned char)w[i]))
            written_upper_after_first = 1;
    if (!written_upper_after_first) {
        size_t i = 0;
        while (i < b.len) {
            size_t j = i;
            while (j < b.len && b.data[j] != ' ' && b.data[j] != '-')
                j++;
            int uppers = 0;
            for (size_t k = i; k < j; k++)
                uppers += isupper((unsigned char)b.data[k]) != 0;
            if (uppers == 1 && isupper((unsigned char)b.data[i]) && j - i > 1)
                b.data[i] = (char)tolower((unsigned char)b.data[i]);
            i = j + 1;
        }
    }
    /* Keep a capital where the writer had one (a sentence start, a name),
     * unless the first word has its own casing (tNPS, eNPS). */
    int first_word_caps = 0;
    for (size_t i = 0; i < b.len && b.data[i] != ' ' && b.data[i] != '-'; i++)
        first_word_caps += isupper((unsigned char)b.data[i]) != 0;
    if (b.len && islower((unsigned char)b.data[0]) && isupper((unsigned char)w[0]) &&
        first_word_caps == 0)
        b.data[0] = (char)toupper((unsigned char)b.data[0]);
    return gls_buf_steal(&b, NULL);
}

char *gls_match_fix(const gls_rule_ctx_t *ctx, const gls_match_t *m, const char *replacement)
{
    char *adapted = gls_match_adapt(ctx, m, replacement);
    if (gls_match_contiguous(ctx, m))
        return adapted;
    /* The match spans markup ("exec** sponsor"): replace word for word and
     * keep what stands between the words, when the word counts agree. */
    gls_tokens_t wt, rt;
    gls_tokens_init(&wt);
    gls_tokens_init(&rt);
    gls_tokenize(ctx->text, m->start, m->end, GLS_SEP_HARD, &wt);
    gls_tokenize(adapted, 0, (uint32_t)strlen(adapted), GLS_SEP_HARD, &rt);
    char *out = NULL;
    if (wt.count == rt.count && wt.count > 0) {
        gls_buf_t b;
        gls_buf_init(&b);
        uint32_t pos = m->start;
        for (size_t k = 0; k < wt.count; k++) {
            gls_buf_append(&b, ctx->text + pos, wt.items[k].start - pos);
            gls_buf_append(&b, adapted + rt.items[k].start, rt.items[k].end - rt.items[k].start);
            pos = wt.items[k].end;
        }
        gls_buf_append(&b, ctx->text + pos, m->end - pos);
        out = gls_buf_steal(&b, NULL);
    }
    gls_tokens_close(&wt);
    gls_tokens_close(&rt);
    free(adapted);
    return out;
}

int gls_match_contiguous(const gls_rule_ctx_t *ctx, const gls_match_t *m)
{
    const gls_analysis_t *a = ctx->analysis;
    long mi = m - a->matches.items;
    if (mi < 0 || (size_t)mi >= a->matches.count)
        return 1;
    const gls_block_t *b = &a->prose.blocks[a->match_block[mi]];
    for (uint32_t k = 0; k < b->seg_count; k++) {
        const gls_segment_t *sg = &a->prose.segs[b->seg_first + k];
        if (sg->start <= m->start && m->end <= sg->end)
            return 1;
    }
    /* A term wrapped over lines spans segments joined only by white space
     * and continuation markers; a fix there is still safe when the text
     * between them is white space or '>' only. */
    for (uint32_t i = m->start; i < m->end; i++) {
        char c = ctx->text[i];
        if (c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '<' || c == '~')
            return 0;
    }
    return 1;
}

const gls_form_t *gls_match_spelling_avoid(const gls_rule_ctx_t *ctx, const gls_match_t *m)
{
    if (!(m->flags & (GLS_MATCH_HYPHENATED | GLS_MATCH_SPACED)))
        return NULL;
    const gls_glossary_t *g = ctx->glossary;
    const gls_concept_t *c = &g->concepts[m->concept];
    size_t wl = m->end - m->start;
    for (uint32_t k = 0; k < c->form_count; k++) {
        const gls_form_t *f = &g->forms[c->first_form + k];
        if (!(f->flags & GLS_FORM_SPELLING))
            continue;
        /* Compare ignoring case, white-space runs as one space. */
        const char *a = ctx->text + m->start, *ae = a + wl, *b = f->text;
        while (a < ae && *b) {
            int sa = *a == ' ' || *a == '\n' || *a == '\t' || *a == '\r';
            int sb = *b == ' ';
            if (sa && sb) {
                while (a < ae && (*a == ' ' || *a == '\n' || *a == '\t' || *a == '\r'))
                    a++;
                b++;
                continue;
            }
            if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
                break;
            a++, b++;
        }
        if (!*b && (a == ae || (m->flags & (GLS_MATCH_PLURAL | GLS_MATCH_POSSESSIVE))))
            return f;
    }
    return NULL;
}

/* Appends to 'out' the initials of up to 'want' words ending right before
 * byte 'at', skipping back over a link's "](...)", brackets, emphasis and
 * trademark signs. */
static void initials_before(const char *t, uint32_t at, size_t want, gls_buf_t *out)
{
    char rev[16];
    size_t n = 0;
    uint32_t i = at;
    while (i > 0 && n < want && n < sizeof rev) {
        unsigned char c = (unsigned char)t[i - 1];
        if (c == ')' && i >= 2) {
            /* a link destination "(...)" after "]" */
            uint32_t k = i - 1;
            while (k > 0 && t[k - 1] != '(' && t[k - 1] != '\n')
                k--;
            if (k > 1 && t[k - 1] == '(' && t[k - 2] == ']') {
                i = k - 2;
                continue;
            }
            break;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '[' || c == ']' || c == '*' ||
            c == '_' || c == '-' || c == '\'') {
            i--;
            continue;
        }
        if (c >= 0x80 && !isalnum(c)) {
            /* ® ™ ℠ and other signs glued to a word */
            uint32_t k = i - 1;
            while (k > 0 && ((unsigned char)t[k] & 0xc0) == 0x80)
                k--;
            uint32_t cp_start = k;
            unsigned char lead = (unsigned char)t[cp_start];
            if (lead == 0xc2 || lead == 0xe2) {
                i = cp_start;
                continue;
            }
        }
        if (!isalnum(c))
            break;
        uint32_t k = i;
        while (k > 0 && isalnum((unsigned char)t[k - 1]))
            k--;
        rev[n++] = t[k];
        i = k;
    }
    for (size_t k = n; k > 0; k--)
        gls_buf_putc(out, rev[k - 1]);
}

/* Whether the capitals (and digits) of 'abbr' are the initials 'ini',
 * ignoring case; an acronym's lowercase letters (tNPS) count only as
 * initials of their own words. */
static int initials_fit(const char *abbr, size_t n, const char *ini, size_t m)
{
    size_t letters = 0;
    for (size_t k = 0; k < n; k++)
        if (isalnum((unsigned char)abbr[k]))
            letters++;
    if (letters == 0 || m < letters)
        return 0;
    const char *tail = ini + m - letters;
    size_t j = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isalnum((unsigned char)abbr[k]))
            continue;
        if (tolower((unsigned char)abbr[k]) != tolower((unsigned char)tail[j]))
            return 0;
        j++;
    }
    return 1;
}

int gls_defined_locally(const char *t, uint32_t len, const char *abbr, size_t n, uint32_t before)
{
    if (n == 0 || n > 12)
        return 0;
    char needle[14];
    needle[0] = '(';
    memcpy(needle + 1, abbr, n);
    /* Search for "(ABBR": far fewer hits than the acronym alone; only
     * up to 'before' (a miss must not scan the rest of the document). */
    const char *end = t + len;
    if (before < len && (size_t)len - before > n + 1)
        end = t + before + n + 1;
    for (const char *p = t; (p = memmem(p, (size_t)(end - p), needle, n + 1)); p += n + 1) {
        uint32_t at = (uint32_t)(p - t) + 1;
        if (at > before)
            break;
        if (at + n >= len || (t[at + n] != ')' && t[at + n] != ','))
            continue;
        gls_buf_t ini;
        gls_buf_init(&ini);
        initials_before(t, at - 1, n + 2, &ini);
        int ok = ini.len && initials_fit(abbr, n, ini.data, ini.len);
        gls_buf_close(&ini);
        if (ok)
            return 1;
    }
    return 0;
}

int gls_local_definition(const char *t, uint32_t len, const char *abbr, size_t n, gls_buf_t *out)
{
    if (n == 0 || n > 12)
        return 0;
    /* "*[ABBR]: expansion" lines: line by line ('*' is common in
     * Markdown, line breaks are found fast). */
    for (const char *p = t; p && p < t + len;
         p = memchr(p, '\n', (size_t)(t + len - p)), p = p ? p + 1 : NULL) {
        if ((size_t)(t + len - p) > n + 3 && p[0] == '*' && p[1] == '[' &&
            memcmp(p + 2, abbr, n) == 0 && p[2 + n] == ']' && p[3 + n] == ':') {
            const char *v = p + n + 4, *e = v;
            while (e < t + len && *e != '\n' && *e != '\r')
                e++;
            while (v < e && *v == ' ')
                v++;
            gls_buf_append(out, v, (size_t)(e - v));
            return out->len > 0;
        }
    }
    /* "Words (ABBR)": the words whose initials the acronym is. */
    char needle[14];
    needle[0] = '(';
    memcpy(needle + 1, abbr, n);
    for (const char *p = t; (p = memmem(p, (size_t)(t + len - p), needle, n + 1)); p += n + 1) {
        uint32_t at = (uint32_t)(p - t) + 1;
        if (at + n >= len || (t[at + n] != ')' && t[at + n] != ','))
            continue;
        gls_buf_t ini;
        gls_buf_init(&ini);
        initials_before(t, at - 1, n + 2, &ini);
        int ok = ini.len && initials_fit(abbr, n, ini.data, ini.len);
        if (ok) {
            /* Walk back over as many words as the acronym has letters. */
            size_t letters = 0;
            for (size_t k = 0; k < n; k++)
                letters += isalnum((unsigned char)abbr[k]) != 0;
            uint32_t e = at - 1, b = e;
            while (b > 0 && t[b - 1] == ' ')
                b--;
            e = b;
            size_t words = 0;
            while (b > 0 && words < letters) {
                while (b > 0 && t[b - 1] != ' ' && t[b - 1] != '\n' && t[b - 1] != '(' &&
                       t[b - 1] != '.')
                    b--;
                words++;
                if (words < letters)
                    while (b > 0 && t[b - 1] == ' ')
                        b--;
            }
            gls_buf_append(out, t + b, e - b);
        }
        gls_buf_close(&ini);
        if (ok)
            return 1;
    }
    return 0;
}

/* bench.c: throughput and latency of the engine on generated
 * customer-success Markdown. Prints a table; not a test (make bench).
 *
 *   build/bench/bench [--quick]
 *
 * Rows: parse+extract+match of 1 MB and 10 MB documents with the built-in
 * glossary and with a synthetic 100k-term glossary; the rules on top; a
 * one-line edit re-checked incrementally in the 10 MB document; the
 * matcher alone on the same bytes; glossary build times, and loading the
 * synthetic glossary as a file from its JSON and from its cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gls/analysis.h"
#include "gls/glossary_cache.h"
#include "gls/sources.h"
#include "gls/document.h"
#include "gls/loader.h"
#include "gls/rules.h"
#include "gls/util.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Deterministic pseudo-random numbers (xorshift). */
static unsigned long long rng = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static const char *sentences[] = {
    "The CSM reviews Net Revenue Retention (NRR) with the customer before each QBR.",
    "Our churn rate fell after the onboarding program was redesigned.",
    "A customer health score combines product usage, support tickets and NPS.",
    "Expansion revenue from upsell and cross-sell lifted NRR above 100%.",
    "Track time-to-value for every new account in its first ninety days.",
    "The executive sponsor signs off on the success plan at the kickoff.",
    "Voice of the Customer feedback feeds the product roadmap every quarter.",
    "Renewal risk is flagged when daily active users drop for three weeks.",
    "Gross Revenue Retention (GRR) excludes expansion and cannot exceed 100%.",
    "Support teams measure CSAT after each ticket and CES after self-service tasks.",
    "Plain sentences without any glossary words make up much of a real document.",
    "Write down the owner, the date and the next step after every call.",
};

static void paragraph(gls_buf_t *b)
{
    int n = 3 + (int)rnd(4);
    for (int i = 0; i < n; i++) {
        gls_buf_puts(b, sentences[rnd(GLS_ARRAY_LEN(sentences))]);
        gls_buf_putc(b, (i % 2) ? '\n' : ' ');
    }
    gls_buf_puts(b, "\n\n");
}

/* A CS playbook of about 'size' bytes: front matter, headings, paragraphs,
 * lists, a table, code, links. */
static void generate(gls_buf_t *b, size_t size)
{
    gls_buf_puts(b, "---\ntitle: Customer success playbook\nowner: CS Ops\n---\n\n");
    int section = 0;
    while (b->len < size) {
        gls_buf_printf(b, "## Section %d: renewals and QBRs\n\n", ++section);
        paragraph(b);
        gls_buf_puts(b, "- Prepare the QBR deck with NRR and GRR trends\n"
                        "- Confirm the *executive sponsor* and the **champion**\n"
                        "- Review open escalations and the customer's NPS\n\n");
        paragraph(b);
        gls_buf_puts(b, "| Metric | Target |\n|---|---|\n| NRR | 110% |\n| Churn | 5% |\n\n");
        gls_buf_puts(b, "```sql\nSELECT account, nrr FROM renewals WHERE nrr < 100;\n```\n\n");
        gls_buf_puts(b, "See [the renewal guide](https://example.com/renewals) and `health_score`.\n\n");
        paragraph(b);
    }
}

static gls_glossary_t *builtin(void)
{
    gls_builder_t *b = gls_builder_new("built-in");
    gls_load_builtin(b);
    return gls_builder_freeze(b);
}

/* 'n' synthetic multi-word concepts as a native JSON glossary. */
static void synthetic_json(size_t n, gls_buf_t *json)
{
    static const char *w1[] = {"Adaptive", "Strategic", "Digital", "Pooled", "Tiered",
                               "Predictive", "Guided", "Scaled", "Unified", "Proactive"};
    static const char *w2[] = {"Account", "Renewal", "Adoption", "Usage", "Value", "Journey",
                               "Success", "Support", "Revenue", "Outcome"};
    static const char *w3[] = {"Index", "Motion", "Playbook", "Signal", "Cadence", "Review",
                               "Score", "Program", "Model", "Tier"};
    gls_buf_puts(json, "{\"concepts\":[");
    for (size_t i = 0; i < n; i++) {
        gls_buf_printf(json,
                       "%s{\"id\":\"syn-%zu\",\"term\":\"%s %s %s %zu\",\"abbreviations\":[\"X%zuQ\"],"
                       "\"definition\":\"Synthetic concept number %zu.\"}",
                       i ? "," : "", i, w1[i % 10], w2[(i / 10) % 10], w3[(i / 100) % 10], i, i,
                       i);
    }
    gls_buf_puts(json, "]}");
}

/* The built-in glossary plus the synthetic concepts of 'json'. */
static gls_glossary_t *synthetic(const gls_buf_t *json, double *build_seconds)
{
    double t0 = now();
    gls_builder_t *b = gls_builder_new("built-in");
    gls_load_builtin(b);
    gls_builder_set_source(b, "synthetic.json");
    gls_load_json(b, "synthetic.json", json->data, json->len);
    gls_glossary_t *g = gls_builder_freeze(b);
    *build_seconds = now() - t0;
    return g;
}

static double median(double *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

static void row(const char *what, double seconds, size_t bytes, const char *extra)
{
    if (bytes)
        printf("%-52s %10.2f ms %9.1f MB/s  %s\n", what, seconds * 1e3,
               (double)bytes / 1e6 / seconds, extra ? extra : "");
    else
        printf("%-52s %10.3f ms %14s  %s\n", what, seconds * 1e3, "", extra ? extra : "");
}

static void bench_document(const char *label, gls_glossary_t *g, const gls_buf_t *doc, int reps)
{
    double t[9];
    size_t matches = 0;
    for (int r = 0; r < reps; r++) {
        gls_analysis_t a;
        gls_analysis_init(&a);
        double t0 = now();
        gls_analysis_run(&a, g, doc->data, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
        t[r] = now() - t0;
        matches = a.matches.count;
        gls_analysis_close(&a);
    }
    char extra[64];
    snprintf(extra, sizeof extra, "%zu matches", matches);
    char what[128];
    snprintf(what, sizeof what, "parse+extract+match %s", label);
    row(what, median(t, reps), doc->len, extra);

    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, doc->data, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
    for (int r = 0; r < reps; r++) {
        gls_findings_t fs;
        gls_findings_init(&fs);
        gls_rule_settings_t st;
        gls_rule_settings_default(&st);
        gls_rule_ctx_t ctx = {doc->data, (uint32_t)doc->len, &a, g, &st};
        double t0 = now();
        gls_rules_run(&ctx, &fs);
        t[r] = now() - t0;
        matches = fs.count;
        gls_findings_close(&fs);
    }
    snprintf(extra, sizeof extra, "%zu findings", matches);
    snprintf(what, sizeof what, "rules %s", label);
    row(what, median(t, reps), doc->len, extra);
    gls_analysis_close(&a);
}

static void bench_matcher(const char *label, gls_glossary_t *g, const gls_buf_t *doc, int reps)
{
    gls_tokens_t toks;
    gls_tokens_init(&toks);
    double t[9];
    for (int r = 0; r < reps; r++) {
        toks.count = 0;
        double t0 = now();
        gls_tokenize(doc->data, 0, (uint32_t)doc->len, GLS_SEP_HARD, &toks);
        t[r] = now() - t0;
    }
    char what[128];
    snprintf(what, sizeof what, "tokenize alone %s", label);
    double tokenize = median(t, reps);
    row(what, tokenize, doc->len, NULL);
    size_t matches = 0;
    for (int r = 0; r < reps; r++) {
        gls_matches_t ms;
        gls_matches_init(&ms);
        double t0 = now();
        gls_match_tokens(g, doc->data, toks.items, toks.count, &ms);
        t[r] = now() - t0;
        matches = ms.count;
        gls_matches_close(&ms);
    }
    char extra[64];
    snprintf(extra, sizeof extra, "%zu matches", matches);
    snprintf(what, sizeof what, "match tokens alone %s", label);
    double match = median(t, reps);
    row(what, match, doc->len, extra);
    snprintf(what, sizeof what, "tokenize+match %s", label);
    row(what, tokenize + match, doc->len, NULL);
    gls_tokens_close(&toks);
}

static void bench_edit(gls_glossary_t *g, const gls_buf_t *text)
{
    gls_document_t *doc = gls_document_new("file:///bench.md", "markdown", 1, text->data,
                                           text->len);
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
    gls_document_clear_edit_log(doc);
    double t[101];
    int n = 101;
    for (int r = 0; r < n; r++) {
        /* Type one character in the middle of a paragraph line, somewhere. */
        size_t at = doc->len / 4 + (size_t)rnd((unsigned)(doc->len / 2));
        while (at < doc->len && doc->text[at] != '.')
            at++;
        gls_document_replace(doc, at, at, "x", 1);
        double t0 = now();
        gls_analysis_update(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN,
                            doc->edit_log, doc->edit_log_count, doc->edit_log_full);
        t[r] = now() - t0;
        gls_document_clear_edit_log(doc);
    }
    char extra[96];
    double med = median(t, n);
    snprintf(extra, sizeof extra, "p99 %.3f ms, %lu incremental", t[n * 99 / 100] * 1e3,
             a.incremental_runs);
    char what[128];
    snprintf(what, sizeof what, "one-character edit re-analysed, %.0f MB document",
             (double)doc->len / 1e6);
    row(what, med, 0, extra);
    gls_analysis_close(&a);
    gls_document_free(doc);
}

/* The same glossary as a file, loaded through the sources as check and
 * the server load it: once from the JSON (which writes the cache), then
 * from the cache. The file is dated a minute back: a file modified in the
 * last two seconds is never cached. */
static void bench_cache(const gls_buf_t *json, int reps)
{
    char dir[] = "/tmp/gls-bench-XXXXXX";
    if (!mkdtemp(dir))
        return;
    gls_buf_t path, cache;
    gls_buf_init(&path);
    gls_buf_init(&cache);
    gls_buf_printf(&path, "%s/synthetic.json", dir);
    gls_buf_printf(&cache, "%s/cache", dir);
    FILE *f = fopen(path.data, "wb");
    if (!f || fwrite(json->data, 1, json->len, f) != json->len) {
        if (f)
            fclose(f);
        return;
    }
    fclose(f);
    struct timespec back[2];
    clock_gettime(CLOCK_REALTIME, &back[0]);
    back[0].tv_sec -= 60;
    back[1] = back[0];
    utimensat(AT_FDCWD, path.data, back, 0);
    const char *files[] = {path.data};
    gls_sources_t src = {1, files, 1, 0, cache.data};
    double t0 = now();
    gls_glossary_unref(gls_sources_load(&src, NULL));
    double first = now() - t0;
    double t[16];
    uint32_t concepts = 0;
    for (int i = 0; i < reps; i++) {
        t0 = now();
        gls_glossary_t *g = gls_sources_load(&src, NULL);
        t[i] = now() - t0;
        concepts = g->concept_count;
        gls_glossary_unref(g);
    }
    char extra[64];
    snprintf(extra, sizeof extra, "%u concepts, %.1f MB of JSON", concepts, json->len / 1e6);
    row("load glossary file (JSON, then write its cache)", first, 0, extra);
    row("load glossary file from its cache", median(t, reps), 0, extra);
    char *cached = gls_glossary_cache_path(cache.data, &src);
    unlink(cached);
    free(cached);
    rmdir(cache.data);
    unlink(path.data);
    rmdir(dir);
    gls_buf_close(&path);
    gls_buf_close(&cache);
}

int main(int argc, char **argv)
{
    int quick = 0, matcher_only = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[a], "--matcher") == 0)
            matcher_only = 1; /* tokenizer and matcher rows only (for profiling) */
    }
    int reps = quick ? 1 : 5;
    double t0 = now();
    gls_glossary_t *small = builtin();
    double build_small = now() - t0;
    double build_big;
    gls_buf_t json;
    gls_buf_init(&json);
    synthetic_json(quick ? 10000 : 100000, &json);
    gls_glossary_t *big = synthetic(&json, &build_big);
    printf("glossary-ls engine benchmark (%s)\n\n", quick ? "quick" : "full");
    char extra[64];
    snprintf(extra, sizeof extra, "%u concepts", small->concept_count);
    row("build built-in glossary (load+index)", build_small, 0, extra);
    snprintf(extra, sizeof extra, "%u concepts", big->concept_count);
    row("build synthetic glossary (load+index)", build_big, 0, extra);
    bench_cache(&json, reps);
    gls_buf_close(&json);
    printf("\n");
    gls_buf_t one, ten;
    gls_buf_init(&one);
    gls_buf_init(&ten);
    generate(&one, 1000000);
    generate(&ten, quick ? 2000000 : 10000000);
    if (!matcher_only) {
        bench_document("1 MB, built-in glossary", small, &one, reps);
        bench_document("1 MB, synthetic glossary", big, &one, reps);
        bench_document(quick ? "2 MB, built-in glossary" : "10 MB, built-in glossary", small,
                       &ten, quick ? 1 : 3);
    }
    bench_matcher("1 MB, built-in glossary", small, &one, reps);
    bench_matcher("1 MB, synthetic glossary", big, &one, reps);
    if (!matcher_only)
        bench_edit(small, &ten);
    gls_buf_close(&one);
    gls_buf_close(&ten);
    gls_glossary_unref(small);
    gls_glossary_unref(big);
    return 0;
}

/* test_patterns.c: regular-expression patterns from imported vocabularies:
 * the PCRE2 wrapper (regex.h), the patterns of the native format, and
 * where they match in prose (patterns.h through the analysis). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gls/analysis.h"
#include "gls/document.h"
#include "gls/loader.h"
#include "gls/regex.h"
#include "gls/text.h"

static gls_regex_t *compile(const char *re, unsigned flags)
{
    char err[128];
    size_t at;
    gls_regex_t *r = gls_regex_compile(re, strlen(re), flags, err, sizeof err, &at);
    cr_assert(r, "compile %s: %s", re, err);
    return r;
}

Test(regex, finds_and_expands_groups)
{
    gls_regex_t *r = compile("utili[sz](e|es|ing)", GLS_REGEX_CASELESS);
    const char *s = "We Utilizing it";
    gls_regex_match_t m;
    cr_assert_eq(gls_regex_find(r, s, strlen(s), 0, &m), 1);
    cr_assert_eq(m.start, 3);
    cr_assert_eq(m.end, 12);
    gls_buf_t out;
    gls_buf_init(&out);
    gls_regex_expand(&m, s, "us$1 [$&] $$ $2.", &out);
    cr_assert_str_eq(out.data, "using [Utilizing] $ .");
    gls_buf_close(&out);
    char *all = gls_regex_replace_all(r, "utilise, utilizes", 17, "us$1");
    cr_assert_str_eq(all, "use, uses");
    free(all);
    gls_regex_free(r);
}

Test(regex, whole_words_only)
{
    gls_regex_t *r = compile("utilize", GLS_REGEX_WORDS);
    gls_regex_match_t m;
    const char *s = "utilization, reutilize, utilize.";
    cr_assert_eq(gls_regex_find(r, s, strlen(s), 0, &m), 1);
    cr_assert_eq(m.start, 24);
    gls_regex_free(r);
    /* Unicode letters are word characters too. */
    r = compile("NPS", GLS_REGEX_WORDS);
    const char *u = "éNPS NPSé NPS";
    cr_assert_eq(gls_regex_find(r, u, strlen(u), 0, &m), 1);
    cr_assert_eq(m.start, strlen("éNPS NPSé "));
    gls_regex_free(r);
}

Test(regex, bad_pattern_reports_offset)
{
    char err[128] = "";
    size_t at = 99;
    gls_regex_t *r = gls_regex_compile("ab(cd", 5, GLS_REGEX_WORDS, err, sizeof err, &at);
    cr_assert_null(r);
    cr_assert(strstr(err, "parenthesis"), "%s", err);
    cr_assert_leq(at, 5); /* in the pattern as written, not the wrapped one */
}

Test(regex, catastrophic_pattern_gives_up_quickly)
{
    gls_regex_t *r = compile("(a+)+$", 0);
    char s[64];
    memset(s, 'a', 40);
    s[40] = 'b';
    s[41] = '\0';
    clock_t t0 = clock();
    gls_regex_match_t m;
    int rc = gls_regex_find(r, s, 41, 0, &m);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    cr_assert_neq(rc, 1);
    cr_assert_lt(secs, 2.0, "took %.2f s", secs);
    gls_regex_free(r);
}

Test(regex, literal_detection)
{
    cr_assert(gls_regex_is_literal("net dollar retention", 20));
    cr_assert(gls_regex_is_literal("e-mail", 6));
    cr_assert_not(gls_regex_is_literal("utili[sz]e", 10));
    cr_assert_not(gls_regex_is_literal("(?i)nps", 7));
    cr_assert_not(gls_regex_is_literal("", 0));
}

static gls_glossary_t *load(const char *json)
{
    gls_builder_t *b = gls_builder_new("p.json");
    gls_load_json(b, "p.json", json, strlen(json));
    return gls_builder_freeze(b);
}

/* The texts of the pattern hits of 'doc', joined by '|'. */
static char *hits_of(gls_glossary_t *g, const char *doc, gls_language_t lang)
{
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, doc, (uint32_t)strlen(doc), lang);
    gls_buf_t out;
    gls_buf_init(&out);
    gls_buf_append(&out, "", 0);
    for (size_t i = 0; i < a.hits.count; i++)
        gls_buf_printf(&out, "%s%.*s", i ? "|" : "", (int)(a.hits.items[i].end - a.hits.items[i].start),
                       doc + a.hits.items[i].start);
    gls_analysis_close(&a);
    return gls_buf_steal(&out, NULL);
}

Test(patterns, native_format_reads_and_locates)
{
    gls_glossary_t *g = load("{\"concepts\": [],\n \"patterns\": [\n"
                             "  {\"pattern\": \"utili[sz]e\", \"use\": \"use\", \"why\": \"plain\","
                             " \"ignoreCase\": true, \"wholeWords\": true},\n"
                             "  {\"pattern\": \"[Oo]nboarding\", \"kind\": \"exact-case\"},\n"
                             "  {\"pattern\": \"x)y\"},\n"
                             "  {\"pattern\": \"z\", \"kind\": \"sometimes\"}]}");
    cr_assert_eq(g->pattern_count, 2);
    cr_assert_str_eq(g->patterns[0].regex, "utili[sz]e");
    cr_assert_str_eq(g->patterns[0].use, "use");
    cr_assert_eq(g->patterns[0].flags, GLS_REGEX_CASELESS | GLS_REGEX_WORDS);
    cr_assert_eq(g->patterns[0].line, 3);
    cr_assert_eq(g->patterns[1].kind, GLS_PATTERN_EXACT_CASE);
    int bad = 0, kind = 0;
    for (size_t i = 0; i < g->diags.count; i++) {
        const gls_diag_t *d = &g->diags.items[i];
        if (strcmp(d->code, "glossary-bad-pattern") == 0) {
            bad = 1;
            cr_assert_eq(d->line, 5);
            cr_assert_eq(d->column, 17, "column %u", d->column); /* the stray ")" */
        }
        if (strcmp(d->code, "glossary-type") == 0 && d->line == 6)
            kind = 1;
    }
    cr_assert(bad && kind);
    gls_glossary_unref(g);
}

Test(patterns, match_prose_only_across_line_breaks_never_across_blocks)
{
    gls_glossary_t *g = load("{\"concepts\": [], \"patterns\": ["
                             "{\"pattern\": \"net dollar retention\", \"ignoreCase\": true},"
                             "{\"pattern\": \"utili[sz]e\", \"wholeWords\": true}]}");
    char *h = hits_of(g,
                      "Our Net\ndollar retention rose; we utilize it.\n\n"
                      "`utilize` in code, [utilize](https://utilize.example.com) link text,\n"
                      "see https://x.example/utilize or mail utilize@example.com.\n\n"
                      "```\nnet dollar retention\n```\n\n"
                      "# Net dollar\n\nretention (two blocks)\n\n"
                      "> quoted net\n> dollar retention\n",
                      GLS_LANGUAGE_MARKDOWN);
    cr_assert_str_eq(h, "Net\ndollar retention|utilize|utilize|net\n> dollar retention");
    free(h);
    gls_glossary_unref(g);
}

Test(patterns, exact_case_flags_other_spellings_only)
{
    gls_glossary_t *g = load("{\"concepts\": [], \"patterns\": ["
                             "{\"pattern\": \"[Oo]nboarding\", \"kind\": \"exact-case\", \"wholeWords\": true}]}");
    char *h = hits_of(g, "Onboarding and onboarding are fine; ONBOARDING and onBoarding are not.\n",
                      GLS_LANGUAGE_TEXT);
    cr_assert_str_eq(h, "ONBOARDING|onBoarding");
    free(h);
    gls_glossary_unref(g);
}

static void assert_same_hits(const gls_analysis_t *a, const gls_analysis_t *b)
{
    cr_assert_eq(a->hits.count, b->hits.count, "%zu hits, fresh %zu", a->hits.count, b->hits.count);
    for (size_t i = 0; i < a->hits.count; i++) {
        cr_assert_eq(a->hits.items[i].start, b->hits.items[i].start, "hit %zu", i);
        cr_assert_eq(a->hits.items[i].end, b->hits.items[i].end, "hit %zu", i);
        cr_assert_eq(a->hit_block[i], b->hit_block[i], "hit %zu", i);
    }
}

/* Edits far apart, one joining two paragraphs: the hits kept for the
 * untouched blocks move with them and equal a fresh analysis. */
Test(patterns, incremental_update_equals_fresh_run)
{
    gls_glossary_t *g = load("{\"concepts\": [], \"patterns\": ["
                             "{\"pattern\": \"utili[sz]e\", \"use\": \"use\"}]}");
    gls_buf_t big;
    gls_buf_init(&big);
    for (int i = 0; i < 600; i++)
        gls_buf_printf(&big, i % 3 ? "Block %d: we utilize the plan.\n\n" : "Block %d: plain.\n\n", i);
    gls_document_t *doc = gls_document_new("file:///p.md", "markdown", 1, big.data, big.len);
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
    size_t before = a.hits.count;
    for (int round = 0; round < 3; round++) {
        gls_document_clear_edit_log(doc);
        const char *p = strstr(doc->text, round ? "Block 550:" : "Block 10:");
        gls_document_replace(doc, (size_t)(p - doc->text), (size_t)(p - doc->text), "utilise ", 8);
        p = strstr(doc->text, "Block 301:");
        /* Deletes the blank line before block 301 on the first round: two blocks become one. */
        if (round == 0)
            gls_document_replace(doc, (size_t)(p - doc->text) - 1, (size_t)(p - doc->text), "", 0);
        else
            gls_document_replace(doc, (size_t)(p - doc->text), (size_t)(p - doc->text) + 9, "x", 1);
        gls_analysis_update(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN,
                            doc->edit_log, doc->edit_log_count, doc->edit_log_full);
        gls_analysis_t fresh;
        gls_analysis_init(&fresh);
        gls_analysis_run(&fresh, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
        assert_same_hits(&a, &fresh);
        gls_analysis_close(&fresh);
    }
    cr_assert_eq(a.incremental_runs, 3);
    cr_assert_eq(a.hits.count, before + 3);
    gls_analysis_close(&a);
    gls_document_free(doc);
    gls_buf_close(&big);
    gls_glossary_unref(g);
}

/* Found by fuzz_loaders: invalid UTF-8 folds to U+FFFD, longer than the
 * byte it replaces, and the ASCII after it overflowed the buffer. The
 * vocabulary line is now reported, and folding keeps room. */
Test(vocab, invalid_utf8_is_reported_and_folding_keeps_room)
{
    char line[200];
    memset(line, 0xff, 60);
    memset(line + 60, 'v', 100);
    line[160] = '\n';
    line[161] = '\0';
    gls_builder_t *b = gls_builder_new("accept.txt");
    int errors = gls_load(b, "v/accept.txt", line, 161, GLS_FORMAT_UNKNOWN);
    cr_assert_eq(errors, 1);
    gls_glossary_t *g = gls_builder_freeze(b);
    cr_assert_eq(g->diags.count, 1);
    cr_assert_str_eq(g->diags.items[0].code, "glossary-encoding");
    gls_glossary_unref(g);
    gls_buf_t out;
    gls_buf_init(&out);
    gls_fold(line, 160, &out);
    cr_assert_eq(out.len, 60 * 3 + 100);
    gls_buf_close(&out);
}

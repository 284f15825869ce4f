/* test_rules.c: the rules' findings do not depend on how they are run. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/analysis.h"
#include "gls/loader.h"
#include "gls/rules.h"
#include "gls/util.h"

static gls_glossary_t *builtin(void)
{
    gls_builder_t *b = gls_builder_new("built-in");
    gls_load_builtin(b);
    return gls_builder_freeze(b);
}

static void run(const gls_glossary_t *g, const gls_analysis_t *a, const gls_buf_t *text,
                size_t min_matches, gls_findings_t *out)
{
    size_t saved = gls_rules_parallel_min_matches;
    gls_rules_parallel_min_matches = min_matches;
    gls_rule_ctx_t ctx = {text->data, (uint32_t)text->len, a, g, NULL};
    gls_rules_run(&ctx, out);
    gls_rules_parallel_min_matches = saved;
}

static int same_str(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

/* The example playbook shows every rule; repeated, it is a document
 * large enough for the rules to run on two threads. */
Test(rules, two_threads_find_what_one_finds, .timeout = 120)
{
    char *one = NULL;
    size_t len = 0;
    cr_assert_eq(gls_read_file("docs/examples/playbook.md", 1 << 20, &one, &len), 0);
    gls_buf_t text;
    gls_buf_init(&text);
    for (int i = 0; i < 300; i++)
        gls_buf_append(&text, one, len);
    free(one);
    gls_glossary_t *g = builtin();
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, text.data, (uint32_t)text.len, GLS_LANGUAGE_MARKDOWN);
    cr_assert_gt(a.matches.count, 4000);
    gls_findings_t seq, par;
    gls_findings_init(&seq);
    gls_findings_init(&par);
    run(g, &a, &text, SIZE_MAX, &seq);
    run(g, &a, &text, 0, &par);
    unsigned rules_seen = 0;
    cr_assert_eq(seq.count, par.count);
    for (size_t i = 0; i < seq.count; i++) {
        const gls_finding_t *x = &seq.items[i], *y = &par.items[i];
        cr_assert(x->start == y->start && x->end == y->end && x->rule == y->rule &&
                      x->severity == y->severity && same_str(x->message, y->message) &&
                      same_str(x->replacement, y->replacement) && x->concept == y->concept,
                  "finding %zu differs: %s / %s", i, x->message, y->message);
        rules_seen |= 1u << x->rule;
    }
    cr_assert_eq(rules_seen, (1u << gls_rule_count) - 1, "every rule should fire (mask %x)",
                 rules_seen);
    gls_findings_close(&seq);
    gls_findings_close(&par);
    gls_analysis_close(&a);
    gls_glossary_unref(g);
    gls_buf_close(&text);
}

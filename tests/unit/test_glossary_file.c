/* test_glossary_file.c: concept references under the cursor in glossary
 * files being edited. '|' in each case marks the cursor; '<' and '>' the
 * expected reference (all three are removed before the scan). */
#include <criterion/criterion.h>
#include <string.h>

#include "gls/glossary_file.h"

static void check(int json, const char *marked, gls_glossary_ref_kind_t want)
{
    char text[512];
    size_t n = 0, cursor = 0, a = 0, b = 0;
    for (const char *p = marked; *p; p++) {
        if (*p == '|')
            cursor = n;
        else if (*p == '<')
            a = n;
        else if (*p == '>')
            b = n;
        else
            text[n++] = *p;
    }
    text[n] = '\0';
    gls_glossary_ref_t r = json ? gls_json_glossary_ref_at(text, n, cursor)
                                : gls_markdown_glossary_ref_at(text, n, cursor);
    cr_expect_eq(r.kind, want, "%s: kind %d, want %d", marked, r.kind, want);
    if (want != GLS_REF_NONE && r.kind == want) {
        cr_expect_eq(r.start, a, "%s: start %zu, want %zu", marked, r.start, a);
        cr_expect_eq(r.end, b, "%s: end %zu, want %zu", marked, r.end, b);
    }
}

Test(glossary_file, json_references)
{
    check(1, "{\"concepts\": [{\"seeAlso\": [\"a\", \"<ch|urn>\"]}]}", GLS_REF_SEE_ALSO);
    check(1, "{\"seeAlso\": [\"<|>\"]}", GLS_REF_SEE_ALSO);
    check(1, "{\"avoid\": [{\"term\": \"x\", \"use\": \"<Orbit |Score>\"}]}", GLS_REF_USE);
    /* An escaped quote does not end the string. */
    check(1, "{\"seeAlso\": [\"<a\\\"b|c>\"]}", GLS_REF_SEE_ALSO);
    /* Being typed: the string runs to the end of the line. */
    check(1, "{\"seeAlso\": [\"<chu|>\n", GLS_REF_SEE_ALSO);
    /* Keys, other members, nested objects under seeAlso's siblings. */
    check(1, "{\"see|Also\": [\"churn\"]}", GLS_REF_NONE);
    check(1, "{\"term\": \"Ch|urn\", \"seeAlso\": []}", GLS_REF_NONE);
    check(1, "{\"seeAlso\": [\"a\"], \"definition\": \"see |also\"}", GLS_REF_NONE);
    check(1, "{\"x\": {\"use\": 3}, \"use\": \"<a|>\"}", GLS_REF_USE);
    check(1, "not json at all |", GLS_REF_NONE);
}

Test(glossary_file, markdown_references)
{
    check(0, "## Churn\n\nSee also: <Ren|ewal>, Churn Rate\n", GLS_REF_SEE_ALSO);
    check(0, "*See also*: Churn, [<Ren|ewal>](#renewal)\n", GLS_REF_SEE_ALSO);
    check(0, "- **Related:** <Health |Score>.\n", GLS_REF_SEE_ALSO);
    check(0, "We see also| that churn fell.\n", GLS_REF_NONE);
    check(0, "See al|so: Churn\n", GLS_REF_NONE);
}

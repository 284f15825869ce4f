/* test_rename.c: renamed forms written the way each use wrote the old one. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "gls/matcher.h"
#include "gls/rename.h"

static void check(const char *use, const char *form_text, uint8_t form_flags, uint16_t flags,
                  const char *new_name, const char *want)
{
    gls_form_t form = {0};
    form.text = form_text;
    form.flags = form_flags;
    char *got = gls_rename_use(use, strlen(use), &form, flags, new_name);
    cr_expect_str_eq(got, want, "'%s' (form '%s') renamed to '%s': got '%s', want '%s'", use,
                     form_text, new_name, got, want);
    free(got);
}

Test(rename, acronyms_keep_their_case_and_take_plural_and_possessive)
{
    const uint8_t cs = GLS_FORM_CASE_SENSITIVE | GLS_FORM_ACRONYM;
    check("OBS", "OBS", cs, 0, "ORB", "ORB");
    check("OBSs", "OBS", cs, GLS_MATCH_PLURAL, "ORB", "ORBs");
    check("OBS's", "OBS", cs, GLS_MATCH_POSSESSIVE, "ORB", "ORB's");
    check("OBS\xe2\x80\x99s", "OBS", cs, GLS_MATCH_POSSESSIVE, "ORB", "ORB\xe2\x80\x99s");
    check("QBRs'", "QBR", cs, GLS_MATCH_PLURAL | GLS_MATCH_POSSESSIVE, "EBR", "EBRs'");
}

Test(rename, full_forms_follow_the_capitalization_of_each_use)
{
    check("Orbit Score", "Orbit Score", 0, 0, "Orbit Index", "Orbit Index");
    check("orbit score", "Orbit Score", 0, 0, "Orbit Index", "orbit index");
    check("ORBIT SCORE", "Orbit Score", 0, 0, "Orbit Index", "ORBIT INDEX");
    check("Orbit score", "Orbit Score", 0, 0, "Orbit Index", "Orbit index");
    check("Health score", "health score", 0, 0, "wellness index", "Wellness index");
    check("Health Score", "health score", 0, 0, "wellness index", "Wellness Index");
    /* An acronym inside the new name keeps its capitals in running text. */
    check("net revenue retention", "Net Revenue Retention", 0, 0, "Net ARR Retention",
          "net ARR retention");
}

Test(rename, plurals_possessives_and_hyphens)
{
    check("orbit scores", "Orbit Score", 0, GLS_MATCH_PLURAL, "Orbit Index", "orbit indexes");
    check("Orbit Score's", "Orbit Score", 0, GLS_MATCH_POSSESSIVE, "Orbit Index",
          "Orbit Index's");
    check("success companies", "success company", 0, GLS_MATCH_PLURAL, "success party",
          "success parties");
    check("success companies", "success company", 0, GLS_MATCH_PLURAL, "success day",
          "success days");
    check("health-score", "health score", 0, GLS_MATCH_HYPHENATED, "wellness index",
          "wellness-index");
    check("check in", "check-in", 0, GLS_MATCH_SPACED, "touch-base", "touch base");
    check("customers'", "customer", 0, GLS_MATCH_PLURAL | GLS_MATCH_POSSESSIVE, "client",
          "clients'");
}

Test(rename, pluralize)
{
    const char *cases[][2] = {{"NRR", "NRRs"}, {"index", "indexes"}, {"company", "companies"},
                              {"day", "days"}, {"score", "scores"}, {"batch", "batches"},
                              {"bus", "buses"}, {"", ""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = gls_pluralize(cases[i][0]);
        cr_expect_str_eq(p, cases[i][1]);
        free(p);
    }
}

Test(rename, invalid_names)
{
    cr_expect_not_null(gls_rename_invalid(""));
    cr_expect_not_null(gls_rename_invalid("two\nlines"));
    cr_expect_not_null(gls_rename_invalid(" padded"));
    cr_expect_not_null(gls_rename_invalid("--"));
    cr_expect_not_null(gls_rename_invalid("\xff\xfe"));
    cr_expect_null(gls_rename_invalid("Orbit Index"));
    cr_expect_null(gls_rename_invalid("Ümlaut Score"));
}

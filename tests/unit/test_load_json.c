/* test_load_json.c: the native JSON glossary loader: what it reads, and
 * every error located by line and column. */
#include <criterion/criterion.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/matcher.h"

static gls_glossary_t *load(const char *text, size_t len, int *errors)
{
    gls_builder_t *b = gls_builder_new("t.json");
    int e = gls_load_json(b, "t.json", text, len);
    if (errors)
        *errors = e;
    return gls_builder_freeze(b);
}

static gls_glossary_t *load_str(const char *text, int *errors)
{
    return load(text, strlen(text), errors);
}

/* The first diagnostic with 'code', or NULL. */
static const gls_diag_t *find(const gls_glossary_t *g, const char *code)
{
    for (size_t i = 0; i < g->diags.count; i++)
        if (strcmp(g->diags.items[i].code, code) == 0)
            return &g->diags.items[i];
    return NULL;
}

Test(load_json, reads_every_field)
{
    int errors;
    gls_glossary_t *g = load_str(
        "{\"concepts\": [{\"id\": \"nrr\", \"term\": \"Net Revenue Retention\",\n"
        " \"abbreviations\": [\"NRR\", {\"form\": \"MAP\", \"ordinaryWord\": true}],\n"
        " \"aliases\": [\"Net Dollar Retention\", \"NDR\"],\n"
        " \"avoid\": [{\"term\": \"net retention rate\", \"use\": \"NRR\", \"why\": \"vague\"}, \"NRR rate\"],\n"
        " \"definition\": \"Revenue kept.\", \"seeAlso\": [\"grr\"],\n"
        " \"facts\": {\"values\": [{\"unit\": \"percent\", \"min\": 0}], \"cadence\": \"monthly\",\n"
        "            \"contradictingQualifiers\": [\"annual\"]}},\n"
        " {\"id\": \"grr\", \"term\": \"Gross Revenue Retention\", \"definition\": \"Kept, no expansion.\"}]}",
        &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2);
    long nrr = gls_glossary_find_id(g, "nrr");
    cr_assert_geq(nrr, 0);
    const gls_concept_t *c = &g->concepts[nrr];
    cr_assert_str_eq(c->term, "Net Revenue Retention");
    cr_assert_str_eq(c->definition, "Revenue kept.");
    cr_assert_eq(c->form_count, 7);
    cr_assert_eq(c->value_count, 1);
    cr_assert_eq(c->values[0].unit, GLS_UNIT_PERCENT);
    cr_assert(c->values[0].has_min && !c->values[0].has_max);
    cr_assert_str_eq(c->cadence, "monthly");
    cr_assert_eq(c->contradicting_count, 1);
    cr_assert_eq(c->see_also_resolved[0], (uint32_t)gls_glossary_find_id(g, "grr"));
    cr_assert_eq(c->line, 1);
    const gls_form_t *map = NULL, *ndr = NULL, *avoid = NULL;
    for (uint32_t k = 0; k < c->form_count; k++) {
        const gls_form_t *f = &g->forms[c->first_form + k];
        if (strcmp(f->text, "MAP") == 0)
            map = f;
        if (strcmp(f->text, "NDR") == 0)
            ndr = f;
        if (strcmp(f->text, "net retention rate") == 0)
            avoid = f;
    }
    cr_assert(map && (map->flags & GLS_FORM_ORDINARY_WORD) && (map->flags & GLS_FORM_CASE_SENSITIVE));
    cr_assert(ndr && (ndr->flags & GLS_FORM_CASE_SENSITIVE), "acronym-shaped aliases are exact");
    cr_assert(avoid && avoid->kind == GLS_FORM_AVOID);
    cr_assert_str_eq(avoid->use, "NRR");
    cr_assert_str_eq(avoid->why, "vague");
    cr_assert_eq(avoid->line, 4);
    gls_glossary_unref(g);
}

Test(load_json, syntax_error_is_located)
{
    int errors;
    gls_glossary_t *g = load_str("{\"concepts\": [\n  {\"term\": \"A\",}\n]}", &errors);
    cr_assert_eq(errors, 1);
    const gls_diag_t *d = find(g, "glossary-syntax");
    cr_assert(d);
    cr_assert_eq(d->line, 2);
    cr_assert_gt(d->column, 0);
    cr_assert_str_eq(d->path, "t.json");
    gls_glossary_unref(g);
}

Test(load_json, unknown_keys_are_located)
{
    int errors;
    gls_glossary_t *g = load_str("{\"concepts\": [\n  {\"term\": \"Alpha\",\n   \"colour\": 1}],\n \"extra\": 2}",
                                 &errors);
    cr_assert_eq(errors, 0, "unknown keys are warnings");
    const gls_diag_t *d = NULL;
    for (size_t i = 0; i < g->diags.count; i++)
        if (strstr(g->diags.items[i].message, "colour"))
            d = &g->diags.items[i];
    cr_assert(d);
    cr_assert_eq(d->line, 3);
    cr_assert_eq(d->column, 4);
    cr_assert_eq(d->severity, GLS_SEV_WARNING);
    cr_assert(find(g, "glossary-unknown-key"));
    gls_glossary_unref(g);
}

Test(load_json, wrong_types)
{
    int errors;
    gls_glossary_t *g = load_str(
        "{\"concepts\": [{\"term\": 5}, {\"term\": \"B\", \"abbreviations\": \"BB\"},\n"
        " {\"term\": \"C\", \"aliases\": [3]}, {\"term\": \"D\", \"facts\": {\"values\": [{\"unit\": \"parsecs\"}]}},\n"
        " {\"term\": \"E\", \"definition\": []}, \"F\"]}",
        &errors);
    cr_assert_eq(errors, 6);
    const gls_diag_t *d = find(g, "glossary-missing-term");
    cr_assert(d);
    cr_assert_eq(d->line, 1);
    size_t type_errors = 0;
    for (size_t i = 0; i < g->diags.count; i++)
        if (strcmp(g->diags.items[i].code, "glossary-type") == 0) {
            type_errors++;
            cr_assert_gt(g->diags.items[i].line, 0, "%s", g->diags.items[i].message);
        }
    cr_assert_eq(type_errors, 5);
    gls_glossary_unref(g);
}

Test(load_json, duplicate_forms_and_concepts)
{
    int errors;
    gls_glossary_t *g = load_str(
        "{\"concepts\": [{\"id\": \"a\", \"term\": \"Churn\", \"abbreviations\": [\"CH\"]},\n"
        " {\"id\": \"b\", \"term\": \"churn\"},\n"
        " {\"id\": \"c\", \"term\": \"Other\", \"avoid\": [\"CH\"]},\n"
        " {\"id\": \"a\", \"term\": \"Again\"}]}",
        &errors);
    const gls_diag_t *conflict = find(g, "glossary-conflict");
    cr_assert(conflict);
    cr_assert_eq(conflict->line, 2);
    cr_assert(find(g, "glossary-avoid-conflict"));
    cr_assert(find(g, "glossary-duplicate-concept"));
    /* The first claim is kept. */
    gls_matches_t ms;
    gls_matches_init(&ms);
    gls_match_text(g, "churn", 0, 5, &ms);
    cr_assert_eq(ms.count, 1);
    cr_assert_str_eq(g->concepts[ms.items[0].concept].id, "a");
    gls_matches_close(&ms);
    gls_glossary_unref(g);
}

Test(load_json, empty_bom_crlf_and_bad_utf8)
{
    int errors;
    gls_glossary_t *g = load_str("", &errors);
    cr_assert_eq(errors, 1);
    cr_assert(find(g, "glossary-syntax"));
    gls_glossary_unref(g);

    g = load_str("\xef\xbb\xbf{\"concepts\": [{\"term\": \"Alpha\", \"definition\": \"x\"}]}", &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 1);
    gls_glossary_unref(g);

    g = load_str("{\"concepts\": [\r\n {\"term\": \"Alpha\",\r\n  \"bogus\": 1}]}\r\n", &errors);
    cr_assert_eq(errors, 0);
    const gls_diag_t *d = find(g, "glossary-unknown-key");
    cr_assert(d);
    cr_assert_eq(d->line, 3);
    gls_glossary_unref(g);

    g = load_str("{\"concepts\": [{\"term\": \"Al\xffpha\"}]}", &errors);
    cr_assert_eq(errors, 1);
    cr_assert(find(g, "glossary-syntax"), "invalid UTF-8 is rejected, located");
    gls_glossary_unref(g);
}

Test(load_json, override_extend_and_disable_across_sources)
{
    gls_builder_t *b = gls_builder_new("base.json");
    const char *base = "{\"concepts\": [{\"id\": \"x\", \"term\": \"Xenon Score\", \"definition\": \"old\"},"
                       " {\"id\": \"y\", \"term\": \"Yield Index\", \"definition\": \"y\"},"
                       " {\"id\": \"z\", \"term\": \"Zeta Rate\", \"abbreviations\": [\"ZR\"], \"definition\": \"z\"}]}";
    gls_load_json(b, "base.json", base, strlen(base));
    gls_builder_set_source(b, "team.json");
    const char *team = "{\"concepts\": [{\"id\": \"x\", \"term\": \"Xenon Score\", \"definition\": \"new\"},"
                       " {\"id\": \"y\", \"term\": \"Yield Index\", \"disabled\": true},"
                       " {\"id\": \"z\", \"term\": \"Zeta Rate\", \"extend\": true, \"aliases\": [\"Z-Rate\"]}]}";
    int errors = gls_load_json(b, "team.json", team, strlen(team));
    cr_assert_eq(errors, 0);
    gls_glossary_t *g = gls_builder_freeze(b);
    cr_assert_eq(g->concept_count, 2);
    long x = gls_glossary_find_id(g, "x");
    cr_assert_str_eq(g->concepts[x].definition, "new");
    cr_assert_str_eq(g->concepts[x].source, "team.json");
    cr_assert_eq(gls_glossary_find_id(g, "y"), -1);
    long z = gls_glossary_find_id(g, "z");
    cr_assert_str_eq(g->concepts[z].definition, "z", "extending keeps the definition");
    cr_assert_eq(g->concepts[z].form_count, 3, "term, ZR and the new alias");
    gls_glossary_unref(g);
}

/* test_load_tbx.c: the TBX loader on small termbases built in the tests:
 * how statuses and term types map to forms, the language chosen, notes
 * read back, definitions found at each level, and the refusals (entity
 * declarations, malformed XML, a root that is not TBX). */
#include <criterion/criterion.h>
#include <string.h>

#include "gls/glossary.h"
#include "gls/loader.h"
#include "gls/util.h"

#define HEAD "<?xml version=\"1.0\"?>\n<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" " \
             "xmlns=\"urn:iso:std:iso:30042:ed-2\"><text><body>\n"
#define TAIL "</body></text></tbx>\n"

/* Loads an exact-size heap copy (a read past the end is caught by the
 * sanitizers) and freezes the result. */
static gls_glossary_t *load(const char *text, int *errors)
{
    size_t len = strlen(text);
    char *copy = gls_xmalloc(len ? len : 1);
    memcpy(copy, text, len);
    gls_builder_t *b = gls_builder_new("t.tbx");
    int e = gls_load_tbx(b, "t.tbx", copy, len);
    if (errors)
        *errors = e;
    free(copy);
    return gls_builder_freeze(b);
}

static const gls_form_t *form(const gls_glossary_t *g, uint32_t ci, const char *text)
{
    const gls_concept_t *c = &g->concepts[ci];
    for (uint32_t k = 0; k < c->form_count; k++)
        if (strcmp(g->forms[c->first_form + k].text, text) == 0)
            return &g->forms[c->first_form + k];
    return NULL;
}

static const gls_diag_t *diag(const gls_glossary_t *g, const char *code)
{
    for (size_t i = 0; i < g->diags.count; i++)
        if (strcmp(g->diags.items[i].code, code) == 0)
            return &g->diags.items[i];
    return NULL;
}

#define TERM(text, type, status)                                                          \
    "<termSec><term>" text "</term><termNote type=\"termType\">" type                     \
    "</termNote><termNote type=\"administrativeStatus\">" status "-admn-sts</termNote>" \
    "</termSec>\n"

Test(load_tbx, statuses_and_types_map_to_forms)
{
    int errors = -1;
    gls_glossary_t *g =
        load(HEAD "<conceptEntry id=\"hs\"><langSec xml:lang=\"en\">"
                  "<descrip type=\"definition\">A score for account health.</descrip>"
                  "<termSec><term>account health</term>"
                  "<termNote type=\"administrativeStatus\">admittedTerm-admn-sts</termNote>"
                  "</termSec>" TERM("health score", "fullForm", "preferredTerm")
                      TERM("HS", "abbreviation", "admittedTerm")
                          TERM("healthscore", "fullForm", "deprecatedTerm")
                              TERM("vitality index", "fullForm", "supersededTerm")
                                  "</langSec></conceptEntry>\n" TAIL,
             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 1);
    const gls_concept_t *c = &g->concepts[0];
    cr_assert_str_eq(c->id, "hs");
    cr_assert_str_eq(c->term, "health score"); /* the preferred one, not the first */
    cr_assert_str_eq(c->definition, "A score for account health.");
    cr_assert_eq(form(g, 0, "account health")->kind, GLS_FORM_ALIAS);
    cr_assert_eq(form(g, 0, "HS")->kind, GLS_FORM_ABBREV);
    cr_assert_eq(form(g, 0, "healthscore")->kind, GLS_FORM_AVOID);
    cr_assert_null(form(g, 0, "healthscore")->why);
    const gls_form_t *sup = form(g, 0, "vitality index");
    cr_assert_eq(sup->kind, GLS_FORM_AVOID);
    cr_assert_str_eq(sup->why, "superseded term");
    gls_glossary_unref(g);
}

Test(load_tbx, notes_carry_what_tbx_basic_cannot)
{
    gls_glossary_t *g = load(
        HEAD "<conceptEntry id=\"sow\"><langSec xml:lang=\"en\">"
             "<termSec><term>statement of work</term><note>Case-sensitive</note></termSec>"
             "<termSec><term>SOW</term><termNote type=\"termType\">acronym</termNote>"
             "<note>Ordinary word when lowercased</note></termSec>"
             "<termSec><term>work order</term>"
             "<termNote type=\"administrativeStatus\">deprecatedTerm</termNote>"
             "<note>Use instead: SOW</note><note>Why: legal asks for it</note></termSec>"
             "</langSec></conceptEntry>" TAIL,
        NULL);
    cr_assert_eq(g->concept_count, 1);
    cr_assert(form(g, 0, "statement of work")->flags & GLS_FORM_CASE_SENSITIVE);
    cr_assert(form(g, 0, "SOW")->flags & GLS_FORM_ORDINARY_WORD);
    const gls_form_t *wo = form(g, 0, "work order"); /* status without the suffix */
    cr_assert_eq(wo->kind, GLS_FORM_AVOID);
    cr_assert_str_eq(wo->use, "SOW");
    cr_assert_str_eq(wo->why, "legal asks for it");
    gls_glossary_unref(g);
}

Test(load_tbx, english_first_else_first_language)
{
    gls_glossary_t *g =
        load(HEAD "<conceptEntry id=\"a\">"
                  "<langSec xml:lang=\"fr\"><termSec><term>attrition</term></termSec></langSec>"
                  "<langSec xml:lang=\"en-GB\"><termSec><term>churn</term></termSec></langSec>"
                  "</conceptEntry>\n<conceptEntry id=\"b\">"
                  "<langSec xml:lang=\"de\"><termSec><term>Kundenbindung</term></termSec>"
                  "</langSec></conceptEntry>" TAIL,
             NULL);
    cr_assert_eq(g->concept_count, 2);
    cr_assert_str_eq(g->concepts[0].term, "churn");
    cr_assert_str_eq(g->concepts[1].term, "Kundenbindung");
    const gls_diag_t *d = diag(g, "tbx-language");
    cr_assert_not_null(d);
    cr_assert_eq(d->severity, GLS_SEV_INFO);
    gls_glossary_unref(g);
}

Test(load_tbx, definitions_at_each_level_and_dedented)
{
    gls_glossary_t *g = load(
        HEAD "<conceptEntry id=\"a\"><descripGrp><descrip type=\"definition\">Concept\n"
             "      level,\n      dedented.</descrip></descripGrp>"
             "<langSec xml:lang=\"en\"><termSec><term>one</term></termSec></langSec>"
             "</conceptEntry>\n"
             "<conceptEntry id=\"b\"><langSec xml:lang=\"en\"><termSec><term>two</term>"
             "<descrip type=\"definition\">Term level.</descrip></termSec></langSec>"
             "</conceptEntry>\n"
             "<conceptEntry id=\"c\"><ref type=\"crossReference\" target=\"a\">one</ref>"
             "<langSec xml:lang=\"en\"><termSec><term>three</term></termSec></langSec>"
             "</conceptEntry>" TAIL,
        NULL);
    cr_assert_eq(g->concept_count, 3);
    cr_assert_str_eq(g->concepts[0].definition, "Concept\nlevel,\ndedented.");
    cr_assert_str_eq(g->concepts[1].definition, "Term level.");
    cr_assert_str_eq(g->concepts[2].definition, "");
    cr_assert_eq(g->concepts[2].see_also_count, 1);
    cr_assert_eq(g->concepts[2].see_also_resolved[0], 0);
    gls_glossary_unref(g);
}

Test(load_tbx, concepts_without_usable_terms_are_skipped_with_a_warning)
{
    int errors = -1;
    gls_glossary_t *g = load(HEAD "<conceptEntry id=\"x\"/>\n<conceptEntry id=\"y\">"
                                  "<langSec xml:lang=\"en\">" TERM("gone", "fullForm",
                                                                   "deprecatedTerm")
                                  "<termSec/></langSec></conceptEntry>" TAIL,
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 0);
    cr_assert_not_null(diag(g, "tbx-no-terms"));
    cr_assert_not_null(diag(g, "glossary-empty-form"));
    gls_glossary_unref(g);
}

Test(load_tbx, unknown_status_is_a_warning)
{
    gls_glossary_t *g = load(HEAD "<conceptEntry><langSec xml:lang=\"en\">" TERM(
                                 "renewal", "fullForm", "recommendedTerm") "</langSec>"
                                                                           "</conceptEntry>" TAIL,
                             NULL);
    cr_assert_eq(g->concept_count, 1);
    cr_assert_str_eq(g->concepts[0].term, "renewal");
    const gls_diag_t *d = diag(g, "tbx-unknown-status");
    cr_assert_not_null(d);
    cr_assert_eq(d->line, 3);
    gls_glossary_unref(g);
}

Test(load_tbx, entity_declarations_are_refused)
{
    int errors = 0;
    gls_glossary_t *g =
        load("<?xml version=\"1.0\"?>\n<!DOCTYPE tbx [\n<!ENTITY a \"x\">\n]>\n"
             "<tbx><text><body><conceptEntry><langSec xml:lang=\"en\"><termSec><term>&a;"
             "</term></termSec></langSec></conceptEntry></body></text></tbx>",
             &errors);
    cr_assert_eq(errors, 1);
    cr_assert_eq(g->concept_count, 0);
    const gls_diag_t *d = diag(g, "tbx-entity");
    cr_assert_not_null(d);
    cr_assert_eq(d->line, 3);
    gls_glossary_unref(g);
}

Test(load_tbx, undeclared_entity_and_bad_xml_are_located)
{
    int errors = 0;
    gls_glossary_t *g = load(HEAD "<conceptEntry><langSec xml:lang=\"en\"><termSec><term>&nope;"
                                  "</term></termSec></langSec></conceptEntry>" TAIL,
                             &errors);
    cr_assert_eq(errors, 1);
    const gls_diag_t *d = diag(g, "tbx-syntax");
    cr_assert_not_null(d);
    cr_assert_eq(d->line, 3);
    cr_assert_gt(d->column, 1);
    gls_glossary_unref(g);

    g = load("<tbx><text>\xff\xfe</text></tbx>", &errors);
    cr_assert_eq(errors, 1);
    cr_assert_not_null(diag(g, "tbx-syntax"));
    gls_glossary_unref(g);

    g = load("<glossary/>", &errors);
    cr_assert_eq(errors, 1);
    cr_assert_not_null(strstr(diag(g, "tbx-syntax")->message, "root element"));
    gls_glossary_unref(g);
}

Test(load_tbx, guessed_by_name_and_content)
{
    cr_assert_eq(gls_glossary_format_guess("terms.tbx", "", 0), GLS_FORMAT_TBX);
    const char *xml = "<?xml version=\"1.0\"?><martif type=\"TBX\"/>";
    cr_assert_eq(gls_glossary_format_guess("terms.xml", xml, strlen(xml)), GLS_FORMAT_TBX);
    cr_assert_eq(gls_glossary_format_parse("tbx"), GLS_FORMAT_TBX);
}

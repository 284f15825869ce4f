/* test_load_text.c: the plain-text glossary loader, layout by layout, its
 * error paths, and the seed pages copied from the web. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/glossary.h"
#include "gls/loader.h"
#include "gls/util.h"

/* Where the seed pages live, relative to the repository root. */
#define SEED_DIR "../shared/seeds"
#define EXPECTED_DIR "tests/data/seeds"
#define SEED_FORMS "tests/data/seed-forms.tsv"

/* ---- helpers ---- */

/* Loads text[0, len) from an exact-size heap copy (no NUL after it, so a
 * read past 'len' is caught by the sanitizers) and freezes the result. */
static gls_glossary_t *load_n(const char *text, size_t len, int *errors)
{
    char *copy = gls_xmalloc(len);
    if (len)
        memcpy(copy, text, len);
    gls_builder_t *b = gls_builder_new("test.txt");
    int e = gls_load_text(b, "test.txt", copy, len);
    if (errors)
        *errors = e;
    free(copy);
    return gls_builder_freeze(b);
}

static gls_glossary_t *load(const char *text, int *errors)
{
    return load_n(text, strlen(text), errors);
}

/* The concept that has 'form' as its term, abbreviation or alias (any
 * case), or -1. */
static long find_form(const gls_glossary_t *g, const char *form)
{
    for (uint32_t i = 0; i < g->form_count; i++) {
        if (g->forms[i].kind != GLS_FORM_AVOID && strcasecmp(g->forms[i].text, form) == 0)
            return g->forms[i].concept;
    }
    return -1;
}

/* The kind of 'form' in its concept, or -1. */
static int form_kind(const gls_glossary_t *g, const char *form)
{
    for (uint32_t i = 0; i < g->form_count; i++)
        if (strcmp(g->forms[i].text, form) == 0)
            return g->forms[i].kind;
    return -1;
}

static const gls_concept_t *concept(const gls_glossary_t *g, const char *form)
{
    long ci = find_form(g, form);
    cr_assert_geq(ci, 0, "no concept has the form '%s'", form);
    return &g->concepts[ci];
}

static size_t count_code(const gls_glossary_t *g, const char *code, uint32_t line)
{
    size_t n = 0;
    for (size_t i = 0; i < g->diags.count; i++)
        if (strcmp(g->diags.items[i].code, code) == 0 &&
            (line == 0 || g->diags.items[i].line == line))
            n++;
    return n;
}

static void assert_term(const gls_glossary_t *g, const char *form, const char *term,
                        const char *definition)
{
    const gls_concept_t *c = concept(g, form);
    cr_assert_str_eq(c->term, term, "the concept of '%s' has term '%s', want '%s'", form, c->term,
                     term);
    if (definition)
        cr_assert_str_eq(c->definition, definition, "definition of '%s'", term);
}

/* ---- layouts ---- */

Test(load_text, term_line_then_definition_line)
{
    int errors;
    gls_glossary_t *g = load("Churn\n"
                             "The rate at which customers leave.\n"
                             "\n"
                             "Expansion Revenue\n"
                             "Revenue from existing customers through upsell and cross-sell.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2);
    assert_term(g, "Churn", "Churn", "The rate at which customers leave.");
    assert_term(g, "Expansion Revenue", "Expansion Revenue",
                "Revenue from existing customers through upsell and cross-sell.");
    const gls_concept_t *c = concept(g, "Expansion Revenue");
    cr_assert_eq(c->line, 4);
    cr_assert_eq(c->column, 1);
    gls_glossary_unref(g);
}

Test(load_text, blank_lines_are_optional)
{
    int errors;
    gls_glossary_t *g = load("Deal Room\n"
                             "A shared space where buyers find the documents of a deal.\n"
                             "Mutual Action Plan\n"
                             "A plan both sides sign up to, with owners and dates.\n"
                             "POC Management\n"
                             "Running a proof of concept from scope to decision.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 3);
    assert_term(g, "Mutual Action Plan", "Mutual Action Plan",
                "A plan both sides sign up to, with owners and dates.");
    cr_assert_eq(concept(g, "POC Management")->line, 5);
    gls_glossary_unref(g);
}

Test(load_text, definition_paragraph_is_joined)
{
    int errors;
    gls_glossary_t *g = load("Churn\n"
                             "\n"
                             "The rate at which customers\n"
                             "leave a product over a period.\n"
                             "\n"
                             "Renewal\n"
                             "\n"
                             "When a customer signs again for another term.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2);
    assert_term(g, "Churn", "Churn", "The rate at which customers leave a product over a period.");
    gls_glossary_unref(g);
}

Test(load_text, page_title_and_intro_are_skipped)
{
    int errors;
    gls_glossary_t *g = load("Revenue Glossary\n"
                             "Plain definitions of the terms our finance team uses every day.\n"
                             "Churn\n"
                             "The rate at which customers leave.\n"
                             "Burn Rate\n"
                             "How fast a company spends its money.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2, "%u concepts", g->concept_count);
    cr_assert_lt(find_form(g, "Revenue Glossary"), 0);
    gls_glossary_unref(g);
}

Test(load_text, title_before_index_letters_is_skipped)
{
    int errors;
    gls_glossary_t *g = load("Reference Sheet\n"
                             "\n"
                             "Everything a new hire should know, in short sentences.\n"
                             "\n"
                             "A\n"
                             "\n"
                             "Activation\n"
                             "The moment a user completes the key setup steps.\n"
                             "B\n"
                             "Burn Rate\n"
                             "How fast a company spends its money.\n"
                             "C\n"
                             "Churn\n"
                             "The rate at which customers leave.\n"
                             "D\n"
                             "E\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 3, "%u concepts", g->concept_count);
    cr_assert_lt(find_form(g, "Reference Sheet"), 0);
    cr_assert_lt(find_form(g, "A"), 0);
    cr_assert_lt(find_form(g, "D"), 0);
    gls_glossary_unref(g);
}

Test(load_text, link_lines_image_residue_and_navigation_are_noise)
{
    int errors;
    gls_glossary_t *g = load("top of page\n"
                             ".jpeg)\n"
                             "Chatbots\n"
                             "Conversational interfaces that answer routine questions.\n"
                             "\n"
                             "Read the full page \xe2\x86\x92\n"
                             ".avif)\n"
                             "Deal Room\n"
                             "A shared space where buyers find the documents of a deal.\n"
                             "Learn more\n"
                             "![diagram](https://example.com/room.png)\n"
                             "Escalation Rate\n"
                             "\n"
                             "How often issues need a manager's help.\n"
                             "bottom of page\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 3, "%u concepts", g->concept_count);
    assert_term(g, "Chatbots", "Chatbots",
                "Conversational interfaces that answer routine questions.");
    assert_term(g, "Deal Room", "Deal Room",
                "A shared space where buyers find the documents of a deal.");
    assert_term(g, "Escalation Rate", "Escalation Rate", "How often issues need a manager's help.");
    gls_glossary_unref(g);
}

Test(load_text, bullets_with_each_separator)
{
    int errors;
    gls_glossary_t *g =
        load("  \xe2\x80\xa2 Burn Rate \xe2\x80\x93 How fast a company spends money.\n"
             "\n"
             "  \xe2\x80\xa2 Churn Rate \xe2\x80\x94 Share of customers lost.\n"
             "- Gross Churn - Revenue lost from cancellations.\n"
             "- Logo Churn: Customers lost in a period.\n"
             "* Net Revenue Retention (NRR): Revenue kept, expansion included.\n",
             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 5, "%u concepts", g->concept_count);
    assert_term(g, "Burn Rate", "Burn Rate", "How fast a company spends money.");
    assert_term(g, "Churn Rate", "Churn Rate", "Share of customers lost.");
    assert_term(g, "Gross Churn", "Gross Churn", "Revenue lost from cancellations.");
    assert_term(g, "Logo Churn", "Logo Churn", "Customers lost in a period.");
    assert_term(g, "NRR", "Net Revenue Retention", "Revenue kept, expansion included.");
    cr_assert_eq(form_kind(g, "NRR"), GLS_FORM_ABBREV);
    /* The column is that of the term, after the bullet. */
    cr_assert_eq(concept(g, "Burn Rate")->column, 5);
    gls_glossary_unref(g);

    /* Columns count code points of the raw line, spaces and tabs included. */
    g = load("\t\xe2\x80\xa2   Gross Revenue  Retention   (GRR) \xe2\x80\x93 Revenue kept.\n",
             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(concept(g, "GRR")->column, 6);
    const gls_form_t *abbr = NULL;
    for (uint32_t i = 0; i < g->form_count; i++)
        if (strcmp(g->forms[i].text, "GRR") == 0)
            abbr = &g->forms[i];
    cr_assert_not_null(abbr);
    cr_assert_eq(abbr->column, 34, "column %u", abbr->column);
    assert_term(g, "GRR", "Gross Revenue Retention", "Revenue kept.");
    gls_glossary_unref(g);
}

Test(load_text, bullet_page_drops_blurbs_of_another_layout)
{
    int errors;
    gls_glossary_t *g =
        load("A\n"
             "- Adoption Rate \xe2\x80\x93 How fully users take up a product.\n"
             "- Burn Rate \xe2\x80\x93 How fast a company spends money.\n"
             "- Churn Rate \xe2\x80\x93 Share of customers lost.\n"
             "- Downsell \xe2\x80\x93 A move to a cheaper plan.\n"
             "- Expansion Revenue \xe2\x80\x93 Revenue from upsell and cross-sell.\n"
             "- Feedback Loop \xe2\x80\x93 Collecting and acting on customer input.\n"
             "\n"
             "Explore Our Features\n"
             "\n"
             "Task Management\n"
             "\n"
             "Stay organized by assigning and tracking tasks for the whole team.\n",
             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 6, "%u concepts", g->concept_count);
    cr_assert_lt(find_form(g, "Task Management"), 0);
    gls_glossary_unref(g);
}

Test(load_text, abbreviations_in_and_before_parentheses)
{
    int errors;
    gls_glossary_t *g = load("Customer Effort Score (CES)\n"
                             "How much effort a task took, on a short scale.\n"
                             "NPS (Net Promoter Score)\n"
                             "Loyalty measured by the wish to recommend.\n"
                             "Key Performance Indicators (KPIs)\n"
                             "The few numbers a team is judged by.\n"
                             "SaaS (Software-as-a-Service)\n"
                             "Software rented as a service over the internet.\n"
                             "Experience Score (X-Score)\n"
                             "A blend of survey scores into one number.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 5);
    assert_term(g, "CES", "Customer Effort Score",
                "How much effort a task took, on a short scale.");
    assert_term(g, "NPS", "Net Promoter Score", NULL);
    assert_term(g, "KPIs", "Key Performance Indicators", NULL);
    assert_term(g, "SaaS", "Software-as-a-Service", NULL);
    assert_term(g, "X-Score", "Experience Score", NULL);
    cr_assert_eq(form_kind(g, "CES"), GLS_FORM_ABBREV);
    cr_assert_eq(form_kind(g, "NPS"), GLS_FORM_ABBREV);
    cr_assert_eq(form_kind(g, "X-Score"), GLS_FORM_ALIAS);
    gls_glossary_unref(g);
}

Test(load_text, qualifier_after_the_abbreviation)
{
    int errors;
    gls_glossary_t *g = load("Single Sign-On (SSO) Integration\n"
                             "One login for many applications, kept secure.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 1);
    assert_term(g, "SSO", "Single Sign-On", "One login for many applications, kept secure.");
    assert_term(g, "Single Sign-On Integration", "Single Sign-On", NULL);
    cr_assert_eq(form_kind(g, "Single Sign-On Integration"), GLS_FORM_ALIAS);
    gls_glossary_unref(g);
}

Test(load_text, parenthesis_that_is_not_a_form_is_left_out)
{
    int errors;
    gls_glossary_t *g = load("Quota Attainment (CSM)\n"
                             "How much of a target was reached in the period.\n"
                             "Business Review (QBR/EBR)\n"
                             "A meeting with a customer to review results.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    assert_term(g, "Quota Attainment", "Quota Attainment", NULL);
    assert_term(g, "Business Review", "Business Review", NULL);
    cr_assert_lt(find_form(g, "CSM"), 0);
    cr_assert_lt(find_form(g, "QBR/EBR"), 0);
    cr_assert_eq(count_code(g, "glossary-text-ignored", 1), 1);
    gls_glossary_unref(g);
}

Test(load_text, expansion_subtitle_and_context_on_the_term_line)
{
    int errors;
    gls_glossary_t *g = load("CSQL - Customer Success Qualified Lead\n"
                             "An existing customer ready for expansion.\n"
                             "Adoption Rate: Your Product's Pulse\n"
                             "How much of what was bought is used.\n"
                             "Negative Churn in SaaS\n"
                             "When expansion outgrows the revenue lost to churn.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 3);
    assert_term(g, "CSQL", "Customer Success Qualified Lead",
                "An existing customer ready for expansion.");
    assert_term(g, "Adoption Rate", "Adoption Rate", "How much of what was bought is used.");
    assert_term(g, "Negative Churn", "Negative Churn", NULL);
    cr_assert_lt(find_form(g, "Your Product's Pulse"), 0);
    gls_glossary_unref(g);
}

Test(load_text, alias_lines_under_the_term)
{
    int errors;
    gls_glossary_t *g = load("Adoption Rate\n"
                             "Product Adoption Rate\n"
                             "\n"
                             "The share of users who actively use the product.\n"
                             "\n"
                             "CES\n"
                             "Customer Effort Score\n"
                             "\n"
                             "A survey item on how hard something was to get done.\n"
                             "\n"
                             "Logo Retention\n"
                             "Customer Retention Rate\n"
                             "\n"
                             "The share of customers kept over a period.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 3, "%u concepts", g->concept_count);
    assert_term(g, "Product Adoption Rate", "Adoption Rate",
                "The share of users who actively use the product.");
    cr_assert_eq(form_kind(g, "Product Adoption Rate"), GLS_FORM_ALIAS);
    assert_term(g, "CES", "Customer Effort Score",
                "A survey item on how hard something was to get done.");
    cr_assert_eq(form_kind(g, "CES"), GLS_FORM_ABBREV);
    cr_assert_eq(concept(g, "CES")->line, 6);
    assert_term(g, "Customer Retention Rate", "Logo Retention", NULL);
    gls_glossary_unref(g);
}

Test(load_text, glued_alias_lines_are_split)
{
    int errors;
    gls_glossary_t *g = load("NRR\n"
                             "Net Revenue RetentionNet Dollar RetentionNDR\n"
                             "\n"
                             "Recurring revenue kept from existing customers, expansion included.\n"
                             "\n"
                             "QBR\n"
                             "Quarterly Business ReviewEBRExecutive Business Review\n"
                             "\n"
                             "A scheduled review of value delivered with a customer.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2);
    assert_term(g, "NRR", "Net Revenue Retention", NULL);
    assert_term(g, "Net Dollar Retention", "Net Revenue Retention", NULL);
    assert_term(g, "NDR", "Net Revenue Retention", NULL);
    cr_assert_eq(form_kind(g, "NDR"), GLS_FORM_ABBREV);
    assert_term(g, "EBR", "Quarterly Business Review", NULL);
    assert_term(g, "Executive Business Review", "Quarterly Business Review", NULL);
    gls_glossary_unref(g);
}

Test(load_text, truncated_definition_is_loaded_and_linted)
{
    int errors;
    gls_glossary_t *g = load("Champion\n"
                             "A champion is the internal advocate at the customer who ...\n"
                             "Churn Rate\n"
                             "Churn rate measures the share of customers lost in a peri...\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2);
    assert_term(g, "Champion", "Champion",
                "A champion is the internal advocate at the customer who ...");
    cr_assert_eq(count_code(g, "glossary-truncated-definition", 0), 2);
    gls_glossary_unref(g);
}

Test(load_text, sentence_case_terms)
{
    int errors;
    gls_glossary_t *g = load("Customer operations glossary\n"
                             "Definitions of the terms our support team uses.\n"
                             "Renewal rate\n"
                             "The share of contracts that renew when they come up.\n"
                             "Time to value\n"
                             "How long a new customer takes to reach a first result.\n"
                             "Net revenue retention (NRR)\n"
                             "Revenue kept from existing customers, expansion included.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 3, "%u concepts", g->concept_count);
    assert_term(g, "Time to value", "Time to value",
                "How long a new customer takes to reach a first result.");
    assert_term(g, "NRR", "Net revenue retention", NULL);
    gls_glossary_unref(g);
}

Test(load_text, abbreviation_list_bullets)
{
    int errors;
    gls_glossary_t *g = load("- NRR: Net Revenue Retention\n"
                             "- GRR: Gross Revenue Retention\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2);
    assert_term(g, "NRR", "Net Revenue Retention", "");
    cr_assert_eq(form_kind(g, "GRR"), GLS_FORM_ABBREV);
    gls_glossary_unref(g);
}

/* The examples of docs/formats/text.md read as the page says. */
Test(load_text, documented_examples)
{
    int errors;
    gls_glossary_t *g = load("Renewal Rate\n"
                             "The share of contracts that renew when they come up for renewal.\n"
                             "\n"
                             "Time to Value\n"
                             "How long a new customer takes to reach the first result they\n"
                             "bought the product for.\n"
                             "Seat Expansion\n"
                             "Growth in the number of paid users within an existing account.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 3);
    assert_term(g, "Time to Value", "Time to Value",
                "How long a new customer takes to reach the first result they bought the "
                "product for.");
    gls_glossary_unref(g);

    g = load("Adoption Rate\n"
             "Product Adoption Rate\n"
             "\n"
             "The share of provisioned users who actively use the product.\n"
             "\n"
             "GRR\n"
             "Gross Revenue Retention\n"
             "\n"
             "Recurring revenue kept from existing customers, expansion excluded.\n",
             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2);
    assert_term(g, "GRR", "Gross Revenue Retention", NULL);
    assert_term(g, "Product Adoption Rate", "Adoption Rate", NULL);
    gls_glossary_unref(g);

    g = load(
        "  \xe2\x80\xa2 Burn Rate \xe2\x80\x93 How fast a company spends its cash.\n"
        "  \xe2\x80\xa2 Logo Churn \xe2\x80\x94 Customers lost in a period, whatever their size.\n"
        "- Gross Churn - Revenue lost to cancellations and downgrades.\n"
        "- Pulse Survey: A short, frequent survey to track sentiment.\n",
        &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 4);
    assert_term(g, "Pulse Survey", "Pulse Survey", "A short, frequent survey to track sentiment.");
    gls_glossary_unref(g);

    g = load("Adoption Rate: Why It Matters\n"
             "How much of what was bought is used.\n",
             &errors);
    assert_term(g, "Adoption Rate", "Adoption Rate", NULL);
    gls_glossary_unref(g);
}

/* ---- errors and odd input ---- */

Test(load_text, term_without_definition_is_an_error)
{
    int errors;
    gls_glossary_t *g = load("Churn\n"
                             "The rate at which customers leave.\n"
                             "Renewal\n"
                             "Expansion Revenue\n"
                             "Revenue from existing customers through upsell.\n"
                             "Gross Churn\n",
                             &errors);
    cr_assert_eq(errors, 2);
    cr_assert_eq(g->concept_count, 2);
    cr_assert_lt(find_form(g, "Renewal"), 0);
    cr_assert_eq(count_code(g, "glossary-missing-definition", 3), 1);
    cr_assert_eq(count_code(g, "glossary-missing-definition", 6), 1);
    gls_glossary_unref(g);
}

Test(load_text, stray_text_between_entries_is_reported)
{
    int errors;
    gls_glossary_t *g = load("Churn\n"
                             "The rate at which customers leave.\n"
                             "\n"
                             "some stray note\n"
                             "\n"
                             "Renewal\n"
                             "When a customer signs again for another term.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2);
    cr_assert_eq(count_code(g, "glossary-text-ignored", 4), 1);
    gls_glossary_unref(g);
}

Test(load_text, empty_file)
{
    int errors;
    gls_glossary_t *g = load_n("", 0, &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 0);
    cr_assert_eq(count_code(g, "glossary-empty", 0), 1);
    gls_glossary_unref(g);

    gls_builder_t *b = gls_builder_new("null.txt");
    cr_assert_eq(gls_load_text(b, "null.txt", NULL, 0), 0);
    gls_builder_free(b);

    g = load(" \n\t\n\xc2\xa0\n\xef\xbb\xbf\n", &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 0);
    gls_glossary_unref(g);
}

Test(load_text, byte_order_mark)
{
    int errors;
    gls_glossary_t *g = load("\xef\xbb\xbf"
                             "Churn\n"
                             "The rate at which customers leave.\n",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 1);
    assert_term(g, "Churn", "Churn", "The rate at which customers leave.");
    cr_assert_eq(g->concepts[0].line, 1);
    cr_assert_eq(g->concepts[0].column, 1);
    gls_glossary_unref(g);
}

Test(load_text, crlf_and_lone_cr)
{
    int errors;
    gls_glossary_t *g = load("Churn\r\n"
                             "The rate at which customers leave.\r\n"
                             "\r\n"
                             "Renewal\r"
                             "When a customer signs again for another term.\r"
                             "Downsell\r\n"
                             "A move to a cheaper plan or fewer seats.",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 3);
    assert_term(g, "Churn", "Churn", "The rate at which customers leave.");
    assert_term(g, "Renewal", "Renewal", "When a customer signs again for another term.");
    assert_term(g, "Downsell", "Downsell", "A move to a cheaper plan or fewer seats.");
    cr_assert_eq(concept(g, "Renewal")->line, 4);
    cr_assert_eq(concept(g, "Downsell")->line, 6);
    gls_glossary_unref(g);
}

Test(load_text, invalid_utf8_is_replaced_and_reported)
{
    int errors;
    gls_glossary_t *g = load("Churn Rate\n"
                             "The rate at which \xff customers \xc3 leave.\n"
                             "Renewal\n"
                             "When a customer signs again \xe2\x80",
                             &errors);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, 2);
    const gls_concept_t *c = concept(g, "Churn Rate");
    cr_assert_str_eq(c->definition, "The rate at which \xef\xbf\xbd customers \xef\xbf\xbd leave.");
    cr_assert_eq(count_code(g, "glossary-encoding", 2), 1);
    cr_assert_eq(count_code(g, "glossary-encoding", 4), 1);
    gls_glossary_unref(g);
}

Test(load_text, control_bytes_and_nul_do_not_cut_lines)
{
    int errors;
    static const char text[] = "Churn\nThe rate at which\0 customers\x01 leave.\n";
    gls_glossary_t *g = load_n(text, sizeof text - 1, &errors);
    cr_assert_eq(errors, 0);
    assert_term(g, "Churn", "Churn", "The rate at which customers leave.");
    gls_glossary_unref(g);
}

/* Every prefix of a page and pseudo-random bytes: the loader must neither
 * crash nor read past 'len' (run under the sanitizers). */
Test(load_text, truncated_and_random_input)
{
    static const char page[] = "\xef\xbb\xbfGlossary\r\n"
                               "A\r\n"
                               "  \xe2\x80\xa2 Churn Rate (CR) \xe2\x80\x93 Share lost.\r\n"
                               "NRR\nNet Revenue RetentionNDR\n\nRevenue kept.\n"
                               "Read more \xe2\x86\x92\n.avif)\n"
                               "Customer Effort Score (CES\nEffort it took \xe2\x80\xa6\n";
    for (size_t n = 0; n < sizeof page; n++) {
        gls_glossary_t *g = load_n(page, n, NULL);
        gls_glossary_unref(g);
    }
    uint32_t seed = 12345;
    static const char alphabet[] = "Aa (-):\xe2\x80\x93\n\r\xc3\xff. Term Zz\xe2\x86\x92";
    char buf[512];
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)(round * 7 % (int)sizeof buf);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        gls_glossary_t *g = load_n(buf, n, NULL);
        gls_glossary_unref(g);
    }
}

/* ---- seed pages ---- */

typedef struct expected {
    char *term;
    unsigned line;
} expected_t;

/* Normalizes white space the way the loader reads a line: NBSP and tabs
 * as spaces, runs of spaces as one, both ends trimmed. Returns the new
 * length. */
static size_t squeeze(char *s, size_t n)
{
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
            space = o > 0;
            continue;
        }
        if ((unsigned char)s[i] == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
            i++;
            space = o > 0;
            continue;
        }
        if (space)
            s[o++] = ' ';
        space = 0;
        s[o++] = s[i];
    }
    return o;
}

/* Reads a whole file or fails the test saying which. */
static char *slurp(const char *path, size_t *len)
{
    char *text = NULL;
    int rc = gls_read_file(path, 1u << 24, &text, len);
    cr_assert_eq(rc, 0, "cannot read %s (error %d); tests run from the repository root", path, rc);
    return text;
}

/* The seed file 'NNN_*.txt' in SEED_DIR. The seed pages are not ours to
 * ship: a clone without the shared/ directory beside it skips these tests
 * (criterion reports them as skipped); a missing file in a present
 * directory fails. */
static char *seed_path(const char *nnn)
{
    DIR *d = opendir(SEED_DIR);
    if (!d)
        cr_skip_test("seed directory %s is missing (the shared/ directory beside the "
                     "repository); skipped",
                     SEED_DIR);
    char *found = NULL;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        if (strncmp(ent->d_name, nnn, 3) == 0 && ent->d_name[3] == '_' && n > 4 &&
            strcmp(ent->d_name + n - 4, ".txt") == 0)
            found = gls_xasprintf("%s/%s", SEED_DIR, ent->d_name);
    }
    closedir(d);
    cr_assert_not_null(found, "no seed file %s_*.txt in %s", nnn, SEED_DIR);
    return found;
}

/* Lines of 'text', each NUL-terminated in place and squeezed. */
static char **split_lines(char *text, size_t len, size_t *count)
{
    size_t cap = 64, n = 0;
    char **lines = gls_xmalloc(cap * sizeof *lines);
    size_t i = 0;
    while (i < len) {
        size_t a = i;
        while (i < len && text[i] != '\n')
            i++;
        text[i] = '\0'; /* the NUL gls_read_file leaves at text[len] when i == len */
        size_t m = squeeze(text + a, i - a);
        text[a + m] = '\0';
        if (n == cap)
            lines = gls_xrealloc(lines, (cap *= 2) * sizeof *lines);
        lines[n++] = text + a;
        i++;
    }
    *count = n;
    return lines;
}

static expected_t *read_expected(const char *nnn, size_t *count)
{
    char *path = gls_xasprintf("%s/%s.expected.tsv", EXPECTED_DIR, nnn);
    size_t len;
    char *text = slurp(path, &len);
    size_t nlines;
    char **lines = split_lines(text, len, &nlines);
    expected_t *v = gls_xcalloc(nlines + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < nlines; i++) {
        if (!lines[i][0] || lines[i][0] == '#')
            continue;
        char *tab = strrchr(lines[i], ' ');
        /* squeeze turned the tab into a space: the line number is the last word. */
        cr_assert_not_null(tab, "%s:%zu: want term<TAB>line", path, i + 1);
        *tab = '\0';
        v[n].term = gls_xstrdup(lines[i]);
        v[n].line = (unsigned)strtoul(tab + 1, NULL, 10);
        cr_assert_gt(v[n].line, 0, "%s:%zu: bad line number", path, i + 1);
        n++;
    }
    free(lines);
    free(text);
    free(path);
    *count = n;
    return v;
}

/* True when the definition starts in the seed at 1-based line 'line': its
 * first 40 bytes occur in the seed text from that line on (lines joined
 * with spaces), starting on that line. */
static int definition_at(const char *def, char **lines, size_t nlines, unsigned line)
{
    if (line == 0 || line > nlines)
        return 0;
    size_t want = strlen(def) < 40 ? strlen(def) : 40;
    while (want > 0 && want < strlen(def) && ((unsigned char)def[want] & 0xc0) == 0x80)
        want--; /* whole code points only */
    if (want == 0)
        return 0;
    gls_buf_t joined;
    gls_buf_init(&joined);
    size_t first_len = strlen(lines[line - 1]);
    for (size_t i = line - 1; i < nlines && joined.len < first_len + 400; i++) {
        if (joined.len)
            gls_buf_putc(&joined, ' ');
        gls_buf_puts(&joined, lines[i]);
    }
    int ok = 0;
    for (const char *p = joined.data; p && (size_t)(p - joined.data) < first_len && !ok;
         p = strchr(p + 1, def[0]))
        ok = strncmp(p, def, want) == 0;
    gls_buf_close(&joined);
    return ok;
}

static int concept_has_form(const gls_glossary_t *g, uint32_t ci, const char *form)
{
    const gls_concept_t *c = &g->concepts[ci];
    for (uint32_t k = 0; k < c->form_count; k++)
        if (strcasecmp(g->forms[c->first_form + k].text, form) == 0)
            return 1;
    return 0;
}

/* Case-insensitive match with hyphens as spaces (the builder's key). */
static int same_form(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a == '-' ? ' ' : *a, y = *b == '-' ? ' ' : *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* Forms tests/data/seed-forms.tsv lists for seed 'nnn' that the loaded
 * glossary has; '*total' gets how many it lists. */
static size_t seed_forms_found(const gls_glossary_t *g, const char *nnn, size_t *total,
                               gls_buf_t *missing)
{
    size_t len;
    char *text = slurp(SEED_FORMS, &len);
    size_t found = 0;
    *total = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2 || strncmp(line, "form\t", 5) == 0)
            continue;
        *t1 = '\0';
        if (!strstr(t2 + 1, nnn))
            continue;
        (*total)++;
        int ok = 0;
        for (uint32_t f = 0; f < g->form_count && !ok; f++)
            ok = same_form(g->forms[f].text, line);
        if (ok)
            found++;
        else
            gls_buf_printf(missing, " '%s'", line);
    }
    free(text);
    return found;
}

static void check_seed(const char *nnn)
{
    char *path = seed_path(nnn);
    size_t len;
    char *text = slurp(path, &len);
    gls_builder_t *b = gls_builder_new(path);
    int errors = gls_load_text(b, path, text, len);
    gls_glossary_t *g = gls_builder_freeze(b);
    size_t nlines;
    char **lines = split_lines(text, len, &nlines);
    size_t nexp;
    expected_t *exp = read_expected(nnn, &nexp);
    cr_assert_gt(nexp, 0, "no expected terms for seed %s", nnn);

    /* Recall: expected terms found with the definition at the right line. */
    size_t recognized = 0;
    gls_buf_t misses;
    gls_buf_init(&misses);
    for (size_t i = 0; i < nexp; i++) {
        long ci = find_form(g, exp[i].term);
        if (ci < 0) {
            gls_buf_printf(&misses, "\n  '%s': not found", exp[i].term);
        } else if (!definition_at(g->concepts[ci].definition, lines, nlines, exp[i].line)) {
            gls_buf_printf(&misses, "\n  '%s': definition \"%.50s\" does not start at line %u",
                           exp[i].term, g->concepts[ci].definition, exp[i].line);
        } else {
            recognized++;
        }
    }
    /* Precision: every concept is one of the expected terms. */
    size_t junk = 0;
    gls_buf_t junk_names;
    gls_buf_init(&junk_names);
    for (uint32_t ci = 0; ci < g->concept_count; ci++) {
        int ok = 0;
        for (size_t i = 0; i < nexp && !ok; i++)
            ok = concept_has_form(g, ci, exp[i].term);
        if (!ok) {
            junk++;
            gls_buf_printf(&junk_names, " '%s' (line %u)", g->concepts[ci].term,
                           g->concepts[ci].line);
        }
    }
    size_t forms_total;
    gls_buf_t forms_missing;
    gls_buf_init(&forms_missing);
    size_t forms_found = seed_forms_found(g, nnn, &forms_total, &forms_missing);
    fprintf(stderr,
            "seed %s: %zu/%zu terms recognized, %zu junk concepts, %zu/%zu seed forms, "
            "%d loader errors%s%s%s\n",
            nnn, recognized, nexp, junk, forms_found, forms_total, errors,
            misses.data ? misses.data : "", forms_missing.data ? "\n  forms missing:" : "",
            forms_missing.data ? forms_missing.data : "");

    cr_expect_geq(recognized * 100, nexp * 95, "seed %s: %zu of %zu terms recognized:%s", nnn,
                  recognized, nexp, misses.data ? misses.data : "");
    cr_expect_eq(junk, 0, "seed %s: %zu junk concepts:%s", nnn, junk,
                 junk_names.data ? junk_names.data : "");
    cr_expect_geq(forms_found * 100, forms_total * 95, "seed %s: seed-forms.tsv forms missing:%s",
                  nnn, forms_missing.data ? forms_missing.data : "");
    cr_expect_eq(errors, 0, "seed %s: the loader reported %d errors", nnn, errors);

    gls_buf_close(&misses);
    gls_buf_close(&junk_names);
    gls_buf_close(&forms_missing);
    for (size_t i = 0; i < nexp; i++)
        free(exp[i].term);
    free(exp);
    free(lines);
    gls_glossary_unref(g);
    free(text);
    free(path);
}

Test(load_text, seed_000)
{
    check_seed("000");
}

Test(load_text, seed_001)
{
    check_seed("001");
}

Test(load_text, seed_002)
{
    check_seed("002");
}

Test(load_text, seed_003)
{
    check_seed("003");
}

Test(load_text, seed_004)
{
    check_seed("004");
}

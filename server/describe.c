/* describe.c: concept descriptions (hover, explain). */
#include "gls/describe.h"

#include <stdlib.h>

#include "gls/uri.h"

#include <stdio.h>
#include <string.h>

void gls_describe_title(const gls_glossary_t *g, uint32_t ci, gls_buf_t *out)
{
    const gls_concept_t *c = &g->concepts[ci];
    gls_buf_puts(out, c->term);
    const gls_form_t *abbr = gls_glossary_first_form(g, ci, GLS_FORM_ABBREV);
    if (abbr) {
        gls_buf_puts(out, " (");
        gls_buf_puts(out, abbr->text);
        gls_buf_puts(out, ")");
    }
}

static void list_forms(const gls_glossary_t *g, uint32_t ci, gls_form_kind_t kind, int skip_first,
                       gls_buf_t *out, int *any)
{
    const gls_concept_t *c = &g->concepts[ci];
    int seen = 0;
    for (uint32_t k = 0; k < c->form_count; k++) {
        const gls_form_t *f = &g->forms[c->first_form + k];
        if (f->kind != kind)
            continue;
        if (skip_first && seen++ == 0)
            continue;
        gls_buf_puts(out, *any ? ", " : "");
        gls_buf_puts(out, f->text);
        *any = 1;
    }
}

static int is_file_source(const char *s)
{
    return s && *s && strcmp(s, "built-in") != 0;
}

void gls_describe_concept(const gls_glossary_t *g, uint32_t ci, const gls_describe_opts_t *o,
                          gls_buf_t *out)
{
    const gls_concept_t *c = &g->concepts[ci];
    int md = o->markdown;
    if (o->form && o->form->kind == GLS_FORM_AVOID) {
        const char *use = o->form->use && *o->form->use ? o->form->use : c->term;
        if (md)
            gls_buf_printf(out, "**Avoid** \"%s\": write **%s**", o->form->text, use);
        else
            gls_buf_printf(out, "Avoid \"%s\": write \"%s\"", o->form->text, use);
        if (o->form->why && *o->form->why)
            gls_buf_printf(out, " (%s)", o->form->why);
        gls_buf_puts(out, ".\n\n");
    }
    gls_buf_t title;
    gls_buf_init(&title);
    gls_describe_title(g, ci, &title);
    gls_buf_printf(out, md ? "**%s**\n\n" : "%s\n\n", title.data);
    gls_buf_close(&title);
    if (o->local_definition) {
        gls_buf_printf(out, md ? "*Defined in this document as:* %s\n\n"
                               : "Defined in this document as: %s\n\n",
                       o->local_definition);
    }
    if (*c->definition) {
        gls_buf_puts(out, c->definition);
        gls_buf_puts(out, "\n\n");
    }
    int any = 0;
    gls_buf_t line;
    gls_buf_init(&line);
    list_forms(g, ci, GLS_FORM_ABBREV, 1, &line, &any);
    list_forms(g, ci, GLS_FORM_ALIAS, 0, &line, &any);
    if (any)
        gls_buf_printf(out, md ? "*Also:* %s  \n" : "Also: %s\n", line.data);
    gls_buf_clear(&line);
    any = 0;
    for (uint32_t k = 0; k < c->form_count; k++) {
        const gls_form_t *f = &g->forms[c->first_form + k];
        if (f->kind != GLS_FORM_AVOID)
            continue;
        gls_buf_printf(&line, "%s%s", any ? ", " : "", f->text);
        any = 1;
    }
    if (any)
        gls_buf_printf(out, md ? "*Avoid:* %s  \n" : "Avoid: %s\n", line.data);
    gls_buf_clear(&line);
    any = 0;
    for (uint32_t k = 0; k < c->see_also_count; k++) {
        uint32_t t = c->see_also_resolved ? c->see_also_resolved[k] : UINT32_MAX;
        const char *name = t == UINT32_MAX ? c->see_also[k] : g->concepts[t].term;
        gls_buf_printf(&line, "%s%s", any ? ", " : "", name);
        any = 1;
    }
    if (any)
        gls_buf_printf(out, md ? "*See also:* %s  \n" : "See also: %s\n", line.data);
    gls_buf_close(&line);
    if (c->cadence)
        gls_buf_printf(out, md ? "*Cadence:* %s  \n" : "Cadence: %s\n", c->cadence);
    if (c->value_count) {
        gls_buf_puts(out, md ? "*Stated as:* " : "Stated as: ");
        for (uint32_t k = 0; k < c->value_count; k++) {
            const gls_value_range_t *r = &c->values[k];
            if (k)
                gls_buf_puts(out, "; ");
            gls_buf_puts(out, gls_unit_name((gls_unit_t)r->unit));
            if (r->has_min && r->has_max)
                gls_buf_printf(out, " %g to %g", r->min, r->max);
            else if (r->has_min)
                gls_buf_printf(out, " from %g", r->min);
            else if (r->has_max)
                gls_buf_printf(out, " up to %g", r->max);
        }
        gls_buf_puts(out, md ? "  \n" : "\n");
    }
    if (is_file_source(c->source)) {
        if (md && c->source[0] == '/') {
            char *uri = gls_path_to_uri(c->source);
            gls_buf_printf(out, "\n*Source:* [%s:%u](%s#L%u)\n", c->source, c->line, uri,
                           c->line);
            free(uri);
        } else if (md)
            gls_buf_printf(out, "\n*Source:* %s:%u\n", c->source, c->line);
        else
            gls_buf_printf(out, "\nSource: %s:%u\n", c->source, c->line);
    } else {
        gls_buf_puts(out, md ? "\n*Source:* built-in customer-success glossary\n"
                             : "\nSource: built-in customer-success glossary\n");
    }
}

/* lsp_glossary_file.c: help while editing a glossary file the server has
 * loaded. Its diagnostics are the glossary's own problems in that file
 * (syntax, conflicts, lint; the prose rules would only flag the acronyms
 * its definitions mention); hover on a see-also reference or an avoid
 * entry's "use" shows the concept it names (or says that none has that
 * name); completion there offers concept ids and terms. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/describe.h"
#include "gls/glossary_file.h"
#include "gls/loader.h"
#include "gls/lspjson.h"
#include "gls/server.h"
#include "gls/uri.h"
#include "gls/util.h"

#define MAX_ITEMS 200

void gls_server_note_glossary_files(gls_server_t *s)
{
    json_decref(s->glossary_files);
    s->glossary_files = json_object();
    const gls_glossary_t *g = s->glossary;
    if (!g)
        return;
    const char *last = NULL;
    for (uint32_t i = 0; i < g->concept_count; i++) {
        const char *src = g->concepts[i].source;
        if (src == last || src[0] != '/')
            continue;
        last = src;
        char *uri = gls_path_to_uri(src);
        json_object_set_new(s->glossary_files, uri, json_true());
        free(uri);
    }
    for (size_t i = 0; i < g->diags.count; i++) {
        if (g->diags.items[i].path[0] != '/')
            continue;
        char *uri = gls_path_to_uri(g->diags.items[i].path);
        json_object_set_new(s->glossary_files, uri, json_true());
        free(uri);
    }
}

int gls_server_is_glossary_file(gls_server_t *s, const gls_document_t *doc)
{
    return s->glossary_files && json_object_get(s->glossary_files, doc->uri) != NULL;
}

json_t *gls_glossary_file_diagnostics(gls_server_t *s, const gls_document_t *doc)
{
    json_t *out = json_array();
    char *path = gls_uri_to_path(doc->uri);
    const gls_glossary_t *g = s->glossary;
    for (size_t i = 0; g && path && i < g->diags.count; i++) {
        const gls_diag_t *d = &g->diags.items[i];
        if (strcmp(d->path, path) != 0)
            continue;
        uint32_t line = d->line ? d->line - 1 : 0, col = d->column ? d->column - 1 : 0;
        json_array_append_new(
            out, json_pack("{s:{s:{s:I,s:I},s:{s:I,s:I}},s:i,s:s,s:s,s:s}", "range", "start",
                           "line", (json_int_t)line, "character", (json_int_t)col, "end", "line",
                           (json_int_t)line, "character", (json_int_t)col + 1, "severity",
                           (int)d->severity, "code", d->code, "source", "glossary-ls", "message",
                           d->message));
    }
    free(path);
    return out;
}

static gls_glossary_ref_t ref_at(gls_server_t *s, const gls_document_t *doc, size_t offset)
{
    gls_glossary_ref_t none = {GLS_REF_NONE, 0, 0};
    if (!gls_server_is_glossary_file(s, doc))
        return none;
    char *path = gls_uri_to_path(doc->uri);
    int json = gls_glossary_format_guess(path, doc->text, doc->len) == GLS_FORMAT_JSON;
    free(path);
    return json ? gls_json_glossary_ref_at(doc->text, doc->len, offset)
                : gls_markdown_glossary_ref_at(doc->text, doc->len, offset);
}

/* The concept a reference names: by id, then by any form but an avoided
 * one (case-insensitive), as the loader resolves see-also lists. -1 when
 * none. */
static long resolve(const gls_glossary_t *g, const char *name)
{
    long ci = gls_glossary_find_id(g, name);
    if (ci >= 0)
        return ci;
    for (uint32_t i = 0; i < g->form_count; i++)
        if (g->forms[i].kind != GLS_FORM_AVOID && strcasecmp(g->forms[i].text, name) == 0)
            return g->forms[i].concept;
    return -1;
}

int gls_lsp_glossary_file_hover(gls_server_t *s, gls_request_t *req, const gls_document_t *doc,
                                size_t offset)
{
    gls_glossary_ref_t ref = ref_at(s, doc, offset);
    if (ref.kind == GLS_REF_NONE || !s->glossary)
        return 0;
    char *name = gls_xstrndup(doc->text + ref.start, ref.end - ref.start);
    long ci = resolve(s->glossary, name);
    gls_buf_t text;
    gls_buf_init(&text);
    if (ci >= 0) {
        gls_describe_opts_t o = {s->hover_markdown, NULL, NULL};
        gls_describe_concept(s->glossary, (uint32_t)ci, &o, &text);
    } else {
        char *msg = gls_xasprintf(ref.kind == GLS_REF_USE
                                      ? "No concept has the form '%s'."
                                      : "No concept has the id or term '%s': a see-also "
                                        "reference names a concept by its id or its term.",
                                  name);
        gls_buf_puts(&text, msg);
        free(msg);
    }
    gls_rpc_reply(req, json_pack("{s:{s:s,s:s%},s:o}", "contents", "kind",
                                 s->hover_markdown ? "markdown" : "plaintext", "value",
                                 text.data ? text.data : "", text.len, "range",
                                 gls_lsp_range_new(s, doc, ref.start, ref.end)));
    gls_buf_close(&text);
    free(name);
    return 1;
}

int gls_lsp_glossary_file_completion(gls_server_t *s, gls_request_t *req,
                                     const gls_document_t *doc, size_t offset)
{
    gls_glossary_ref_t ref = ref_at(s, doc, offset);
    if (ref.kind == GLS_REF_NONE || !s->glossary)
        return 0;
    const gls_glossary_t *g = s->glossary;
    char *path = gls_uri_to_path(doc->uri);
    int json = gls_glossary_format_guess(path, doc->text, doc->len) == GLS_FORMAT_JSON;
    free(path);
    char *typed = gls_xstrndup(doc->text + ref.start, offset - ref.start);
    json_t *items = json_array();
    /* What was typed and what follows it inside the reference is replaced. */
    json_t *range = gls_lsp_range_new(s, doc, ref.start, ref.end);
    size_t count = 0;
    int incomplete = 0;
    for (uint32_t ci = 0; ci < g->concept_count; ci++) {
        const gls_concept_t *c = &g->concepts[ci];
        for (uint32_t k = 0; k < c->form_count; k++) {
            const gls_form_t *f = &g->forms[c->first_form + k];
            if (f->kind == GLS_FORM_AVOID)
                continue;
            /* See-also lists name a concept once: by id in JSON, by term
             * in Markdown; "use" takes any form. */
            if (ref.kind == GLS_REF_SEE_ALSO && f->kind != GLS_FORM_TERM)
                continue;
            const char *insert = ref.kind == GLS_REF_SEE_ALSO && json ? c->id : f->text;
            if (*typed && !strcasestr(f->text, typed) && !strcasestr(insert, typed))
                continue;
            if (count == MAX_ITEMS) {
                incomplete = 1;
                break;
            }
            json_array_append_new(
                items, json_pack("{s:s,s:i,s:s,s:s,s:{s:O,s:s}}", "label", f->text, "kind", 18,
                                 "detail", c->id, "filterText", insert, "textEdit", "range",
                                 range, "newText", insert));
            count++;
        }
        if (incomplete)
            break;
    }
    json_decref(range);
    free(typed);
    gls_rpc_reply(req, json_pack("{s:b,s:o}", "isIncomplete", incomplete, "items", items));
    return 1;
}

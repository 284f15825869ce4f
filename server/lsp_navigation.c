/* lsp_navigation.c: go to a term's definition in its glossary file,
 * highlight a concept's uses in a document, list them across the
 * workspace, list a glossary file's concepts, and search concepts across
 * the glossary. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "gls/loader.h"
#include "gls/lspjson.h"
#include "gls/server.h"
#include "gls/uri.h"
#include "gls/util.h"
#include "gls/workspace.h"

/* The built-in glossary's shipped source: next to the binary in a build
 * tree, or installed under share/. NULL when neither exists. */
static char *builtin_source_path(void)
{
    static const char *const candidates[] = {"../server/data/cs-glossary.json",
                                             "../../server/data/cs-glossary.json",
                                             "../share/glossary-ls/cs-glossary.json"};
    return gls_path_near_exe(candidates, GLS_ARRAY_LEN(candidates));
}

/* A Location for concept 'ci' (its entry in its source file), or NULL. */
static json_t *concept_location(gls_server_t *s, const gls_glossary_t *g, uint32_t ci)
{
    const gls_concept_t *c = &g->concepts[ci];
    char *path = NULL;
    if (c->source[0] == '/')
        path = gls_xstrdup(c->source);
    else if (strcmp(c->source, "built-in") == 0)
        path = builtin_source_path();
    if (!path)
        return NULL;
    char *uri = gls_path_to_uri(path);
    free(path);
    (void)s;
    uint32_t line = c->line ? c->line - 1 : 0, col = c->column ? c->column - 1 : 0;
    json_t *loc = json_pack("{s:s,s:{s:o,s:o}}", "uri", uri, "range", "start",
                            gls_lsp_position_new(line, col), "end",
                            gls_lsp_position_new(line, col));
    free(uri);
    return loc;
}

void gls_lsp_definition(gls_server_t *s, gls_request_t *req)
{
    size_t offset;
    gls_document_t *doc = gls_lsp_document_position(s, req, &offset);
    if (!doc)
        return;
    if (!s->glossary) {
        gls_rpc_reply(req, NULL);
        return;
    }
    const gls_analysis_t *a = gls_server_analysis(s, doc);
    long m = gls_analysis_match_at(a, (uint32_t)offset);
    json_t *loc = m < 0 ? NULL : concept_location(s, a->glossary, a->matches.items[m].concept);
    gls_rpc_reply(req, loc);
}

void gls_lsp_document_highlight(gls_server_t *s, gls_request_t *req)
{
    size_t offset;
    gls_document_t *doc = gls_lsp_document_position(s, req, &offset);
    if (!doc)
        return;
    json_t *out = json_array();
    if (s->glossary) {
        const gls_analysis_t *a = gls_server_analysis(s, doc);
        long m = gls_analysis_match_at(a, (uint32_t)offset);
        if (m >= 0) {
            uint32_t ci = a->matches.items[m].concept;
            for (size_t i = 0; i < a->matches.count; i++) {
                const gls_match_t *x = &a->matches.items[i];
                if (x->concept == ci)
                    json_array_append_new(
                        out, json_pack("{s:o,s:i}", "range",
                                       gls_lsp_range_new(s, doc, x->start, x->end), "kind", 1));
            }
        }
    }
    gls_rpc_reply(req, out);
}

/* The concepts whose source is the document's file, as DocumentSymbols. */
void gls_lsp_document_symbol(gls_server_t *s, gls_request_t *req)
{
    const char *uri;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS, "%s: needs textDocument.uri",
                            req->method);
        return;
    }
    json_t *out = json_array();
    char *path = gls_uri_to_path(uri);
    char *real = path ? realpath(path, NULL) : NULL;
    const gls_glossary_t *g = s->glossary;
    for (uint32_t ci = 0; g && real && ci < g->concept_count; ci++) {
        const gls_concept_t *c = &g->concepts[ci];
        if (strcmp(c->source, real) != 0)
            continue;
        uint32_t line = c->line ? c->line - 1 : 0;
        json_t *range = json_pack("{s:o,s:o}", "start", gls_lsp_position_new(line, 0), "end",
                                  gls_lsp_position_new(line + 1, 0));
        const gls_form_t *abbr = gls_glossary_first_form(g, ci, GLS_FORM_ABBREV);
        json_array_append_new(out, json_pack("{s:s,s:s,s:i,s:O,s:o}", "name", c->term, "detail",
                                             abbr ? abbr->text : "", "kind", 20, "range", range,
                                             "selectionRange", range));
    }
    free(path);
    free(real);
    gls_rpc_reply(req, out);
}

void gls_lsp_workspace_symbol(gls_server_t *s, gls_request_t *req)
{
    const char *query = "";
    gls_json_string(req->params, "query", &query, NULL);
    json_t *out = json_array();
    const gls_glossary_t *g = s->glossary;
    size_t qlen = strlen(query);
    for (uint32_t ci = 0; g && ci < g->concept_count && json_array_size(out) < 200; ci++) {
        const gls_concept_t *c = &g->concepts[ci];
        /* Any form containing the query (case-insensitive) counts. */
        int hit = qlen == 0;
        for (uint32_t k = 0; !hit && k < c->form_count; k++) {
            const gls_form_t *f = &g->forms[c->first_form + k];
            hit = f->kind != GLS_FORM_AVOID && strcasestr(f->text, query) != NULL;
        }
        if (!hit)
            continue;
        json_t *loc = concept_location(s, g, ci);
        if (!loc)
            continue;
        json_array_append_new(out, json_pack("{s:s,s:i,s:o,s:s}", "name", c->term, "kind", 20,
                                             "location", loc, "containerName",
                                             strcmp(c->source, "built-in") == 0
                                                 ? "built-in glossary"
                                                 : c->source));
    }
    gls_rpc_reply(req, out);
}

void gls_server_visit_concept_documents(gls_server_t *s, uint32_t c, gls_doc_visit_fn fn,
                                        void *ud)
{
    /* Open documents, as the editor has them. */
    for (size_t i = 0; i < s->documents.count; i++) {
        gls_document_t *d = s->documents.items[i];
        fn(s, d, gls_server_analysis(s, d), ud);
    }
    /* Files of the workspace that use the concept and are not open. */
    const gls_ws_index_t *idx = s->ws_index;
    if (!idx || idx->glossary != s->glossary)
        return;
    for (size_t i = 0; i < idx->count; i++) {
        const gls_ws_file_t *f = &idx->files[i];
        if (!gls_ws_file_uses(f, c))
            continue;
        char *uri = gls_path_to_uri(f->path);
        int open = gls_documents_get(&s->documents, uri) != NULL;
        char *text;
        size_t len;
        if (!open && gls_read_file(f->path, GLS_WS_MAX_FILE, &text, &len) == 0) {
            /* A document object only to convert offsets to positions. */
            gls_document_t *fd = gls_document_new(uri, "", 0, text, len);
            gls_analysis_t fa;
            gls_analysis_init(&fa);
            gls_analysis_run(&fa, s->glossary, fd->text, (uint32_t)fd->len,
                             gls_language_of(NULL, f->path));
            fn(s, fd, &fa, ud);
            gls_analysis_close(&fa);
            gls_document_free(fd);
            free(text);
        }
        free(uri);
    }
}

typedef struct locations {
    uint32_t concept;
    json_t *out;
} locations_t;

/* Appends a Location for every match of the concept in 'a'. */
static void add_locations(gls_server_t *s, const gls_document_t *doc, const gls_analysis_t *a,
                          void *ud)
{
    locations_t *l = ud;
    for (size_t i = 0; i < a->matches.count; i++) {
        const gls_match_t *m = &a->matches.items[i];
        if (m->concept != l->concept)
            continue;
        json_array_append_new(l->out, json_pack("{s:s,s:o}", "uri", doc->uri, "range",
                                                gls_lsp_range_new(s, doc, m->start, m->end)));
    }
}

void gls_lsp_references(gls_server_t *s, gls_request_t *req)
{
    size_t offset;
    gls_document_t *doc = gls_lsp_document_position(s, req, &offset);
    if (!doc)
        return;
    const gls_analysis_t *a = gls_server_analysis(s, doc);
    long mi = gls_analysis_match_at(a, (uint32_t)offset);
    if (mi < 0) {
        gls_rpc_reply(req, json_null());
        return;
    }
    uint32_t c = a->matches.items[mi].concept;
    json_t *out = json_array();
    json_t *context = json_object_get(req->params, "context");
    if (json_is_true(json_object_get(context, "includeDeclaration"))) {
        json_t *decl = concept_location(s, a->glossary, c);
        if (decl)
            json_array_append_new(out, decl);
    }
    locations_t l = {c, out};
    gls_server_visit_concept_documents(s, c, add_locations, &l);
    gls_rpc_reply(req, out);
}

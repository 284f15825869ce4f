/* lsp_hover.c: textDocument/hover on a recognized form. */
#include <string.h>

#include "gls/describe.h"
#include "gls/log.h"
#include "gls/lspjson.h"
#include "gls/server.h"

json_t *gls_lsp_range_new(gls_server_t *s, const gls_document_t *doc, size_t a, size_t b)
{
    uint32_t sl, sc, el, ec;
    gls_offset_to_position(&doc->lines, doc->text, doc->len, a, s->encoding, &sl, &sc);
    gls_offset_to_position(&doc->lines, doc->text, doc->len, b, s->encoding, &el, &ec);
    return json_pack("{s:o,s:o}", "start", gls_lsp_position_new(sl, sc), "end",
                     gls_lsp_position_new(el, ec));
}

gls_document_t *gls_lsp_document_position(gls_server_t *s, gls_request_t *req, size_t *offset)
{
    const char *uri;
    uint32_t line, character;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0 ||
        gls_lsp_position(json_object_get(req->params, "position"), &line, &character) < 0) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS,
                            "%s: needs textDocument.uri and a position {line, character}",
                            req->method);
        return NULL;
    }
    gls_document_t *doc = gls_documents_get(&s->documents, uri);
    if (!doc) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "document not open: %s", uri);
        return NULL;
    }
    *offset = gls_position_to_offset(&doc->lines, doc->text, doc->len, line, character,
                                     s->encoding);
    return doc;
}

void gls_lsp_hover(gls_server_t *s, gls_request_t *req)
{
    size_t offset;
    gls_document_t *doc = gls_lsp_document_position(s, req, &offset);
    if (!doc)
        return;
    if (!s->glossary || !s->config.hover) {
        gls_rpc_reply(req, NULL);
        return;
    }
    if (gls_lsp_glossary_file_hover(s, req, doc, offset))
        return;
    const gls_analysis_t *a = gls_server_analysis(s, doc);
    long m = gls_analysis_match_at(a, (uint32_t)offset);
    if (m < 0) {
        gls_rpc_reply(req, NULL);
        return;
    }
    const gls_match_t *match = &a->matches.items[m];
    const gls_glossary_t *g = a->glossary;
    gls_describe_opts_t o = {s->hover_markdown, &g->forms[match->form], NULL};
    /* When the document spells the acronym out itself, say how. */
    gls_buf_t local;
    gls_buf_init(&local);
    const gls_form_t *form = &g->forms[match->form];
    if ((form->flags & GLS_FORM_ACRONYM) &&
        gls_local_definition(doc->text, (uint32_t)doc->len, form->text, strlen(form->text),
                             &local))
        o.local_definition = local.data;
    gls_buf_t text;
    gls_buf_init(&text);
    gls_describe_concept(g, match->concept, &o, &text);
    gls_buf_close(&local);
    json_t *result = json_pack("{s:{s:s,s:s%},s:o}", "contents", "kind",
                               s->hover_markdown ? "markdown" : "plaintext", "value", text.data,
                               text.len, "range",
                               gls_lsp_range_new(s, doc, match->start, match->end));
    gls_buf_close(&text);
    gls_rpc_reply(req, result);
}

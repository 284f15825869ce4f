/* lsp_hints.c: inlay hints (an acronym's expansion after its first use
 * when the document never spells it out) and semantic tokens (every
 * recognized term), both off unless settings turn them on. */
#include <string.h>

#include "gls/lspjson.h"
#include "gls/server.h"
#include "gls/util.h"

void gls_lsp_inlay_hint(gls_server_t *s, gls_request_t *req)
{
    const char *uri;
    uint32_t sl, sc, el, ec;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0 ||
        gls_lsp_range(json_object_get(req->params, "range"), &sl, &sc, &el, &ec) < 0) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS,
                            "textDocument/inlayHint: needs textDocument.uri and a range");
        return;
    }
    gls_document_t *doc = gls_documents_get(&s->documents, uri);
    if (!doc) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "document not open: %s", uri);
        return;
    }
    json_t *hints = json_array();
    if (!s->config.inlay_hints || !s->glossary) {
        gls_rpc_reply(req, hints);
        return;
    }
    size_t from = gls_position_to_offset(&doc->lines, doc->text, doc->len, sl, sc, s->encoding);
    size_t to = gls_position_to_offset(&doc->lines, doc->text, doc->len, el, ec, s->encoding);
    const gls_analysis_t *a = gls_server_analysis(s, doc);
    const gls_glossary_t *g = a->glossary;
    gls_rule_ctx_t ctx = {doc->text, (uint32_t)doc->len, a, g, &gls_server_doc_settings(s, doc)->rules};
    /* Concepts spelled out somewhere, and those already hinted. */
    uint8_t *spelled = gls_xcalloc(g->concept_count + 1, 1);
    uint8_t *seen = gls_xcalloc(g->concept_count + 1, 1);
    for (size_t i = 0; i + 1 < a->matches.count; i++)
        if (gls_definition_pair(&ctx, i))
            spelled[a->matches.items[i].concept] = 1;
    for (size_t i = 0; i < a->matches.count; i++) {
        const gls_match_t *m = &a->matches.items[i];
        const gls_form_t *f = &g->forms[m->form];
        if (seen[m->concept] || spelled[m->concept])
            continue;
        if (f->kind != GLS_FORM_ABBREV || (f->flags & GLS_FORM_WELL_KNOWN) ||
            (m->flags & GLS_MATCH_CASE_MISMATCH))
            continue;
        seen[m->concept] = 1;
        if (m->end < from || m->end > to)
            continue;
        uint32_t line, ch;
        gls_offset_to_position(&doc->lines, doc->text, doc->len, m->end, s->encoding, &line, &ch);
        json_array_append_new(
            hints, json_pack("{s:o,s:s++,s:b,s:s}", "position", gls_lsp_position_new(line, ch),
                             "label", " (", g->concepts[m->concept].term, ")", "paddingLeft", 0,
                             "tooltip", "expansion of the acronym; spell it out on first use"));
    }
    free(spelled);
    free(seen);
    gls_rpc_reply(req, hints);
}

/* Token types and modifiers announced in the legend. */
static const char *const token_types[] = {"glossaryTerm"};
static const char *const token_modifiers[] = {"abbreviation", "deprecated"};

json_t *gls_semantic_tokens_legend(void)
{
    json_t *types = json_array(), *mods = json_array();
    for (size_t i = 0; i < GLS_ARRAY_LEN(token_types); i++)
        json_array_append_new(types, json_string(token_types[i]));
    for (size_t i = 0; i < GLS_ARRAY_LEN(token_modifiers); i++)
        json_array_append_new(mods, json_string(token_modifiers[i]));
    return json_pack("{s:o,s:o}", "tokenTypes", types, "tokenModifiers", mods);
}

void gls_lsp_semantic_tokens(gls_server_t *s, gls_request_t *req)
{
    const char *uri;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS, "%s: needs textDocument.uri",
                            req->method);
        return;
    }
    gls_document_t *doc = gls_documents_get(&s->documents, uri);
    if (!doc) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "document not open: %s", uri);
        return;
    }
    json_t *data = json_array();
    if (s->glossary && s->config.semantic_tokens) {
        const gls_analysis_t *a = gls_server_analysis(s, doc);
        const gls_glossary_t *g = a->glossary;
        uint32_t prev_line = 0, prev_ch = 0;
        for (size_t i = 0; i < a->matches.count; i++) {
            const gls_match_t *m = &a->matches.items[i];
            const gls_form_t *f = &g->forms[m->form];
            unsigned mods = (f->kind == GLS_FORM_ABBREV ? 1u : 0u) |
                            (f->kind == GLS_FORM_AVOID ? 2u : 0u);
            /* Tokens cannot span lines: a wrapped term is one token per line. */
            size_t start = m->start;
            while (start < m->end) {
                uint32_t line, ch, eline, ech;
                gls_offset_to_position(&doc->lines, doc->text, doc->len, start, s->encoding,
                                       &line, &ch);
                size_t line_end = gls_lines_content_end(&doc->lines, doc->text, doc->len, line);
                size_t end = m->end < line_end ? m->end : line_end;
                gls_offset_to_position(&doc->lines, doc->text, doc->len, end, s->encoding, &eline,
                                       &ech);
                if (ech > ch) {
                    uint32_t dl = line - prev_line, dc = dl ? ch : ch - prev_ch;
                    json_array_append_new(data, json_integer(dl));
                    json_array_append_new(data, json_integer(dc));
                    json_array_append_new(data, json_integer(ech - ch));
                    json_array_append_new(data, json_integer(0));
                    json_array_append_new(data, json_integer(mods));
                    prev_line = line;
                    prev_ch = ch;
                }
                if (line + 1 >= doc->lines.count)
                    break;
                start = doc->lines.starts[line + 1];
                while (start < m->end && (doc->text[start] == ' ' || doc->text[start] == '>'))
                    start++;
            }
        }
    }
    gls_rpc_reply(req, json_pack("{s:o}", "data", data));
}

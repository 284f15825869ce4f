/* lsp_diagnostics.c: findings as LSP diagnostics: push
 * (textDocument/publishDiagnostics, debounced after edits, immediate on
 * open) or pull (textDocument/diagnostic, workspace/diagnostic). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gls/log.h"
#include "gls/lspjson.h"
#include "gls/server.h"
#include "gls/util.h"

const gls_findings_t *gls_server_findings(gls_server_t *s, gls_document_t *doc)
{
    const gls_analysis_t *a = gls_server_analysis(s, doc);
    gls_doc_state_t *st = doc->attachment;
    if (!st->findings_valid && st->too_big) {
        /* Not checked (maxDocumentSize): no rule reads its text. */
        gls_findings_close(&st->findings);
        gls_findings_init(&st->findings);
        st->findings_valid = 1;
    }
    if (!st->findings_valid) {
        gls_findings_close(&st->findings);
        gls_rule_ctx_t ctx = {doc->text, (uint32_t)doc->len, a, a->glossary,
                              &gls_server_doc_settings(s, doc)->rules};
        gls_rules_run(&ctx, &st->findings);
        st->findings_valid = 1;
    }
    return &st->findings;
}

static json_t *diagnostic_json(gls_server_t *s, gls_document_t *doc, const gls_finding_t *f)
{
    const char *rule = gls_rules[f->rule].name;
    json_t *d = json_pack("{s:o,s:i,s:s,s:s,s:s}", "range",
                          gls_lsp_range_new(s, doc, f->start, f->end), "severity",
                          (int)f->severity, "code", rule, "source", "glossary-ls", "message",
                          f->message);
    if (s->docs_base)
        json_object_set_new(d, "codeDescription",
                            json_pack("{s:s++}", "href", s->docs_base, rule, ".md"));
    /* Everything a quick fix needs, so code actions need no recomputation. */
    json_t *data = json_pack("{s:s}", "rule", rule);
    if (f->replacement) {
        json_object_set_new(data, "replacement", json_string(f->replacement));
        json_object_set_new(data, "fixTitle", json_string(f->fix_title));
    }
    if (f->token)
        json_object_set_new(data, "token", json_string(f->token));
    if (f->concept != UINT32_MAX && s->glossary && f->concept < s->glossary->concept_count)
        json_object_set_new(data, "concept", json_string(s->glossary->concepts[f->concept].id));
    json_object_set_new(d, "data", data);
    if (f->related_end > f->related_start) {
        json_t *rel = json_pack(
            "[{s:{s:s,s:o},s:s}]", "location", "uri", doc->uri, "range",
            gls_lsp_range_new(s, doc, f->related_start, f->related_end), "message",
            f->related_message ? f->related_message : "related");
        json_object_set_new(d, "relatedInformation", rel);
    }
    return d;
}

static json_t *diagnostics_json(gls_server_t *s, gls_document_t *doc)
{
    if (s->glossary && gls_server_is_glossary_file(s, doc))
        return gls_glossary_file_diagnostics(s, doc);
    json_t *arr = json_array();
    if (!s->glossary)
        return arr;
    const gls_findings_t *fs = gls_server_findings(s, doc);
    for (size_t i = 0; i < fs->count; i++)
        json_array_append_new(arr, diagnostic_json(s, doc, &fs->items[i]));
    return arr;
}

static void publish(gls_server_t *s, gls_document_t *doc)
{
    gls_doc_state_t *st = gls_server_doc_state(s, doc);
    st->dirty = 0;
    json_t *params = json_pack("{s:s,s:I,s:o}", "uri", doc->uri, "version",
                               (json_int_t)doc->version, "diagnostics", diagnostics_json(s, doc));
    st->published_version = doc->version;
    gls_rpc_notify(&s->rpc, "textDocument/publishDiagnostics", params);
}

static void debounce_cb(uv_timer_t *t)
{
    gls_server_t *s = t->data;
    s->debounce_active = 0;
    if (s->state != GLS_STATE_RUNNING)
        return;
    for (size_t i = 0; i < s->documents.count; i++) {
        gls_document_t *doc = s->documents.items[i];
        gls_doc_state_t *st = doc->attachment;
        if (st && st->dirty)
            publish(s, doc);
    }
}

void gls_server_diagnostics_changed(gls_server_t *s, gls_document_t *doc, int immediate)
{
    gls_doc_state_t *st = gls_server_doc_state(s, doc);
    st->findings_valid = 0;
    if (s->pull_diagnostics || s->state != GLS_STATE_RUNNING)
        return;
    if (immediate || s->config.debounce_ms == 0) {
        publish(s, doc);
        return;
    }
    st->dirty = 1;
    /* Restarting the timer on each edit: diagnostics come once typing pauses. */
    uv_timer_start(&s->debounce, debounce_cb, s->config.debounce_ms, 0);
    s->debounce_active = 1;
}

void gls_server_diagnostics_closed(gls_server_t *s, const char *uri)
{
    if (s->pull_diagnostics || s->state != GLS_STATE_RUNNING)
        return;
    gls_rpc_notify(&s->rpc, "textDocument/publishDiagnostics",
                   json_pack("{s:s,s:[]}", "uri", uri, "diagnostics"));
}

void gls_lsp_diagnostic(gls_server_t *s, gls_request_t *req)
{
    const char *uri;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS,
                            "textDocument/diagnostic: needs textDocument.uri");
        return;
    }
    gls_document_t *doc = gls_documents_get(&s->documents, uri);
    if (!doc) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "document not open: %s", uri);
        return;
    }
    gls_rpc_reply(req, json_pack("{s:s,s:o}", "kind", "full", "items", diagnostics_json(s, doc)));
}

void gls_lsp_workspace_diagnostic(gls_server_t *s, gls_request_t *req)
{
    json_t *items = json_array();
    for (size_t i = 0; i < s->documents.count; i++) {
        gls_document_t *doc = s->documents.items[i];
        json_array_append_new(items, json_pack("{s:s,s:s,s:I,s:o}", "kind", "full", "uri",
                                               doc->uri, "version", (json_int_t)doc->version,
                                               "items", diagnostics_json(s, doc)));
    }
    gls_rpc_reply(req, json_pack("{s:o}", "items", items));
}

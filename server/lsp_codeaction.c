/* lsp_codeaction.c: quick fixes for our diagnostics, built from the data
 * each diagnostic carries, plus "fix all of this rule" and source.fixAll.
 * Every change goes through a WorkspaceEdit: the server never writes a
 * file itself. */
#include <stdlib.h>
#include <string.h>

#include "gls/lspjson.h"
#include "gls/server.h"
#include "gls/util.h"

static json_t *text_edit(json_t *range, const char *text)
{
    return json_pack("{s:O,s:s}", "range", range, "newText", text);
}

static json_t *workspace_edit(const char *uri, json_t *edits)
{
    json_t *changes = json_object();
    json_object_set_new(changes, uri, edits);
    return json_pack("{s:o}", "changes", changes);
}

/* One edit per finding of 'rule' (-1: every rule) that has a fix, skipping
 * overlaps so the edits can be applied together. */
static json_t *fix_all_edits(gls_server_t *s, gls_document_t *doc, int rule, size_t *count)
{
    const gls_findings_t *fs = gls_server_findings(s, doc);
    json_t *edits = json_array();
    uint32_t last_end = 0;
    *count = 0;
    for (size_t i = 0; i < fs->count; i++) {
        const gls_finding_t *f = &fs->items[i];
        if (!f->replacement || (rule >= 0 && f->rule != rule))
            continue;
        if (*count > 0 && f->start < last_end)
            continue;
        json_t *range = gls_lsp_range_new(s, doc, f->start, f->end);
        json_array_append_new(edits, text_edit(range, f->replacement));
        json_decref(range);
        last_end = f->end;
        (*count)++;
    }
    return edits;
}

static int wants_kind(json_t *only, const char *kind)
{
    if (!json_is_array(only))
        return 1;
    size_t i;
    json_t *v;
    json_array_foreach(only, i, v) {
        const char *k = json_string_value(v);
        size_t n = k ? strlen(k) : 0;
        if (k && strncmp(kind, k, n) == 0 && (kind[n] == '\0' || kind[n] == '.'))
            return 1;
    }
    return 0;
}

void gls_lsp_code_action(gls_server_t *s, gls_request_t *req)
{
    const char *uri;
    json_t *ctx = json_object_get(req->params, "context");
    json_t *diags = json_is_object(ctx) ? json_object_get(ctx, "diagnostics") : NULL;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0 || !json_is_array(diags)) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS,
                            "textDocument/codeAction: needs textDocument.uri and "
                            "context.diagnostics");
        return;
    }
    gls_document_t *doc = gls_documents_get(&s->documents, uri);
    if (!doc) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "document not open: %s", uri);
        return;
    }
    json_t *only = json_object_get(ctx, "only");
    json_t *actions = json_array();
    unsigned seen_rules = 0;
    size_t i;
    json_t *d;
    if (wants_kind(only, "quickfix")) {
        json_array_foreach(diags, i, d) {
            if (!json_is_object(d))
                continue;
            const char *source = json_string_value(json_object_get(d, "source"));
            json_t *data = json_object_get(d, "data");
            if (!source || strcmp(source, "glossary-ls") != 0 || !json_is_object(data))
                continue;
            const char *rule = json_string_value(json_object_get(data, "rule"));
            const char *repl = json_string_value(json_object_get(data, "replacement"));
            const char *title = json_string_value(json_object_get(data, "fixTitle"));
            json_t *range = json_object_get(d, "range");
            uint32_t sl, sc, el, ec;
            if (!rule || !repl || gls_lsp_range(range, &sl, &sc, &el, &ec) < 0)
                continue;
            json_t *edit = workspace_edit(uri, json_pack("[o]", text_edit(range, repl)));
            json_array_append_new(actions,
                                  json_pack("{s:s,s:s,s:[O],s:b,s:o}", "title",
                                            title ? title : "Apply fix", "kind", "quickfix",
                                            "diagnostics", d, "isPreferred", 1, "edit", edit));
            int r = gls_rule_find(rule);
            if (r >= 0 && !((seen_rules >> r) & 1)) {
                seen_rules |= 1u << r;
                size_t n;
                json_t *edits = fix_all_edits(s, doc, r, &n);
                if (n > 1)
                    json_array_append_new(
                        actions, json_pack("{s:s++,s:s,s:o}", "title", "Fix all ", rule,
                                           " problems in this document", "kind", "quickfix",
                                           "edit", workspace_edit(uri, edits)));
                else
                    json_decref(edits);
            }
        }
    }
    if (json_is_array(only) && wants_kind(only, "source.fixAll")) {
        size_t n;
        json_t *edits = fix_all_edits(s, doc, -1, &n);
        if (n > 0)
            json_array_append_new(actions,
                                  json_pack("{s:s,s:s,s:o}", "title",
                                            "Fix all glossary-ls problems", "kind",
                                            "source.fixAll", "edit", workspace_edit(uri, edits)));
        else
            json_decref(edits);
    }
    gls_rpc_reply(req, actions);
}

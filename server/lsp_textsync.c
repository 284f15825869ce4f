/* lsp_textsync.c: didOpen, didChange (full and incremental), didClose,
 * didSave, and the glossaryLs/documentState inspection request. */
#include <inttypes.h>
#include <string.h>

#include "gls/log.h"
#include "gls/lspjson.h"
#include "gls/server.h"
#include "gls/uri.h"

void gls_lsp_did_open(gls_server_t *s, gls_request_t *req)
{
    json_t *td = json_is_object(req->params) ? json_object_get(req->params, "textDocument") : NULL;
    const char *uri, *lang = "", *text;
    size_t len;
    int64_t version = 0;
    if (gls_json_string(td, "uri", &uri, NULL) < 0 || gls_json_string(td, "text", &text, &len) < 0) {
        gls_log_error("didOpen ignored: textDocument.uri and textDocument.text must be strings");
        return;
    }
    gls_json_string(td, "languageId", &lang, NULL);
    gls_json_integer(td, "version", &version);
    gls_document_t *doc = gls_document_new(uri, lang, version, text, len);
    if (gls_documents_put(&s->documents, doc))
        gls_log_warn("didOpen for %s, which was already open: its text is replaced", uri);
    gls_server_diagnostics_changed(s, doc, 1);
}

/* Applies one TextDocumentContentChangeEvent; returns -1 when malformed. */
static int apply_change(gls_server_t *s, gls_document_t *doc, json_t *change)
{
    const char *text;
    size_t len;
    if (gls_json_string(change, "text", &text, &len) < 0)
        return -1;
    json_t *range = json_object_get(change, "range");
    if (!range) {
        gls_document_set_text(doc, text, len);
        return 0;
    }
    uint32_t sl, sc, el, ec;
    if (gls_lsp_range(range, &sl, &sc, &el, &ec) < 0)
        return -1;
    gls_document_edit(doc, sl, sc, el, ec, s->encoding, text, len);
    return 0;
}

void gls_lsp_did_change(gls_server_t *s, gls_request_t *req)
{
    json_t *td = json_is_object(req->params) ? json_object_get(req->params, "textDocument") : NULL;
    json_t *changes = json_is_object(req->params) ? json_object_get(req->params, "contentChanges")
                                                  : NULL;
    const char *uri;
    if (gls_json_string(td, "uri", &uri, NULL) < 0 || !json_is_array(changes)) {
        gls_log_error("didChange ignored: needs textDocument.uri and a contentChanges array");
        return;
    }
    gls_document_t *doc = gls_documents_get(&s->documents, uri);
    if (!doc) {
        gls_log_error("didChange for %s, which is not open: ignored", uri);
        return;
    }
    int64_t version;
    if (gls_json_integer(td, "version", &version) == 0) {
        if (version <= doc->version)
            gls_log_warn("didChange for %s: version %" PRId64 " does not increase on %" PRId64,
                         uri, version, doc->version);
        doc->version = version;
    }
    size_t i;
    json_t *change;
    json_array_foreach(changes, i, change) {
        if (apply_change(s, doc, change) < 0)
            gls_log_error("didChange for %s: change %zu is malformed and was skipped; the "
                          "document may now differ from the editor's",
                          uri, i);
    }
    gls_server_diagnostics_changed(s, doc, 0);
}

void gls_lsp_did_close(gls_server_t *s, gls_request_t *req)
{
    const char *uri;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0) {
        gls_log_error("didClose ignored: textDocument.uri must be a string");
        return;
    }
    if (gls_documents_remove(&s->documents, uri) < 0)
        gls_log_warn("didClose for %s, which is not open", uri);
    else
        gls_server_diagnostics_closed(s, uri);
}

void gls_lsp_did_save(gls_server_t *s, gls_request_t *req)
{
    const char *uri;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0) {
        gls_log_error("didSave ignored: textDocument.uri must be a string");
        return;
    }
    gls_document_t *doc = gls_documents_get(&s->documents, uri);
    if (!doc) {
        gls_log_warn("didSave for %s, which is not open", uri);
        return;
    }
    /* The file now holds what the editor has: the workspace index follows. */
    char *path = gls_uri_to_path(uri);
    if (path)
        gls_server_workspace_file_changed(s, path, 0, gls_server_analysis(s, doc));
    free(path);
}

void gls_lsp_document_state(gls_server_t *s, gls_request_t *req)
{
    const char *uri;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS, "textDocument.uri must be a string");
        return;
    }
    gls_document_t *doc = gls_documents_get(&s->documents, uri);
    if (!doc) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "document not open: %s", uri);
        return;
    }
    json_t *result = json_pack("{s:s,s:I,s:s,s:I,s:I}", "uri", doc->uri, "version",
                               (json_int_t)doc->version, "languageId", doc->language_id,
                               "length", (json_int_t)doc->len, "lineCount",
                               (json_int_t)doc->lines.count);
    /* "includeText": false leaves the text out (a 200 MB copy is slow to
     * encode and to read). */
    if (!json_is_false(json_object_get(req->params, "includeText")))
        json_object_set_new(result, "text", json_stringn(doc->text, doc->len));
    gls_rpc_reply(req, result);
}

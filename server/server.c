/* server.c: the daemon's wiring: transport -> framer -> rpc -> handlers,
 * the lifecycle gate, the method table, and the orderly exit. */
#include "gls/server.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gls/log.h"
#include "gls/util.h"

/* Messages dispatched per loop turn: large bursts must not starve I/O. */
#define PUMP_BUDGET 64
#define DEFAULT_PARENT_POLL_MS 3000

typedef enum method_kind { REQUEST, NOTIFICATION } method_kind_t;

typedef struct method {
    const char *name;
    method_kind_t kind;
    gls_handler_fn fn;
} method_t;

/* Sorted by name (strcmp order) for bsearch; a test checks the order. */
static const method_t methods[] = {
    {"$/setTrace", NOTIFICATION, gls_lsp_set_trace},
    {"completionItem/resolve", REQUEST, gls_lsp_completion_resolve},
    {"exit", NOTIFICATION, gls_lsp_exit},
    {"glossaryLs/documentState", REQUEST, gls_lsp_document_state},
    {"glossaryLs/status", REQUEST, gls_lsp_status},
    {"initialize", REQUEST, gls_lsp_initialize},
    {"initialized", NOTIFICATION, gls_lsp_initialized},
    {"shutdown", REQUEST, gls_lsp_shutdown},
    {"textDocument/codeAction", REQUEST, gls_lsp_code_action},
    {"textDocument/completion", REQUEST, gls_lsp_completion},
    {"textDocument/definition", REQUEST, gls_lsp_definition},
    {"textDocument/diagnostic", REQUEST, gls_lsp_diagnostic},
    {"textDocument/didChange", NOTIFICATION, gls_lsp_did_change},
    {"textDocument/didClose", NOTIFICATION, gls_lsp_did_close},
    {"textDocument/didOpen", NOTIFICATION, gls_lsp_did_open},
    {"textDocument/didSave", NOTIFICATION, gls_lsp_did_save},
    {"textDocument/documentHighlight", REQUEST, gls_lsp_document_highlight},
    {"textDocument/documentSymbol", REQUEST, gls_lsp_document_symbol},
    {"textDocument/hover", REQUEST, gls_lsp_hover},
    {"textDocument/inlayHint", REQUEST, gls_lsp_inlay_hint},
    {"textDocument/prepareRename", REQUEST, gls_lsp_prepare_rename},
    {"textDocument/references", REQUEST, gls_lsp_references},
    {"textDocument/rename", REQUEST, gls_lsp_rename},
    {"textDocument/semanticTokens/full", REQUEST, gls_lsp_semantic_tokens},
    {"window/workDoneProgress/cancel", NOTIFICATION, gls_lsp_work_done_progress_cancel},
    {"workspace/diagnostic", REQUEST, gls_lsp_workspace_diagnostic},
    {"workspace/didChangeConfiguration", NOTIFICATION, gls_lsp_did_change_configuration},
    {"workspace/didChangeWatchedFiles", NOTIFICATION, gls_lsp_did_change_watched_files},
    {"workspace/didChangeWorkspaceFolders", NOTIFICATION, gls_lsp_did_change_workspace_folders},
    {"workspace/symbol", REQUEST, gls_lsp_workspace_symbol},
};

static int method_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const method_t *)elem)->name);
}

static const method_t *method_find(const char *name)
{
    return bsearch(name, methods, GLS_ARRAY_LEN(methods), sizeof methods[0], method_cmp);
}

static void dispatch(void *ud, gls_request_t *req)
{
    gls_server_t *s = ud;
    const method_t *m = method_find(req->method);
    int is_request = req->id != NULL;

    if (s->state == GLS_STATE_EXITING) {
        if (is_request)
            gls_rpc_reply_error(req, GLS_RPC_INVALID_REQUEST, "server is exiting");
        return;
    }
    if (s->state == GLS_STATE_UNINITIALIZED && strcmp(req->method, "initialize") != 0 &&
        strcmp(req->method, "exit") != 0) {
        if (is_request)
            gls_rpc_reply_error(req, GLS_RPC_SERVER_NOT_INITIALIZED,
                                "server not initialized: send 'initialize' first");
        return;
    }
    if (s->state == GLS_STATE_SHUTDOWN && strcmp(req->method, "exit") != 0) {
        if (is_request)
            gls_rpc_reply_error(req, GLS_RPC_INVALID_REQUEST,
                                "server is shut down: only 'exit' is accepted");
        return;
    }
    if (is_request && (!m || m->kind != REQUEST)) {
        gls_rpc_reply_error(req, GLS_RPC_METHOD_NOT_FOUND, "method not found: %s", req->method);
        return;
    }
    if (!is_request && (!m || m->kind != NOTIFICATION)) {
        /* Unknown notifications, $/ ones included, are ignored by the spec. */
        if (strncmp(req->method, "$/", 2) != 0)
            gls_log_debug("ignoring notification %s", req->method);
        return;
    }
    m->fn(s, req);
}

static void pump_cb(uv_idle_t *h)
{
    gls_server_t *s = h->data;
    size_t left = gls_rpc_pump(&s->rpc, PUMP_BUDGET);
    if (left == 0 || s->state == GLS_STATE_EXITING || s->rpc.paused) {
        uv_idle_stop(&s->pump);
        s->pump_active = 0;
        if (left == 0 && s->input_ended && s->state != GLS_STATE_EXITING)
            gls_server_begin_exit(s, 0);
    }
}

static void wake_pump(gls_server_t *s)
{
    if (!s->pump_active && s->state != GLS_STATE_EXITING && !s->rpc.paused) {
        s->pump_active = 1;
        uv_idle_start(&s->pump, pump_cb);
    }
}

void gls_server_resume(gls_server_t *s)
{
    s->rpc.paused = 0;
    if (s->rpc.queued)
        wake_pump(s);
    else if (s->input_ended && s->state != GLS_STATE_EXITING)
        gls_server_begin_exit(s, 0);
}

static void on_message(void *ud, const char *body, size_t len)
{
    gls_server_t *s = ud;
    gls_rpc_receive(&s->rpc, body, len);
    if (s->rpc.queued)
        wake_pump(s);
}

static void on_framing_error(void *ud, const char *message)
{
    (void)ud;
    gls_log_error("%s", message);
}

static void on_read(gls_transport_t *t, const char *data, size_t len)
{
    gls_server_t *s = t->data;
    gls_framer_feed(&s->framer, data, len);
}

static void on_eof(gls_transport_t *t, int status)
{
    gls_server_t *s = t->data;
    if (status)
        gls_log_error("reading from the client failed: %s", uv_strerror(status));
    if (gls_framer_has_partial(&s->framer))
        gls_log_error("input ended inside a message; the partial message is discarded");
    s->input_ended = 1;
    /* Messages already received are still handled, in order; then exit.
     * End of input is the client going away, not an error of ours: the exit
     * is clean and its code is 0. */
    if (s->rpc.queued)
        wake_pump(s);
    else if (s->state != GLS_STATE_EXITING)
        gls_server_begin_exit(s, 0);
}

static void on_write_error(gls_transport_t *t, int status)
{
    gls_server_t *s = t->data;
    (void)status;
    /* Nobody is listening any more: stop as if the client had exited. */
    if (s->state != GLS_STATE_EXITING)
        gls_server_begin_exit(s, s->state == GLS_STATE_SHUTDOWN ? 0 : 1);
}

static void send_body(void *ud, char *body, size_t len)
{
    gls_server_t *s = ud;
    char header[64];
    size_t hl = gls_framing_header(header, len);
    gls_transport_write(&s->transport, header, hl, body, len);
}

static void handle_closed(uv_handle_t *h)
{
    gls_server_t *s = h->data;
    s->handles_open--;
}

static void transport_closed(gls_transport_t *t)
{
    (void)t;
}

static void parent_check_cb(uv_timer_t *h)
{
    gls_server_t *s = h->data;
    if (s->parent_pid <= 0)
        return;
    if (kill((pid_t)s->parent_pid, 0) < 0 && errno == ESRCH) {
        gls_log_error("client process %lld is gone; exiting", s->parent_pid);
        gls_server_begin_exit(s, 1);
    }
}

/* Called by 'initialize' once the client's processId is known. */
void gls_server_watch_parent(gls_server_t *s, long long pid);
void gls_server_watch_parent(gls_server_t *s, long long pid)
{
    s->parent_pid = pid;
    if (pid <= 0 || s->timer_active)
        return;
    unsigned ms = s->opts.parent_poll_ms ? s->opts.parent_poll_ms : DEFAULT_PARENT_POLL_MS;
    s->timer_active = 1;
    uv_timer_start(&s->parent_timer, parent_check_cb, ms, ms);
    /* The timer alone must not keep the process alive. */
    uv_unref((uv_handle_t *)&s->parent_timer);
}

void gls_server_begin_exit(gls_server_t *s, int code)
{
    if (s->state == GLS_STATE_EXITING)
        return;
    s->state = GLS_STATE_EXITING;
    s->exit_code = code;
    gls_log_set_sink(NULL, NULL);
    if (s->pump_active) {
        uv_idle_stop(&s->pump);
        s->pump_active = 0;
    }
    if (s->timer_active) {
        uv_timer_stop(&s->parent_timer);
        s->timer_active = 0;
    }
    if (s->debounce_active) {
        uv_timer_stop(&s->debounce);
        s->debounce_active = 0;
    }
    uv_timer_stop(&s->reload_timer);
    gls_server_unwatch(s);
    gls_server_workspace_stop(s);
    gls_server_glossary_stop(s);
    uv_close((uv_handle_t *)&s->pump, handle_closed);
    uv_close((uv_handle_t *)&s->parent_timer, handle_closed);
    uv_close((uv_handle_t *)&s->debounce, handle_closed);
    uv_close((uv_handle_t *)&s->reload_timer, handle_closed);
    gls_transport_close(&s->transport);
}

int gls_server_run(uv_loop_t *loop, const gls_server_options_t *opts)
{
    gls_server_t *s = gls_xcalloc(1, sizeof *s);
    s->loop = loop;
    s->opts = *opts;
    s->encoding = GLS_ENCODING_UTF16;
    s->exit_code = 0;
    /* A client that closes its end must not kill us with SIGPIPE: the write
     * fails with EPIPE instead and we exit cleanly. */
    signal(SIGPIPE, SIG_IGN);

    gls_documents_init(&s->documents);
    gls_framer_init(&s->framer, opts->max_message, on_message, on_framing_error, s);
    gls_rpc_init(&s->rpc, send_body, s, dispatch, s);
    uv_idle_init(loop, &s->pump);
    s->pump.data = s;
    uv_timer_init(loop, &s->parent_timer);
    s->parent_timer.data = s;
    uv_timer_init(loop, &s->debounce);
    s->debounce.data = s;
    uv_timer_init(loop, &s->reload_timer);
    s->reload_timer.data = s;
    s->handles_open = 4;
    gls_settings_init(&s->config);

    int rc = gls_transport_init(&s->transport, loop, opts->in_fd, opts->out_fd);
    if (rc == 0) {
        s->transport.data = s;
        s->transport.on_read = on_read;
        s->transport.on_eof = on_eof;
        s->transport.on_write_error = on_write_error;
        s->transport.on_closed = transport_closed;
        rc = gls_transport_start(&s->transport);
    }
    if (rc) {
        gls_log_error("cannot read the client's input: %s", uv_strerror(rc));
        gls_server_begin_exit(s, 1);
    }
    uv_run(loop, UV_RUN_DEFAULT);

    int code = s->exit_code;
    gls_rpc_close(&s->rpc);
    gls_framer_close(&s->framer);
    gls_documents_close(&s->documents);
    json_decref(s->client_capabilities);
    json_decref(s->initialization_options);
    json_decref(s->settings);
    gls_server_workspace_close(s);
    gls_server_profiles_reset(s);
    gls_glossary_unref(s->glossary);
    gls_settings_close(&s->config);
    free(s->docs_base);
    free(s->root_path);
    json_decref(s->glossary_diag_uris);
    json_decref(s->glossary_files);
    free(s->transport.in_buf);
    free(s->trace);
    free(s);
    return code;
}

static void doc_state_free(void *p)
{
    gls_doc_state_t *st = p;
    gls_analysis_close(&st->analysis);
    gls_findings_close(&st->findings);
    free(st);
}

gls_doc_state_t *gls_server_doc_state(gls_server_t *s, gls_document_t *doc)
{
    (void)s;
    gls_doc_state_t *st = doc->attachment;
    if (!st) {
        st = gls_xcalloc(1, sizeof *st);
        gls_analysis_init(&st->analysis);
        gls_findings_init(&st->findings);
        st->published_version = -1;
        doc->attachment = st;
        doc->attachment_free = doc_state_free;
    }
    return st;
}

const gls_analysis_t *gls_server_analysis(gls_server_t *s, gls_document_t *doc)
{
    gls_doc_state_t *st = gls_server_doc_state(s, doc);
    /* The root's glossary, or that of the configuration nearest the document. */
    gls_glossary_t *g = gls_server_doc_glossary(s, doc);
    if (!st->valid || st->edits_seen != doc->edits || st->glossary_seen != g) {
        st->findings_valid = 0;
        int was_too_big = st->too_big;
        st->too_big = doc->len > gls_server_doc_settings(s, doc)->max_document_size;
        if (st->too_big) {
            /* Not checked: analysed as empty, so every feature answers at
             * once with nothing; the user is told once. */
            gls_analysis_update(&st->analysis, g, "", 0,
                                gls_language_of(doc->language_id, doc->uri), NULL, 0, 1);
            if (!st->told_too_big && s->state == GLS_STATE_RUNNING) {
                st->told_too_big = 1;
                gls_log_warn("%s: %zu bytes, over maxDocumentSize (%zu): not checked", doc->uri,
                             doc->len, s->config.max_document_size);
                gls_rpc_notify(
                    &s->rpc, "window/showMessage",
                    json_pack("{s:i,s:s+}", "type", 2, "message",
                              "glossary-ls: this document is larger than glossaryLs."
                              "maxDocumentSize and is not checked: ",
                              doc->uri));
            }
        } else {
            st->told_too_big = 0;
            /* Incremental when the edits since the last analysis are known. */
            gls_analysis_update(&st->analysis, g, doc->text, (uint32_t)doc->len,
                                gls_language_of(doc->language_id, doc->uri), doc->edit_log,
                                doc->edit_log_count,
                                !st->valid || doc->edit_log_full || was_too_big ||
                                    st->glossary_seen != g);
        }
        gls_document_clear_edit_log(doc);
        st->edits_seen = doc->edits;
        st->glossary_seen = g;
        st->valid = 1;
    }
    return &st->analysis;
}

/* Exposed for the method-table order test. */
int gls_server_methods_sorted(void);
int gls_server_methods_sorted(void)
{
    for (size_t i = 1; i < GLS_ARRAY_LEN(methods); i++)
        if (strcmp(methods[i - 1].name, methods[i].name) >= 0)
            return 0;
    return 1;
}

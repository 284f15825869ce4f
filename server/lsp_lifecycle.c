/* lsp_lifecycle.c: initialize, initialized, shutdown, exit, $/setTrace and
 * configuration changes. */
#include <stdlib.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/log.h"
#include "gls/lspjson.h"
#include "gls/server.h"
#include "gls/util.h"
#include "gls/version.h"

void gls_server_watch_parent(gls_server_t *s, long long pid);

/* Picks the position encoding: utf-8 whenever offered (no conversion at
 * all), unless the client lists utf-32 before it; otherwise the first of
 * utf-32/utf-16 the client lists; utf-16 when it says nothing, since every
 * client must support it. */
static gls_encoding_t negotiate_encoding(json_t *caps)
{
    json_t *general = json_is_object(caps) ? json_object_get(caps, "general") : NULL;
    json_t *list = json_is_object(general) ? json_object_get(general, "positionEncodings") : NULL;
    if (!json_is_array(list))
        return GLS_ENCODING_UTF16;
    int first_utf32 = -1, first_utf8 = -1, first_utf16 = -1;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        const char *e = json_string_value(v);
        if (!e)
            continue;
        if (strcmp(e, "utf-8") == 0 && first_utf8 < 0)
            first_utf8 = (int)i;
        else if (strcmp(e, "utf-32") == 0 && first_utf32 < 0)
            first_utf32 = (int)i;
        else if (strcmp(e, "utf-16") == 0 && first_utf16 < 0)
            first_utf16 = (int)i;
    }
    if (first_utf8 >= 0)
        return (first_utf32 >= 0 && first_utf32 < first_utf8) ? GLS_ENCODING_UTF32
                                                                : GLS_ENCODING_UTF8;
    if (first_utf32 >= 0 && (first_utf16 < 0 || first_utf32 < first_utf16))
        return GLS_ENCODING_UTF32;
    return GLS_ENCODING_UTF16;
}

/* The client's hover content formats: Markdown unless it lists only
 * plaintext. */
static int client_prefers_markdown(json_t *caps)
{
    json_t *td = json_object_get(caps, "textDocument");
    json_t *hover = json_object_get(td, "hover");
    json_t *formats = json_object_get(hover, "contentFormat");
    if (!json_is_array(formats) || json_array_size(formats) == 0)
        return 1;
    size_t i;
    json_t *v;
    json_array_foreach(formats, i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), "markdown") == 0)
            return 1;
    }
    return 0;
}

static gls_glossary_t *load_builtin(void)
{
    gls_builder_t *b = gls_builder_new("built-in");
    gls_load_builtin(b);
    gls_glossary_t *g = gls_builder_freeze(b);
    for (size_t i = 0; i < g->diags.count; i++) {
        char *line = gls_diag_format(&g->diags.items[i]);
        gls_log_warn("%s", line);
        free(line);
    }
    return g;
}

static void log_to_client(void *ud, gls_log_level_t level, const char *message)
{
    gls_server_t *s = ud;
    if (s->state == GLS_STATE_EXITING)
        return;
    gls_rpc_notify(&s->rpc, "window/logMessage",
                   json_pack("{s:i,s:s}", "type", (int)level, "message", message));
}

void gls_lsp_initialize(gls_server_t *s, gls_request_t *req)
{
    if (s->state != GLS_STATE_UNINITIALIZED) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_REQUEST, "'initialize' may only be sent once");
        return;
    }
    json_t *p = req->params;
    if (!json_is_object(p)) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS, "initialize: params must be an object");
        return;
    }
    json_t *pid = json_object_get(p, "processId");
    if (pid && !json_is_null(pid) && !json_is_integer(pid)) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS,
                            "initialize: processId must be an integer or null");
        return;
    }
    json_t *caps = json_object_get(p, "capabilities");
    if (caps && !json_is_object(caps)) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS,
                            "initialize: capabilities must be an object");
        return;
    }
    s->client_capabilities = caps ? json_incref(caps) : json_object();
    json_t *init_opts = json_object_get(p, "initializationOptions");
    if (json_is_object(init_opts)) {
        s->initialization_options = json_incref(init_opts);
        json_t *max = json_object_get(init_opts, "maxMessageSize");
        if (json_is_integer(max) && json_integer_value(max) > 0)
            s->framer.max_message = (size_t)json_integer_value(max);
    }
    s->encoding = negotiate_encoding(s->client_capabilities);
    s->hover_markdown = client_prefers_markdown(s->client_capabilities);
    if (!s->glossary)
        s->glossary = load_builtin();

    json_t *capabilities = json_pack(
        "{s:s,s:{s:b,s:i,s:{s:b}}}", "positionEncoding", gls_encoding_name(s->encoding),
        "textDocumentSync", "openClose", 1, "change", 2, "save", "includeText", 0);
    json_object_set_new(capabilities, "hoverProvider", json_true());
    json_t *result = json_pack("{s:o,s:{s:s,s:s}}", "capabilities", capabilities, "serverInfo",
                               "name", "glossary-ls", "version", GLS_VERSION);
    long long parent = json_is_integer(pid) ? (long long)json_integer_value(pid) : 0;
    s->state = GLS_STATE_RUNNING;
    gls_rpc_reply(req, result); /* frees 'req' and with it 'p' and 'pid' */

    if (parent > 0)
        gls_server_watch_parent(s, parent);
    gls_log_set_sink(log_to_client, s);
    gls_log_info("glossary-ls %s started; position encoding %s", GLS_VERSION,
                 gls_encoding_name(s->encoding));
}

static void configuration_cb(void *ud, json_t *result, json_t *error)
{
    gls_server_t *s = ud;
    if (error) {
        gls_log_warn("workspace/configuration failed: %s",
                     json_string_value(json_object_get(error, "message"))
                         ? json_string_value(json_object_get(error, "message"))
                         : "(no message)");
        return;
    }
    json_t *section = json_is_array(result) ? json_array_get(result, 0) : NULL;
    if (section && !json_is_object(section) && !json_is_null(section)) {
        gls_log_warn("workspace/configuration: the glossaryLs section is not an object; ignored");
        return;
    }
    json_decref(s->settings);
    s->settings = json_is_object(section) ? json_incref(section) : NULL;
    s->config_pulls++;
}

static int client_supports(gls_server_t *s, const char *group, const char *what)
{
    json_t *g = json_object_get(s->client_capabilities, group);
    return json_is_true(json_object_get(g, what));
}

void gls_server_pull_configuration(gls_server_t *s)
{
    if (s->state != GLS_STATE_RUNNING || !client_supports(s, "workspace", "configuration"))
        return;
    /* The callback may outlive nothing: rpc runs every outstanding callback
     * (with an error) before the server is freed. */
    gls_rpc_request(&s->rpc, "workspace/configuration",
                    json_pack("{s:[{s:s}]}", "items", "section", "glossaryLs"), configuration_cb, s);
}

void gls_lsp_initialized(gls_server_t *s, gls_request_t *req)
{
    (void)req;
    s->initialized_received = 1;
    gls_server_pull_configuration(s);
}

void gls_lsp_shutdown(gls_server_t *s, gls_request_t *req)
{
    s->state = GLS_STATE_SHUTDOWN;
    gls_rpc_reply(req, NULL);
}

void gls_lsp_exit(gls_server_t *s, gls_request_t *req)
{
    (void)req;
    gls_server_begin_exit(s, s->state == GLS_STATE_SHUTDOWN ? 0 : 1);
}

void gls_lsp_set_trace(gls_server_t *s, gls_request_t *req)
{
    const char *value;
    if (gls_json_string(req->params, "value", &value, NULL) < 0) {
        gls_log_warn("$/setTrace without a string 'value' ignored");
        return;
    }
    free(s->trace);
    s->trace = gls_xstrdup(value);
}

void gls_lsp_did_change_configuration(gls_server_t *s, gls_request_t *req)
{
    /* Clients that support workspace/configuration usually send null
     * here and expect a pull; others push the settings, often wrapped in
     * their section name. */
    if (client_supports(s, "workspace", "configuration")) {
        gls_server_pull_configuration(s);
        return;
    }
    json_t *settings = json_is_object(req->params) ? json_object_get(req->params, "settings") : NULL;
    json_t *section = json_is_object(settings) ? json_object_get(settings, "glossaryLs") : NULL;
    if (section)
        settings = section;
    json_decref(s->settings);
    s->settings = json_is_object(settings) ? json_incref(settings) : NULL;
}

void gls_lsp_status(gls_server_t *s, gls_request_t *req)
{
    static const char *states[] = {"uninitialized", "running", "shutdown", "exiting"};
    json_t *docs = json_array();
    for (size_t i = 0; i < s->documents.count; i++) {
        gls_document_t *d = s->documents.items[i];
        json_array_append_new(docs, json_pack("{s:s,s:I,s:I}", "uri", d->uri, "version",
                                              (json_int_t)d->version, "length",
                                              (json_int_t)d->len));
    }
    json_t *result = json_pack(
        "{s:s,s:s,s:s,s:o,s:O,s:I,s:I,s:I}", "version", GLS_VERSION, "state", states[s->state],
        "positionEncoding", gls_encoding_name(s->encoding), "documents", docs, "settings",
        s->settings ? s->settings : json_null(), "configurationPulls",
        (json_int_t)s->config_pulls, "maxMessageSize", (json_int_t)s->framer.max_message,
        "framingErrors", (json_int_t)s->framer.errors);
    gls_rpc_reply(req, result);
}

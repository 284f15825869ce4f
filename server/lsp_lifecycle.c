/* lsp_lifecycle.c: initialize, initialized, shutdown, exit, $/setTrace and
 * configuration changes. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gls/config.h"
#include "gls/loader.h"
#include "gls/uri.h"
#include "gls/sources.h"
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

/* The settings in force, merged (a new reference): the user's config
 * file, the workspace's .glossary-ls.json (its glossaries confined to the
 * workspace), then the editor's settings (pulled or pushed when there are
 * any, else initializationOptions). */
static json_t *current_settings(gls_server_t *s)
{
    json_t *merged = json_object();
    gls_diags_t diags;
    gls_diags_init(&diags);
    gls_config_merge_user(merged, &diags);
    if (s->root_path)
        gls_config_merge_workspace(merged, s->root_path, &diags);
    gls_config_merge_object(merged, s->settings ? s->settings : s->initialization_options);
    for (size_t i = 0; i < diags.count; i++) {
        char *line = gls_diag_format(&diags.items[i]);
        gls_log_error("%s", line);
        free(line);
    }
    if (diags.count && s->state == GLS_STATE_RUNNING)
        gls_rpc_notify(&s->rpc, "window/showMessage",
                       json_pack("{s:i,s:s}", "type", 1, "message",
                                 "glossary-ls: a configuration file has problems (see the "
                                 "output log)"));
    gls_diags_close(&diags);
    return merged;
}

/* The workspace root from initialize: rootUri, else the first workspace
 * folder, else rootPath. */
static char *workspace_root(json_t *p)
{
    const char *uri = json_string_value(json_object_get(p, "rootUri"));
    json_t *folders = json_object_get(p, "workspaceFolders");
    if (!uri && json_is_array(folders) && json_array_size(folders) > 0)
        uri = json_string_value(json_object_get(json_array_get(folders, 0), "uri"));
    if (uri)
        return gls_uri_to_path(uri);
    const char *path = json_string_value(json_object_get(p, "rootPath"));
    return path && path[0] == '/' ? gls_xstrdup(path) : NULL;
}

/* Where the rule documentation lives, as a file URI prefix: docs/rules/
 * next to the binary's source tree, or the installed share/doc copy. */
static char *find_docs_base(void)
{
    static const char *const candidates[] = {"../docs/rules/avoid-term.md",
                                             "../../docs/rules/avoid-term.md",
                                             "../share/doc/glossary-ls/rules/avoid-term.md"};
    char *page = gls_path_near_exe(candidates, GLS_ARRAY_LEN(candidates));
    if (!page)
        return NULL;
    strrchr(page, '/')[1] = '\0';
    char *uri = gls_path_to_uri(page);
    free(page);
    return uri;
}

static int same_sources(const gls_settings_t *a, int builtin, char **files, size_t n)
{
    if (a->builtin != builtin || a->glossary_count != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a->glossaries[i], files[i]) != 0)
            return 0;
    return 1;
}

/* Publishes the problems of each glossary file as that file's diagnostics
 * (clearing files that had problems before and have none now). */
static void publish_glossary_diags(gls_server_t *s, const gls_diags_t *d)
{
    if (s->state != GLS_STATE_RUNNING)
        return;
    json_t *by_uri = json_object();
    for (size_t i = 0; i < d->count; i++) {
        const gls_diag_t *it = &d->items[i];
        if (it->path[0] != '/')
            continue;
        char *uri = gls_path_to_uri(it->path);
        json_t *list = json_object_get(by_uri, uri);
        if (!list) {
            list = json_array();
            json_object_set_new(by_uri, uri, list);
        }
        uint32_t line = it->line ? it->line - 1 : 0, col = it->column ? it->column - 1 : 0;
        json_array_append_new(
            list, json_pack("{s:{s:{s:I,s:I},s:{s:I,s:I}},s:i,s:s,s:s,s:s}", "range", "start",
                            "line", (json_int_t)line, "character", (json_int_t)col, "end", "line",
                            (json_int_t)line, "character", (json_int_t)col + 1, "severity",
                            (int)it->severity, "code", it->code, "source", "glossary-ls",
                            "message", it->message));
        free(uri);
    }
    /* Files that had problems last time and have none now get cleared. */
    if (s->glossary_diag_uris) {
        size_t i;
        json_t *u;
        json_array_foreach(s->glossary_diag_uris, i, u) {
            if (!json_object_get(by_uri, json_string_value(u)))
                json_object_set_new(by_uri, json_string_value(u), json_array());
        }
    }
    json_decref(s->glossary_diag_uris);
    s->glossary_diag_uris = json_array();
    const char *uri;
    json_t *list;
    json_object_foreach(by_uri, uri, list) {
        if (json_array_size(list))
            json_array_append_new(s->glossary_diag_uris, json_string(uri));
        gls_rpc_notify(&s->rpc, "textDocument/publishDiagnostics",
                       json_pack("{s:s,s:O}", "uri", uri, "diagnostics", list));
    }
    json_decref(by_uri);
}

/* A glossary load on the libuv thread pool: parsing a large glossary
 * takes seconds (100k concepts), and the loop keeps reading messages (and
 * cancellations) meanwhile. The glossary in service keeps serving until
 * the new one is swapped in, on the loop thread. */
struct gls_load_job {
    uv_work_t work;
    gls_server_t *s;       /* NULL once the server stopped caring */
    gls_profile_t *profile; /* the profile it loads for; NULL: the root's */
    char **files;
    size_t file_count;
    int builtin;
    gls_glossary_t *result;
    size_t errors;
};

static void load_work(uv_work_t *w)
{
    struct gls_load_job *j = w->data;
    char *cache_dir = gls_default_cache_dir();
    gls_sources_t src = {j->builtin, (const char *const *)j->files, j->file_count, 0, cache_dir};
    j->result = gls_sources_load(&src, &j->errors);
    free(cache_dir);
}

static void load_job_free(struct gls_load_job *j)
{
    gls_glossary_unref(j->result);
    for (size_t i = 0; i < j->file_count; i++)
        free(j->files[i]);
    free(j->files);
    free(j);
}

static void reload_glossary(gls_server_t *s);

/* Puts a loaded glossary in service. A source with errors is reported to
 * the user; when a glossary is already in service and the new one has
 * errors, the old one keeps serving. */
static int same_dependencies(const gls_glossary_t *a, const gls_glossary_t *b)
{
    uint32_t na = a ? a->dependency_count : 0, nb = b ? b->dependency_count : 0;
    if (na != nb)
        return 0;
    for (uint32_t i = 0; i < na; i++)
        if (strcmp(a->dependencies[i], b->dependencies[i]) != 0)
            return 0;
    return 1;
}

static void apply_glossary(gls_server_t *s, gls_glossary_t *g, size_t errors)
{
    for (size_t i = 0; i < g->diags.count; i++) {
        const gls_diag_t *d = &g->diags.items[i];
        if (strcmp(d->path, "built-in") == 0 && d->severity > GLS_SEV_ERROR)
            continue;
        char *line = gls_diag_format(d);
        gls_log(d->severity == GLS_SEV_ERROR ? GLS_LOG_ERROR : GLS_LOG_WARNING, "%s", line);
        free(line);
    }
    publish_glossary_diags(s, &g->diags);
    if (errors && s->glossary) {
        gls_rpc_notify(&s->rpc, "window/showMessage",
                       json_pack("{s:i,s:s}", "type", 1, "message",
                                 "glossary-ls: a glossary file has errors; the previous glossary "
                                 "stays in use (see the output log)"));
        gls_glossary_unref(g);
        return;
    }
    if (errors)
        gls_rpc_notify(&s->rpc, "window/showMessage",
                       json_pack("{s:i,s:s}", "type", 1, "message",
                                 "glossary-ls: a glossary file has errors; what could be read is "
                                 "in use (see the output log)"));
    int watch_again = !same_dependencies(s->glossary, g);
    gls_glossary_unref(s->glossary);
    s->glossary = g;
    gls_server_note_glossary_files(s);
    /* Files a loader read (a cspell word list) are watched like the sources. */
    if (watch_again)
        gls_server_watch(s);
    /* Concept numbers belong to a glossary: the index is built again. */
    if (s->initialized_received)
        gls_server_index_workspace(s);
    for (size_t i = 0; i < s->documents.count; i++) {
        gls_document_t *doc = s->documents.items[i];
        gls_server_doc_state(s, doc)->findings_valid = 0;
        gls_server_diagnostics_changed(s, doc, 1);
    }
    /* A client that pulls diagnostics is asked to pull again. */
    json_t *ws = json_object_get(s->client_capabilities, "workspace");
    if (s->pull_diagnostics &&
        json_is_true(json_object_get(json_object_get(ws, "diagnostics"), "refreshSupport")))
        gls_rpc_request(&s->rpc, "workspace/diagnostic/refresh", NULL, NULL, NULL);
}

/* Puts a profile's glossary in service, as apply_glossary does for the
 * root's (problems are logged; a broken one keeps the previous). */
static void apply_profile_glossary(gls_server_t *s, gls_profile_t *p, gls_glossary_t *g,
                                   size_t errors)
{
    for (size_t i = 0; i < g->diags.count; i++) {
        const gls_diag_t *d = &g->diags.items[i];
        if (strcmp(d->path, "built-in") == 0 && d->severity > GLS_SEV_ERROR)
            continue;
        char *line = gls_diag_format(d);
        gls_log(d->severity == GLS_SEV_ERROR ? GLS_LOG_ERROR : GLS_LOG_WARNING, "%s", line);
        free(line);
    }
    if (errors)
        gls_rpc_notify(&s->rpc, "window/showMessage",
                       json_pack("{s:i,s:s+}", "type", 1, "message",
                                 p->glossary ? "glossary-ls: a glossary file has errors; the "
                                               "previous glossary stays in use for "
                                             : "glossary-ls: a glossary file has errors; what "
                                               "could be read is in use for ",
                                 p->config_path));
    if (errors && p->glossary) {
        gls_glossary_unref(g);
        return;
    }
    gls_glossary_unref(p->glossary);
    p->glossary = g;
    for (size_t i = 0; i < s->documents.count; i++) {
        gls_document_t *doc = s->documents.items[i];
        gls_doc_state_t *st = gls_server_doc_state(s, doc);
        if (st->profile == p && st->profile_generation == s->profile_generation + 1) {
            st->findings_valid = 0;
            gls_server_diagnostics_changed(s, doc, 1);
        }
    }
    gls_server_watch(s);
}

static void profile_load_done(gls_server_t *s, struct gls_load_job *j, int status)
{
    gls_profile_t *p = j->profile;
    p->load_job = NULL;
    if (status == 0 && j->result) {
        apply_profile_glossary(s, p, j->result, j->errors);
        j->result = NULL;
    }
    if (p->load_again) {
        p->load_again = 0;
        gls_server_profile_load(s, p);
    }
}

static void load_done(uv_work_t *w, int status)
{
    struct gls_load_job *j = w->data;
    gls_server_t *s = j->s;
    if (s && j->profile) {
        profile_load_done(s, j, status);
    } else if (s) {
        s->load_job = NULL;
        if (status == 0 && j->result) {
            apply_glossary(s, j->result, j->errors);
            j->result = NULL;
        }
        if (s->load_again) {
            s->load_again = 0;
            reload_glossary(s);
        }
        /* Requests held back until the first glossary was in service. */
        if (!s->load_job && s->rpc.paused)
            gls_server_resume(s);
    }
    load_job_free(j);
}

/* Starts loading the glossary from the settings' sources; a load already
 * under way is followed by another one. The first load holds the request
 * queue, so that no request is answered without a glossary. */
static void reload_glossary(gls_server_t *s)
{
    if (s->load_job) {
        s->load_again = 1;
        return;
    }
    struct gls_load_job *j = gls_xcalloc(1, sizeof *j);
    j->work.data = j;
    j->s = s;
    j->builtin = s->config.builtin;
    j->file_count = s->config.glossary_count;
    j->files = gls_xcalloc(j->file_count + 1, sizeof *j->files);
    for (size_t i = 0; i < j->file_count; i++)
        j->files[i] = gls_xstrdup(s->config.glossaries[i]);
    s->load_job = j;
    if (!s->glossary)
        s->rpc.paused = 1;
    if (uv_queue_work(s->loop, &j->work, load_work, load_done) != 0) {
        /* Cannot happen with a live loop; load here rather than never. */
        s->load_job = NULL;
        load_work(&j->work);
        load_done(&j->work, 0);
    }
}

void gls_server_profile_load(gls_server_t *s, gls_profile_t *p)
{
    if (p->load_job) {
        p->load_again = 1;
        return;
    }
    struct gls_load_job *j = gls_xcalloc(1, sizeof *j);
    j->work.data = j;
    j->s = s;
    j->profile = p;
    j->builtin = p->config.builtin;
    j->file_count = p->config.glossary_count;
    j->files = gls_xcalloc(j->file_count + 1, sizeof *j->files);
    for (size_t i = 0; i < j->file_count; i++)
        j->files[i] = gls_xstrdup(p->config.glossaries[i]);
    p->load_job = j;
    if (uv_queue_work(s->loop, &j->work, load_work, load_done) != 0) {
        load_work(&j->work);
        load_done(&j->work, 0);
    }
}

void gls_server_profile_load_forget(gls_profile_t *p)
{
    if (p->load_job) {
        p->load_job->s = NULL; /* load_done frees it and its result */
        p->load_job = NULL;
    }
}

void gls_server_glossary_stop(gls_server_t *s)
{
    for (size_t i = 0; i < s->profile_count; i++)
        gls_server_profile_load_forget(s->profiles[i]);
    if (s->load_job) {
        s->load_job->s = NULL;
        s->load_job = NULL;
    }
    s->load_again = 0;
}

void gls_server_reload(gls_server_t *s)
{
    json_t *merged = current_settings(s);
    gls_settings_apply(&s->config, merged);
    json_decref(merged);
    /* Configuration files below the root may have changed too. */
    gls_server_profiles_reset(s);
    /* Open documents are re-checked when the new glossary is in service. */
    reload_glossary(s);
    gls_server_watch(s);
}

void gls_server_settings_changed(gls_server_t *s)
{
    int builtin = s->config.builtin;
    size_t n = s->config.glossary_count;
    char **files = gls_xcalloc(n + 1, sizeof *files);
    for (size_t i = 0; i < n; i++)
        files[i] = gls_xstrdup(s->config.glossaries[i]);
    json_t *merged = current_settings(s);
    gls_settings_apply(&s->config, merged);
    json_decref(merged);
    /* Profiles merge the editor settings too: built again on next use. */
    gls_server_profiles_reset(s);
    if (!s->glossary || !same_sources(&s->config, builtin, files, n)) {
        reload_glossary(s);
        gls_server_watch(s);
    }
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
    /* Rule settings may have changed: every open document is re-checked. */
    for (size_t i = 0; i < s->documents.count; i++) {
        gls_document_t *doc = s->documents.items[i];
        gls_doc_state_t *st = gls_server_doc_state(s, doc);
        st->findings_valid = 0;
        gls_server_diagnostics_changed(s, doc, 1);
    }
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
    s->root_path = workspace_root(p);
    gls_server_set_workspace_folders(s, json_object_get(p, "workspaceFolders"), s->root_path);
    json_t *merged = current_settings(s);
    gls_settings_apply(&s->config, merged);
    json_decref(merged);
    s->docs_base = find_docs_base();
    json_t *td = json_object_get(s->client_capabilities, "textDocument");
    int client_pulls = json_is_object(json_object_get(td, "diagnostic"));
    s->pull_diagnostics = s->config.diagnostics_mode == 2 ||
                          (s->config.diagnostics_mode == 0 && client_pulls);

    json_t *capabilities = json_pack(
        "{s:s,s:{s:b,s:i,s:{s:b}}}", "positionEncoding", gls_encoding_name(s->encoding),
        "textDocumentSync", "openClose", 1, "change", 2, "save", "includeText", 0);
    json_object_set_new(capabilities, "hoverProvider", json_true());
    json_object_set_new(capabilities, "definitionProvider", json_true());
    json_object_set_new(capabilities, "documentHighlightProvider", json_true());
    json_object_set_new(capabilities, "documentSymbolProvider", json_true());
    json_object_set_new(capabilities, "workspaceSymbolProvider", json_true());
    json_object_set_new(capabilities, "referencesProvider", json_true());
    json_t *rename_caps = json_object_get(json_object_get(s->client_capabilities, "textDocument"),
                                          "rename");
    json_object_set_new(capabilities, "renameProvider",
                        json_is_true(json_object_get(rename_caps, "prepareSupport"))
                            ? json_pack("{s:b}", "prepareProvider", 1)
                            : json_true());
    json_object_set_new(capabilities, "workspace",
                        json_pack("{s:{s:b,s:b}}", "workspaceFolders", "supported", 1,
                                  "changeNotifications", 1));
    json_object_set_new(capabilities, "codeActionProvider",
                        json_pack("{s:[s,s]}", "codeActionKinds", "quickfix", "source.fixAll"));
    /* No trigger characters: completion comes when the client asks (on
     * word characters or by hand), never on every space. */
    json_object_set_new(capabilities, "completionProvider",
                        json_pack("{s:b,s:[]}", "resolveProvider", 1, "triggerCharacters"));
    /* Always offered (hints are empty unless the setting is on, which can
     * change later); semantic tokens only when asked for at start. */
    json_object_set_new(capabilities, "inlayHintProvider", json_true());
    if (s->config.semantic_tokens)
        json_object_set_new(capabilities, "semanticTokensProvider",
                            json_pack("{s:o,s:b}", "legend", gls_semantic_tokens_legend(), "full",
                                      1));
    if (s->pull_diagnostics)
        json_object_set_new(capabilities, "diagnosticProvider",
                            json_pack("{s:s,s:b,s:b}", "identifier", "glossary-ls",
                                      "interFileDependencies", 0, "workspaceDiagnostics", 1));
    json_t *result = json_pack("{s:o,s:{s:s,s:s}}", "capabilities", capabilities, "serverInfo",
                               "name", "glossary-ls", "version", GLS_VERSION);
    long long parent = json_is_integer(pid) ? (long long)json_integer_value(pid) : 0;
    s->state = GLS_STATE_RUNNING;
    gls_rpc_reply(req, result); /* frees 'req' and with it 'p' and 'pid' */
    /* After the answer: loading may publish diagnostics on glossary files,
     * which the protocol allows only once initialize is answered. */
    reload_glossary(s);
    json_t *dcw = json_object_get(json_object_get(s->client_capabilities, "workspace"),
                                  "didChangeWatchedFiles");
    s->client_watches = json_is_true(json_object_get(dcw, "dynamicRegistration"));
    if (!s->client_watches)
        gls_server_watch(s);

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
    if (s->state == GLS_STATE_RUNNING)
        gls_server_settings_changed(s);
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
    if (s->client_watches)
        gls_server_watch(s);
    gls_server_index_workspace(s);
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
    gls_server_settings_changed(s);
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
    json_object_set_new(result, "glossaryLoading", json_boolean(s->load_job != NULL));
    json_object_set_new(result, "concepts",
                        json_integer(s->glossary ? (json_int_t)s->glossary->concept_count : 0));
    gls_rpc_reply(req, result);
}

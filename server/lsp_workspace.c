/* lsp_workspace.c: the workspace index in the server: built on the libuv
 * thread pool with work-done progress and cancellation, kept current from
 * saves and watched-file events; textDocument/references over it. */
#include <stdlib.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/log.h"
#include "gls/lspjson.h"
#include "gls/server.h"
#include "gls/uri.h"
#include "gls/util.h"
#include "gls/workspace.h"

/* How often progress is reported while indexing. */
#define PROGRESS_MS 200

struct gls_ws_job {
    uv_work_t work;
    uv_timer_t timer;       /* progress reports */
    gls_server_t *s;        /* NULL once the server stopped caring */
    gls_glossary_t *glossary;
    char **roots;
    size_t nroots;
    char **exclude;
    size_t exclude_count;
    char **file_types;
    size_t file_type_count;
    gls_walk_opts_t opts;
    gls_ws_progress_t progress;
    gls_ws_index_t *result;
    char token[48];
    char end_message[160];  /* set when the build ended before the client
                               granted the token */
    int progress_state;     /* 0 none, 1 token asked for, 2 begun */
    int refs;               /* the work, the timer handle, an unanswered
                               window/workDoneProgress/create */
};

static void job_unref(struct gls_ws_job *j)
{
    if (--j->refs > 0)
        return;
    gls_glossary_unref(j->glossary);
    for (size_t i = 0; i < j->nroots; i++)
        free(j->roots[i]);
    free(j->roots);
    for (size_t i = 0; i < j->exclude_count; i++)
        free(j->exclude[i]);
    free(j->exclude);
    for (size_t i = 0; i < j->file_type_count; i++)
        free(j->file_types[i]);
    free(j->file_types);
    gls_ws_index_free(j->result);
    free(j);
}

static void timer_closed(uv_handle_t *h)
{
    job_unref(h->data);
}

static int client_shows_progress(gls_server_t *s)
{
    json_t *w = json_object_get(s->client_capabilities, "window");
    return json_is_true(json_object_get(w, "workDoneProgress"));
}

static void progress(struct gls_ws_job *j, json_t *value)
{
    if (!j->s || j->progress_state != 2) {
        json_decref(value);
        return;
    }
    gls_rpc_notify(&j->s->rpc, "$/progress", json_pack("{s:s,s:o}", "token", j->token, "value",
                                                        value));
}

static void report_cb(uv_timer_t *t)
{
    struct gls_ws_job *j = t->data;
    size_t found = atomic_load(&j->progress.found), done = atomic_load(&j->progress.done);
    char msg[96];
    if (atomic_load(&j->progress.walking))
        snprintf(msg, sizeof msg, "looking for documents (%zu found)", found);
    else
        snprintf(msg, sizeof msg, "%zu of %zu documents", done, found);
    int pct = found ? (int)(done * 100 / found) : 0;
    progress(j, json_pack("{s:s,s:s,s:i}", "kind", "report", "message", msg, "percentage", pct));
}

static void created_cb(void *ud, json_t *result, json_t *error)
{
    struct gls_ws_job *j = ud;
    (void)result;
    if (!j->s || error || j->progress_state != 1) {
        if (j->progress_state == 1)
            j->progress_state = 0;
    } else {
        j->progress_state = 2;
        progress(j, json_pack("{s:s,s:s,s:b,s:s,s:i}", "kind", "begin", "title",
                              "Indexing documents", "cancellable", 1, "message",
                              "looking for documents", "percentage", 0));
        /* Granted after the build ended: the client still hears how it
         * ended, so every progress it was asked to show is closed. */
        if (j->end_message[0])
            progress(j, json_pack("{s:s,s:s}", "kind", "end", "message", j->end_message));
    }
    if (j->end_message[0])
        j->s = NULL;
    /* The answer may come after the build ended and the job was let go:
     * the request held its own reference. */
    job_unref(j);
}

static void work_cb(uv_work_t *w)
{
    struct gls_ws_job *j = w->data;
    j->result = gls_ws_index_build(j->glossary, (const char *const *)j->roots, j->nroots,
                                   &j->opts, &j->progress);
}

static void after_work_cb(uv_work_t *w, int status)
{
    struct gls_ws_job *j = w->data;
    gls_server_t *s = j->s;
    uv_timer_stop(&j->timer);
    uv_close((uv_handle_t *)&j->timer, timer_closed);
    if (s && status == 0 && j->result && s->glossary == j->glossary && !j->result->cancelled) {
        gls_ws_index_t *idx = j->result;
        j->result = NULL;
        /* Open documents are more current than their files. */
        for (size_t i = 0; i < s->documents.count; i++) {
            gls_document_t *doc = s->documents.items[i];
            char *path = gls_uri_to_path(doc->uri);
            if (path && gls_ws_index_find(idx, path))
                gls_ws_index_update(idx, path, gls_server_analysis(s, doc));
            free(path);
        }
        gls_ws_index_free(s->ws_index);
        s->ws_index = idx;
    }
    if (s) {
        char msg[160];
        const gls_ws_index_t *r = j->result ? j->result : s->ws_index;
        if (atomic_load(&j->progress.cancel) || (r && r->cancelled))
            snprintf(msg, sizeof msg, "cancelled after %zu documents",
                     atomic_load(&j->progress.done));
        else if (r && r->capped)
            snprintf(msg, sizeof msg,
                     "indexed the first %zu documents: more than glossaryLs.workspace.maxFiles "
                     "(%zu)",
                     r->count, j->opts.max_files);
        else
            snprintf(msg, sizeof msg, "indexed %zu documents", r ? r->count : (size_t)0);
        gls_log_info("workspace index: %s", msg);
        if (j->progress_state == 1) {
            /* Still waiting for the token: created_cb reports the end.
             * rpc answers every request before the server goes away, so
             * keeping 's' until then is safe. */
            snprintf(j->end_message, sizeof j->end_message, "%s", msg);
        } else {
            progress(j, json_pack("{s:s,s:s}", "kind", "end", "message", msg));
            j->s = NULL;
        }
        if (s->ws_job == j)
            s->ws_job = NULL;
        int again = s->ws_reindex;
        s->ws_reindex = 0;
        if (again)
            gls_server_index_workspace(s);
    }
    job_unref(j);
}

void gls_server_index_workspace(gls_server_t *s)
{
    if (s->state != GLS_STATE_RUNNING || !s->glossary || s->ws_root_count == 0 ||
        !s->config.workspace_index)
        return;
    if (s->ws_job) {
        /* One build at a time: stop this one and start again after it. */
        atomic_store(&s->ws_job->progress.cancel, 1);
        s->ws_reindex = 1;
        return;
    }
    struct gls_ws_job *j = gls_xcalloc(1, sizeof *j);
    j->s = s;
    j->refs = 2;
    gls_glossary_ref(s->glossary);
    j->glossary = s->glossary;
    j->roots = gls_xcalloc(s->ws_root_count + 1, sizeof *j->roots);
    for (size_t i = 0; i < s->ws_root_count; i++)
        j->roots[j->nroots++] = gls_xstrdup(s->ws_roots[i]);
    j->exclude = gls_xcalloc(s->config.exclude_count + 1, sizeof *j->exclude);
    for (size_t i = 0; i < s->config.exclude_count; i++)
        j->exclude[j->exclude_count++] = gls_xstrdup(s->config.exclude[i]);
    j->opts.exclude = (const char *const *)j->exclude;
    j->opts.exclude_count = j->exclude_count;
    j->opts.max_files = s->config.workspace_max_files;
    j->file_types = gls_xcalloc(s->config.file_type_count + 1, sizeof *j->file_types);
    for (size_t i = 0; i < s->config.file_type_count; i++)
        j->file_types[j->file_type_count++] = gls_xstrdup(s->config.file_types[i]);
    j->opts.file_types = (const char *const *)j->file_types;
    j->opts.file_type_count = j->file_type_count;
    static unsigned long serial;
    snprintf(j->token, sizeof j->token, "glossary-ls-index-%lu", ++serial);
    uv_timer_init(s->loop, &j->timer);
    j->timer.data = j;
    uv_timer_start(&j->timer, report_cb, PROGRESS_MS, PROGRESS_MS);
    uv_unref((uv_handle_t *)&j->timer);
    if (client_shows_progress(s)) {
        j->progress_state = 1;
        j->refs++;
        gls_rpc_request(&s->rpc, "window/workDoneProgress/create",
                        json_pack("{s:s}", "token", j->token), created_cb, j);
    }
    j->work.data = j;
    s->ws_job = j;
    uv_queue_work(s->loop, &j->work, work_cb, after_work_cb);
}

void gls_server_workspace_stop(gls_server_t *s)
{
    if (s->ws_job) {
        atomic_store(&s->ws_job->progress.cancel, 1);
        s->ws_job->s = NULL;
        s->ws_job = NULL;
    }
    s->ws_reindex = 0;
}

void gls_server_workspace_close(gls_server_t *s)
{
    gls_server_workspace_stop(s);
    gls_ws_index_free(s->ws_index);
    s->ws_index = NULL;
    for (size_t i = 0; i < s->ws_root_count; i++)
        free(s->ws_roots[i]);
    free(s->ws_roots);
    s->ws_roots = NULL;
    s->ws_root_count = 0;
}

/* Whether 'path' lies in one of the workspace folders. */
static int in_workspace(const gls_server_t *s, const char *path)
{
    for (size_t i = 0; i < s->ws_root_count; i++) {
        size_t n = strlen(s->ws_roots[i]);
        if (strncmp(path, s->ws_roots[i], n) == 0 && (path[n] == '/' || s->ws_roots[i][n - 1] == '/'))
            return 1;
    }
    return 0;
}

void gls_server_workspace_file_changed(gls_server_t *s, const char *path, int deleted,
                                       const gls_analysis_t *a)
{
    gls_ws_index_t *idx = s->ws_index;
    if (!idx || idx->glossary != s->glossary || !in_workspace(s, path))
        return;
    const char *name = strrchr(path, '/');
    if (!gls_walk_checkable(name ? name + 1 : path, (const char *const *)s->config.file_types,
                            s->config.file_type_count))
        return;
    if (deleted) {
        gls_ws_index_remove(idx, path);
        return;
    }
    if (a) {
        gls_ws_index_update(idx, path, a);
        return;
    }
    char *text;
    size_t len;
    if (gls_read_file(path, GLS_WS_MAX_FILE, &text, &len) < 0) {
        gls_ws_index_remove(idx, path);
        return;
    }
    gls_analysis_t fresh;
    gls_analysis_init(&fresh);
    gls_analysis_run(&fresh, s->glossary, text, (uint32_t)len, gls_language_of(NULL, path));
    gls_ws_index_update(idx, path, &fresh);
    gls_analysis_close(&fresh);
    free(text);
}

void gls_server_set_workspace_folders(gls_server_t *s, json_t *folders, const char *root)
{
    for (size_t i = 0; i < s->ws_root_count; i++)
        free(s->ws_roots[i]);
    free(s->ws_roots);
    s->ws_roots = NULL;
    s->ws_root_count = 0;
    size_t n = json_is_array(folders) ? json_array_size(folders) : 0;
    s->ws_roots = gls_xcalloc(n + 2, sizeof *s->ws_roots);
    for (size_t i = 0; i < n; i++) {
        char *path = gls_uri_to_path(json_string_value(json_object_get(json_array_get(folders, i),
                                                                       "uri")));
        if (path)
            s->ws_roots[s->ws_root_count++] = path;
    }
    if (s->ws_root_count == 0 && root)
        s->ws_roots[s->ws_root_count++] = gls_xstrdup(root);
}

/* workspace/didChangeWorkspaceFolders: {event: {added: [...], removed: [...]}} */
void gls_lsp_did_change_workspace_folders(gls_server_t *s, gls_request_t *req)
{
    json_t *event = json_object_get(req->params, "event");
    json_t *added = json_object_get(event, "added"), *removed = json_object_get(event, "removed");
    if (!json_is_object(event) || (added && !json_is_array(added)) ||
        (removed && !json_is_array(removed))) {
        gls_log_warn("workspace/didChangeWorkspaceFolders without an event {added, removed}: "
                     "ignored");
        return;
    }
    json_t *folders = json_array();
    for (size_t i = 0; i < s->ws_root_count; i++) {
        char *uri = gls_path_to_uri(s->ws_roots[i]);
        int drop = 0;
        size_t k;
        json_t *r;
        json_array_foreach(removed, k, r) {
            char *p = gls_uri_to_path(json_string_value(json_object_get(r, "uri")));
            drop |= p && strcmp(p, s->ws_roots[i]) == 0;
            free(p);
        }
        if (!drop)
            json_array_append_new(folders, json_pack("{s:s}", "uri", uri));
        free(uri);
    }
    size_t k;
    json_t *a;
    json_array_foreach(added, k, a)
        if (json_is_string(json_object_get(a, "uri")))
            json_array_append(folders, a);
    gls_server_set_workspace_folders(s, folders, NULL);
    json_decref(folders);
    gls_server_index_workspace(s);
}

/* window/workDoneProgress/cancel: {token} */
void gls_lsp_work_done_progress_cancel(gls_server_t *s, gls_request_t *req)
{
    json_t *token = json_object_get(req->params, "token");
    if (s->ws_job && json_is_string(token) &&
        strcmp(json_string_value(token), s->ws_job->token) == 0)
        atomic_store(&s->ws_job->progress.cancel, 1);
}

uint32_t gls_server_workspace_uses(const gls_server_t *s, uint32_t concept)
{
    const gls_ws_index_t *idx = s->ws_index;
    if (!idx || idx->glossary != s->glossary || concept >= s->glossary->concept_count)
        return 0;
    return idx->totals[concept];
}

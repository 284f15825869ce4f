/* watch.c: reloading when glossary or configuration files change. The
 * client watches for us when it can (workspace/didChangeWatchedFiles,
 * registered dynamically); otherwise libuv watches the directories that
 * hold them (directories, so that editors that save by renaming a new file
 * over the old one are seen too). Changes are coalesced for a moment,
 * then the glossary is reloaded and open documents re-checked. */
#include <stdlib.h>
#include <string.h>

#include "gls/config.h"
#include "gls/log.h"
#include "gls/server.h"
#include "gls/uri.h"
#include "gls/util.h"

#define RELOAD_DELAY_MS 30

typedef struct gls_watch {
    uv_fs_event_t ev;
    gls_server_t *server;
    char *dir;
    struct gls_watch *next;
} gls_watch_t;

/* The files whose changes matter, as absolute paths (new array of new
 * strings, NULL-terminated). */
static char **watched_paths(gls_server_t *s)
{
    uint32_t deps = s->glossary ? s->glossary->dependency_count : 0;
    size_t n = s->config.glossary_count + deps + 4;
    for (size_t p = 0; p < s->profile_count; p++)
        n += s->profiles[p]->config.glossary_count + 1 +
             (s->profiles[p]->glossary ? s->profiles[p]->glossary->dependency_count : 0);
    char **out = gls_xcalloc(n + 1, sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < s->config.glossary_count; i++)
        if (s->config.glossaries[i][0] == '/')
            out[k++] = gls_xstrdup(s->config.glossaries[i]);
    for (uint32_t i = 0; i < deps; i++)
        if (s->glossary->dependencies[i][0] == '/')
            out[k++] = gls_xstrdup(s->glossary->dependencies[i]);
    /* Configuration files below the root, and what they name. */
    for (size_t p = 0; p < s->profile_count; p++) {
        const gls_profile_t *pr = s->profiles[p];
        out[k++] = gls_xstrdup(pr->config_path);
        for (size_t i = 0; i < pr->config.glossary_count; i++)
            if (pr->config.glossaries[i][0] == '/')
                out[k++] = gls_xstrdup(pr->config.glossaries[i]);
        for (uint32_t i = 0; pr->glossary && i < pr->glossary->dependency_count; i++)
            if (pr->glossary->dependencies[i][0] == '/')
                out[k++] = gls_xstrdup(pr->glossary->dependencies[i]);
    }
    out[k++] = gls_config_user_path();
    if (s->root_path) {
        out[k++] = gls_xasprintf("%s/%s", s->root_path, GLS_CONFIG_FILE);
        out[k++] = gls_xasprintf("%s/%s", s->root_path, GLS_PROJECT_GLOSSARY);
    }
    return out;
}

static void free_paths(char **p)
{
    for (size_t i = 0; p && p[i]; i++)
        free(p[i]);
    free(p);
}

static void reload_cb(uv_timer_t *t)
{
    gls_server_t *s = t->data;
    s->reload_pending = 0;
    if (s->state != GLS_STATE_RUNNING)
        return;
    gls_log_info("a glossary or configuration file changed; reloading");
    gls_server_reload(s);
}

void gls_server_schedule_reload(gls_server_t *s)
{
    if (s->state != GLS_STATE_RUNNING)
        return;
    s->reload_pending = 1;
    uv_timer_start(&s->reload_timer, reload_cb, RELOAD_DELAY_MS, 0);
}

static int is_watched(gls_server_t *s, const char *path)
{
    char **paths = watched_paths(s);
    int hit = 0;
    for (size_t i = 0; paths[i] && !hit; i++)
        hit = strcmp(paths[i], path) == 0;
    free_paths(paths);
    /* Any workspace config below the root counts too. */
    const char *base = strrchr(path, '/');
    if (base && strcmp(base + 1, GLS_CONFIG_FILE) == 0)
        hit = 1;
    return hit;
}

static void fs_event_cb(uv_fs_event_t *h, const char *filename, int events, int status)
{
    gls_watch_t *w = (gls_watch_t *)h;
    (void)events;
    if (status < 0 || !filename)
        return;
    char *path = gls_xasprintf("%s/%s", w->dir, filename);
    if (is_watched(w->server, path))
        gls_server_schedule_reload(w->server);
    free(path);
}

static void watch_closed(uv_handle_t *h)
{
    gls_watch_t *w = (gls_watch_t *)h;
    gls_server_t *s = w->server;
    free(w->dir);
    free(w);
    s->handles_open--;
}

void gls_server_unwatch(gls_server_t *s)
{
    gls_watch_t *w = s->watches;
    s->watches = NULL;
    while (w) {
        gls_watch_t *next = w->next;
        uv_fs_event_stop(&w->ev);
        uv_close((uv_handle_t *)&w->ev, watch_closed);
        w = next;
    }
}

static void watch_dir(gls_server_t *s, const char *dir)
{
    for (gls_watch_t *w = s->watches; w; w = w->next)
        if (strcmp(w->dir, dir) == 0)
            return;
    gls_watch_t *w = gls_xcalloc(1, sizeof *w);
    w->server = s;
    w->dir = gls_xstrdup(dir);
    if (uv_fs_event_init(s->loop, &w->ev) != 0) {
        free(w->dir);
        free(w);
        return;
    }
    s->handles_open++;
    if (uv_fs_event_start(&w->ev, fs_event_cb, dir, 0) != 0) {
        /* The directory does not exist (yet): nothing to watch there. */
        uv_close((uv_handle_t *)&w->ev, watch_closed);
        return;
    }
    w->next = s->watches;
    s->watches = w;
}

static void registered_cb(void *ud, json_t *result, json_t *error)
{
    gls_server_t *s = ud;
    (void)result;
    if (error) {
        gls_log_warn("the client refused to watch files; watching them ourselves");
        s->client_watches = 0;
        gls_server_watch(s);
    }
}

void gls_server_watch(gls_server_t *s)
{
    if (s->state != GLS_STATE_RUNNING)
        return;
    char **paths = watched_paths(s);
    if (s->client_watches) {
        json_t *watchers = json_array();
        json_array_append_new(watchers, json_pack("{s:s}", "globPattern", "**/" GLS_CONFIG_FILE));
        /* The workspace's documents, for the workspace index. */
        json_array_append_new(watchers,
                              json_pack("{s:s}", "globPattern", "**/*.{md,markdown,mdx,txt}"));
        for (size_t i = 0; paths[i]; i++)
            json_array_append_new(watchers, json_pack("{s:s}", "globPattern", paths[i]));
        if (s->watch_registered)
            gls_rpc_request(&s->rpc, "client/unregisterCapability",
                            json_pack("{s:[{s:s,s:s}]}", "unregisterations", "id",
                                      "glossary-ls-files", "method",
                                      "workspace/didChangeWatchedFiles"),
                            NULL, NULL);
        gls_rpc_request(&s->rpc, "client/registerCapability",
                        json_pack("{s:[{s:s,s:s,s:{s:o}}]}", "registrations", "id",
                                  "glossary-ls-files", "method",
                                  "workspace/didChangeWatchedFiles", "registerOptions",
                                  "watchers", watchers),
                        registered_cb, s);
        s->watch_registered = 1;
    } else {
        gls_server_unwatch(s);
        for (size_t i = 0; paths[i]; i++) {
            char *dir = gls_xstrdup(paths[i]);
            char *slash = strrchr(dir, '/');
            if (slash && slash != dir) {
                *slash = '\0';
                watch_dir(s, dir);
            }
            free(dir);
        }
    }
    free_paths(paths);
}

void gls_lsp_did_change_watched_files(gls_server_t *s, gls_request_t *req)
{
    json_t *changes = json_object_get(req->params, "changes");
    size_t i;
    json_t *c;
    int reload = 0;
    json_array_foreach(changes, i, c) {
        char *path = gls_uri_to_path(json_string_value(json_object_get(c, "uri")));
        if (path && is_watched(s, path)) {
            reload = 1;
        } else if (path) {
            /* A document of the workspace: FileChangeType 3 is Deleted. */
            json_t *type = json_object_get(c, "type");
            gls_server_workspace_file_changed(s, path,
                                              json_is_integer(type) && json_integer_value(type) == 3,
                                              NULL);
        }
        free(path);
    }
    if (reload)
        gls_server_schedule_reload(s);
}

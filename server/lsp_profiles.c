/* lsp_profiles.c: nearest configuration wins in the server, as it does for
 * check. A document is checked with the .glossary-ls.json nearest above it
 * within its workspace folder: the root's (the server's own settings and
 * glossary) or another one, which gets a profile of its own - its settings
 * (user < that file < editor settings) and its glossary, loaded in the
 * thread pool like the root's. Features of one document (diagnostics,
 * hover, completion, hints, code actions) follow the document's profile;
 * the workspace-wide ones (references, rename, workspace symbols, the
 * index) stay with the root's glossary. */
#include <stdlib.h>
#include <string.h>

#include "gls/config.h"
#include "gls/log.h"
#include "gls/server.h"
#include "gls/uri.h"
#include "gls/util.h"

/* The workspace folder holding 'path' (the longest that does), or NULL. */
static const char *folder_of(const gls_server_t *s, const char *path)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < s->ws_root_count; i++) {
        const char *r = s->ws_roots[i];
        size_t n = strlen(r);
        if (n > best_len && strncmp(path, r, n) == 0 && (path[n] == '/' || (n && r[n - 1] == '/'))) {
            best = r;
            best_len = n;
        }
    }
    if (!best && s->root_path) {
        size_t n = strlen(s->root_path);
        if (strncmp(path, s->root_path, n) == 0 && path[n] == '/')
            best = s->root_path;
    }
    return best;
}

static void profile_free(gls_profile_t *p)
{
    if (p->load_job)
        gls_server_profile_load_forget(p);
    gls_glossary_unref(p->glossary);
    gls_settings_close(&p->config);
    free(p->config_path);
    free(p->root);
    free(p);
}

void gls_server_profiles_reset(gls_server_t *s)
{
    for (size_t i = 0; i < s->profile_count; i++)
        profile_free(s->profiles[i]);
    free(s->profiles);
    s->profiles = NULL;
    s->profile_count = 0;
    s->profile_generation++;
}

json_t *gls_server_profile_settings(gls_server_t *s, const gls_profile_t *p)
{
    json_t *merged = json_object();
    gls_diags_t diags;
    gls_diags_init(&diags);
    gls_config_merge_user(merged, &diags);
    gls_config_merge_nearest(merged, p->config_path, p->root, &diags);
    gls_config_merge_object(merged, s->settings ? s->settings : s->initialization_options);
    for (size_t i = 0; i < diags.count; i++) {
        char *line = gls_diag_format(&diags.items[i]);
        gls_log_error("%s", line);
        free(line);
    }
    if (diags.count && s->state == GLS_STATE_RUNNING)
        gls_rpc_notify(&s->rpc, "window/showMessage",
                       json_pack("{s:i,s:s+}", "type", 1, "message",
                                 "glossary-ls: a configuration file has problems (see the output "
                                 "log): ",
                                 p->config_path));
    gls_diags_close(&diags);
    return merged;
}

static gls_profile_t *profile_for(gls_server_t *s, const char *config, const char *root)
{
    for (size_t i = 0; i < s->profile_count; i++)
        if (strcmp(s->profiles[i]->config_path, config) == 0)
            return s->profiles[i];
    gls_profile_t *p = gls_xcalloc(1, sizeof *p);
    p->config_path = gls_xstrdup(config);
    p->root = gls_xstrdup(root);
    gls_settings_init(&p->config);
    json_t *merged = gls_server_profile_settings(s, p);
    gls_settings_apply(&p->config, merged);
    json_decref(merged);
    s->profiles = gls_xrealloc(s->profiles, (s->profile_count + 1) * sizeof *s->profiles);
    s->profiles[s->profile_count++] = p;
    gls_log_info("%s: documents below use their own configuration", config);
    gls_server_profile_load(s, p);
    /* Its glossary files are watched like the root's. */
    gls_server_watch(s);
    return p;
}

gls_profile_t *gls_server_doc_profile(gls_server_t *s, gls_document_t *doc)
{
    gls_doc_state_t *st = gls_server_doc_state(s, doc);
    if (st->profile_generation == s->profile_generation + 1)
        return st->profile;
    st->profile = NULL;
    st->profile_generation = s->profile_generation + 1;
    char *path = gls_uri_to_path(doc->uri);
    const char *root = path ? folder_of(s, path) : NULL;
    if (path && root) {
        char *dir = gls_xstrdup(path);
        *strrchr(dir, '/') = '\0';
        char *config = gls_config_find(dir, root);
        char *root_config = s->root_path ? gls_xasprintf("%s/%s", s->root_path, GLS_CONFIG_FILE)
                                         : NULL;
        /* The first folder's own file is the server's settings already. */
        if (config && !(root_config && strcmp(config, root_config) == 0))
            st->profile = profile_for(s, config, root);
        free(root_config);
        free(config);
        free(dir);
    }
    free(path);
    return st->profile;
}

gls_glossary_t *gls_server_doc_glossary(gls_server_t *s, gls_document_t *doc)
{
    gls_profile_t *p = gls_server_doc_profile(s, doc);
    return p && p->glossary ? p->glossary : s->glossary;
}

const gls_settings_t *gls_server_doc_settings(gls_server_t *s, gls_document_t *doc)
{
    gls_profile_t *p = gls_server_doc_profile(s, doc);
    return p ? &p->config : &s->config;
}

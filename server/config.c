/* config.c: finding, reading and merging configuration files. */
#include "gls/config.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gls/loader.h"
#include "gls/util.h"

static const char *const list_keys[] = {"glossaries", "wellKnownAcronyms", "ignoredWords",
                                        "exclude"};

static int is_list_key(const char *k)
{
    for (size_t i = 0; i < GLS_ARRAY_LEN(list_keys); i++)
        if (strcmp(k, list_keys[i]) == 0)
            return 1;
    return 0;
}

char *gls_config_find(const char *dir, const char *root)
{
    /* A document not saved yet may be in a folder that does not exist
     * yet: start from the nearest one that does. */
    char *cur = realpath(dir, NULL);
    char *up = gls_xstrdup(dir);
    while (!cur) {
        char *slash = strrchr(up, '/');
        if (!slash || slash == up)
            break;
        *slash = '\0';
        cur = realpath(up, NULL);
    }
    free(up);
    if (!cur)
        return NULL;
    char *stop = root ? realpath(root, NULL) : NULL;
    for (;;) {
        char *candidate = gls_xasprintf("%s%s%s", cur, strcmp(cur, "/") == 0 ? "" : "/",
                                        GLS_CONFIG_FILE);
        struct stat st;
        if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode)) {
            free(cur);
            free(stop);
            return candidate;
        }
        free(candidate);
        if ((stop && strcmp(cur, stop) == 0) || strcmp(cur, "/") == 0)
            break;
        char *slash = strrchr(cur, '/');
        if (slash == cur)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    free(cur);
    free(stop);
    return NULL;
}

char *gls_config_user_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg == '/')
        return gls_xasprintf("%s/glossary-ls/config.json", xdg);
    const char *home = getenv("HOME");
    return gls_xasprintf("%s/.config/glossary-ls/config.json", home && *home ? home : "/");
}

/* True when 'path' (resolved) lies inside 'dir' (resolved). */
static int inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0' ||
                                          (n > 0 && dir[n - 1] == '/'));
}

/* A glossaries entry: a file, a directory (every glossary file directly in
 * it, by extension, in name order) or a glob pattern (glob(3), in name
 * order; only regular files). A plain path is kept even when it does not
 * exist (see resolve_missing). Returns the count; '*out' is a new array
 * of new strings. */
static size_t expand_glossary_entry(const char *full, char ***out)
{
    static const char *const exts[] = {".json", ".md", ".markdown", ".txt", ".tbx",
                                       ".yml", ".yaml"};
    size_t n = 0, cap = 4;
    char **list = gls_xmalloc(cap * sizeof *list);
    struct stat st;
    if (strpbrk(full, "*?[")) {
        glob_t g;
        if (glob(full, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc; i++) {
                if (stat(g.gl_pathv[i], &st) != 0 || !S_ISREG(st.st_mode))
                    continue;
                if (n == cap)
                    list = gls_xrealloc(list, (cap *= 2) * sizeof *list);
                list[n++] = gls_xstrdup(g.gl_pathv[i]);
            }
            globfree(&g);
        }
    } else if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
        struct dirent **names;
        int k = scandir(full, &names, NULL, alphasort);
        for (int i = 0; i < k; i++) {
            const char *name = names[i]->d_name;
            const char *dot = strrchr(name, '.');
            int known = 0;
            for (size_t e = 0; dot && name[0] != '.' && e < GLS_ARRAY_LEN(exts); e++)
                known |= strcasecmp(dot, exts[e]) == 0;
            char *child = gls_xasprintf("%s/%s", full, name);
            if (known && stat(child, &st) == 0 && S_ISREG(st.st_mode)) {
                if (n == cap)
                    list = gls_xrealloc(list, (cap *= 2) * sizeof *list);
                list[n++] = child;
            } else {
                free(child);
            }
            free(names[i]);
        }
        free(k >= 0 ? names : NULL);
    } else {
        list[n++] = gls_xstrdup(full);
    }
    *out = list;
    return n;
}

/* A glossary the config names that does not exist (yet, or any more: it
 * may vanish in the middle of a save) keeps its place in the list, so the
 * loader reports it as unreadable and the previous glossary keeps
 * serving, rather than the glossary silently shrinking. Its directory
 * must exist, so confinement can still be checked on a real path.
 * Returns a new string, or NULL. */
static char *resolve_missing(const char *full)
{
    const char *slash = strrchr(full, '/');
    if (!slash || !slash[1])
        return NULL;
    char *dir = gls_xstrndup(full, (size_t)(slash - full));
    char *real_dir = realpath(dir[0] ? dir : "/", NULL);
    free(dir);
    if (!real_dir)
        return NULL;
    char *real = gls_xasprintf("%s/%s", real_dir, slash + 1);
    free(real_dir);
    return real;
}

void gls_config_merge_object(json_t *merged, json_t *settings)
{
    if (!json_is_object(settings))
        return;
    const char *k;
    json_t *v;
    json_object_foreach(settings, k, v) {
        json_t *old = json_object_get(merged, k);
        if (is_list_key(k) && json_is_array(v)) {
            if (!json_is_array(old)) {
                old = json_array();
                json_object_set_new(merged, k, old);
            }
            json_array_extend(old, v);
        } else if (strcmp(k, "rules") == 0 && json_is_object(v)) {
            if (!json_is_object(old)) {
                old = json_object();
                json_object_set_new(merged, k, old);
            }
            json_object_update(old, v);
        } else {
            json_object_set(merged, k, v);
        }
    }
}

int gls_config_merge_file(json_t *merged, const char *path, const char *confine, int optional,
                          gls_diags_t *diags)
{
    char *text = NULL;
    size_t len = 0;
    int rc = gls_read_file(path, 1u << 20, &text, &len);
    if (rc < 0) {
        if (!(optional && rc == -ENOENT))
            gls_diags_add(diags, path, 0, 0, GLS_SEV_ERROR, "config-io",
                          "cannot read the configuration: %s", strerror(-rc));
        return -1;
    }
    json_error_t err;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    free(text);
    if (!json_is_object(obj)) {
        gls_diags_add(diags, path, obj ? 1 : (uint32_t)err.line, obj ? 1 : (uint32_t)err.column,
                      GLS_SEV_ERROR, "config-syntax", "%s",
                      obj            ? "the configuration must be a JSON object"
                      : err.text[0] ? err.text
                                    : "could not read the JSON: out of memory");
        json_decref(obj);
        return -1;
    }
    static const char *const known[] = {"$schema", "glossaries", "rules", "wellKnownAcronyms",
                                        "ignoredWords", "exclude", "fileTypes", "builtinGlossary", "hover",
                                        "diagnostics", "debounceMs", "maxDocumentSize",
                                        "inlayHints", "semanticTokens"};
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        size_t i = 0;
        while (i < GLS_ARRAY_LEN(known) && strcmp(known[i], k) != 0)
            i++;
        if (i == GLS_ARRAY_LEN(known))
            gls_diags_add(diags, path, 0, 0, GLS_SEV_WARNING, "config-unknown-key",
                          "unknown key '%s' ignored", k);
    }
    /* Resolve glossary paths against the file's directory, and confine
     * them when asked. */
    json_t *glossaries = json_object_get(obj, "glossaries");
    if (json_is_array(glossaries)) {
        char *dir = gls_xstrdup(path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else {
            free(dir);
            dir = gls_xstrdup(".");
        }
        char *real_confine = confine ? realpath(confine, NULL) : NULL;
        json_t *resolved = json_array();
        size_t i;
        json_t *g;
        json_array_foreach(glossaries, i, g) {
            const char *p = json_string_value(g);
            if (!p) {
                gls_diags_add(diags, path, 0, 0, GLS_SEV_ERROR, "config-type",
                              "glossaries[%zu] must be a string", i);
                continue;
            }
            char *full = p[0] == '/' ? gls_xstrdup(p) : gls_xasprintf("%s/%s", dir, p);
            char **each;
            size_t count = expand_glossary_entry(full, &each);
            free(full);
            if (count == 0)
                gls_diags_add(diags, path, 0, 0, GLS_SEV_WARNING, "config-no-glossary",
                              "glossaries entry '%s' names no glossary file", p);
            for (size_t j = 0; j < count; j++) {
                char *one = each[j];
                if (confine) {
                    char *real = realpath(one, NULL);
                    if (!real && errno == ENOENT)
                        real = resolve_missing(one);
                    if (!real_confine || !real || !inside(real, real_confine)) {
                        gls_diags_add(diags, path, 0, 0, GLS_SEV_ERROR,
                                      "config-outside-workspace",
                                      real ? "glossary '%s' is outside the workspace; not loaded"
                                           : "glossary '%s' does not exist",
                                      count > 1 ? one : p);
                        free(real);
                        free(one);
                        continue;
                    }
                    free(one);
                    one = real;
                }
                json_array_append_new(resolved, json_string(one));
                free(one);
            }
            free(each);
        }
        json_object_set_new(obj, "glossaries", resolved);
        free(dir);
        free(real_confine);
    }
    gls_config_merge_object(merged, obj);
    json_decref(obj);
    return 0;
}

void gls_config_merge_user(json_t *merged, gls_diags_t *diags)
{
    char *path = gls_config_user_path();
    /* Glossary files kept in the user's config directory load on their own,
     * before anything the config file names. */
    char *dir = gls_xstrdup(path);
    *strrchr(dir, '/') = '\0';
    static const char *const names[] = {"glossary.json", "glossary.md", "glossary.txt"};
    json_t *found = json_array();
    for (size_t i = 0; i < GLS_ARRAY_LEN(names); i++) {
        char *g = gls_xasprintf("%s/%s", dir, names[i]);
        struct stat st;
        if (stat(g, &st) == 0 && S_ISREG(st.st_mode))
            json_array_append_new(found, json_string(g));
        free(g);
    }
    if (json_array_size(found)) {
        json_t *obj = json_pack("{s:o}", "glossaries", found);
        gls_config_merge_object(merged, obj);
        json_decref(obj);
    } else {
        json_decref(found);
    }
    gls_config_merge_file(merged, path, NULL, 1, diags);
    free(dir);
    free(path);
}

void gls_config_merge_nearest(json_t *merged, const char *config, const char *root,
                              gls_diags_t *diags)
{
    char *project = gls_xasprintf("%s/%s", root, GLS_PROJECT_GLOSSARY);
    struct stat st;
    if (stat(project, &st) == 0 && S_ISREG(st.st_mode)) {
        json_t *obj = json_pack("{s:[s]}", "glossaries", project);
        gls_config_merge_object(merged, obj);
        json_decref(obj);
    }
    free(project);
    gls_config_merge_file(merged, config, root, 1, diags);
}

void gls_config_merge_workspace(json_t *merged, const char *root, gls_diags_t *diags)
{
    char *file = gls_xasprintf("%s/%s", root, GLS_CONFIG_FILE);
    gls_config_merge_nearest(merged, file, root, diags);
    free(file);
}

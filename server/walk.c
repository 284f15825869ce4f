/* walk.c: finding the documents of a directory tree. */
#include "gls/walk.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "gls/loader.h"
#include "gls/util.h"

/* One .gitignore line in force. */
typedef struct ignore {
    char *pattern;
    char *base;    /* the directory of its .gitignore */
    int dir_only;  /* "name/" */
    int anchored;  /* "/name" or "a/b": relative to base */
} ignore_t;

typedef struct walk {
    const gls_walk_opts_t *opts;
    const char *root;
    size_t root_len;
    ignore_t *ignores;
    size_t ignore_count, ignore_cap;
    gls_walk_result_t *out;
} walk_t;

int gls_walk_checkable(const char *name, const char *const *types, size_t count)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    if (count > 0) {
        for (size_t i = 0; i < count; i++)
            if (strcasecmp(dot + (types[i][0] != '.'), types[i]) == 0)
                return 1;
        return 0;
    }
    static const char *const ext[] = {".md", ".markdown", ".mdown", ".mkd",
                                      ".mdx", ".txt", ".text"};
    for (size_t i = 0; i < GLS_ARRAY_LEN(ext); i++)
        if (strcasecmp(dot, ext[i]) == 0)
            return 1;
    return 0;
}

static void read_gitignore(walk_t *w, const char *dir)
{
    char *file = gls_xasprintf("%s/.gitignore", dir);
    char *text;
    size_t len;
    int rc = gls_read_file(file, 1u << 20, &text, &len);
    free(file);
    if (rc < 0)
        return;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        /* Negations ("!keep.md") would need ordered evaluation; ignoring
         * them errs towards checking a file, never towards hiding one. */
        if (n == 0 || line[0] == '#' || line[0] == '!')
            continue;
        ignore_t ig = {0};
        if (line[n - 1] == '/') {
            ig.dir_only = 1;
            line[--n] = '\0';
        }
        if (line[0] == '/') {
            ig.anchored = 1;
            line++;
        } else if (strchr(line, '/')) {
            ig.anchored = 1;
        }
        if (!*line)
            continue;
        if (w->ignore_count == w->ignore_cap) {
            w->ignore_cap = w->ignore_cap ? w->ignore_cap * 2 : 16;
            w->ignores = gls_xrealloc(w->ignores, w->ignore_cap * sizeof *w->ignores);
        }
        ig.pattern = gls_xstrdup(line);
        ig.base = gls_xstrdup(dir);
        w->ignores[w->ignore_count++] = ig;
    }
    free(text);
}

static int ignored(const walk_t *w, const char *path, const char *name, int is_dir)
{
    for (size_t i = 0; i < w->ignore_count; i++) {
        const ignore_t *ig = &w->ignores[i];
        if (ig->dir_only && !is_dir)
            continue;
        if (!ig->anchored) {
            if (fnmatch(ig->pattern, name, 0) == 0)
                return 1;
            continue;
        }
        size_t bl = strlen(ig->base);
        if (strncmp(path, ig->base, bl) == 0 && path[bl] == '/' &&
            fnmatch(ig->pattern, path + bl + 1, FNM_PATHNAME) == 0)
            return 1;
    }
    const char *rel = path + w->root_len;
    while (*rel == '/')
        rel++;
    /* Also the path as the walk spells it ("docs/drafts/x.md" when the
     * root was "docs"), so a glob written from where the command runs
     * works too. */
    const char *full = strncmp(path, "./", 2) == 0 ? path + 2 : path;
    for (size_t i = 0; i < w->opts->exclude_count; i++) {
        const char *pat = w->opts->exclude[i];
        if (fnmatch(pat, rel, 0) == 0 || fnmatch(pat, name, 0) == 0 ||
            fnmatch(pat, full, 0) == 0)
            return 1;
    }
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int stop(walk_t *w)
{
    if (w->opts->cancel && atomic_load(w->opts->cancel)) {
        w->out->cancelled = 1;
        return 1;
    }
    return w->out->capped;
}

static void add_file(walk_t *w, char *path)
{
    gls_walk_result_t *r = w->out;
    if (w->opts->max_files && r->count >= w->opts->max_files) {
        r->capped = 1;
        free(path);
        return;
    }
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->paths = gls_xrealloc(r->paths, r->cap * sizeof *r->paths);
    }
    r->paths[r->count++] = path;
}

static void walk_dir(walk_t *w, const char *dir)
{
    if (stop(w))
        return;
    DIR *d = opendir(dir);
    if (!d) {
        gls_walk_result_t *r = w->out;
        r->unreadable++;
        if (r->error_count == r->error_cap) {
            r->error_cap = r->error_cap ? r->error_cap * 2 : 4;
            r->errors = gls_xrealloc(r->errors, r->error_cap * sizeof *r->errors);
        }
        r->errors[r->error_count++] = gls_xasprintf("%s: %m", dir);
        return;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0)
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            names = gls_xrealloc(names, cap * sizeof *names);
        }
        names[count++] = gls_xstrdup(e->d_name);
    }
    closedir(d);
    /* Sorted, so results do not depend on the file system's order. */
    if (count > 1)
        qsort(names, count, sizeof *names, cmp_names);
    size_t mark = w->ignore_count;
    read_gitignore(w, dir);
    for (size_t i = 0; i < count; i++) {
        if (stop(w)) {
            free(names[i]);
            continue;
        }
        char *child = gls_xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                                    names[i]);
        struct stat st;
        /* lstat: a symbolic link is neither a file nor a directory here. */
        if (lstat(child, &st) == 0 && !ignored(w, child, names[i], S_ISDIR(st.st_mode))) {
            if (S_ISDIR(st.st_mode)) {
                walk_dir(w, child);
            } else if (S_ISREG(st.st_mode) && gls_walk_checkable(names[i], w->opts->file_types,
                                                                  w->opts->file_type_count)) {
                add_file(w, child);
                child = NULL;
            }
        }
        free(child);
        free(names[i]);
    }
    free(names);
    while (w->ignore_count > mark) {
        w->ignore_count--;
        free(w->ignores[w->ignore_count].pattern);
        free(w->ignores[w->ignore_count].base);
    }
}

void gls_walk(const char *root, const gls_walk_opts_t *opts, gls_walk_result_t *out)
{
    memset(out, 0, sizeof *out);
    gls_walk_opts_t none = {0};
    walk_t w = {opts ? opts : &none, root, strlen(root), NULL, 0, 0, out};
    walk_dir(&w, root);
    free(w.ignores);
}

void gls_walk_result_close(gls_walk_result_t *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->paths[i]);
    free(r->paths);
    for (size_t i = 0; i < r->error_count; i++)
        free(r->errors[i]);
    free(r->errors);
    memset(r, 0, sizeof *r);
}

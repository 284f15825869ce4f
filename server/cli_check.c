/* cli_check.c: the command-line front ends on the same engine as the
 * server: `check` (lint files for CI) and `explain` (print a concept). */
#include <dirent.h>
#include <fnmatch.h>
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "gls/analysis.h"
#include "gls/config.h"
#include "gls/settings.h"
#include "gls/cli.h"
#include "gls/describe.h"
#include "gls/loader.h"
#include "gls/position.h"
#include "gls/strmap.h"
#include "gls/rules.h"
#include "gls/sources.h"
#include "gls/uri.h"
#include "gls/util.h"
#include "gls/version.h"
#include "gls/walk.h"

#define MAX_DOCUMENT (64u << 20)

typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_GITHUB, FORMAT_SARIF } format_t;

typedef struct check_opts {
    format_t format;
    gls_severity_t fail_on;
    int builtin;
    const char **glossaries;
    size_t glossary_count;
    int color;
    const char *config;   /* --config FILE, or NULL to look for .glossary-ls.json */
    json_t *rule_overrides; /* --rule NAME=SEVERITY, as a "rules" object */
    int fix;              /* --fix: apply the preferred fixes in place */
    unsigned shard, shards; /* --shard I/N: this runner checks shard I of N (1-based) */
    unsigned jobs;        /* --jobs N: files checked at once on the libuv thread pool */
    int cache;            /* large glossaries go through the cache (--no-cache: no) */
} check_opts_t;

/* What checking a file takes from its configuration: the nearest
 * .glossary-ls.json above the file (or --config for every file), merged
 * over the user's config and under the command line, and the glossary it
 * names. Files under one config share one profile. */
typedef struct profile {
    char *config;            /* owned: the config file, or NULL (none found) */
    gls_settings_t settings;
    gls_glossary_t *glossary;
    size_t config_errors;
    int glossary_failed;
} profile_t;

typedef struct profiles {
    profile_t **items;
    size_t count, cap;
} profiles_t;

typedef struct totals {
    size_t files, findings, failing, io_errors, fixed;
    json_t *json; /* FORMAT_JSON and FORMAT_SARIF: the array of findings/results */
} totals_t;

/* A message on one line (text output is one finding per line, for
 * editors' and CI's problem matchers): each run of whitespace that holds
 * a line break, as multi-line definitions have, becomes one space. */
static void put_one_line(const char *msg, FILE *out)
{
    for (const char *p = msg; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            while (p[1] == '\n' || p[1] == '\r' || p[1] == ' ' || p[1] == '\t')
                p++;
            fputc(' ', out);
        } else {
            fputc(*p, out);
        }
    }
}

static void escape_github(const char *s, FILE *out)
{
    for (; *s; s++) {
        if (*s == '%')
            fputs("%25", out);
        else if (*s == '\r')
            fputs("%0D", out);
        else if (*s == '\n')
            fputs("%0A", out);
        else
            fputc(*s, out);
    }
}

static void report(const check_opts_t *o, totals_t *t, FILE *out, const char *path,
                   const char *text, size_t len, const gls_lines_t *lines, const gls_finding_t *f)
{
    uint32_t sl, sc, el, ec;
    gls_offset_to_position(lines, text, len, f->start, GLS_ENCODING_UTF32, &sl, &sc);
    gls_offset_to_position(lines, text, len, f->end, GLS_ENCODING_UTF32, &el, &ec);
    const char *rule = gls_rules[f->rule].name;
    const char *sev = gls_severity_name(f->severity);
    t->findings++;
    if (f->severity <= o->fail_on)
        t->failing++;
    switch (o->format) {
    case FORMAT_TEXT:
        if (o->color) {
            const char *c = f->severity == GLS_SEV_ERROR ? "\033[31m"
                            : f->severity == GLS_SEV_WARNING ? "\033[33m"
                                                             : "\033[36m";
            fprintf(out, "\033[1m%s:%u:%u:\033[0m %s%s\033[0m: ", path, sl + 1, sc + 1, c, sev);
            put_one_line(f->message, out);
            fprintf(out, " \033[2m[%s]\033[0m\n", rule);
        } else {
            fprintf(out, "%s:%u:%u: %s: ", path, sl + 1, sc + 1, sev);
            put_one_line(f->message, out);
            fprintf(out, " [%s]\n", rule);
        }
        break;
    case FORMAT_GITHUB: {
        const char *level = f->severity == GLS_SEV_ERROR     ? "error"
                            : f->severity == GLS_SEV_WARNING ? "warning"
                                                             : "notice";
        fprintf(out, "::%s file=%s,line=%u,col=%u,endLine=%u,endColumn=%u,title=%s::", level,
                path, sl + 1, sc + 1, el + 1, ec + 1, rule);
        escape_github(f->message, out);
        fputc('\n', out);
        break;
    }
    case FORMAT_SARIF: {
        const char *level = f->severity == GLS_SEV_ERROR     ? "error"
                            : f->severity == GLS_SEV_WARNING ? "warning"
                                                             : "note";
        json_t *region = json_pack("{s:I,s:I,s:I,s:I}", "startLine", (json_int_t)sl + 1,
                                   "startColumn", (json_int_t)sc + 1, "endLine",
                                   (json_int_t)el + 1, "endColumn", (json_int_t)ec + 1);
        /* artifactLocation.uri is a URI reference: "my notes.md" is
         * "my%20notes.md". */
        char *uri = gls_uri_encode_path(path);
        json_t *res = json_pack(
            "{s:s,s:i,s:s,s:{s:s},s:[{s:{s:{s:s},s:o}}]}", "ruleId", rule, "ruleIndex", f->rule,
            "level", level, "message", "text", f->message, "locations", "physicalLocation",
            "artifactLocation", "uri", uri, "region", region);
        if (f->replacement)
            json_object_set_new(
                res, "fixes",
                json_pack("[{s:{s:s},s:[{s:{s:s},s:[{s:{s:I,s:I,s:I,s:I},s:{s:s}}]}]}]",
                          "description", "text", f->fix_title, "artifactChanges",
                          "artifactLocation", "uri", uri, "replacements", "deletedRegion",
                          "startLine", (json_int_t)sl + 1, "startColumn", (json_int_t)sc + 1,
                          "endLine", (json_int_t)el + 1, "endColumn", (json_int_t)ec + 1,
                          "insertedContent", "text", f->replacement));
        free(uri);
        json_array_append_new(t->json, res);
        break;
    }
    case FORMAT_JSON: {
        json_t *j = json_pack("{s:s,s:I,s:I,s:I,s:I,s:s,s:s,s:s}", "file", path, "line",
                              (json_int_t)sl + 1, "column", (json_int_t)sc + 1, "endLine",
                              (json_int_t)el + 1, "endColumn", (json_int_t)ec + 1, "severity", sev,
                              "rule", rule, "message", f->message);
        if (f->replacement)
            json_object_set_new(j, "fix", json_pack("{s:s,s:s}", "title", f->fix_title,
                                                    "replacement", f->replacement));
        json_array_append_new(t->json, j);
        break;
    }
    }
}

/* Writes 'text' over 'path' atomically: a temporary file in the same
 * directory, then a rename, keeping the file's mode. Returns 0 or -errno. */
static int replace_file(const char *path, const char *text, size_t len)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -errno;
    char *tmp = gls_xasprintf("%s.glossary-ls.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return -e;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno ? errno : EIO;
            close(fd);
            unlink(tmp);
            free(tmp);
            return -e;
        }
        done += (size_t)n;
    }
    if (fchmod(fd, st.st_mode & 07777) < 0 || fsync(fd) < 0 || close(fd) < 0 ||
        rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        return -e;
    }
    free(tmp);
    return 0;
}

/* Applies the preferred fix of every finding that has one and does not
 * overlap an earlier one; returns the new text (new string) and counts. */
static char *apply_fixes(const gls_findings_t *fs, const char *text, size_t len, size_t *out_len,
                         size_t *applied)
{
    gls_buf_t b;
    gls_buf_init(&b);
    size_t pos = 0;
    *applied = 0;
    for (size_t i = 0; i < fs->count; i++) {
        const gls_finding_t *f = &fs->items[i];
        if (!f->replacement || f->start < pos)
            continue;
        gls_buf_append(&b, text + pos, f->start - pos);
        gls_buf_puts(&b, f->replacement);
        pos = f->end;
        (*applied)++;
    }
    gls_buf_append(&b, text + pos, len - pos);
    return gls_buf_steal(&b, out_len);
}

/* One file to check and what checking it produced. Files are checked in
 * any order on the thread pool but printed in the order they were found,
 * so the output does not depend on --jobs. */
typedef struct file_job {
    uv_work_t work;
    const check_opts_t *o;
    const profile_t *p;  /* borrowed; NULL for an error found while collecting */
    char *path;          /* owned; "-" is standard input */
    char *input;         /* owned: standard input's text, read before the pool starts */
    size_t input_len;
    int ready;           /* nothing left to do but print (an I/O error found early) */
    int done;
    char *out, *err;     /* owned: what goes to stdout and stderr */
    size_t out_len, err_len;
    totals_t t;          /* this file's counts; t.json its findings (json, sarif) */
} file_job_t;

static void check_text(const check_opts_t *o, totals_t *t, const profile_t *p, FILE *out,
                       FILE *err, const char *path, const char *text, size_t len)
{
    gls_glossary_t *g = p->glossary;
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, text, (uint32_t)len, gls_language_of(NULL, path));
    gls_rule_ctx_t ctx = {text, (uint32_t)len, &a, g, &p->settings.rules};
    gls_findings_t fs;
    gls_findings_init(&fs);
    gls_rules_run(&ctx, &fs);
    if (o->fix && strcmp(path, "-") != 0) {
        size_t applied = 0, new_len;
        if (!gls_utf8_valid(text, len)) {
            fprintf(err, "glossary-ls: %s: not valid UTF-8; not fixed\n", path);
        } else {
            char *fixed = apply_fixes(&fs, text, len, &new_len, &applied);
            if (applied) {
                int rc = replace_file(path, fixed, new_len);
                if (rc < 0) {
                    fprintf(err, "glossary-ls: %s: cannot write the fixes: %s\n", path,
                            strerror(-rc));
                    t->io_errors++;
                } else {
                    t->fixed += applied;
                    /* Report what is left in the fixed text. */
                    free(fixed);
                    gls_findings_close(&fs);
                    gls_analysis_close(&a);
                    char *again;
                    size_t again_len;
                    if (gls_read_file(path, MAX_DOCUMENT, &again, &again_len) == 0) {
                        check_opts_t once = *o;
                        once.fix = 0;
                        check_text(&once, t, p, out, err, path, again, again_len);
                        free(again);
                        t->files--; /* counted once */
                    }
                    t->files++;
                    return;
                }
            }
            free(fixed);
        }
    }
    gls_lines_t lines;
    gls_lines_init(&lines);
    gls_lines_build(&lines, text, len);
    for (size_t i = 0; i < fs.count; i++)
        report(o, t, out, path, text, len, &lines, &fs.items[i]);
    gls_lines_close(&lines);
    gls_findings_close(&fs);
    gls_analysis_close(&a);
    t->files++;
}

/* Runs on a pool thread (or the main one with --jobs 1): touches only
 * its own job, the read-only options and the frozen glossary. */
static void run_job(uv_work_t *w)
{
    file_job_t *j = w->data;
    if (j->ready)
        return;
    FILE *out = open_memstream(&j->out, &j->out_len);
    FILE *err = open_memstream(&j->err, &j->err_len);
    if (!out || !err) {
        fputs("glossary-ls: out of memory\n", stderr);
        abort();
    }
    if (j->input) {
        check_text(j->o, &j->t, j->p, out, err, j->path, j->input, j->input_len);
    } else {
        char *text;
        size_t len;
        int rc = gls_read_file(j->path, MAX_DOCUMENT, &text, &len);
        if (rc < 0) {
            fprintf(err, "glossary-ls: %s: %s\n", j->path,
                    rc == -EFBIG ? "larger than the 64 MiB limit" : strerror(-rc));
            j->t.io_errors++;
        } else {
            check_text(j->o, &j->t, j->p, out, err, j->path, text, len);
            free(text);
        }
    }
    fclose(out);
    fclose(err);
}

typedef struct job_list {
    file_job_t **items;
    size_t count, cap;
    size_t printed;  /* items[0, printed) are printed */
    totals_t *t;
} job_list_t;

static file_job_t *add_job(job_list_t *l, const check_opts_t *o, const profile_t *p,
                           const char *path)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->items = gls_xrealloc(l->items, l->cap * sizeof *l->items);
    }
    file_job_t *j = gls_xcalloc(1, sizeof *j);
    j->work.data = j;
    j->o = o;
    j->p = p;
    j->path = gls_xstrdup(path);
    if (o->format == FORMAT_JSON || o->format == FORMAT_SARIF)
        j->t.json = json_array();
    l->items[l->count++] = j;
    return j;
}

static void add_io_error(job_list_t *l, const check_opts_t *o, const char *what)
{
    file_job_t *j = add_job(l, o, NULL, "");
    j->ready = 1;
    j->err = gls_xasprintf("glossary-ls: %s\n", what);
    j->err_len = strlen(j->err);
    j->t.io_errors = 1;
}

/* --shard I/N: a file belongs to one shard, by a hash of its path, so
 * every runner agrees without a shared list. */
static int in_shard(const check_opts_t *o, const char *path)
{
    return o->shards <= 1 || gls_hash(path, strlen(path), 0) % o->shards == o->shard - 1;
}

/* The files one command-line argument names: standard input, a file
 * (followed if it is a link: it was named), or a directory walked the
 * way the server's workspace index walks it. */
static const profile_t *profile_for(profiles_t *ps, const check_opts_t *o, const char *dir);

static void collect(job_list_t *l, const check_opts_t *o, profiles_t *ps, const char *path)
{
    if (strcmp(path, "-") == 0) {
        gls_buf_t in;
        gls_buf_init(&in);
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
            gls_buf_append(&in, chunk, n);
            if (in.len > MAX_DOCUMENT) {
                add_io_error(l, o, "-: standard input is larger than the 64 MiB limit");
                gls_buf_close(&in);
                return;
            }
        }
        file_job_t *j = add_job(l, o, profile_for(ps, o, "."), "-");
        j->input_len = in.len;
        j->input = in.data ? gls_buf_steal(&in, &j->input_len) : gls_xstrdup("");
        gls_buf_close(&in);
        return;
    }
    struct stat st;
    if (stat(path, &st) < 0) {
        char *msg = gls_xasprintf("%s: %s", path, strerror(errno));
        add_io_error(l, o, msg);
        free(msg);
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (in_shard(o, path))
            add_job(l, o, profile_for(ps, o, path), path);
        return;
    }
    /* The walk follows the excludes and file types of the config nearest
     * the directory named; each file found is then checked with the
     * config nearest to it (nearest wins). */
    const gls_settings_t *ws = &profile_for(ps, o, path)->settings;
    gls_walk_opts_t wo = {(const char *const *)ws->exclude, ws->exclude_count, 0,
                          NULL, (const char *const *)ws->file_types, ws->file_type_count};
    gls_walk_result_t r;
    gls_walk(path, &wo, &r);
    for (size_t i = 0; i < r.error_count; i++)
        add_io_error(l, o, r.errors[i]);
    for (size_t i = 0; i < r.count; i++)
        if (in_shard(o, r.paths[i]))
            add_job(l, o, profile_for(ps, o, r.paths[i]), r.paths[i]);
    gls_walk_result_close(&r);
}

static void print_job(totals_t *t, file_job_t *j)
{
    if (j->out_len)
        fwrite(j->out, 1, j->out_len, stdout);
    if (j->err_len) {
        fflush(stdout);
        fwrite(j->err, 1, j->err_len, stderr);
    }
    t->files += j->t.files;
    t->findings += j->t.findings;
    t->failing += j->t.failing;
    t->io_errors += j->t.io_errors;
    t->fixed += j->t.fixed;
    if (t->json && j->t.json)
        json_array_extend(t->json, j->t.json);
    json_decref(j->t.json);
    free(j->out);
    free(j->err);
    free(j->input);
    free(j->path);
    free(j);
}

static void job_done(uv_work_t *w, int status)
{
    (void)status;
    file_job_t *j = w->data;
    j->done = 1;
    job_list_t *l = w->loop->data;
    while (l->printed < l->count && l->items[l->printed]->done) {
        print_job(l->t, l->items[l->printed]);
        l->items[l->printed++] = NULL;
    }
}

static void run_jobs(job_list_t *l, const check_opts_t *o)
{
    if (o->jobs <= 1 || l->count <= 1) {
        for (size_t i = 0; i < l->count; i++) {
            run_job(&l->items[i]->work);
            print_job(l->t, l->items[i]);
        }
        return;
    }
    /* The pool's size is read once, when it starts: before any work. */
    char size[16];
    snprintf(size, sizeof size, "%u", o->jobs);
    setenv("UV_THREADPOOL_SIZE", size, 1);
    /* jansson seeds its hash tables once; do it before the threads race. */
    json_object_seed(0);
    uv_loop_t loop;
    uv_loop_init(&loop);
    loop.data = l;
    for (size_t i = 0; i < l->count; i++)
        uv_queue_work(&loop, &l->items[i]->work, run_job, job_done);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "glossary-ls check: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: glossary-ls check [--format text|json|github|sarif] [--glossary FILE]... "
                    "[--config FILE] [--no-builtin] [--no-cache] [--rule NAME=off|hint|info|warning|error]... "
                    "[--fix] [--jobs N] [--shard I/N] "
                    "[--fail-on SEVERITY] PATH... | -\n");
    return 2;
}

/* Merges the user's config, 'config' (NULL: none) and the command line into
 * 'settings'; 'confine' is set for a discovered config, which may only name
 * glossaries inside its own directory tree. Returns the number of
 * configuration errors (reported on stderr). */
static size_t load_config(const check_opts_t *o, const char *config, int confine,
                          gls_settings_t *settings)
{
    json_t *merged = json_object();
    gls_diags_t diags;
    gls_diags_init(&diags);
    gls_config_merge_user(merged, &diags);
    if (config) {
        char *dir = NULL;
        if (confine) {
            dir = gls_xstrdup(config);
            *strrchr(dir, '/') = '\0';
        }
        gls_config_merge_file(merged, config, dir, 0, &diags);
        free(dir);
    }
    json_t *cli = json_object();
    if (o->glossary_count) {
        json_t *list = json_array();
        for (size_t i = 0; i < o->glossary_count; i++)
            json_array_append_new(list, json_string(o->glossaries[i]));
        json_object_set_new(cli, "glossaries", list);
    }
    if (json_object_size(o->rule_overrides))
        json_object_set(cli, "rules", o->rule_overrides);
    if (!o->builtin)
        json_object_set_new(cli, "builtinGlossary", json_false());
    gls_config_merge_object(merged, cli);
    json_decref(cli);
    gls_settings_apply(settings, merged);
    json_decref(merged);
    for (size_t i = 0; i < diags.count; i++) {
        char *line = gls_diag_format(&diags.items[i]);
        fprintf(stderr, "%s\n", line);
        free(line);
    }
    size_t errors = gls_diags_count(&diags, GLS_SEV_ERROR);
    gls_diags_close(&diags);
    return errors;
}

static gls_glossary_t *load_glossary(const gls_settings_t *settings, int cache, int *failed)
{
    char *cache_dir = cache ? gls_default_cache_dir() : NULL;
    gls_sources_t src = {settings->builtin, (const char *const *)settings->glossaries,
                         settings->glossary_count, 0, cache_dir};
    size_t errors = 0;
    gls_glossary_t *g = gls_sources_load(&src, &errors);
    free(cache_dir);
    for (size_t i = 0; i < g->diags.count; i++) {
        const gls_diag_t *d = &g->diags.items[i];
        if (d->severity > GLS_SEV_WARNING || strcmp(d->path, "built-in") == 0)
            continue; /* the built-in glossary's notes are for its maintainers */
        char *line = gls_diag_format(d);
        fprintf(stderr, "%s\n", line);
        free(line);
    }
    *failed = errors > 0;
    return g;
}

/* The profile for a file or directory: --config's, else that of the
 * nearest .glossary-ls.json from its directory up (loaded once per
 * config file). */
static const profile_t *profile_for(profiles_t *ps, const check_opts_t *o, const char *path)
{
    char *config = NULL;
    if (o->config) {
        config = gls_xstrdup(o->config);
    } else {
        struct stat st;
        char *dir = gls_xstrdup(path);
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
            char *slash = strrchr(dir, '/');
            if (slash)
                *slash = '\0';
            else
                strcpy(dir, ".");
        }
        config = gls_config_find(dir[0] ? dir : "/", NULL);
        free(dir);
    }
    for (size_t i = 0; i < ps->count; i++)
        if ((!config && !ps->items[i]->config) ||
            (config && ps->items[i]->config && strcmp(config, ps->items[i]->config) == 0)) {
            free(config);
            return ps->items[i];
        }
    profile_t *p = gls_xcalloc(1, sizeof *p);
    p->config = config;
    gls_settings_init(&p->settings);
    p->config_errors = load_config(o, config, !o->config, &p->settings);
    if (!p->config_errors)
        p->glossary = load_glossary(&p->settings, o->cache, &p->glossary_failed);
    if (ps->count == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 4;
        ps->items = gls_xrealloc(ps->items, ps->cap * sizeof *ps->items);
    }
    ps->items[ps->count++] = p;
    return p;
}

static void profiles_close(profiles_t *ps)
{
    for (size_t i = 0; i < ps->count; i++) {
        gls_glossary_unref(ps->items[i]->glossary);
        gls_settings_close(&ps->items[i]->settings);
        free(ps->items[i]->config);
        free(ps->items[i]);
    }
    free(ps->items);
}

int gls_cli_check(int argc, char **argv)
{
    check_opts_t o;
    memset(&o, 0, sizeof o);
    o.builtin = 1;
    o.fail_on = GLS_SEV_WARNING;
    o.jobs = uv_available_parallelism();
    o.cache = 1;
    o.glossaries = gls_xcalloc((size_t)argc + 1, sizeof *o.glossaries);
    o.rule_overrides = json_object();
    const char **paths = gls_xcalloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    int color = isatty(1);
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
#define OPTION(name) \
    (strcmp(a, name) == 0 ? (i + 1 < argc ? (val = argv[++i], 1) : -1) \
                          : (strncmp(a, name "=", sizeof(name)) == 0 ? (val = a + sizeof(name), 1) : 0))
        int m;
        if ((m = OPTION("--format"))) {
            if (m < 0) {
                rc = usage_error("%s needs a value", a);
                goto done;
            }
            if (strcmp(val, "text") == 0)
                o.format = FORMAT_TEXT;
            else if (strcmp(val, "json") == 0)
                o.format = FORMAT_JSON;
            else if (strcmp(val, "github") == 0)
                o.format = FORMAT_GITHUB;
            else if (strcmp(val, "sarif") == 0)
                o.format = FORMAT_SARIF;
            else {
                rc = usage_error("unknown format '%s' (text, json, github or sarif)", val);
                goto done;
            }
        } else if ((m = OPTION("--glossary"))) {
            if (m < 0) {
                rc = usage_error("%s needs a file", a);
                goto done;
            }
            o.glossaries[o.glossary_count++] = val;
        } else if ((m = OPTION("--rule"))) {
            const char *eq = m > 0 ? strchr(val, '=') : NULL;
            if (!eq) {
                rc = usage_error("--rule takes NAME=SEVERITY, not '%s'", m > 0 ? val : "");
                goto done;
            }
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(eq - val), val);
            int r = gls_rule_find(name), sev = gls_severity_parse(eq + 1);
            if (r < 0) {
                rc = usage_error("unknown rule '%s'", name);
                goto done;
            }
            if (sev < 0) {
                rc = usage_error("unknown severity '%s'", eq + 1);
                goto done;
            }
            json_object_set_new(o.rule_overrides, name, json_string(eq + 1));
        } else if ((m = OPTION("--fail-on"))) {
            int sev = m > 0 ? gls_severity_parse(val) : -1;
            if (sev <= 0) {
                rc = usage_error("--fail-on takes error, warning, info or hint, not '%s'",
                                 m > 0 ? val : "");
                goto done;
            }
            o.fail_on = (gls_severity_t)sev;
        } else if ((m = OPTION("--config"))) {
            if (m < 0) {
                rc = usage_error("%s needs a file", a);
                goto done;
            }
            o.config = val;
        } else if ((m = OPTION("--shard"))) {
            unsigned si = 0, sn = 0;
            char extra;
            if (m < 0 || sscanf(val, "%u/%u%c", &si, &sn, &extra) != 2 || sn == 0 || si == 0 ||
                si > sn) {
                rc = usage_error("--shard takes I/N with 1 <= I <= N, not '%s'", m > 0 ? val : "");
                goto done;
            }
            o.shard = si;
            o.shards = sn;
        } else if ((m = OPTION("--jobs"))) {
            unsigned n = 0;
            char extra;
            if (m < 0 || sscanf(val, "%u%c", &n, &extra) != 1 || n == 0 || n > 1024) {
                rc = usage_error("--jobs takes a number from 1 to 1024, not '%s'",
                                 m > 0 ? val : "");
                goto done;
            }
            o.jobs = n;
        } else if (strcmp(a, "--fix") == 0) {
            o.fix = 1;
        } else if (strcmp(a, "--no-builtin") == 0) {
            o.builtin = 0;
        } else if (strcmp(a, "--no-cache") == 0) {
            o.cache = 0;
        } else if (strcmp(a, "--color") == 0) {
            color = 1;
        } else if (strcmp(a, "--no-color") == 0) {
            color = 0;
        } else if (strcmp(a, "--") == 0) {
            while (++i < argc)
                paths[npaths++] = argv[i];
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = usage_error("unknown option '%s'", a);
            goto done;
        } else {
            paths[npaths++] = a;
        }
#undef OPTION
    }
    if (npaths == 0) {
        rc = usage_error("%s", "no files to check (use - for standard input)");
        goto done;
    }
    o.color = color && o.format == FORMAT_TEXT;
    profiles_t profiles = {0};
    totals_t t = {0};
    if (o.format == FORMAT_JSON || o.format == FORMAT_SARIF)
        t.json = json_array();
    job_list_t jobs = {0};
    jobs.t = &t;
    for (size_t i = 0; i < npaths; i++)
        collect(&jobs, &o, &profiles, paths[i]);
    /* A configuration with errors stops the run before anything is
     * checked: its findings could not be trusted. */
    int glossary_failed = 0;
    for (size_t i = 0; i < profiles.count; i++) {
        glossary_failed |= profiles.items[i]->glossary_failed;
        if (profiles.items[i]->config_errors)
            rc = 2;
    }
    if (rc) {
        for (size_t i = 0; i < jobs.count; i++) {
            json_decref(jobs.items[i]->t.json);
            free(jobs.items[i]->input);
            free(jobs.items[i]->err);
            free(jobs.items[i]->path);
            free(jobs.items[i]);
        }
        free(jobs.items);
        json_decref(t.json);
        profiles_close(&profiles);
        goto done;
    }
    run_jobs(&jobs, &o);
    free(jobs.items);
    if (o.format == FORMAT_JSON) {
        json_dumpf(t.json, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(t.json);
    } else if (o.format == FORMAT_SARIF) {
        json_t *rules = json_array();
        for (size_t r = 0; r < gls_rule_count; r++) {
            gls_severity_t sev = gls_rules[r].default_severity;
            json_array_append_new(
                rules, json_pack("{s:s,s:{s:s},s:{s:s}}", "id", gls_rules[r].name,
                                 "shortDescription", "text", gls_rules[r].summary,
                                 "defaultConfiguration", "level",
                                 sev == GLS_SEV_ERROR     ? "error"
                                 : sev == GLS_SEV_WARNING ? "warning"
                                                          : "note"));
        }
        json_t *sarif = json_pack(
            "{s:s,s:s,s:[{s:{s:{s:s,s:s,s:o}},s:s,s:o}]}", "$schema",
            "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool",
            "driver", "name", "glossary-ls", "version", GLS_VERSION, "rules", rules, "columnKind",
            "unicodeCodePoints", "results", t.json);
        json_dumpf(sarif, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(sarif);
    }
    if (o.fix && t.fixed)
        fprintf(stderr, "glossary-ls: applied %zu fix%s\n", t.fixed, t.fixed == 1 ? "" : "es");
    if (o.format == FORMAT_TEXT && isatty(2)) {
        fprintf(stderr, "%zu file%s checked, %zu finding%s\n", t.files, t.files == 1 ? "" : "s",
                t.findings, t.findings == 1 ? "" : "s");
    }
    profiles_close(&profiles);
    rc = (t.io_errors || glossary_failed) ? 2 : t.failing ? 1 : 0;
done:
    json_decref(o.rule_overrides);
    free(o.glossaries);
    free(paths);
    return rc;
}

int gls_cli_explain(int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "usage: glossary-ls explain TERM\n");
        return 2;
    }
    gls_buf_t term;
    gls_buf_init(&term);
    for (int i = 0; i < argc; i++) {
        if (i)
            gls_buf_putc(&term, ' ');
        gls_buf_puts(&term, argv[i]);
    }
    gls_sources_t src = {1, NULL, 0, 0, NULL};
    gls_glossary_t *g = gls_sources_load(&src, NULL);
    gls_matches_t ms;
    gls_matches_init(&ms);
    gls_match_text(g, term.data, 0, (uint32_t)term.len, &ms);
    int rc = 0;
    if (ms.count == 0 || ms.items[0].start != 0 || ms.items[0].end != term.len) {
        fprintf(stderr, "glossary-ls: '%s' is not in the glossary\n", term.data);
        rc = 1;
    } else {
        gls_describe_opts_t opts = {0, &g->forms[ms.items[0].form], NULL};
        gls_buf_t out;
        gls_buf_init(&out);
        gls_describe_concept(g, ms.items[0].concept, &opts, &out);
        fputs(out.data, stdout);
        gls_buf_close(&out);
    }
    gls_matches_close(&ms);
    gls_glossary_unref(g);
    gls_buf_close(&term);
    return rc;
}

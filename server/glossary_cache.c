/* glossary_cache.c: a frozen glossary to a file and back (see
 * glossary_cache.h for when a cache file is trusted).
 *
 * Layout, all in the machine's byte order (only the writing binary reads
 * it back):
 *   header   magic, format, the binary's identity, the sources as given,
 *            then every file the load read with its size, mtime and inode;
 *            where the strings start and how long they are
 *   records  concepts, the id order, forms, patterns, known words,
 *            dependencies, the loader's problems, the matcher's index
 *            (its arrays 8-byte aligned from the file's start)
 *   strings  every string of the glossary once, NUL-terminated; records
 *            refer to them by offset (UINT32_MAX: NULL)
 * Reading maps the file and keeps the mapping as the glossary's cache_map:
 * strings and index arrays are used where they lie, after every offset,
 * index and count has been checked. */
#include "gls/glossary_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gls/arena.h"
#include "gls/binio.h"
#include "gls/matcher.h"
#include "gls/regex.h"
#include "gls/util.h"

#define CACHE_MAGIC "GLSCACH1"
#define CACHE_FORMAT 1u
#define NO_STRING UINT32_MAX
/* A cache file larger than this is not mapped. */
#define CACHE_MAX_BYTES ((size_t)1 << 30)
/* Inputs modified this recently make the cache unsafe to write. */
#define RACY_NS 2000000000ull

typedef struct file_id {
    uint64_t size, mtime_ns, ino, dev; /* size UINT64_MAX: the file did not exist */
} file_id_t;

static void file_id_of(const char *path, file_id_t *id)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *id = (file_id_t){UINT64_MAX, 0, 0, 0};
        return;
    }
    *id = (file_id_t){(uint64_t)st.st_size,
                      (uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec,
                      (uint64_t)st.st_ino, (uint64_t)st.st_dev};
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

char *gls_glossary_cache_path(const char *dir, const gls_sources_t *src)
{
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    uint64_t h = fnv1a(0xcbf29ce484222325ull, cwd, strlen(cwd) + 1);
    uint64_t flags[2] = {(uint64_t)src->builtin, (uint64_t)src->max_file_size};
    h = fnv1a(h, flags, sizeof flags);
    for (size_t i = 0; i < src->file_count; i++)
        h = fnv1a(h, src->files[i], strlen(src->files[i]) + 1);
    gls_buf_t b;
    gls_buf_init(&b);
    gls_buf_printf(&b, "%s/%016llx.glc", dir, (unsigned long long)h);
    return gls_buf_steal(&b, NULL);
}

/* ---- writing ---- */

/* Strings by pointer: a glossary shares one 'source' string among all
 * its concepts, and so does the cache. */
typedef struct strtab {
    const char **keys;
    uint32_t *offs;
    size_t cap, count;
    gls_buf_t data;
} strtab_t;

static uint32_t str_ref(strtab_t *t, const char *s)
{
    if (!s)
        return NO_STRING;
    if ((t->count + 1) * 2 > t->cap) {
        strtab_t old = *t;
        t->cap = old.cap ? old.cap * 2 : 4096;
        t->keys = gls_xcalloc(t->cap, sizeof *t->keys);
        t->offs = gls_xcalloc(t->cap, sizeof *t->offs);
        for (size_t i = 0; i < old.cap; i++) {
            if (!old.keys[i])
                continue;
            size_t j = ((uintptr_t)old.keys[i] >> 3) & (t->cap - 1);
            while (t->keys[j])
                j = (j + 1) & (t->cap - 1);
            t->keys[j] = old.keys[i];
            t->offs[j] = old.offs[i];
        }
        free(old.keys);
        free(old.offs);
    }
    size_t j = ((uintptr_t)s >> 3) & (t->cap - 1);
    while (t->keys[j] && t->keys[j] != s)
        j = (j + 1) & (t->cap - 1);
    if (!t->keys[j]) {
        t->keys[j] = s;
        t->offs[j] = (uint32_t)t->data.len;
        gls_buf_append(&t->data, s, strlen(s) + 1);
        t->count++;
    }
    return t->offs[j];
}

static void put_str(gls_buf_t *b, strtab_t *t, const char *s)
{
    gls_put_u32(b, str_ref(t, s));
}

static void put_file(gls_buf_t *b, const char *path, const file_id_t *id)
{
    gls_put_bytes(b, path, strlen(path));
    gls_put_u64(b, id->size);
    gls_put_u64(b, id->mtime_ns);
    gls_put_u64(b, id->ino);
    gls_put_u64(b, id->dev);
}

/* Returns 0, or -EAGAIN when an input changed too recently to trust its
 * timestamp. */
static int put_header(gls_buf_t *b, const gls_glossary_t *g, const gls_sources_t *src)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t now_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
    file_id_t exe;
    file_id_of("/proc/self/exe", &exe);
    if (exe.size == UINT64_MAX)
        return -ENOENT;
    gls_put_raw(b, CACHE_MAGIC, 8);
    gls_put_u32(b, CACHE_FORMAT);
    gls_put_u64(b, exe.size);
    gls_put_u64(b, exe.mtime_ns);
    gls_put_u32(b, (uint32_t)(src->builtin != 0));
    gls_put_u64(b, src->max_file_size);
    gls_put_u32(b, (uint32_t)src->file_count);
    gls_put_u32(b, g->dependency_count);
    for (size_t i = 0; i < src->file_count + g->dependency_count; i++) {
        const char *path = i < src->file_count ? src->files[i] : g->dependencies[i - src->file_count];
        file_id_t id;
        file_id_of(path, &id);
        if (id.size != UINT64_MAX && id.mtime_ns + RACY_NS > now_ns)
            return -EAGAIN;
        put_file(b, path, &id);
    }
    return 0;
}

/* Concepts and forms are fixed-size records in aligned arrays, read in
 * place by one tight loop each; a concept's lists (see-also, values,
 * qualifiers) are runs of shared pools. */
typedef struct packed_concept {
    uint32_t id, term, definition, source; /* string offsets */
    uint32_t line, column, first_form, form_count;
    uint32_t see_also_at, see_also_count;         /* in see_also_pool, resolved_pool */
    uint32_t value_at, value_count;               /* in value_pool */
    uint32_t cadence;                             /* string offset */
    uint32_t contradicting_at, contradicting_count; /* in contradicting_pool */
} packed_concept_t;

typedef struct packed_form {
    uint32_t text, use, why; /* string offsets */
    uint32_t concept, line, column;
    uint8_t kind, flags, pad[2];
} packed_form_t;

typedef struct packed_value {
    uint8_t unit, has_min, has_max, pad[5];
    double min, max;
} packed_value_t;

static void put_pool(gls_buf_t *b, const gls_buf_t *pool, size_t item)
{
    gls_put_u64(b, pool->len / item);
    gls_put_align(b, 8);
    gls_put_raw(b, pool->data, pool->len);
}

static void put_concepts_and_forms(gls_buf_t *b, strtab_t *t, const gls_glossary_t *g)
{
    gls_buf_t concepts, see_also, resolved, values, contradicting, forms;
    gls_buf_init(&concepts);
    gls_buf_init(&see_also);
    gls_buf_init(&resolved);
    gls_buf_init(&values);
    gls_buf_init(&contradicting);
    gls_buf_init(&forms);
    for (uint32_t i = 0; i < g->concept_count; i++) {
        const gls_concept_t *c = &g->concepts[i];
        packed_concept_t pc = {
            str_ref(t, c->id), str_ref(t, c->term), str_ref(t, c->definition),
            str_ref(t, c->source), c->line, c->column, c->first_form, c->form_count,
            (uint32_t)(see_also.len / 4), c->see_also_count, (uint32_t)(values.len / sizeof(packed_value_t)),
            c->value_count, str_ref(t, c->cadence), (uint32_t)(contradicting.len / 4),
            c->contradicting_count};
        gls_buf_append(&concepts, &pc, sizeof pc);
        for (uint32_t k = 0; k < c->see_also_count; k++) {
            uint32_t off = str_ref(t, c->see_also[k]);
            uint32_t to = c->see_also_resolved ? c->see_also_resolved[k] : UINT32_MAX;
            gls_buf_append(&see_also, &off, 4);
            gls_buf_append(&resolved, &to, 4);
        }
        for (uint32_t k = 0; k < c->value_count; k++) {
            const gls_value_range_t *v = &c->values[k];
            packed_value_t pv = {v->unit, v->has_min, v->has_max, {0}, v->min, v->max};
            gls_buf_append(&values, &pv, sizeof pv);
        }
        for (uint32_t k = 0; k < c->contradicting_count; k++) {
            uint32_t off = str_ref(t, c->contradicting[k]);
            gls_buf_append(&contradicting, &off, 4);
        }
    }
    for (uint32_t i = 0; i < g->form_count; i++) {
        const gls_form_t *f = &g->forms[i];
        packed_form_t pf = {str_ref(t, f->text), str_ref(t, f->use), str_ref(t, f->why),
                            f->concept, f->line, f->column, f->kind, f->flags, {0}};
        gls_buf_append(&forms, &pf, sizeof pf);
    }
    put_pool(b, &concepts, sizeof(packed_concept_t));
    put_pool(b, &see_also, 4);
    put_pool(b, &resolved, 4);
    put_pool(b, &values, sizeof(packed_value_t));
    put_pool(b, &contradicting, 4);
    put_pool(b, &forms, sizeof(packed_form_t));
    gls_buf_close(&concepts);
    gls_buf_close(&see_also);
    gls_buf_close(&resolved);
    gls_buf_close(&values);
    gls_buf_close(&contradicting);
    gls_buf_close(&forms);
    for (uint32_t i = 0; i < g->concept_count; i++)
        gls_put_u32(b, gls_glossary_id_order(g, i));
}

static void put_records(gls_buf_t *b, strtab_t *t, const gls_glossary_t *g)
{
    put_concepts_and_forms(b, t, g);
    gls_put_u32(b, g->pattern_count);
    for (uint32_t i = 0; i < g->pattern_count; i++) {
        const gls_pattern_t *p = &g->patterns[i];
        gls_put_bytes(b, p->regex, strlen(p->regex));
        gls_put_u8(b, p->kind);
        gls_put_u8(b, p->flags);
        put_str(b, t, p->use);
        put_str(b, t, p->why);
        put_str(b, t, p->source);
        gls_put_u32(b, p->line);
        gls_put_u32(b, p->column);
        gls_put_u8(b, p->empty_group);
        gls_put_u8(b, p->capitalize);
    }
    gls_put_u32(b, (uint32_t)g->known_words.count);
    for (size_t i = 0; i < g->known_words.cap; i++) {
        const gls_strmap_entry_t *e = &g->known_words.slots[i];
        if (!e->key)
            continue;
        gls_put_bytes(b, e->key, e->len);
        gls_put_u32(b, e->value);
    }
    gls_put_u32(b, g->dependency_count);
    for (uint32_t i = 0; i < g->dependency_count; i++)
        put_str(b, t, g->dependencies[i]);
    gls_put_u32(b, (uint32_t)g->diags.count);
    for (size_t i = 0; i < g->diags.count; i++) {
        const gls_diag_t *d = &g->diags.items[i];
        gls_put_u8(b, d->path != NULL);
        gls_put_bytes(b, d->path ? d->path : "", d->path ? strlen(d->path) : 0);
        gls_put_u32(b, d->line);
        gls_put_u32(b, d->column);
        gls_put_u32(b, (uint32_t)d->severity);
        gls_put_bytes(b, d->code, strlen(d->code));
        gls_put_bytes(b, d->message, strlen(d->message));
    }
    gls_index_write(g->index, b, g->form_count);
}

static int make_dirs(const char *dir)
{
    char *p = gls_xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            rc = -errno;
        *s = '/';
    }
    if (!rc && mkdir(p, 0700) != 0 && errno != EEXIST)
        rc = -errno;
    free(p);
    return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int gls_glossary_cache_write(const gls_glossary_t *g, const gls_sources_t *src, const char *path)
{
    gls_buf_t out;
    gls_buf_init(&out);
    strtab_t t = {0};
    gls_buf_init(&t.data);
    int rc = put_header(&out, g, src);
    if (rc == 0) {
        size_t strings_at = out.len;
        gls_put_u64(&out, 0); /* where the strings start, set below */
        gls_put_u64(&out, 0); /* their length */
        put_records(&out, &t, g);
        uint64_t where = out.len, n = t.data.len;
        memcpy(out.data + strings_at, &where, sizeof where);
        memcpy(out.data + strings_at + 8, &n, sizeof n);
        gls_buf_append(&out, t.data.data ? t.data.data : "", t.data.len);
    }
    free(t.keys);
    free(t.offs);
    gls_buf_close(&t.data);
    if (rc == 0) {
        const char *slash = strrchr(path, '/');
        if (slash && slash > path) {
            char *dir = gls_xstrndup(path, (size_t)(slash - path));
            rc = make_dirs(dir);
            free(dir);
        }
    }
    if (rc == 0) {
        gls_buf_t tmp;
        gls_buf_init(&tmp);
        gls_buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
        int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            rc = -errno;
        } else {
            rc = write_all(fd, out.data, out.len);
            if (close(fd) != 0 && !rc)
                rc = -errno;
            if (!rc && rename(tmp.data, path) != 0)
                rc = -errno;
            if (rc)
                unlink(tmp.data);
        }
        gls_buf_close(&tmp);
    }
    gls_buf_close(&out);
    return rc;
}

/* ---- reading ---- */

typedef struct cache_reader {
    gls_reader_t r;
    const void *start;   /* the file's first byte */
    const char *strings; /* in the file */
    size_t strings_len;
} cache_reader_t;

/* A string offset: NULL for NO_STRING, else checked. */
static const char *str_at(cache_reader_t *c, uint32_t off)
{
    if (off == NO_STRING)
        return NULL;
    if (off >= c->strings_len) {
        c->r.bad = 1;
        return NULL;
    }
    return c->strings + off;
}

static const char *get_str(cache_reader_t *c)
{
    return str_at(c, gls_get_u32(&c->r));
}

static const char *get_needed_str(cache_reader_t *c)
{
    const char *s = get_str(c);
    if (!s)
        c->r.bad = 1;
    return s ? s : "";
}

/* Whether the header says this cache is for 'src' and still current. */
static int header_current(gls_reader_t *r, const gls_sources_t *src)
{
    const void *magic = gls_get_raw(r, 8);
    if (!magic || memcmp(magic, CACHE_MAGIC, 8) != 0 || gls_get_u32(r) != CACHE_FORMAT)
        return 0;
    file_id_t exe;
    file_id_of("/proc/self/exe", &exe);
    uint64_t size = gls_get_u64(r), mtime = gls_get_u64(r);
    if (exe.size == UINT64_MAX || size != exe.size || mtime != exe.mtime_ns)
        return 0;
    if (gls_get_u32(r) != (uint32_t)(src->builtin != 0) ||
        gls_get_u64(r) != (uint64_t)src->max_file_size ||
        gls_get_u32(r) != (uint32_t)src->file_count)
        return 0;
    uint32_t deps = gls_get_u32(r);
    for (size_t i = 0; i < src->file_count + deps && !r->bad; i++) {
        size_t n;
        const char *path = gls_get_bytes(r, &n);
        if (!path || (i < src->file_count &&
                      (strlen(src->files[i]) != n || memcmp(src->files[i], path, n) != 0)))
            return 0;
        char *p = gls_xstrndup(path, n);
        file_id_t now, then;
        file_id_of(p, &now);
        free(p);
        then.size = gls_get_u64(r);
        then.mtime_ns = gls_get_u64(r);
        then.ino = gls_get_u64(r);
        then.dev = gls_get_u64(r);
        if (memcmp(&now, &then, sizeof now) != 0)
            return 0;
    }
    return !r->bad;
}

/* Room for n items of 'size' bytes when the input holds at least 'min'
 * bytes for each; else NULL and bad. Keeps a damaged count from asking
 * for gigabytes. */
static void *alloc_for(cache_reader_t *c, gls_arena_t *arena, uint32_t n, size_t size, size_t min)
{
    /* Most concepts have no see-also, values or qualifiers: one shared
     * empty array (never written: its count is 0) instead of 300,000
     * allocations for 100,000 concepts. */
    static const uint64_t empty[4];
    if (n == 0)
        return (void *)(uintptr_t)empty;
    if (n > (size_t)(c->r.end - c->r.p) / min) {
        c->r.bad = 1;
        return NULL;
    }
    return gls_arena_alloc(arena, ((size_t)n + 1) * size);
}

static const char **get_str_array(cache_reader_t *c, gls_arena_t *arena, uint32_t n)
{
    const char **v = alloc_for(c, arena, n, sizeof *v, 4);
    if (!v)
        return NULL;
    for (uint32_t k = 0; k < n; k++)
        v[k] = get_needed_str(c);
    return v;
}

static void get_patterns(cache_reader_t *c, gls_glossary_t *g)
{
    uint32_t n = gls_get_u32(&c->r);
    g->patterns = alloc_for(c, g->arena, n, sizeof *g->patterns, 30);
    for (uint32_t i = 0; i < n && !c->r.bad; i++) {
        size_t len;
        const char *regex = gls_get_bytes(&c->r, &len);
        gls_pattern_t p = {0};
        p.regex = regex ? gls_arena_strndup(g->arena, regex, len) : "";
        p.kind = gls_get_u8(&c->r);
        p.flags = gls_get_u8(&c->r);
        p.use = get_str(c);
        p.why = get_str(c);
        p.source = get_str(c);
        p.line = gls_get_u32(&c->r);
        p.column = gls_get_u32(&c->r);
        p.empty_group = gls_get_u8(&c->r);
        p.capitalize = gls_get_u8(&c->r);
        if (c->r.bad || p.kind > GLS_PATTERN_EXACT_CASE || p.empty_group > 9)
            break;
        /* As the builder compiles them (add_pattern_from in glossary.c). */
        char err[256];
        size_t at = 0;
        unsigned find = p.flags | (p.kind == GLS_PATTERN_EXACT_CASE ? GLS_REGEX_CASELESS : 0);
        p.compiled = gls_regex_compile(p.regex, len, find, err, sizeof err, &at);
        if (p.compiled && p.kind == GLS_PATTERN_EXACT_CASE)
            p.exact = gls_regex_compile(p.regex, len, p.flags, err, sizeof err, &at);
        if (!p.compiled || (p.kind == GLS_PATTERN_EXACT_CASE && !p.exact)) {
            gls_regex_free(p.compiled);
            break;
        }
        g->patterns[g->pattern_count++] = p;
    }
    if (g->pattern_count != n)
        c->r.bad = 1;
}

static void get_diags(cache_reader_t *c, gls_glossary_t *g)
{
    uint32_t n = gls_get_u32(&c->r);
    for (uint32_t i = 0; i < n && !c->r.bad; i++) {
        size_t pl, cl, ml;
        int has_path = gls_get_u8(&c->r);
        const char *path = gls_get_bytes(&c->r, &pl);
        uint32_t line = gls_get_u32(&c->r), column = gls_get_u32(&c->r);
        uint32_t sev = gls_get_u32(&c->r);
        const char *code = gls_get_bytes(&c->r, &cl);
        const char *msg = gls_get_bytes(&c->r, &ml);
        if (c->r.bad || sev < GLS_SEV_ERROR || sev > GLS_SEV_HINT)
            break;
        char *p = gls_xstrndup(path, pl), *cd = gls_xstrndup(code, cl), *m = gls_xstrndup(msg, ml);
        gls_diags_add(&g->diags, has_path ? p : NULL, line, column, (gls_severity_t)sev, cd, "%s",
                      m);
        free(p);
        free(cd);
        free(m);
    }
}

static const void *get_pool(cache_reader_t *c, size_t item, uint64_t *count)
{
    *count = gls_get_u64(&c->r);
    return gls_get_aligned(&c->r, c->start, *count, item, 8);
}

/* A run [at, at + n) of a pool of 'size' items: in range, or bad. */
static int run_ok(cache_reader_t *c, uint32_t at, uint32_t n, uint64_t size)
{
    if ((uint64_t)at + n > size)
        c->r.bad = 1;
    return !c->r.bad;
}

/* The records before the patterns: concepts (with their lists), forms and
 * the id order; 0, or -1 when damaged. */
static int get_concepts_and_forms(cache_reader_t *c, gls_glossary_t *g)
{
    gls_reader_t *r = &c->r;
    uint64_t nc, nsee, nres, nval, ncon, nform;
    const packed_concept_t *pc = get_pool(c, sizeof *pc, &nc);
    const uint32_t *see = get_pool(c, 4, &nsee);
    const uint32_t *res = get_pool(c, 4, &nres);
    const packed_value_t *pv = get_pool(c, sizeof *pv, &nval);
    const uint32_t *con = get_pool(c, 4, &ncon);
    const packed_form_t *pf = get_pool(c, sizeof *pf, &nform);
    if (r->bad || nc > UINT32_MAX || nform > UINT32_MAX || nsee != nres)
        return -1;
    uint32_t count = (uint32_t)nc, forms = (uint32_t)nform;
    gls_glossary_alloc_concepts(g, count);
    g->forms = gls_arena_alloc(g->arena, ((size_t)forms + 1) * sizeof *g->forms);
    /* The pools as the concepts use them: pointers into one arena block
     * each (resolved indexes and values are checked, so they are copied). */
    const char **see_ptr = gls_arena_alloc(g->arena, (nsee + 1) * sizeof *see_ptr);
    const char **con_ptr = gls_arena_alloc(g->arena, (ncon + 1) * sizeof *con_ptr);
    uint32_t *resolved = gls_arena_alloc(g->arena, (nres + 1) * sizeof *resolved);
    gls_value_range_t *values = gls_arena_alloc(g->arena, (nval + 1) * sizeof *values);
    for (uint64_t k = 0; k < nsee && !r->bad; k++) {
        see_ptr[k] = str_at(c, see[k]);
        resolved[k] = res[k];
        if (!see_ptr[k] || (res[k] != UINT32_MAX && res[k] >= count))
            r->bad = 1;
    }
    for (uint64_t k = 0; k < ncon && !r->bad; k++)
        if (!(con_ptr[k] = str_at(c, con[k])))
            r->bad = 1;
    for (uint64_t k = 0; k < nval && !r->bad; k++) {
        values[k] = (gls_value_range_t){pv[k].unit, pv[k].has_min, pv[k].has_max, pv[k].min,
                                        pv[k].max};
        if (pv[k].unit >= GLS_UNIT_COUNT_OF_UNITS)
            r->bad = 1;
    }
    for (uint32_t i = 0; i < forms && !r->bad; i++) {
        const packed_form_t *p = &pf[i];
        gls_form_t *f = &g->forms[i];
        *f = (gls_form_t){str_at(c, p->text), str_at(c, p->use), str_at(c, p->why), p->concept,
                          p->kind, p->flags, p->line, p->column};
        if (!f->text || f->concept >= count || f->kind > GLS_FORM_AVOID)
            r->bad = 1;
    }
    g->form_count = r->bad ? 0 : forms;
    for (uint32_t i = 0; i < count && !r->bad; i++) {
        const packed_concept_t *p = &pc[i];
        gls_concept_t *x = &g->concepts[i];
        *x = (gls_concept_t){0};
        x->id = str_at(c, p->id);
        x->term = str_at(c, p->term);
        x->definition = str_at(c, p->definition);
        x->source = str_at(c, p->source);
        x->cadence = str_at(c, p->cadence);
        x->line = p->line;
        x->column = p->column;
        x->first_form = p->first_form;
        x->form_count = p->form_count;
        if (!x->id || !x->term || !x->definition ||
            !run_ok(c, p->see_also_at, p->see_also_count, nsee) ||
            !run_ok(c, p->value_at, p->value_count, nval) ||
            !run_ok(c, p->contradicting_at, p->contradicting_count, ncon) ||
            !run_ok(c, p->first_form, p->form_count, forms)) {
            r->bad = 1;
            break;
        }
        x->see_also = see_ptr + p->see_also_at;
        x->see_also_resolved = resolved + p->see_also_at;
        x->see_also_count = p->see_also_count;
        x->values = values + p->value_at;
        x->value_count = p->value_count;
        x->contradicting = con_ptr + p->contradicting_at;
        x->contradicting_count = p->contradicting_count;
        /* Each concept's forms are its own (the index and the rules rely
         * on it). */
        for (uint32_t k = 0; k < x->form_count; k++)
            if (g->forms[x->first_form + k].concept != i)
                r->bad = 1;
    }
    uint32_t *order = gls_get_array(r, count, sizeof *order);
    if (r->bad || gls_glossary_set_id_order(g, order) != 0)
        r->bad = 1;
    free(order);
    return r->bad ? -1 : 0;
}

/* The records after the header; 0, or -1 when damaged. */
static int get_records(cache_reader_t *c, gls_glossary_t *g)
{
    gls_reader_t *r = &c->r;
    if (get_concepts_and_forms(c, g) != 0)
        return -1;
    get_patterns(c, g);
    uint32_t words = gls_get_u32(r);
    for (uint32_t i = 0; i < words && !r->bad; i++) {
        size_t n;
        const char *w = gls_get_bytes(r, &n);
        uint32_t v = gls_get_u32(r);
        if (w)
            gls_strmap_put(&g->known_words, w, n, v);
    }
    uint32_t deps = gls_get_u32(r);
    g->dependencies = get_str_array(c, g->arena, deps);
    g->dependency_count = r->bad ? 0 : deps;
    get_diags(c, g);
    if (r->bad)
        return -1;
    g->index = gls_index_read(r, c->start, g->form_count);
    if (!g->index || r->bad || r->p != r->end)
        return -1;
    return 0;
}

/* The file mapped read-only, or NULL. Mapped rather than read: reading
 * 50 MB (100,000 concepts) into fresh memory cost a third of a check. The
 * writer replaces cache files by rename, never in place, so the mapped
 * file does not shrink under the reader. */
static void *map_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *p = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uint64_t)st.st_size <= CACHE_MAX_BYTES) {
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
            p = NULL;
        else
            *len = (size_t)st.st_size;
    }
    close(fd);
    return p;
}

gls_glossary_t *gls_glossary_cache_read(const char *path, const gls_sources_t *src)
{
    size_t len = 0;
    char *data = map_file(path, &len);
    if (!data)
        return NULL;
    cache_reader_t c = {0};
    gls_reader_init(&c.r, data, len);
    c.start = data;
    if (!header_current(&c.r, src)) {
        munmap(data, len);
        return NULL;
    }
    uint64_t where = gls_get_u64(&c.r), n = gls_get_u64(&c.r);
    /* The strings end the file, and so does their last NUL. */
    if (c.r.bad || where > len || n != len - where || (n > 0 && data[len - 1] != '\0') ||
        (uint64_t)(c.r.p - (uint8_t *)data) > where) {
        munmap(data, len);
        return NULL;
    }
    c.strings = data + where;
    c.strings_len = n;
    c.r.end = (uint8_t *)data + where; /* the records stop where the strings start */
    gls_glossary_t *g = gls_xcalloc(1, sizeof *g);
    g->arena = gls_arena_new();
    g->cache_map = data;
    g->cache_map_len = len;
    gls_strmap_init(&g->known_words);
    gls_diags_init(&g->diags);
    atomic_init(&g->refcount, 1);
    if (get_records(&c, g) != 0) { /* damaged: the caller loads the sources */
        gls_glossary_unref(g);
        return NULL;
    }
    return g;
}

/* test_glossary_cache.c: a cached glossary is the glossary it cached,
 * a stale or damaged cache is never used, and damage never crashes. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gls/glossary_cache.h"
#include "gls/matcher.h"
#include "gls/prose.h"
#include "gls/sources.h"
#include "gls/text.h"
#include "gls/util.h"

/* Every kind of record the cache keeps: see-also (resolved and not),
 * metric facts, avoided forms with use and why, flags, patterns of both
 * kinds, known words, and a lint warning (the unresolved see-also). */
static const char *rich_glossary =
    "{\"concepts\": [\n"
    " {\"id\": \"nrr\", \"term\": \"Net Revenue Retention\",\n"
    "  \"abbreviations\": [\"NRR\", {\"form\": \"MAP\", \"ordinaryWord\": true}],\n"
    "  \"aliases\": [\"Net Dollar Retention\", \"NDR\"],\n"
    "  \"avoid\": [{\"term\": \"net retention rate\", \"use\": \"NRR\", \"why\": \"vague\"}],\n"
    "  \"definition\": \"Revenue kept, with expansion.\", \"seeAlso\": [\"grr\", \"nowhere\"],\n"
    "  \"facts\": {\"values\": [{\"unit\": \"percent\", \"min\": 0, \"max\": 300}],\n"
    "             \"cadence\": \"monthly\", \"contradictingQualifiers\": [\"annual\", \"weekly\"]}},\n"
    " {\"id\": \"grr\", \"term\": \"Gross Revenue Retention\", \"abbreviations\": [\"GRR\"],\n"
    "  \"definition\": \"Revenue kept, no expansion.\",\n"
    "  \"facts\": {\"values\": [{\"unit\": \"percent\", \"min\": 0, \"max\": 100}]}},\n"
    " {\"id\": \"qbr\", \"term\": \"Quarterly Business Review\", \"abbreviations\": [\"QBR\"],\n"
    "  \"definition\": \"A review each quarter.\"}],\n"
    " \"patterns\": [{\"pattern\": \"touch ?base\", \"use\": \"meet\", \"why\": \"jargon\"},\n"
    "              {\"pattern\": \"SaaS\", \"kind\": \"exact-case\"}],\n"
    " \"knownWords\": [\"ACME\", \"Zendesk\"]}\n";

typedef struct fixture {
    char dir[64];
    char path[128];
    char cache_dir[128];
    const char *files[1];
    gls_sources_t src;
} fixture_t;

/* A glossary file dated a minute back: files modified in the last two
 * seconds are never cached. */
static void write_dated(const char *path, const char *text, int seconds_back)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    struct timespec t[2];
    clock_gettime(CLOCK_REALTIME, &t[0]);
    t[0].tv_sec -= seconds_back;
    t[1] = t[0];
    cr_assert_eq(utimensat(AT_FDCWD, path, t, 0), 0);
}

static void fixture_init(fixture_t *fx, const char *text)
{
    strcpy(fx->dir, "/tmp/gls-cache-test-XXXXXX");
    cr_assert(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof fx->path, "%s/team.json", fx->dir);
    snprintf(fx->cache_dir, sizeof fx->cache_dir, "%s/cache/sub", fx->dir);
    write_dated(fx->path, text, 60);
    fx->files[0] = fx->path;
    fx->src = (gls_sources_t){1, fx->files, 1, 0, fx->cache_dir};
}

static void fixture_close(fixture_t *fx)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    cr_assert_eq(system(cmd), 0);
}

static char *cache_file(const fixture_t *fx)
{
    return gls_glossary_cache_path(fx->cache_dir, &fx->src);
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void assert_same_glossary(const gls_glossary_t *a, const gls_glossary_t *b)
{
    cr_assert_eq(a->concept_count, b->concept_count);
    cr_assert_eq(a->form_count, b->form_count);
    for (uint32_t i = 0; i < a->concept_count; i++) {
        const gls_concept_t *x = &a->concepts[i], *y = &b->concepts[i];
        cr_assert(same_str(x->id, y->id) && same_str(x->term, y->term) &&
                      same_str(x->definition, y->definition) && same_str(x->source, y->source) &&
                      same_str(x->cadence, y->cadence),
                  "concept %u differs", i);
        cr_assert(x->line == y->line && x->column == y->column &&
                  x->first_form == y->first_form && x->form_count == y->form_count);
        cr_assert_eq(x->see_also_count, y->see_also_count);
        for (uint32_t k = 0; k < x->see_also_count; k++) {
            cr_assert_str_eq(x->see_also[k], y->see_also[k]);
            cr_assert_eq(x->see_also_resolved[k], y->see_also_resolved[k]);
        }
        cr_assert_eq(x->value_count, y->value_count);
        for (uint32_t k = 0; k < x->value_count; k++)
            cr_assert(x->values[k].unit == y->values[k].unit &&
                      x->values[k].has_min == y->values[k].has_min &&
                      x->values[k].has_max == y->values[k].has_max &&
                      x->values[k].min == y->values[k].min && x->values[k].max == y->values[k].max);
        cr_assert_eq(x->contradicting_count, y->contradicting_count);
        for (uint32_t k = 0; k < x->contradicting_count; k++)
            cr_assert_str_eq(x->contradicting[k], y->contradicting[k]);
        cr_assert_eq(gls_glossary_find_id(b, x->id), (long)i);
    }
    for (uint32_t i = 0; i < a->form_count; i++) {
        const gls_form_t *x = &a->forms[i], *y = &b->forms[i];
        cr_assert(same_str(x->text, y->text) && same_str(x->use, y->use) &&
                      same_str(x->why, y->why) && x->concept == y->concept &&
                      x->kind == y->kind && x->flags == y->flags && x->line == y->line &&
                      x->column == y->column,
                  "form %u (%s) differs", i, x->text);
    }
    cr_assert_eq(a->pattern_count, b->pattern_count);
    for (uint32_t i = 0; i < a->pattern_count; i++) {
        const gls_pattern_t *x = &a->patterns[i], *y = &b->patterns[i];
        cr_assert(same_str(x->regex, y->regex) && x->kind == y->kind && x->flags == y->flags &&
                  same_str(x->use, y->use) && same_str(x->why, y->why) &&
                  same_str(x->source, y->source) && x->line == y->line &&
                  x->empty_group == y->empty_group && x->capitalize == y->capitalize);
        cr_assert(y->compiled && (x->exact == NULL) == (y->exact == NULL));
    }
    cr_assert_eq(a->known_words.count, b->known_words.count);
    for (size_t i = 0; i < a->known_words.cap; i++) {
        const gls_strmap_entry_t *e = &a->known_words.slots[i];
        if (!e->key)
            continue;
        const uint32_t *v = gls_strmap_get(&b->known_words, e->key, e->len);
        cr_assert(v && *v == e->value, "known word %s lost", e->key);
    }
    cr_assert_eq(a->dependency_count, b->dependency_count);
    cr_assert_eq(a->diags.count, b->diags.count);
    for (size_t i = 0; i < a->diags.count; i++) {
        const gls_diag_t *x = &a->diags.items[i], *y = &b->diags.items[i];
        cr_assert(same_str(x->path, y->path) && x->line == y->line && x->column == y->column &&
                  x->severity == y->severity && strcmp(x->code, y->code) == 0 &&
                  strcmp(x->message, y->message) == 0);
    }
}

static const char *sample =
    "Our NRR and Net Dollar Retention rose; GRR held at 98%. The QBR deck covers the\n"
    "net retention rate, an annual NRR and the customer's Quarterly Business Reviews.\n";

/* The matches of 'sample' as one block of plain text. */
static void match_sample(const gls_glossary_t *g, gls_matches_t *out)
{
    gls_tokens_t toks;
    gls_tokens_init(&toks);
    gls_tokenize(sample, 0, (uint32_t)strlen(sample), GLS_SEP_HARD, &toks);
    gls_match_tokens(g, sample, toks.items, toks.count, out);
    gls_tokens_close(&toks);
}

Test(glossary_cache, round_trip_keeps_everything)
{
    fixture_t fx;
    fixture_init(&fx, rich_glossary);
    gls_sources_t plain = fx.src;
    plain.cache_dir = NULL;
    gls_glossary_t *fresh = gls_sources_load(&plain, NULL);
    cr_assert_gt(fresh->diags.count, 0, "the unresolved see-also should be a lint warning");
    cr_assert_eq(fresh->known_words.count, 2);
    char *path = cache_file(&fx);
    cr_assert_eq(gls_glossary_cache_write(fresh, &fx.src, path), 0);
    gls_glossary_t *cached = gls_glossary_cache_read(path, &fx.src);
    free(path);
    cr_assert(cached, "a current cache must be read");
    assert_same_glossary(fresh, cached);
    gls_matches_t m1, m2;
    gls_matches_init(&m1);
    gls_matches_init(&m2);
    match_sample(fresh, &m1);
    match_sample(cached, &m2);
    cr_assert_gt(m1.count, 5);
    cr_assert_eq(m1.count, m2.count);
    cr_assert_eq(memcmp(m1.items, m2.items, m1.count * sizeof *m1.items), 0);
    gls_matches_close(&m1);
    gls_matches_close(&m2);
    gls_glossary_unref(fresh);
    gls_glossary_unref(cached);
    fixture_close(&fx);
}

/* gls_sources_load writes the cache for sources large enough, and the
 * next load reads it. */
Test(glossary_cache, sources_write_then_read_large_glossaries)
{
    gls_buf_t big;
    gls_buf_init(&big);
    gls_buf_puts(&big, "{\"concepts\": [");
    for (int i = 0; big.len < GLS_CACHE_MIN_BYTES + 1000; i++)
        gls_buf_printf(&big, "%s{\"id\": \"c%d\", \"term\": \"Cached Concept %d\", "
                             "\"abbreviations\": [\"CC%dX\"], \"definition\": \"Number %d.\"}",
                       i ? "," : "", i, i, i, i);
    gls_buf_puts(&big, "]}");
    fixture_t fx;
    fixture_init(&fx, big.data);
    char *path = cache_file(&fx);
    gls_glossary_t *first = gls_sources_load(&fx.src, NULL);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "no cache file at %s", path);
    cr_assert_eq(st.st_mode & 0777, 0600);
    gls_glossary_t *second = gls_sources_load(&fx.src, NULL);
    cr_assert(second->cache_map, "the second load should come from the cache");
    assert_same_glossary(first, second);
    gls_glossary_unref(first);
    gls_glossary_unref(second);
    /* Small sources are not worth a file. */
    fixture_t small;
    fixture_init(&small, rich_glossary);
    gls_glossary_unref(gls_sources_load(&small.src, NULL));
    char *small_path = cache_file(&small);
    cr_assert_neq(stat(small_path, &st), 0);
    free(small_path);
    fixture_close(&small);
    free(path);
    gls_buf_close(&big);
    fixture_close(&fx);
}

Test(glossary_cache, stale_caches_are_not_used)
{
    fixture_t fx;
    fixture_init(&fx, rich_glossary);
    char *path = cache_file(&fx);
    gls_glossary_t *g = gls_sources_load(&(gls_sources_t){1, fx.files, 1, 0, NULL}, NULL);
    cr_assert_eq(gls_glossary_cache_write(g, &fx.src, path), 0);
    gls_glossary_t *ok = gls_glossary_cache_read(path, &fx.src);
    cr_assert(ok);
    gls_glossary_unref(ok);
    /* Other sources, or the same ones read differently. */
    gls_sources_t other = fx.src;
    other.builtin = 0;
    cr_assert_null(gls_glossary_cache_read(path, &other));
    other = fx.src;
    other.max_file_size = 1000;
    cr_assert_null(gls_glossary_cache_read(path, &other));
    const char *two[] = {fx.path, fx.path};
    other = fx.src;
    other.files = two;
    other.file_count = 2;
    cr_assert_null(gls_glossary_cache_read(path, &other));
    /* The same size, another modification time: stale. */
    char *edited = gls_xstrdup(rich_glossary);
    edited[strlen(edited) - 3] = ' ';
    write_dated(fx.path, edited, 30);
    cr_assert_null(gls_glossary_cache_read(path, &fx.src));
    /* Removed: stale too. */
    unlink(fx.path);
    cr_assert_null(gls_glossary_cache_read(path, &fx.src));
    free(edited);
    free(path);
    gls_glossary_unref(g);
    fixture_close(&fx);
}

Test(glossary_cache, recently_modified_sources_are_not_cached)
{
    fixture_t fx;
    fixture_init(&fx, rich_glossary);
    write_dated(fx.path, rich_glossary, 0);
    gls_glossary_t *g = gls_sources_load(&(gls_sources_t){1, fx.files, 1, 0, NULL}, NULL);
    char *path = cache_file(&fx);
    cr_assert_eq(gls_glossary_cache_write(g, &fx.src, path), -EAGAIN);
    struct stat st;
    cr_assert_neq(stat(path, &st), 0);
    free(path);
    gls_glossary_unref(g);
    fixture_close(&fx);
}

/* Uses a glossary the way the server does, so a damaged cache that was
 * accepted would show (under ASan) as a bad read here. */
static void exercise(const gls_glossary_t *g)
{
    gls_matches_t m;
    gls_matches_init(&m);
    match_sample(g, &m);
    gls_matches_close(&m);
    for (uint32_t i = 0; i < g->concept_count; i++) {
        (void)gls_glossary_find_id(g, g->concepts[i].id);
        const gls_concept_t *c = &g->concepts[i];
        for (uint32_t k = 0; k < c->form_count; k++)
            cr_assert_eq(g->forms[c->first_form + k].concept, i);
    }
}

static void rewrite(const char *path, const char *data, size_t len)
{
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s.damaged", path);
    FILE *f = fopen(tmp, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    cr_assert_eq(rename(tmp, path), 0);
}

Test(glossary_cache, damaged_caches_are_refused_or_harmless, .timeout = 300)
{
    fixture_t fx;
    fixture_init(&fx, rich_glossary);
    char *path = cache_file(&fx);
    gls_glossary_t *g = gls_sources_load(&(gls_sources_t){1, fx.files, 1, 0, NULL}, NULL);
    cr_assert_eq(gls_glossary_cache_write(g, &fx.src, path), 0);
    char *good = NULL;
    size_t len = 0;
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    fseek(f, 0, SEEK_END);
    len = (size_t)ftell(f);
    rewind(f);
    good = malloc(len);
    cr_assert_eq(fread(good, 1, len, f), len);
    fclose(f);
    /* Every truncation is refused. */
    for (size_t cut = 0; cut < len; cut += 1 + cut / 64) {
        rewrite(path, good, cut);
        cr_assert_null(gls_glossary_cache_read(path, &fx.src), "cut at %zu of %zu accepted", cut,
                       len);
    }
    /* Changed bytes: refused, or read into a glossary that is safe to use. */
    char *bad = malloc(len);
    unsigned seed = 7;
    int accepted = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(bad, good, len);
        int flips = 1 + rand_r(&seed) % 3;
        for (int k = 0; k < flips; k++)
            bad[rand_r(&seed) % len] ^= (char)(1 + rand_r(&seed) % 255);
        rewrite(path, bad, len);
        gls_glossary_t *d = gls_glossary_cache_read(path, &fx.src);
        if (d) {
            accepted++;
            exercise(d);
            gls_glossary_unref(d);
        }
    }
    /* Most single flips land in text or line numbers, which no check can
     * tell from real data; the point is that none of them crashed. */
    cr_log_info("%d of 3000 damaged caches were accepted and used safely", accepted);
    free(bad);
    free(good);
    free(path);
    gls_glossary_unref(g);
    fixture_close(&fx);
}

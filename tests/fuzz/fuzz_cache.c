/* fuzz_cache.c: a glossary cache file with changed bytes is refused, or
 * read into a glossary that is safe to use. Each input is a list of
 * patches (4-byte offset, 1-byte value) applied to a valid cache written
 * at start-up for a small glossary with every kind of record (the header
 * must name this binary and its sources, so the valid file is made here,
 * not stored in the corpus). The glossary read back is matched against a
 * sample text and its ids are looked up. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gls/analysis.h"
#include "gls/glossary_cache.h"
#include "gls/sources.h"

static const char *glossary_text =
    "{\"concepts\": [\n"
    " {\"id\": \"nrr\", \"term\": \"Net Revenue Retention\", \"abbreviations\": [\"NRR\"],\n"
    "  \"aliases\": [\"Net Dollar Retention\"],\n"
    "  \"avoid\": [{\"term\": \"net retention rate\", \"use\": \"NRR\", \"why\": \"vague\"}],\n"
    "  \"definition\": \"Revenue kept.\", \"seeAlso\": [\"grr\", \"nowhere\"],\n"
    "  \"facts\": {\"values\": [{\"unit\": \"percent\", \"min\": 0, \"max\": 300}],\n"
    "             \"cadence\": \"monthly\", \"contradictingQualifiers\": [\"annual\"]}},\n"
    " {\"id\": \"grr\", \"term\": \"Gross Revenue Retention\", \"abbreviations\": [\"GRR\"],\n"
    "  \"definition\": \"Kept, no expansion.\"}],\n"
    " \"patterns\": [{\"pattern\": \"touch ?base\", \"use\": \"meet\"}],\n"
    " \"knownWords\": [\"ACME\"]}\n";

static const char *sample =
    "Our NRR and Net Dollar Retention rose; GRR held at 98%. We touch base on the net "
    "retention rate and an annual NRR.\n";

static char dir[64], source[128], cache_dir[128], *cache_path;
static const char *files[1];
static gls_sources_t src;
static char *valid;
static size_t valid_len;

static void cleanup(void)
{
    unlink(cache_path);
    rmdir(cache_dir);
    unlink(source);
    rmdir(dir);
}

static void setup(void)
{
    strcpy(dir, "/tmp/gls-fuzz-cache-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(source, sizeof source, "%s/g.json", dir);
    snprintf(cache_dir, sizeof cache_dir, "%s/cache", dir);
    FILE *f = fopen(source, "wb");
    if (!f)
        abort();
    fputs(glossary_text, f);
    fclose(f);
    struct timespec t[2];
    clock_gettime(CLOCK_REALTIME, &t[0]);
    t[0].tv_sec -= 60; /* files modified in the last two seconds are not cached */
    t[1] = t[0];
    utimensat(AT_FDCWD, source, t, 0);
    files[0] = source;
    src = (gls_sources_t){0, files, 1, 0, cache_dir};
    gls_sources_t plain = src;
    plain.cache_dir = NULL;
    gls_glossary_t *g = gls_sources_load(&plain, NULL);
    cache_path = gls_glossary_cache_path(cache_dir, &src);
    if (gls_glossary_cache_write(g, &src, cache_path) != 0)
        abort();
    gls_glossary_unref(g);
    atexit(cleanup);
    f = fopen(cache_path, "rb");
    if (!f)
        abort();
    fseek(f, 0, SEEK_END);
    valid_len = (size_t)ftell(f);
    rewind(f);
    valid = malloc(valid_len);
    if (fread(valid, 1, valid_len, f) != valid_len)
        abort();
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!valid)
        setup();
    char *bytes = malloc(valid_len);
    memcpy(bytes, valid, valid_len);
    size_t len = valid_len;
    for (size_t i = 0; i + 5 <= size; i += 5) {
        uint32_t at;
        memcpy(&at, data + i, 4);
        if (at == UINT32_MAX) /* a patch of all ones: cut the file there */
            len = data[i + 4] * (valid_len / 256);
        else
            bytes[at % valid_len] = (char)data[i + 4];
    }
    /* Replaced by rename, as the writer does. */
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.fuzz", cache_path);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len)
        abort();
    fclose(f);
    rename(tmp, cache_path);
    free(bytes);
    gls_glossary_t *g = gls_glossary_cache_read(cache_path, &src);
    if (!g)
        return 0;
    gls_matches_t ms;
    gls_matches_init(&ms);
    gls_match_text(g, sample, 0, (uint32_t)strlen(sample), &ms);
    for (size_t i = 0; i < ms.count; i++)
        if (ms.items[i].end > strlen(sample) || ms.items[i].form >= g->form_count ||
            ms.items[i].concept >= g->concept_count)
            __builtin_trap();
    gls_matches_close(&ms);
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, sample, (uint32_t)strlen(sample), GLS_LANGUAGE_MARKDOWN);
    gls_analysis_close(&a);
    for (uint32_t i = 0; i < g->concept_count; i++)
        (void)gls_glossary_find_id(g, g->concepts[i].id);
    gls_glossary_unref(g);
    return 0;
}

/* sources.c: loading the glossary sources in precedence order. */
#include "gls/sources.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gls/glossary_cache.h"
#include "gls/loader.h"
#include "gls/util.h"

#define DEFAULT_MAX_FILE (16u << 20)

char *gls_default_cache_dir(void)
{
    const char *env = getenv("GLOSSARY_LS_CACHE");
    if (env)
        return *env && strcmp(env, "off") != 0 ? gls_xstrdup(env) : NULL;
    gls_buf_t b;
    gls_buf_init(&b);
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/')
        gls_buf_printf(&b, "%s/glossary-ls", xdg);
    else if (home && *home == '/')
        gls_buf_printf(&b, "%s/.cache/glossary-ls", home);
    else
        return NULL;
    return gls_buf_steal(&b, NULL);
}

gls_glossary_t *gls_sources_load(const gls_sources_t *src, size_t *errors)
{
    char *cache = NULL;
    if (src->cache_dir && src->file_count) {
        cache = gls_glossary_cache_path(src->cache_dir, src);
        gls_glossary_t *g = gls_glossary_cache_read(cache, src);
        if (g) {
            free(cache);
            if (errors)
                *errors = gls_diags_count(&g->diags, GLS_SEV_ERROR);
            return g;
        }
    }
    size_t total = 0;
    gls_builder_t *b = gls_builder_new("built-in");
    if (src->builtin)
        gls_load_builtin(b);
    size_t max = src->max_file_size ? src->max_file_size : DEFAULT_MAX_FILE;
    for (size_t i = 0; i < src->file_count; i++) {
        const char *path = src->files[i];
        char *text = NULL;
        size_t len = 0;
        int rc = gls_read_file(path, max, &text, &len);
        if (rc == -EFBIG) {
            gls_diags_add(gls_builder_diags(b), path, 0, 0, GLS_SEV_ERROR, "glossary-io",
                          "glossary file is larger than %zu bytes; not loaded", max);
            continue;
        }
        if (rc < 0) {
            gls_diags_add(gls_builder_diags(b), path, 0, 0, GLS_SEV_ERROR, "glossary-io",
                          "cannot read glossary file: %s", strerror(-rc));
            continue;
        }
        /* Concepts from this file are attributed to it. */
        gls_builder_set_source(b, path);
        gls_load(b, path, text, len, GLS_FORMAT_UNKNOWN);
        free(text);
        total += len;
    }
    gls_glossary_t *g = gls_builder_freeze(b);
    /* Best effort: a cache that cannot be written costs only the next load. */
    if (cache && total >= GLS_CACHE_MIN_BYTES)
        (void)gls_glossary_cache_write(g, src, cache);
    free(cache);
    if (errors)
        *errors = gls_diags_count(&g->diags, GLS_SEV_ERROR);
    return g;
}

/* sources.c: loading the glossary sources in precedence order. */
#include "gls/sources.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/util.h"

#define DEFAULT_MAX_FILE (16u << 20)

gls_glossary_t *gls_sources_load(const gls_sources_t *src, size_t *errors)
{
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
    }
    gls_glossary_t *g = gls_builder_freeze(b);
    if (errors)
        *errors = gls_diags_count(&g->diags, GLS_SEV_ERROR);
    return g;
}

/* workspace.c: the workspace index: concepts used, per document. */
#include "gls/workspace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/util.h"

static void file_close(gls_ws_file_t *f)
{
    free(f->path);
    free(f->uses);
}

/* Counts the concepts of 'a' into a sorted array (new). */
static gls_ws_use_t *count_uses(const gls_analysis_t *a, uint32_t concepts, uint32_t *count)
{
    /* Matches come in document order: insert each concept into a sorted
     * list (a document uses few distinct concepts). */
    gls_ws_use_t *uses = NULL;
    uint32_t used = 0, cap = 0;
    for (size_t i = 0; i < a->matches.count; i++) {
        uint32_t c = a->matches.items[i].concept;
        if (c >= concepts)
            continue;
        uint32_t lo = 0, hi = used;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (uses[mid].concept < c)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < used && uses[lo].concept == c) {
            uses[lo].count++;
            continue;
        }
        if (used == cap) {
            cap = cap ? cap * 2 : 16;
            uses = gls_xrealloc(uses, cap * sizeof *uses);
        }
        memmove(uses + lo + 1, uses + lo, (used - lo) * sizeof *uses);
        uses[lo] = (gls_ws_use_t){c, 1};
        used++;
    }
    *count = used;
    return uses;
}

static size_t find_slot(const gls_ws_index_t *idx, const char *path, int *found)
{
    size_t lo = 0, hi = idx->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(idx->files[mid].path, path);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

static void totals_apply(gls_ws_index_t *idx, const gls_ws_file_t *f, int sign)
{
    for (uint32_t k = 0; k < f->use_count; k++) {
        uint32_t *t = &idx->totals[f->uses[k].concept];
        *t = sign > 0 ? *t + f->uses[k].count
                      : (*t > f->uses[k].count ? *t - f->uses[k].count : 0);
    }
}

static gls_ws_file_t *slot_for(gls_ws_index_t *idx, const char *path)
{
    int found;
    size_t at = find_slot(idx, path, &found);
    if (found) {
        totals_apply(idx, &idx->files[at], -1);
        free(idx->files[at].uses);
        idx->files[at].uses = NULL;
        idx->files[at].use_count = 0;
        return &idx->files[at];
    }
    if (idx->count == idx->cap) {
        idx->cap = idx->cap ? idx->cap * 2 : 64;
        idx->files = gls_xrealloc(idx->files, idx->cap * sizeof *idx->files);
    }
    memmove(idx->files + at + 1, idx->files + at, (idx->count - at) * sizeof *idx->files);
    idx->count++;
    idx->files[at] = (gls_ws_file_t){gls_xstrdup(path), NULL, 0};
    return &idx->files[at];
}

void gls_ws_index_update(gls_ws_index_t *idx, const char *path, const gls_analysis_t *a)
{
    gls_ws_file_t *f = slot_for(idx, path);
    f->uses = count_uses(a, idx->glossary->concept_count, &f->use_count);
    totals_apply(idx, f, +1);
}

void gls_ws_index_remove(gls_ws_index_t *idx, const char *path)
{
    int found;
    size_t at = find_slot(idx, path, &found);
    if (!found)
        return;
    totals_apply(idx, &idx->files[at], -1);
    file_close(&idx->files[at]);
    memmove(idx->files + at, idx->files + at + 1, (idx->count - at - 1) * sizeof *idx->files);
    idx->count--;
}

const gls_ws_file_t *gls_ws_index_find(const gls_ws_index_t *idx, const char *path)
{
    int found;
    size_t at = find_slot(idx, path, &found);
    return found ? &idx->files[at] : NULL;
}

uint32_t gls_ws_file_uses(const gls_ws_file_t *f, uint32_t c)
{
    uint32_t lo = 0, hi = f->use_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->uses[mid].concept < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->use_count && f->uses[lo].concept == c ? f->uses[lo].count : 0;
}

gls_ws_index_t *gls_ws_index_build(gls_glossary_t *g, const char *const *roots, size_t nroots,
                                   const gls_walk_opts_t *opts, gls_ws_progress_t *progress)
{
    gls_ws_index_t *idx = gls_xcalloc(1, sizeof *idx);
    gls_glossary_ref(g);
    idx->glossary = g;
    idx->totals = gls_xcalloc(g->concept_count + 1, sizeof *idx->totals);
    gls_walk_opts_t wo = opts ? *opts : (gls_walk_opts_t){0};
    wo.cancel = &progress->cancel;
    /* Walk every root first (the total is known before analysis starts,
     * so progress can say "n of N"), then analyse. */
    gls_walk_result_t *found = gls_xcalloc(nroots + 1, sizeof *found);
    size_t total = 0;
    atomic_store(&progress->walking, 1);
    for (size_t r = 0; r < nroots; r++) {
        if (opts && opts->max_files) {
            if (total >= opts->max_files) {
                idx->capped = 1;
                break;
            }
            wo.max_files = opts->max_files - total;
        }
        gls_walk(roots[r], &wo, &found[r]);
        total += found[r].count;
        idx->capped |= found[r].capped;
        idx->cancelled |= found[r].cancelled;
        idx->unreadable += found[r].unreadable;
        atomic_store(&progress->found, total);
    }
    atomic_store(&progress->walking, 0);
    gls_analysis_t a;
    gls_analysis_init(&a);
    for (size_t r = 0; r < nroots; r++) {
        for (size_t i = 0; i < found[r].count; i++) {
            if (atomic_load(&progress->cancel)) {
                idx->cancelled = 1;
                break;
            }
            const char *path = found[r].paths[i];
            char *text;
            size_t len;
            int rc = gls_read_file(path, GLS_WS_MAX_FILE, &text, &len);
            if (rc == 0) {
                gls_analysis_run(&a, g, text, (uint32_t)len, gls_language_of(NULL, path));
                gls_ws_index_update(idx, path, &a);
                free(text);
            } else if (rc == -EFBIG) {
                idx->too_large++;
            } else {
                idx->unreadable++;
            }
            atomic_fetch_add(&progress->done, 1);
        }
        gls_walk_result_close(&found[r]);
    }
    gls_analysis_close(&a);
    free(found);
    return idx;
}

void gls_ws_index_free(gls_ws_index_t *idx)
{
    if (!idx)
        return;
    for (size_t i = 0; i < idx->count; i++)
        file_close(&idx->files[i]);
    free(idx->files);
    free(idx->totals);
    gls_glossary_unref(idx->glossary);
    free(idx);
}

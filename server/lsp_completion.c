/* lsp_completion.c: completion of glossary forms while typing prose.
 * Prefix matching over every form (one or more words: "nr", "NRR", "net
 * rev"), ranked by how well it matches, then by use in this document.
 * On the first use of a concept with an acronym, the top item writes
 * "Full Form (ABBR)"; afterwards the acronym. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/describe.h"
#include "gls/lspjson.h"
#include "gls/matcher.h"
#include "gls/server.h"
#include "gls/util.h"

#define MAX_ITEMS 50
#define MAX_WORDS 8

typedef struct cand {
    uint32_t form;
    int score;           /* lower is better: how well it matches, uses here */
    uint32_t workspace;  /* uses across the workspace: breaks ties */
} cand_t;

typedef struct collect {
    cand_t items[256];
    size_t count;
} collect_t;

static int add_cand(void *ud, uint32_t form)
{
    collect_t *c = ud;
    for (size_t i = 0; i < c->count; i++)
        if (c->items[i].form == form)
            return 0;
    if (c->count == GLS_ARRAY_LEN(c->items))
        return 1;
    c->items[c->count++] = (cand_t){form, 0, 0};
    return 0;
}

static int cand_cmp(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    if (x->workspace != y->workspace)
        return x->workspace > y->workspace ? -1 : 1;
    return x->form < y->form ? -1 : 1;
}

/* True when 'offset' is inside (or at the end of) a prose segment. */
static int in_prose(const gls_analysis_t *a, size_t offset)
{
    for (size_t i = 0; i < a->prose.seg_count; i++) {
        const gls_segment_t *sg = &a->prose.segs[i];
        if (offset >= sg->start && offset <= sg->end)
            return 1;
    }
    return 0;
}

static int word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80 || c == '-' || c == '\'' || c == '/' || c == '&';
}

void gls_lsp_completion(gls_server_t *s, gls_request_t *req)
{
    size_t offset;
    gls_document_t *doc = gls_lsp_document_position(s, req, &offset);
    if (!doc)
        return;
    json_t *empty = json_pack("{s:b,s:[]}", "isIncomplete", 0, "items");
    if (!s->glossary) {
        gls_rpc_reply(req, empty);
        return;
    }
    if (gls_lsp_glossary_file_completion(s, req, doc, offset)) {
        json_decref(empty);
        return;
    }
    const gls_analysis_t *a = gls_server_analysis(s, doc);
    const gls_glossary_t *g = a->glossary;
    const char *t = doc->text;
    size_t line_start = offset;
    while (line_start > 0 && t[line_start - 1] != '\n' && t[line_start - 1] != '\r')
        line_start--;
    /* Word starts before the cursor, nearest first (up to MAX_WORDS words). */
    size_t starts[MAX_WORDS];
    size_t nstarts = 0;
    size_t p = offset;
    while (nstarts < MAX_WORDS && p > line_start) {
        size_t e = p;
        while (p > line_start && word_byte((unsigned char)t[p - 1]))
            p--;
        if (p == e)
            break;
        starts[nstarts++] = p;
        if (p == line_start || t[p - 1] != ' ')
            break;
        p--; /* the space between words */
    }
    if (nstarts == 0 || (!in_prose(a, offset) && a->language == GLS_LANGUAGE_MARKDOWN)) {
        gls_rpc_reply(req, empty);
        return;
    }
    /* The longest multi-word prefix that still names forms wins. */
    collect_t c = {0};
    size_t used_start = offset;
    for (size_t k = nstarts; k > 0 && c.count == 0; k--) {
        size_t st = starts[k - 1];
        gls_index_prefix(g, t + st, offset - st, GLS_ARRAY_LEN(c.items), add_cand, &c);
        if (c.count)
            used_start = st;
    }
    /* Nothing starts with all of it ("Case Studie" for "Case Study"):
     * let the last few characters go, keeping the same replaced range. */
    for (size_t drop = 1; c.count == 0 && drop <= 3 && offset - starts[nstarts - 1] > drop + 2;
         drop++) {
        size_t st = starts[nstarts - 1];
        for (size_t k = nstarts; k > 0 && c.count == 0; k--) {
            st = starts[k - 1];
            if (offset - drop <= st + 2)
                continue;
            gls_index_prefix(g, t + st, offset - drop - st, GLS_ARRAY_LEN(c.items), add_cand, &c);
        }
        if (c.count)
            used_start = st;
    }
    if (c.count == 0) {
        gls_rpc_reply(req, empty);
        return;
    }
    json_decref(empty);
    size_t plen = offset - used_start;
    const char *prefix = t + used_start;
    /* Uses of each concept in this document before the cursor. */
    for (size_t i = 0; i < c.count; i++) {
        const gls_form_t *f = &g->forms[c.items[i].form];
        int score = 0;
        if (f->kind == GLS_FORM_AVOID)
            score += 10000; /* offered last, and marked deprecated */
        if (strncmp(f->text, prefix, plen) != 0)
            score += 1000; /* case differs from what was typed */
        score += (int)strlen(f->text);
        int uses = 0;
        for (size_t m = 0; m < a->matches.count && a->matches.items[m].start < used_start; m++)
            if (a->matches.items[m].concept == f->concept)
                uses++;
        score -= uses > 50 ? 500 : uses * 10;
        c.items[i].score = score;
        c.items[i].workspace = gls_server_workspace_uses(s, f->concept);
    }
    if (c.count > 1)
        qsort(c.items, c.count, sizeof *c.items, cand_cmp);
    json_t *items = json_array();
    json_t *range = gls_lsp_range_new(s, doc, used_start, offset);
    size_t n = c.count < MAX_ITEMS ? c.count : MAX_ITEMS;
    for (size_t i = 0; i < n; i++) {
        const gls_form_t *f = &g->forms[c.items[i].form];
        const gls_concept_t *con = &g->concepts[f->concept];
        const gls_form_t *abbr = gls_glossary_first_form(g, f->concept, GLS_FORM_ABBREV);
        int used_before = 0;
        for (size_t m = 0; m < a->matches.count && a->matches.items[m].start < used_start; m++)
            if (a->matches.items[m].concept == f->concept)
                used_before = 1;
        const char *insert = f->kind == GLS_FORM_AVOID && f->use ? f->use : f->text;
        char *first_use = NULL;
        if (abbr && !used_before && f->kind != GLS_FORM_AVOID &&
            !(abbr->flags & GLS_FORM_WELL_KNOWN) && strcmp(con->term, abbr->text) != 0)
            first_use = gls_xasprintf("%s (%s)", con->term, abbr->text);
        char sort[16];
        snprintf(sort, sizeof sort, "%05zu", i);
        const char *detail = f->kind == GLS_FORM_TERM ? (abbr ? abbr->text : "glossary term")
                                                     : con->term;
        /* The document's uri lets resolve find the glossary the item came
         * from (a project's own, for a document below its config). */
        json_t *item = json_pack("{s:s,s:i,s:s,s:s,s:s,s:{s:O,s:s},s:{s:s,s:s}}", "label",
                                 f->text, "kind", 1, "detail", detail, "sortText", sort,
                                 "filterText", f->text, "textEdit", "range", range, "newText",
                                 first_use ? first_use : insert, "data", "concept", con->id,
                                 "uri", doc->uri);
        if (f->kind == GLS_FORM_AVOID)
            json_object_set_new(item, "tags", json_pack("[i]", 1)); /* Deprecated */
        if (i == 0)
            json_object_set_new(item, "preselect", json_true());
        if (first_use)
            json_object_set_new(item, "labelDetails", json_pack("{s:s}", "description",
                                                                "first use: spelled out"));
        /* Small lists carry their documentation; large ones resolve it. */
        if (n <= 20) {
            gls_buf_t doc_text;
            gls_buf_init(&doc_text);
            gls_describe_opts_t o = {s->hover_markdown, f, NULL};
            gls_describe_concept(g, f->concept, &o, &doc_text);
            json_object_set_new(item, "documentation",
                                json_pack("{s:s,s:s}", "kind",
                                          s->hover_markdown ? "markdown" : "plaintext", "value",
                                          doc_text.data));
            gls_buf_close(&doc_text);
        }
        json_array_append_new(items, item);
        free(first_use);
    }
    json_decref(range);
    gls_rpc_reply(req, json_pack("{s:b,s:o}", "isIncomplete", c.count > n, "items", items));
}

void gls_lsp_completion_resolve(gls_server_t *s, gls_request_t *req)
{
    json_t *item = req->params;
    json_t *data = json_is_object(item) ? json_object_get(item, "data") : NULL;
    const char *id = json_string_value(json_object_get(data, "concept"));
    if (!json_is_object(item)) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS, "completionItem/resolve: needs an item");
        return;
    }
    json_t *out = json_deep_copy(item);
    const char *uri = json_string_value(json_object_get(data, "uri"));
    gls_document_t *doc = uri ? gls_documents_get(&s->documents, uri) : NULL;
    gls_glossary_t *g = doc ? gls_server_doc_glossary(s, doc) : s->glossary;
    long ci = (id && g) ? gls_glossary_find_id(g, id) : -1;
    if (ci >= 0 && !json_object_get(out, "documentation")) {
        gls_buf_t text;
        gls_buf_init(&text);
        gls_describe_opts_t o = {s->hover_markdown, NULL, NULL};
        gls_describe_concept(g, (uint32_t)ci, &o, &text);
        json_object_set_new(out, "documentation",
                            json_pack("{s:s,s:s}", "kind",
                                      s->hover_markdown ? "markdown" : "plaintext", "value",
                                      text.data));
        gls_buf_close(&text);
    }
    gls_rpc_reply(req, out);
}

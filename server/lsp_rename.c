/* lsp_rename.c: textDocument/prepareRename and textDocument/rename. A form
 * of a concept from a workspace glossary is renamed where the glossary
 * declares it and at every use in the workspace's documents, in one
 * WorkspaceEdit the editor applies (and can undo); each use keeps its
 * plural, possessive and capitalization (rename.c). Built-in concepts and
 * avoided forms are refused with a message saying why. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/loader.h"
#include "gls/log.h"
#include "gls/lspjson.h"
#include "gls/rename.h"
#include "gls/server.h"
#include "gls/uri.h"
#include "gls/util.h"
#include "gls/workspace.h"

/* Glossary files are read whole; the 100k-term benchmark glossary is
 * about 20 MB. */
#define MAX_GLOSSARY_FILE (64u << 20)

/* What is renamed: a form, its concept, and where the glossary says it. */
typedef struct target {
    const gls_glossary_t *g;
    uint32_t form, concept;
    gls_document_t *decl_doc; /* the glossary file's text (owned when not open) */
    int decl_owned;
    size_t decl_start, decl_end; /* the form's text in it, in bytes */
    int decl_json;               /* the text sits in a JSON string */
} target_t;

static void target_close(target_t *t)
{
    if (t->decl_owned)
        gls_document_free(t->decl_doc);
}

/* Byte offset of 1-based line 'line', code-point column 'col' in 'text'. */
static size_t offset_of(const char *text, size_t len, uint32_t line, uint32_t col)
{
    size_t i = 0;
    for (uint32_t l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    for (uint32_t c = 1; c < col && i < len && text[i] != '\n'; c++) {
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* Finds the form's declaration in its glossary file. Returns NULL or why
 * not (static text). */
static const char *find_declaration(gls_server_t *s, target_t *t)
{
    const gls_concept_t *c = &t->g->concepts[t->concept];
    const gls_form_t *f = &t->g->forms[t->form];
    if (strcmp(c->source, "built-in") == 0)
        return "belongs to the built-in glossary, which cannot be renamed; add the concept to a "
               "workspace glossary to rename it there";
    if (c->source[0] != '/')
        return "comes from a glossary that is not a file";
    if (f->kind == GLS_FORM_AVOID)
        return "is a spelling to avoid; its quick fix replaces it";
    char *uri = gls_path_to_uri(c->source);
    gls_document_t *open = gls_documents_get(&s->documents, uri);
    if (open) {
        t->decl_doc = open;
    } else {
        char *text;
        size_t len;
        if (gls_read_file(c->source, MAX_GLOSSARY_FILE, &text, &len) < 0) {
            free(uri);
            return "is declared in a glossary file that cannot be read";
        }
        t->decl_doc = gls_document_new(uri, "", 0, text, len);
        t->decl_owned = 1;
        free(text);
    }
    free(uri);
    const char *text = t->decl_doc->text;
    size_t len = t->decl_doc->len;
    t->decl_json = gls_glossary_format_guess(c->source, text, len) == GLS_FORMAT_JSON;
    size_t from = f->line ? offset_of(text, len, f->line, f->column ? f->column : 1)
                          : offset_of(text, len, c->line ? c->line : 1, 1);
    /* The declaration is at or shortly after the recorded position (a JSON
     * member's position is its key's; a Markdown entry's its line). */
    char *needle;
    if (t->decl_json) {
        json_t *str = json_string(f->text);
        needle = json_dumps(str, JSON_ENCODE_ANY);
        json_decref(str);
    } else {
        needle = gls_xstrdup(f->text);
    }
    size_t window = len - from < 4096 ? len - from : 4096;
    const char *hit = needle ? memmem(text + from, window, needle, strlen(needle)) : NULL;
    if (hit) {
        size_t q = t->decl_json ? 1 : 0;
        t->decl_start = (size_t)(hit - text) + q;
        t->decl_end = t->decl_start + strlen(needle) - 2 * q;
    }
    free(needle);
    return hit ? NULL : "could not be found where its glossary file declares it (was the file "
                        "edited since it was loaded?)";
}

/* The form under the cursor, checked for renaming. Answers 'req' with an
 * error and returns 0 when it cannot be renamed. */
static int find_target(gls_server_t *s, gls_request_t *req, target_t *t, gls_document_t **doc,
                       const gls_match_t **match)
{
    size_t offset;
    *doc = gls_lsp_document_position(s, req, &offset);
    if (!*doc)
        return 0;
    memset(t, 0, sizeof *t);
    if (!s->glossary) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "no glossary is loaded");
        return 0;
    }
    const gls_analysis_t *a = gls_server_analysis(s, *doc);
    long m = gls_analysis_match_at(a, (uint32_t)offset);
    if (m < 0) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED,
                            "there is no glossary term here to rename");
        return 0;
    }
    *match = &a->matches.items[m];
    t->g = a->glossary;
    t->form = (*match)->form;
    t->concept = (*match)->concept;
    const char *why = find_declaration(s, t);
    if (why) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "'%s' %s", t->g->forms[t->form].text,
                            why);
        target_close(t);
        return 0;
    }
    return 1;
}

void gls_lsp_prepare_rename(gls_server_t *s, gls_request_t *req)
{
    target_t t;
    gls_document_t *doc;
    const gls_match_t *m;
    if (!find_target(s, req, &t, &doc, &m))
        return;
    gls_rpc_reply(req, json_pack("{s:o,s:s}", "range", gls_lsp_range_new(s, doc, m->start, m->end),
                                 "placeholder", t.g->forms[t.form].text));
    target_close(&t);
}

typedef struct rename_job {
    target_t *t;
    const char *new_name;
    json_t *changes; /* uri -> [TextEdit] */
    size_t edits;
} rename_job_t;

static void add_edit(rename_job_t *r, gls_server_t *s, const gls_document_t *doc, size_t a,
                     size_t b, const char *text)
{
    json_t *list = json_object_get(r->changes, doc->uri);
    if (!list) {
        list = json_array();
        json_object_set_new(r->changes, doc->uri, list);
    }
    json_array_append_new(list, json_pack("{s:o,s:s}", "range", gls_lsp_range_new(s, doc, a, b),
                                          "newText", text));
    r->edits++;
}

static void rename_uses(gls_server_t *s, const gls_document_t *doc, const gls_analysis_t *a,
                        void *ud)
{
    rename_job_t *r = ud;
    const gls_form_t *f = &r->t->g->forms[r->t->form];
    int is_decl_file = strcmp(doc->uri, r->t->decl_doc->uri) == 0;
    for (size_t i = 0; i < a->matches.count; i++) {
        const gls_match_t *m = &a->matches.items[i];
        if (m->form != r->t->form)
            continue;
        /* A Markdown glossary is also a document: its declaration is
         * already renamed. */
        if (is_decl_file && m->start < r->t->decl_end && m->end > r->t->decl_start)
            continue;
        char *text = gls_rename_use(doc->text + m->start, m->end - m->start, f, m->flags,
                                    r->new_name);
        add_edit(r, s, doc, m->start, m->end, text);
        free(text);
    }
}

/* Another concept's form that 'name' would collide with, or NULL. */
static const gls_form_t *collision(const gls_glossary_t *g, uint32_t concept, const char *name)
{
    for (uint32_t i = 0; i < g->form_count; i++) {
        const gls_form_t *f = &g->forms[i];
        if (f->concept == concept || f->kind == GLS_FORM_AVOID)
            continue;
        if ((f->flags & GLS_FORM_CASE_SENSITIVE) ? strcmp(f->text, name) == 0
                                                 : strcasecmp(f->text, name) == 0)
            return f;
    }
    return NULL;
}

void gls_lsp_rename(gls_server_t *s, gls_request_t *req)
{
    const char *new_name;
    if (gls_json_string(req->params, "newName", &new_name, NULL) < 0) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS, "%s: needs newName (a string)",
                            req->method);
        return;
    }
    const char *invalid = gls_rename_invalid(new_name);
    if (invalid) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS, "cannot rename: %s", invalid);
        return;
    }
    target_t t;
    gls_document_t *doc;
    const gls_match_t *m;
    if (!find_target(s, req, &t, &doc, &m))
        return;
    const gls_form_t *clash = collision(t.g, t.concept, new_name);
    if (clash) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED,
                            "'%s' is already a form of '%s'; pick another name", new_name,
                            t.g->concepts[clash->concept].term);
        target_close(&t);
        return;
    }
    if (s->ws_job) {
        /* Uses in files not yet indexed would be missed. */
        gls_rpc_reply_error(req, GLS_RPC_CONTENT_MODIFIED,
                            "the workspace is still being indexed; rename again when it is done");
        target_close(&t);
        return;
    }
    rename_job_t r = {&t, new_name, json_object(), 0};
    char *decl_text;
    if (t.decl_json) {
        json_t *str = json_string(new_name);
        char *quoted = json_dumps(str, JSON_ENCODE_ANY);
        json_decref(str);
        size_t n = strlen(quoted);
        decl_text = gls_xstrndup(quoted + 1, n - 2);
        free(quoted);
    } else {
        decl_text = gls_xstrdup(new_name);
    }
    add_edit(&r, s, t.decl_doc, t.decl_start, t.decl_end, decl_text);
    free(decl_text);
    gls_server_visit_concept_documents(s, t.concept, rename_uses, &r);
    gls_log_info("rename '%s' -> '%s': %zu edits in %zu files", t.g->forms[t.form].text,
                 new_name, r.edits, json_object_size(r.changes));
    gls_rpc_reply(req, json_pack("{s:o}", "changes", r.changes));
    target_close(&t);
}

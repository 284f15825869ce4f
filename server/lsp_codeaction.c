/* lsp_codeaction.c: quick fixes for our diagnostics, built from the data
 * each diagnostic carries, plus "fix all of this rule" and source.fixAll.
 * Every change goes through a WorkspaceEdit: the server never writes a
 * file itself. */
#include <stdlib.h>
#include <string.h>

#include "gls/config.h"
#include "gls/loader.h"
#include "gls/lspjson.h"
#include "gls/uri.h"
#include "gls/server.h"
#include "gls/util.h"

static json_t *text_edit(json_t *range, const char *text)
{
    return json_pack("{s:O,s:s}", "range", range, "newText", text);
}

static json_t *workspace_edit(const char *uri, json_t *edits)
{
    json_t *changes = json_object();
    json_object_set_new(changes, uri, edits);
    return json_pack("{s:o}", "changes", changes);
}

/* One edit per finding of 'rule' (-1: every rule) that has a fix, skipping
 * overlaps so the edits can be applied together. */
static json_t *fix_all_edits(gls_server_t *s, gls_document_t *doc, int rule, size_t *count)
{
    const gls_findings_t *fs = gls_server_findings(s, doc);
    json_t *edits = json_array();
    uint32_t last_end = 0;
    *count = 0;
    for (size_t i = 0; i < fs->count; i++) {
        const gls_finding_t *f = &fs->items[i];
        if (!f->replacement || (rule >= 0 && f->rule != rule))
            continue;
        if (*count > 0 && f->start < last_end)
            continue;
        json_t *range = gls_lsp_range_new(s, doc, f->start, f->end);
        json_array_append_new(edits, text_edit(range, f->replacement));
        json_decref(range);
        last_end = f->end;
        (*count)++;
    }
    return edits;
}

static int wants_kind(json_t *only, const char *kind)
{
    if (!json_is_array(only))
        return 1;
    size_t i;
    json_t *v;
    json_array_foreach(only, i, v) {
        const char *k = json_string_value(v);
        size_t n = k ? strlen(k) : 0;
        if (k && strncmp(kind, k, n) == 0 && (kind[n] == '\0' || kind[n] == '.'))
            return 1;
    }
    return 0;
}

/* Whether the client applies workspace edits that create files. */
static int can_create_files(gls_server_t *s)
{
    json_t *we = json_object_get(json_object_get(s->client_capabilities, "workspace"),
                                 "workspaceEdit");
    if (!json_is_true(json_object_get(we, "documentChanges")))
        return 0;
    json_t *ops = json_object_get(we, "resourceOperations");
    size_t i;
    json_t *v;
    json_array_foreach(ops, i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), "create") == 0)
            return 1;
    }
    return 0;
}

/* An edit that makes the JSON file at 'path' hold 'root' (a new reference,
 * stolen): a full replacement when the file exists, a create-and-insert
 * when it does not (when the client can create files). NULL when neither
 * is possible. The server writes nothing itself: the editor applies it. */
static json_t *json_file_edit(gls_server_t *s, const char *path, json_t *root, int existed,
                              const char *old_text, size_t old_len)
{
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return NULL;
    gls_buf_t body;
    gls_buf_init(&body);
    gls_buf_puts(&body, text);
    gls_buf_putc(&body, '\n');
    free(text);
    char *uri = gls_path_to_uri(path);
    json_t *edit = NULL;
    if (existed) {
        gls_lines_t lines;
        gls_lines_init(&lines);
        gls_lines_build(&lines, old_text, old_len);
        uint32_t el, ec;
        gls_offset_to_position(&lines, old_text, old_len, old_len, s->encoding, &el, &ec);
        gls_lines_close(&lines);
        json_t *changes = json_object();
        json_object_set_new(changes, uri,
                            json_pack("[{s:{s:{s:i,s:i},s:{s:I,s:I}},s:s}]", "range", "start",
                                      "line", 0, "character", 0, "end", "line", (json_int_t)el,
                                      "character", (json_int_t)ec, "newText", body.data));
        edit = json_pack("{s:o}", "changes", changes);
    } else if (can_create_files(s)) {
        edit = json_pack("{s:[{s:s,s:s,s:{s:b}},{s:{s:s,s:n},s:[{s:{s:{s:i,s:i},s:{s:i,s:i}},s:s}]}]}",
                         "documentChanges", "kind", "create", "uri", uri, "options",
                         "ignoreIfExists", 1, "textDocument", "uri", uri, "version", "edits",
                         "range", "start", "line", 0, "character", 0, "end", "line", 0,
                         "character", 0, "newText", body.data);
    }
    free(uri);
    gls_buf_close(&body);
    return edit;
}

/* Reads a JSON object file; '*existed' says whether it was there. Returns
 * a new reference, an empty object for a missing file, or NULL when the
 * file exists but is not a JSON object (then no edit is offered). */
static json_t *read_json_file(const char *path, int *existed, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    int rc = gls_read_file(path, 16u << 20, text, len);
    *existed = rc == 0;
    if (rc < 0)
        return json_object();
    json_t *root = json_loadb(*text, *len, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* "Add 'XYZ' to the project glossary" and "Ignore 'XYZ' in this
 * workspace" for an undefined acronym. */
static void acronym_actions(gls_server_t *s, json_t *diag, const char *token, json_t *actions)
{
    if (!s->root_path)
        return;
    /* The project glossary: a stub entry for the user to complete. */
    char *path = gls_xasprintf("%s/%s", s->root_path, GLS_PROJECT_GLOSSARY);
    int existed;
    char *old;
    size_t old_len;
    json_t *root = read_json_file(path, &existed, &old, &old_len);
    if (root) {
        json_t *concepts = json_object_get(root, "concepts");
        if (!json_is_array(concepts)) {
            concepts = json_array();
            json_object_set_new(root, "concepts", concepts);
        }
        gls_buf_t id;
        gls_buf_init(&id);
        for (const char *p = token; *p; p++)
            gls_buf_putc(&id, (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p));
        /* The user completes it: the full form as 'term' with the acronym
         * under 'abbreviations', and a definition. */
        json_array_append_new(concepts, json_pack("{s:s,s:s,s:s}", "id", id.data, "term", token,
                                                  "definition", ""));
        gls_buf_close(&id);
        json_t *edit = json_file_edit(s, path, root, existed, old, old_len);
        if (edit)
            json_array_append_new(
                actions, json_pack("{s:s++,s:s,s:[O],s:o}", "title", "Add '", token,
                                   "' to the project glossary", "kind", "quickfix", "diagnostics",
                                   diag, "edit", edit));
    }
    free(old);
    free(path);
    /* The workspace config: the word is ignored from now on. */
    path = gls_xasprintf("%s/%s", s->root_path, GLS_CONFIG_FILE);
    root = read_json_file(path, &existed, &old, &old_len);
    if (root) {
        json_t *ignored = json_object_get(root, "ignoredWords");
        if (!json_is_array(ignored)) {
            ignored = json_array();
            json_object_set_new(root, "ignoredWords", ignored);
        }
        json_array_append_new(ignored, json_string(token));
        json_t *edit = json_file_edit(s, path, root, existed, old, old_len);
        if (edit)
            json_array_append_new(
                actions, json_pack("{s:s++,s:s,s:[O],s:o}", "title", "Ignore '", token,
                                   "' in this workspace", "kind", "quickfix", "diagnostics", diag,
                                   "edit", edit));
    }
    free(old);
    free(path);
}

void gls_lsp_code_action(gls_server_t *s, gls_request_t *req)
{
    const char *uri;
    json_t *ctx = json_object_get(req->params, "context");
    json_t *diags = json_is_object(ctx) ? json_object_get(ctx, "diagnostics") : NULL;
    if (gls_lsp_text_document_uri(req->params, &uri) < 0 || !json_is_array(diags)) {
        gls_rpc_reply_error(req, GLS_RPC_INVALID_PARAMS,
                            "textDocument/codeAction: needs textDocument.uri and "
                            "context.diagnostics");
        return;
    }
    gls_document_t *doc = gls_documents_get(&s->documents, uri);
    if (!doc) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "document not open: %s", uri);
        return;
    }
    json_t *only = json_object_get(ctx, "only");
    json_t *actions = json_array();
    unsigned seen_rules = 0;
    size_t i;
    json_t *d;
    if (wants_kind(only, "quickfix")) {
        json_array_foreach(diags, i, d) {
            if (!json_is_object(d))
                continue;
            const char *source = json_string_value(json_object_get(d, "source"));
            json_t *data = json_object_get(d, "data");
            if (!source || strcmp(source, "glossary-ls") != 0 || !json_is_object(data))
                continue;
            const char *rule = json_string_value(json_object_get(data, "rule"));
            const char *token = json_string_value(json_object_get(data, "token"));
            if (rule && token && strcmp(rule, "undefined-acronym") == 0)
                acronym_actions(s, d, token, actions);
            const char *repl = json_string_value(json_object_get(data, "replacement"));
            const char *title = json_string_value(json_object_get(data, "fixTitle"));
            json_t *range = json_object_get(d, "range");
            uint32_t sl, sc, el, ec;
            if (!rule || !repl || gls_lsp_range(range, &sl, &sc, &el, &ec) < 0)
                continue;
            json_t *edit = workspace_edit(uri, json_pack("[o]", text_edit(range, repl)));
            json_array_append_new(actions,
                                  json_pack("{s:s,s:s,s:[O],s:b,s:o}", "title",
                                            title ? title : "Apply fix", "kind", "quickfix",
                                            "diagnostics", d, "isPreferred", 1, "edit", edit));
            int r = gls_rule_find(rule);
            if (r >= 0 && !((seen_rules >> r) & 1)) {
                seen_rules |= 1u << r;
                size_t n;
                json_t *edits = fix_all_edits(s, doc, r, &n);
                if (n > 1)
                    json_array_append_new(
                        actions, json_pack("{s:s++,s:s,s:o}", "title", "Fix all ", rule,
                                           " problems in this document", "kind", "quickfix",
                                           "edit", workspace_edit(uri, edits)));
                else
                    json_decref(edits);
            }
        }
    }
    if (json_is_array(only) && wants_kind(only, "source.fixAll")) {
        size_t n;
        json_t *edits = fix_all_edits(s, doc, -1, &n);
        if (n > 0)
            json_array_append_new(actions,
                                  json_pack("{s:s,s:s,s:o}", "title",
                                            "Fix all glossary-ls problems", "kind",
                                            "source.fixAll", "edit", workspace_edit(uri, edits)));
        else
            json_decref(edits);
    }
    gls_rpc_reply(req, actions);
}

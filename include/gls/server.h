/* server.h: the LSP daemon: wires transport -> framing -> rpc -> LSP
 * handlers on one libuv loop and owns the session state. */
#ifndef GLS_SERVER_H
#define GLS_SERVER_H

#include <jansson.h>
#include <stdint.h>
#include <uv.h>

#include "gls/document.h"
#include "gls/analysis.h"
#include "gls/framing.h"
#include "gls/glossary.h"
#include "gls/position.h"
#include "gls/rpc.h"
#include "gls/rules.h"
#include "gls/settings.h"
#include "gls/transport.h"

typedef enum gls_server_state {
    GLS_STATE_UNINITIALIZED, /* before 'initialize' */
    GLS_STATE_RUNNING,       /* after 'initialize' was answered */
    GLS_STATE_SHUTDOWN,      /* after 'shutdown': only 'exit' is honoured */
    GLS_STATE_EXITING        /* closing handles */
} gls_server_state_t;

typedef struct gls_server_options {
    size_t max_message;     /* framing cap in bytes; 0 = default */
    int in_fd, out_fd;
    unsigned parent_poll_ms; /* how often to check the client's process; 0 = default */
} gls_server_options_t;

typedef struct gls_server {
    uv_loop_t *loop;
    gls_server_options_t opts;
    gls_transport_t transport;
    gls_framer_t framer;
    gls_rpc_t rpc;
    gls_documents_t documents;
    uv_idle_t pump;        /* drains the rpc queue between I/O */
    uv_timer_t parent_timer;
    int pump_active;
    int timer_active;
    int handles_open;
    gls_server_state_t state;
    int initialized_received;
    int input_ended;
    int exit_code;
    gls_encoding_t encoding;
    long long parent_pid;  /* 0 when unknown */
    json_t *client_capabilities; /* new reference, or NULL */
    json_t *initialization_options; /* new reference, or NULL */
    json_t *settings;      /* latest client settings; new reference, or NULL */
    unsigned long config_pulls; /* workspace/configuration answers received */
    char *trace;           /* $/setTrace value */
    gls_glossary_t *glossary; /* the glossary in service (a reference) */
    int hover_markdown;    /* the client renders Markdown in hovers */
    gls_settings_t config; /* parsed settings */
    int pull_diagnostics;  /* the client pulls (textDocument/diagnostic); we do not push */
    uv_timer_t debounce;   /* publishes the documents marked dirty */
    int debounce_active;
    char *docs_base;       /* file URI prefix of docs/rules/, or NULL */
    char *root_path;       /* the workspace root directory, or NULL */
    json_t *glossary_diag_uris; /* glossary files with published problems */
    json_t *glossary_files;     /* URIs of the files the glossary came from (-> true) */
    struct gls_watch *watches; /* libuv watches, when the client does not watch */
    int client_watches;    /* the client watches files for us */
    int watch_registered;
    uv_timer_t reload_timer; /* coalesces file changes */
    int reload_pending;
    char **ws_roots;       /* owned: the workspace folders' paths */
    size_t ws_root_count;
    struct gls_ws_index *ws_index; /* the workspace index in service, or NULL */
    struct gls_load_job *load_job; /* the glossary being loaded, or NULL */
    int load_again;        /* the sources changed during the load: load again */
    struct gls_ws_job *ws_job;     /* the index being built, or NULL */
    int ws_reindex;        /* build again when the current build ends */
    /* Folders below a workspace root with their own .glossary-ls.json
     * (and the roots of further workspace folders): nearest wins, as for
     * check. Created when a document there is first analysed. */
    struct gls_profile **profiles;
    size_t profile_count;
    unsigned long profile_generation; /* bumped when every profile is dropped */
} gls_server_t;

/* The settings and glossary of documents under one configuration file
 * that is not the workspace root's (lsp_profiles.c). */
typedef struct gls_profile {
    char *config_path;        /* the .glossary-ls.json it reads */
    char *root;               /* the workspace folder it lies in (confinement) */
    gls_settings_t config;    /* user < this file < editor settings */
    gls_glossary_t *glossary; /* in service (a reference), NULL until loaded */
    struct gls_load_job *load_job;
    int load_again;
} gls_profile_t;

/* Per-document analysis, attached to the document and recomputed when the
 * document's version or the glossary changes. */
typedef struct gls_doc_state {
    gls_analysis_t analysis;
    unsigned long edits_seen;  /* document edits when analysed */
    gls_glossary_t *glossary_seen; /* borrowed pointer, compared only */
    int valid;
    gls_findings_t findings;   /* the rules' findings for 'analysis' */
    int findings_valid;
    int dirty;                 /* diagnostics to publish after the debounce */
    int64_t published_version; /* last version published, -1 none */
    int too_big;               /* over maxDocumentSize: analysed as empty */
    gls_profile_t *profile;    /* borrowed; NULL: the workspace root's settings */
    unsigned long profile_generation; /* s->profile_generation when resolved, 0 never */
    int told_too_big;          /* the user was told, once per stretch over */
} gls_doc_state_t;

/* The document's state, created on first use. */
gls_doc_state_t *gls_server_doc_state(gls_server_t *s, gls_document_t *doc);
/* The findings for the document's current text (computed on demand). */
const gls_findings_t *gls_server_findings(gls_server_t *s, gls_document_t *doc);
/* Publishes now (didOpen) or after the debounce (didChange); nothing when
 * the client pulls. */
void gls_server_diagnostics_changed(gls_server_t *s, gls_document_t *doc, int immediate);
/* Clears a closed document's diagnostics on the client. */
void gls_server_diagnostics_closed(gls_server_t *s, const char *uri);
/* Re-applies settings: reloads the glossary when its sources changed,
 * re-publishes every open document. */
void gls_server_settings_changed(gls_server_t *s);
/* Reloads the glossary from its sources now and re-checks open documents;
 * a glossary with errors keeps the previous one in service. */
void gls_server_reload(gls_server_t *s);
/* Editing a glossary file (lsp_glossary_file.c). Notes which files the
 * glossary in service came from; call after every swap. */
void gls_server_note_glossary_files(gls_server_t *s);
int gls_server_is_glossary_file(gls_server_t *s, const gls_document_t *doc);
/* The glossary's own problems in that file, as LSP diagnostics (new). */
json_t *gls_glossary_file_diagnostics(gls_server_t *s, const gls_document_t *doc);
/* Answer 'req' and return 1 when the cursor is on a concept reference of
 * a glossary file; else 0, 'req' untouched. */
int gls_lsp_glossary_file_hover(gls_server_t *s, gls_request_t *req, const gls_document_t *doc,
                                size_t offset);
int gls_lsp_glossary_file_completion(gls_server_t *s, gls_request_t *req,
                                     const gls_document_t *doc, size_t offset);

/* The profile of the document (NULL: the root's settings and glossary),
 * created and loaded on first use (lsp_profiles.c). */
gls_profile_t *gls_server_doc_profile(gls_server_t *s, gls_document_t *doc);
/* The glossary and settings the document is checked with. */
gls_glossary_t *gls_server_doc_glossary(gls_server_t *s, gls_document_t *doc);
const gls_settings_t *gls_server_doc_settings(gls_server_t *s, gls_document_t *doc);
/* Drops every profile (settings or configuration files changed): each
 * document resolves its profile again on next use. */
void gls_server_profiles_reset(gls_server_t *s);
/* Starts loading a profile's glossary in the thread pool (lsp_lifecycle.c). */
void gls_server_profile_load(gls_server_t *s, gls_profile_t *p);
/* Drops a profile's load under way (its result will be freed unused). */
void gls_server_profile_load_forget(gls_profile_t *p);
/* The merged settings object for a profile's configuration file (new reference). */
json_t *gls_server_profile_settings(gls_server_t *s, const gls_profile_t *p);

/* Lets the rpc queue run again after a handler paused it. */
void gls_server_resume(gls_server_t *s);
/* Forgets a glossary load in progress (exit): its result is dropped. */
void gls_server_glossary_stop(gls_server_t *s);
/* Reloads shortly (file changes come in bursts). */
void gls_server_schedule_reload(gls_server_t *s);
/* (Re)starts watching the glossary and configuration files in use. */
void gls_server_watch(gls_server_t *s);
/* Stops the libuv watches (closing their handles). */
void gls_server_unwatch(gls_server_t *s);
/* A range {start, end} for bytes [a, b) of 'doc'. Returns a new reference. */
json_t *gls_lsp_range_new(gls_server_t *s, const gls_document_t *doc, size_t a, size_t b);
/* Reads params.textDocument + params.position; answers 'req' with an error
 * and returns NULL when malformed or not open. */
gls_document_t *gls_lsp_document_position(gls_server_t *s, gls_request_t *req, size_t *offset);

/* Calls 'fn' for every open document, then for every file of the
 * workspace index that uses concept 'c' and is not open (read from disk
 * and analysed for the call; 'doc' and 'a' live only during it). */
typedef void (*gls_doc_visit_fn)(gls_server_t *s, const gls_document_t *doc,
                                 const gls_analysis_t *a, void *ud);
void gls_server_visit_concept_documents(gls_server_t *s, uint32_t c, gls_doc_visit_fn fn,
                                        void *ud);

/* The workspace index (lsp_workspace.c). Starts (or restarts) building it
 * in the background, with work-done progress when the client shows it. */
void gls_server_index_workspace(gls_server_t *s);
/* Cancels a build in progress (exit); the index in service stays. */
void gls_server_workspace_stop(gls_server_t *s);
/* Frees the index and the folders. */
void gls_server_workspace_close(gls_server_t *s);
/* The workspace folders from initialize's workspaceFolders (URIs), else
 * 'root'. */
void gls_server_set_workspace_folders(gls_server_t *s, json_t *folders, const char *root);
/* A document of the workspace was saved (its analysis 'a'), changed on
 * disk ('a' NULL: read it) or deleted. */
void gls_server_workspace_file_changed(gls_server_t *s, const char *path, int deleted,
                                       const gls_analysis_t *a);
/* Uses of 'concept' across the workspace's documents (0 without an index). */
uint32_t gls_server_workspace_uses(const gls_server_t *s, uint32_t concept);

/* Returns the up-to-date analysis of 'doc' (computed on demand). */
const gls_analysis_t *gls_server_analysis(gls_server_t *s, gls_document_t *doc);

/* Runs the server on 'loop' until exit; returns the process exit code.
 * The loop has no handles left open when this returns. */
int gls_server_run(uv_loop_t *loop, const gls_server_options_t *opts);

/* Handlers, one file per feature; each answers or defers 'req'. */
typedef void (*gls_handler_fn)(gls_server_t *s, gls_request_t *req);

void gls_lsp_initialize(gls_server_t *s, gls_request_t *req);
void gls_lsp_initialized(gls_server_t *s, gls_request_t *req);
void gls_lsp_shutdown(gls_server_t *s, gls_request_t *req);
void gls_lsp_exit(gls_server_t *s, gls_request_t *req);
void gls_lsp_set_trace(gls_server_t *s, gls_request_t *req);
void gls_lsp_did_change_configuration(gls_server_t *s, gls_request_t *req);
void gls_lsp_did_open(gls_server_t *s, gls_request_t *req);
void gls_lsp_did_change(gls_server_t *s, gls_request_t *req);
void gls_lsp_did_close(gls_server_t *s, gls_request_t *req);
void gls_lsp_did_save(gls_server_t *s, gls_request_t *req);
void gls_lsp_document_state(gls_server_t *s, gls_request_t *req);
void gls_lsp_status(gls_server_t *s, gls_request_t *req);
void gls_lsp_hover(gls_server_t *s, gls_request_t *req);
void gls_lsp_diagnostic(gls_server_t *s, gls_request_t *req);
void gls_lsp_workspace_diagnostic(gls_server_t *s, gls_request_t *req);
void gls_lsp_code_action(gls_server_t *s, gls_request_t *req);
void gls_lsp_completion(gls_server_t *s, gls_request_t *req);
void gls_lsp_completion_resolve(gls_server_t *s, gls_request_t *req);
void gls_lsp_inlay_hint(gls_server_t *s, gls_request_t *req);
void gls_lsp_definition(gls_server_t *s, gls_request_t *req);
void gls_lsp_document_highlight(gls_server_t *s, gls_request_t *req);
void gls_lsp_document_symbol(gls_server_t *s, gls_request_t *req);
void gls_lsp_workspace_symbol(gls_server_t *s, gls_request_t *req);
void gls_lsp_did_change_watched_files(gls_server_t *s, gls_request_t *req);
void gls_lsp_did_change_workspace_folders(gls_server_t *s, gls_request_t *req);
void gls_lsp_work_done_progress_cancel(gls_server_t *s, gls_request_t *req);
void gls_lsp_references(gls_server_t *s, gls_request_t *req);
void gls_lsp_prepare_rename(gls_server_t *s, gls_request_t *req);
void gls_lsp_rename(gls_server_t *s, gls_request_t *req);
void gls_lsp_semantic_tokens(gls_server_t *s, gls_request_t *req);
/* The semantic tokens legend (a new reference). */
json_t *gls_semantic_tokens_legend(void);

/* Asks the client for the "glossaryLs" settings section when it supports
 * workspace/configuration; the answer replaces 's->settings'. */
void gls_server_pull_configuration(gls_server_t *s);

/* Starts the orderly exit: stops reading, flushes queued frames, closes
 * every handle. */
void gls_server_begin_exit(gls_server_t *s, int code);

#endif

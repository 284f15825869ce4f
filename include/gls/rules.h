/* rules.h: the diagnostics rules. Each rule is a pure function of a
 * document's analysis and the glossary, producing findings; one rule, one
 * file (server/rule_<name>.c). Findings carry what a quick fix needs. */
#ifndef GLS_RULES_H
#define GLS_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "gls/analysis.h"
#include "gls/diag.h"

/* Severity 0 means "off". */
#define GLS_RULE_OFF 0

typedef struct gls_finding {
    uint32_t start, end;        /* bytes of the document */
    int rule;                   /* index into gls_rules[] */
    gls_severity_t severity;
    char *message;              /* owned */
    char *replacement;          /* owned: the preferred fix's new text for [start,end), or NULL */
    char *fix_title;            /* owned, with 'replacement' */
    uint32_t concept;           /* UINT32_MAX when none */
    uint32_t related_start, related_end; /* another place to show, or equal when none */
    char *related_message;      /* owned, or NULL */
    char *token;                /* owned: the word concerned (undefined-acronym), or NULL */
} gls_finding_t;

typedef struct gls_findings {
    gls_finding_t *items;
    size_t count, cap;
} gls_findings_t;

void gls_findings_init(gls_findings_t *f);
void gls_findings_close(gls_findings_t *f);
/* Adds a finding with a printf-formatted message; returns it for the
 * caller to fill the optional parts. */
gls_finding_t *gls_findings_add(gls_findings_t *f, int rule, uint32_t start, uint32_t end,
                                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Sorts by position, then rule. */
void gls_findings_sort(gls_findings_t *f);

/* Documents with at least this many matches run their rules on two
 * threads, with the same findings (default 4000; tests move it). */
extern size_t gls_rules_parallel_min_matches;

/* What the rules may be told by configuration. */
typedef struct gls_rule_settings {
    gls_severity_t severity[16];     /* per rule; GLS_RULE_OFF to disable */
    const char *const *well_known;   /* extra acronyms needing no definition */
    size_t well_known_count;
    const char *const *ignored;      /* words never reported */
    size_t ignored_count;
} gls_rule_settings_t;

typedef struct gls_rule_ctx {
    const char *text;
    uint32_t len;
    const gls_analysis_t *analysis;
    const gls_glossary_t *glossary;
    const gls_rule_settings_t *settings;
} gls_rule_ctx_t;

typedef struct gls_rule {
    const char *name;               /* the diagnostic code */
    gls_severity_t default_severity;
    const char *summary;
    void (*run)(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out);
} gls_rule_t;

extern const gls_rule_t gls_rules[];
extern const size_t gls_rule_count;

/* Index of the rule named 'name', or -1. */
int gls_rule_find(const char *name);
/* Settings with every rule at its default severity and no lists. */
void gls_rule_settings_default(gls_rule_settings_t *s);
/* Parses "off", "hint", "info"/"information", "warning", "error"; -1 if none. */
int gls_severity_parse(const char *name);
const char *gls_severity_name(gls_severity_t s);

/* Runs every enabled rule, drops findings in suppressed regions
 * (<!-- glossary-ls-disable --> ...), sorts the rest. */
void gls_rules_run(const gls_rule_ctx_t *ctx, gls_findings_t *out);

/* The rules' entry points, one per server/rule_*.c. */
void gls_rule_undefined_acronym(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out);
void gls_rule_expand_on_first_use(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out);
void gls_rule_inconsistent_term(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out);
void gls_rule_avoid_term(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out);
void gls_rule_acronym_case(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out);
void gls_rule_metric_misuse(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out);

/* Helpers shared by the rules. */

/* Whether matches i and i+1 are "Full Form (ABBR)" or "ABBR (Full Form)"
 * of one concept. */
int gls_definition_pair(const gls_rule_ctx_t *ctx, size_t i);

/* The text of a match as written (new string). */
char *gls_match_text_dup(const gls_rule_ctx_t *ctx, const gls_match_t *m);
/* 'replacement' adjusted to how 'm' was written: plural and possessive
 * endings carried over; a capital first letter kept at a sentence start
 * (new string). */
char *gls_match_adapt(const gls_rule_ctx_t *ctx, const gls_match_t *m, const char *replacement);
/* Whether only white space and markup stand between offset 'at' and the
 * start of 't' or the end of a sentence. */
int gls_sentence_start(const char *t, uint32_t at);
/* Whether the document defines 'abbr' itself: "(ABBR)" or "(ABBR, ...)"
 * right after words whose initials it is ("Change Advisory Board (CAB)",
 * "transactional Net Promoter Score (tNPS)", "Jordan Miles (JM, ...)"),
 * at a byte offset up to 'before' (UINT32_MAX: anywhere). */
int gls_defined_locally(const char *t, uint32_t len, const char *abbr, size_t n, uint32_t before);
/* The document's own expansion of 'abbr' ("*[ABBR]: text", or the words
 * before "(ABBR)" whose initials it is), appended to 'out'; 0 if none. */
int gls_local_definition(const char *t, uint32_t len, const char *abbr, size_t n, gls_buf_t *out);
/* The fix text for a match: gls_match_adapt, and when the match spans
 * markup, the replacement woven word for word around it; NULL when no
 * safe fix exists (new string). */
char *gls_match_fix(const gls_rule_ctx_t *ctx, const gls_match_t *m, const char *replacement);
/* False when the match spans markup (emphasis, a link) that a plain
 * replacement of its bytes would destroy: such findings get no fix. */
int gls_match_contiguous(const gls_rule_ctx_t *ctx, const gls_match_t *m);
/* The avoided spelling (GLS_FORM_SPELLING) that 'm' was written in, or NULL. */
const gls_form_t *gls_match_spelling_avoid(const gls_rule_ctx_t *ctx, const gls_match_t *m);

#endif

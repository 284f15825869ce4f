/* load_tbx.c: TBX termbases (ISO 30042). Reads TBX-Basic in both 2019
 * styles - DCA (<descrip type="definition">, <termNote
 * type="administrativeStatus">) and DCT (<basic:definition>,
 * <basic:administrativeStatus>) - and the older TBX 2008 "martif" layout
 * (termEntry, langSet, tig/ntig), since that is what most tools still
 * write.
 *
 * Each conceptEntry becomes a concept, read from its English langSec
 * (the first langSec when there is none in English). Its terms map by
 * administrativeStatus: the first preferred term is the concept's term,
 * admitted ones are abbreviations (termType acronym or abbreviation) or
 * aliases, deprecated and superseded ones are terms to avoid. Terms with
 * no status count as admitted, and the first term stands in when none is
 * preferred. The definition is the langSec's, else the concept's, else
 * the first term's; crossReference targets become see-also links.
 * glossary-ls writes a few things TBX-Basic has no category for as
 * <note>s on a termSec ("Use instead: ...", "Why: ...", "Case-sensitive",
 * "Ordinary word when lowercased", "Well known: needs no expansion") and
 * reads them back, so that export, import, export gives the same file.
 *
 * Security: the XML reader never opens a file or a URL. The external
 * entity loader refuses every request, XML_PARSE_NONET is set, the DTD is
 * neither loaded nor used, and any entity declaration in the internal
 * subset is a located error that stops the parse, so neither XXE nor an
 * entity-expansion bomb gets anywhere. */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/loader.h"
#include "gls/util.h"

static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_entity);
}

/* What the SAX hooks saw: the first entity declaration and the first
 * error (libxml2 goes on after some errors, and its last one, "Premature
 * end of data", points at the end of the file instead of the cause). */
typedef struct {
    int declared;
    int line, column;
    char name[128];
    int failed;
    int error_line, error_column;
    char error[256];
} entity_guard_t;

static void first_error(void *data, xmlErrorPtr e)
{
    (void)data;
    xmlParserCtxtPtr ctxt = e ? e->ctxt : NULL;
    entity_guard_t *guard = ctxt ? ctxt->_private : NULL;
    if (!guard || guard->failed || e->level < XML_ERR_ERROR)
        return;
    guard->failed = 1;
    guard->error_line = e->line;
    guard->error_column = e->int2;
    snprintf(guard->error, sizeof guard->error, "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(guard->error);
    while (n && (guard->error[n - 1] == '\n' || guard->error[n - 1] == ' '))
        guard->error[--n] = '\0';
}

static void reject_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                               const xmlChar *system_id, xmlChar *content)
{
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    xmlParserCtxtPtr ctxt = ctx;
    entity_guard_t *guard = ctxt->_private;
    if (guard && !guard->declared) {
        guard->declared = 1;
        guard->line = ctxt->input ? ctxt->input->line : 1;
        guard->column = ctxt->input ? ctxt->input->col : 1;
        snprintf(guard->name, sizeof guard->name, "%s", name ? (const char *)name : "");
    }
    xmlStopParser(ctxt);
}

typedef struct {
    gls_builder_t *b;
    const char *path;
    int errors;
    int warned_language;
} ctx_t;

static int is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The attribute 'name' (no namespace, or the xml: one for "lang"/"id"),
 * as a new string freed with free(); NULL when absent. */
static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v && (strcmp(name, "lang") == 0 || strcmp(name, "id") == 0))
        v = xmlGetNsProp(n, (const xmlChar *)name, XML_XML_NAMESPACE);
    char *out = v ? gls_xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return out;
}

static uint32_t line_of(const xmlNode *n)
{
    long line = n ? xmlGetLineNo(n) : 0;
    return line > 0 && line < (long)UINT32_MAX ? (uint32_t)line : 1;
}

/* The data category an element carries: its 'type' in the DCA style
 * (descrip, termNote, admin, ref, xref), its own name in the DCT style. */
static char *category(const xmlNode *n)
{
    static const char *const dca[] = {"descrip", "termNote", "admin", "ref", "xref",
                                      "transac", "descripNote", "adminNote"};
    for (size_t i = 0; i < GLS_ARRAY_LEN(dca); i++)
        if (is(n, dca[i]))
            return attr(n, "type");
    if (is(n, "note"))
        return gls_xstrdup("note");
    return gls_xstrdup((const char *)n->name);
}

/* Text content with the ends trimmed and the indentation that
 * pretty-printing adds to continuation lines removed (the least indent
 * of the lines after the first); NULL when empty. */
static char *text_of(const xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    if (!raw)
        return NULL;
    const char *s = (const char *)raw;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
                   s[len - 1] == '\r'))
        len--;
    size_t indent = SIZE_MAX;
    for (const char *p = memchr(s, '\n', len); p; p = memchr(p, '\n', len - (size_t)(p - s))) {
        p++;
        size_t k = 0;
        while (p + k < s + len && (p[k] == ' ' || p[k] == '\t'))
            k++;
        if (p + k < s + len && p[k] != '\n' && k < indent)
            indent = k;
    }
    char *out = NULL;
    if (len) {
        gls_buf_t b;
        gls_buf_init(&b);
        for (size_t i = 0; i < len; i++) {
            gls_buf_putc(&b, s[i]);
            if (s[i] == '\n' && indent != SIZE_MAX)
                for (size_t k = 0; k < indent && i + 1 < len && (s[i + 1] == ' ' || s[i + 1] == '\t');
                     k++)
                    i++;
        }
        out = gls_xstrndup(b.data, b.len);
        gls_buf_close(&b);
    }
    xmlFree(raw);
    return out;
}

static int grouping(const xmlNode *n)
{
    size_t len = strlen((const char *)n->name);
    return len > 3 && strcmp((const char *)n->name + len - 3, "Grp") == 0;
}

/* The first element below 'n' (through *Grp wrappers, not into langSecs
 * or termSecs) whose data category is 'want'. */
static const xmlNode *find_category(const xmlNode *n, const char *want)
{
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        char *cat = category(k);
        int hit = cat && strcmp(cat, want) == 0;
        free(cat);
        if (hit)
            return k;
        if (grouping(k)) {
            const xmlNode *deeper = find_category(k, want);
            if (deeper)
                return deeper;
        }
    }
    return NULL;
}

typedef enum { STATUS_NONE, STATUS_PREFERRED, STATUS_ADMITTED, STATUS_DEPRECATED } status_t;

typedef struct {
    char *text;
    char *type;  /* termType, or NULL */
    status_t status;
    int superseded;
    char *use, *why;
    unsigned flags;
    char *definition;
    uint32_t line;
} tbx_term_t;

static void term_close(tbx_term_t *t)
{
    free(t->text);
    free(t->type);
    free(t->use);
    free(t->why);
    free(t->definition);
}

static status_t parse_status(ctx_t *c, const xmlNode *at, const char *s, int *superseded)
{
    if (!s)
        return STATUS_NONE;
    /* TBX-Basic values carry the "-admn-sts" suffix; some tools drop it. */
    size_t n = strcspn(s, "-");
    if (n == strlen("preferredTerm") && strncmp(s, "preferredTerm", n) == 0)
        return STATUS_PREFERRED;
    if (n == strlen("admittedTerm") && strncmp(s, "admittedTerm", n) == 0)
        return STATUS_ADMITTED;
    if ((n == strlen("deprecatedTerm") && strncmp(s, "deprecatedTerm", n) == 0) ||
        (n == strlen("supersededTerm") && strncmp(s, "supersededTerm", n) == 0)) {
        *superseded = s[0] == 's';
        return STATUS_DEPRECATED;
    }
    gls_diags_add(gls_builder_diags(c->b), c->path, line_of(at), 1,
                  GLS_SEV_WARNING, "tbx-unknown-status",
                  "unknown administrativeStatus '%s' (preferredTerm-admn-sts, "
                  "admittedTerm-admn-sts, deprecatedTerm-admn-sts or supersededTerm-admn-sts); "
                  "read as admitted",
                  s);
    return STATUS_ADMITTED;
}

/* The notes glossary-ls writes for what TBX-Basic has no category for. */
static void read_note(tbx_term_t *t, const char *note)
{
    if (strncmp(note, "Use instead: ", 13) == 0) {
        free(t->use);
        t->use = gls_xstrdup(note + 13);
    } else if (strncmp(note, "Why: ", 5) == 0) {
        free(t->why);
        t->why = gls_xstrdup(note + 5);
    } else if (strcmp(note, "Case-sensitive") == 0) {
        t->flags |= GLS_FORM_CASE_SENSITIVE;
    } else if (strcmp(note, "Ordinary word when lowercased") == 0) {
        t->flags |= GLS_FORM_ORDINARY_WORD;
    } else if (strcmp(note, "Well known: needs no expansion") == 0) {
        t->flags |= GLS_FORM_WELL_KNOWN;
    }
}

/* Everything a termSec (tig, ntig) says about its term. */
static void read_term_section(ctx_t *c, const xmlNode *sec, tbx_term_t *t)
{
    for (const xmlNode *k = sec->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (grouping(k)) {
            read_term_section(c, k, t);
            continue;
        }
        if (is(k, "term")) {
            if (!t->text) {
                t->text = text_of(k);
                t->line = line_of(k);
            }
            continue;
        }
        char *cat = category(k);
        if (!cat)
            continue;
        if (strcmp(cat, "termType") == 0 && !t->type) {
            t->type = text_of(k);
        } else if (strcmp(cat, "administrativeStatus") == 0) {
            char *s = text_of(k);
            t->status = parse_status(c, k, s, &t->superseded);
            free(s);
        } else if (strcmp(cat, "note") == 0) {
            char *s = text_of(k);
            if (s)
                read_note(t, s);
            free(s);
        } else if (strcmp(cat, "definition") == 0 && !t->definition) {
            t->definition = text_of(k);
        }
        free(cat);
    }
}

static int english(const char *lang)
{
    return lang && strncasecmp(lang, "en", 2) == 0 && (lang[2] == '\0' || lang[2] == '-' ||
                                                      lang[2] == '_');
}

static int is_lang_section(const xmlNode *n)
{
    return is(n, "langSec") || is(n, "langSet");
}

static int is_term_section(const xmlNode *n)
{
    return is(n, "termSec") || is(n, "tig") || is(n, "ntig");
}

static int acronym_type(const char *type)
{
    return type && (strcmp(type, "acronym") == 0 || strcmp(type, "abbreviation") == 0 ||
                    strcmp(type, "initialism") == 0);
}

static void read_concept(ctx_t *c, const xmlNode *entry)
{
    uint32_t line = line_of(entry);
    char *id = attr(entry, "id");
    /* The language to read: English, else the first. */
    const xmlNode *lang = NULL;
    for (const xmlNode *k = entry->children; k; k = k->next) {
        if (!is_lang_section(k))
            continue;
        char *l = attr(k, "lang");
        int en = english(l);
        if (!lang || en)
            lang = k;
        free(l);
        if (en)
            break;
    }
    if (!lang) {
        gls_diags_add(gls_builder_diags(c->b), c->path, line, 1, GLS_SEV_WARNING,
                      "tbx-no-terms", "conceptEntry%s%s%s has no langSec; skipped",
                      id ? " '" : "", id ? id : "", id ? "'" : "");
        free(id);
        return;
    }
    char *lang_name = attr(lang, "lang");
    if (!english(lang_name) && !c->warned_language) {
        c->warned_language = 1;
        gls_diags_add(gls_builder_diags(c->b), c->path, line_of(lang), 1,
                      GLS_SEV_INFO, "tbx-language",
                      "conceptEntry%s%s%s has no English langSec; its '%s' terms are read "
                      "(this is said once per file)",
                      id ? " '" : "", id ? id : "", id ? "'" : "", lang_name ? lang_name : "?");
    }
    free(lang_name);

    size_t count = 0, cap = 4;
    tbx_term_t *terms = gls_xcalloc(cap, sizeof *terms);
    for (const xmlNode *k = lang->children; k; k = k->next) {
        if (!is_term_section(k))
            continue;
        if (count == cap) {
            cap *= 2;
            terms = gls_xrealloc(terms, cap * sizeof *terms);
        }
        tbx_term_t *t = &terms[count];
        memset(t, 0, sizeof *t);
        t->line = line_of(k);
        read_term_section(c, k, t);
        if (!t->text) {
            gls_diags_add(gls_builder_diags(c->b), c->path, t->line, 1, GLS_SEV_WARNING,
                          "glossary-empty-form", "a termSec without a term; ignored");
            term_close(t);
            continue;
        }
        count++;
    }
    /* The concept's term: the first preferred, else the first that is not
     * deprecated. */
    size_t head = count;
    for (size_t i = 0; i < count && head == count; i++)
        if (terms[i].status == STATUS_PREFERRED)
            head = i;
    for (size_t i = 0; i < count && head == count; i++)
        if (terms[i].status != STATUS_DEPRECATED)
            head = i;
    if (head == count) {
        gls_diags_add(gls_builder_diags(c->b), c->path, line, 1, GLS_SEV_WARNING,
                      "tbx-no-terms",
                      "conceptEntry%s%s%s has no preferred or admitted term; skipped",
                      id ? " '" : "", id ? id : "", id ? "'" : "");
    } else {
        const xmlNode *d = find_category(lang, "definition");
        if (!d)
            d = find_category(entry, "definition");
        char *definition = d ? text_of(d) : NULL;
        if (!definition && terms[head].definition)
            definition = gls_xstrdup(terms[head].definition);

        gls_draft_form_t *forms = gls_xcalloc(count, sizeof *forms);
        size_t nforms = 0;
        for (size_t i = 0; i < count; i++) {
            if (i == head)
                continue;
            const tbx_term_t *t = &terms[i];
            gls_form_kind_t kind = t->status == STATUS_DEPRECATED ? GLS_FORM_AVOID
                                   : acronym_type(t->type)        ? GLS_FORM_ABBREV
                                                                  : GLS_FORM_ALIAS;
            const char *why = t->why ? t->why : t->superseded ? "superseded term" : NULL;
            forms[nforms++] = (gls_draft_form_t){t->text,
                                                 kind,
                                                 t->flags & (GLS_FORM_ORDINARY_WORD |
                                                             GLS_FORM_WELL_KNOWN),
                                                 kind == GLS_FORM_AVOID ? t->use : NULL,
                                                 kind == GLS_FORM_AVOID ? why : NULL,
                                                 t->line,
                                                 1};
        }
        /* crossReference: links to other concepts, by target id. */
        size_t nrefs = 0, refcap = 0;
        char **refs = NULL;
        for (const xmlNode *k = entry->children; k; k = k->next) {
            if (k->type != XML_ELEMENT_NODE || is_lang_section(k))
                continue;
            char *cat = category(k);
            if (cat && strcmp(cat, "crossReference") == 0) {
                char *target = attr(k, "target");
                char *ref = target ? gls_xstrdup(target) : text_of(k);
                free(target);
                if (ref) {
                    if (target && ref[0] == '#')
                        memmove(ref, ref + 1, strlen(ref));
                    if (nrefs == refcap) {
                        refcap = refcap ? refcap * 2 : 4;
                        refs = gls_xrealloc(refs, refcap * sizeof *refs);
                    }
                    refs[nrefs++] = ref;
                }
            }
            free(cat);
        }
        gls_draft_t dr = {0};
        dr.id = id;
        dr.term = terms[head].text;
        dr.definition = definition ? definition : "";
        dr.line = line;
        dr.column = 1;
        dr.forms = forms;
        dr.form_count = nforms;
        const char **ref_view = gls_xcalloc(nrefs + 1, sizeof *ref_view);
        for (size_t i = 0; i < nrefs; i++)
            ref_view[i] = refs[i];
        dr.see_also = ref_view;
        dr.see_also_count = nrefs;
        dr.term_flags = terms[head].flags & GLS_FORM_CASE_SENSITIVE;
        gls_builder_add(c->b, &dr);
        for (size_t i = 0; i < nrefs; i++)
            free(refs[i]);
        free(refs);
        free(ref_view);
        free(forms);
        free(definition);
    }
    for (size_t i = 0; i < count; i++)
        term_close(&terms[i]);
    free(terms);
    free(id);
}

static void read_entries(ctx_t *c, const xmlNode *n, int depth)
{
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (is(k, "conceptEntry") || is(k, "termEntry"))
            read_concept(c, k);
        else if (k->type == XML_ELEMENT_NODE && depth < 8 && !is(k, "tbxHeader") &&
                 !is(k, "martifHeader") && !is(k, "back"))
            read_entries(c, k, depth + 1);
    }
}

int gls_load_tbx(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    pthread_once(&xml_once, xml_init);
    ctx_t c = {b, path, 0, 0};
    if (len > (size_t)INT32_MAX) {
        gls_diags_add(gls_builder_diags(b), path, 1, 1, GLS_SEV_ERROR, "tbx-syntax",
                      "TBX file too large");
        return 1;
    }
    if (len == 0) {
        gls_diags_add(gls_builder_diags(b), path, 1, 1, GLS_SEV_ERROR, "tbx-syntax",
                      "the file is empty; a TBX file has a 'tbx' (or 'martif') root element");
        return 1;
    }
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(text, (int)len);
    if (!ctxt) {
        gls_diags_add(gls_builder_diags(b), path, 1, 1, GLS_SEV_ERROR, "tbx-syntax",
                      "cannot start the XML reader");
        return 1;
    }
    entity_guard_t guard = {0};
    ctxt->_private = &guard;
    ctxt->sax->entityDecl = reject_entity_decl;
    ctxt->sax->serror = first_error;
    /* No network, no DTD loading or defaults, no entity substitution,
     * messages kept for our own diagnostics. */
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
    xmlParseDocument(ctxt);
    xmlDocPtr doc = ctxt->myDoc;
    if (guard.declared) {
        gls_diags_add(gls_builder_diags(b), path, (uint32_t)guard.line, (uint32_t)guard.column,
                      GLS_SEV_ERROR, "tbx-entity",
                      "the document declares the entity '%s'; TBX files with entity "
                      "declarations are refused (they can read local files or expand without "
                      "bound), nothing in this file is loaded",
                      guard.name);
        c.errors++;
    } else if (!ctxt->wellFormed || !doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        int line = guard.failed ? guard.error_line : e ? e->line : 1;
        int column = guard.failed ? guard.error_column : e ? e->int2 : 1;
        gls_diags_add(gls_builder_diags(b), path, line > 0 ? (uint32_t)line : 1,
                      column > 0 ? (uint32_t)column : 1, GLS_SEV_ERROR, "tbx-syntax",
                      "%s; nothing in this file is loaded",
                      guard.failed ? guard.error : "malformed XML");
        c.errors++;
    } else {
        const xmlNode *root = xmlDocGetRootElement(doc);
        if (!is(root, "tbx") && !is(root, "martif")) {
            gls_diags_add(gls_builder_diags(b), path, line_of(root), 1,
                          GLS_SEV_ERROR, "tbx-syntax",
                          "not a TBX file: the root element is '%s', not 'tbx' or 'martif'",
                          root ? (const char *)root->name : "(none)");
            c.errors++;
        } else {
            read_entries(&c, root, 0);
        }
    }
    if (doc)
        xmlFreeDoc(doc);
    ctxt->myDoc = NULL;
    xmlFreeParserCtxt(ctxt);
    return c.errors;
}

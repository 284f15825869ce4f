/* cli_glossary.c: `glossary-ls glossary lint FILE...` (the loader's and the
 * lint's findings for glossary files), `glossary-ls glossary export` (the
 * merged glossary as native JSON, Markdown or TBX-Basic) and `glossary-ls
 * glossary import` (one file of any format we read, converted). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/cli.h"
#include "gls/loader.h"
#include "gls/regex.h"
#include "gls/sources.h"
#include "gls/util.h"

static int lint(int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "usage: glossary-ls glossary lint FILE...\n");
        return 2;
    }
    int worst = 0;
    for (int i = 0; i < argc; i++) {
        const gls_sources_t src = {0, (const char *const *)&argv[i], 1, 0, NULL};
        size_t errors = 0;
        gls_glossary_t *g = gls_sources_load(&src, &errors);
        for (size_t k = 0; k < g->diags.count; k++) {
            char *line = gls_diag_format(&g->diags.items[k]);
            puts(line);
            free(line);
        }
        printf("%s: %u concepts, %zu errors, %zu warnings\n", argv[i], g->concept_count, errors,
               gls_diags_count(&g->diags, GLS_SEV_WARNING) - errors);
        if (errors)
            worst = 1;
        gls_glossary_unref(g);
    }
    return worst;
}

static const char *kind_json(gls_form_kind_t k)
{
    return k == GLS_FORM_ABBREV ? "abbreviations" : k == GLS_FORM_ALIAS ? "aliases" : "avoid";
}

static json_t *concept_json(const gls_glossary_t *g, uint32_t ci)
{
    const gls_concept_t *c = &g->concepts[ci];
    json_t *o = json_pack("{s:s,s:s}", "id", c->id, "term", c->term);
    for (uint32_t k = 0; k < c->form_count; k++) {
        const gls_form_t *f = &g->forms[c->first_form + k];
        if (f->kind == GLS_FORM_TERM) {
            if ((f->flags & GLS_FORM_CASE_SENSITIVE) && !(f->flags & GLS_FORM_ACRONYM))
                json_object_set_new(o, "caseSensitive", json_true());
            continue;
        }
        const char *key = kind_json((gls_form_kind_t)f->kind);
        json_t *list = json_object_get(o, key);
        if (!list) {
            list = json_array();
            json_object_set_new(o, key, list);
        }
        if (f->kind == GLS_FORM_AVOID) {
            json_t *a = json_pack("{s:s}", "term", f->text);
            if (f->use)
                json_object_set_new(a, "use", json_string(f->use));
            if (f->why)
                json_object_set_new(a, "why", json_string(f->why));
            json_array_append_new(list, a);
        } else if (f->flags & (GLS_FORM_ORDINARY_WORD | GLS_FORM_WELL_KNOWN)) {
            json_t *a = json_pack("{s:s}", "form", f->text);
            if (f->flags & GLS_FORM_ORDINARY_WORD)
                json_object_set_new(a, "ordinaryWord", json_true());
            if (f->flags & GLS_FORM_WELL_KNOWN)
                json_object_set_new(a, "wellKnown", json_true());
            json_array_append_new(list, a);
        } else {
            json_array_append_new(list, json_string(f->text));
        }
    }
    json_object_set_new(o, "definition", json_string(c->definition));
    if (c->see_also_count) {
        json_t *sa = json_array();
        for (uint32_t k = 0; k < c->see_also_count; k++)
            json_array_append_new(sa, json_string(c->see_also[k]));
        json_object_set_new(o, "seeAlso", sa);
    }
    if (c->value_count || c->cadence || c->contradicting_count) {
        json_t *facts = json_object();
        if (c->value_count) {
            json_t *vals = json_array();
            for (uint32_t k = 0; k < c->value_count; k++) {
                const gls_value_range_t *r = &c->values[k];
                json_t *v = json_pack("{s:s}", "unit", gls_unit_name((gls_unit_t)r->unit));
                if (r->has_min)
                    json_object_set_new(v, "min", json_real(r->min));
                if (r->has_max)
                    json_object_set_new(v, "max", json_real(r->max));
                json_array_append_new(vals, v);
            }
            json_object_set_new(facts, "values", vals);
        }
        if (c->cadence)
            json_object_set_new(facts, "cadence", json_string(c->cadence));
        if (c->contradicting_count) {
            json_t *q = json_array();
            for (uint32_t k = 0; k < c->contradicting_count; k++)
                json_array_append_new(q, json_string(c->contradicting[k]));
            json_object_set_new(facts, "contradictingQualifiers", q);
        }
        json_object_set_new(o, "facts", facts);
    }
    return o;
}

static json_t *patterns_json(const gls_glossary_t *g)
{
    json_t *list = json_array();
    for (uint32_t i = 0; i < g->pattern_count; i++) {
        const gls_pattern_t *p = &g->patterns[i];
        json_t *o = json_pack("{s:s}", "pattern", p->regex);
        if (p->kind == GLS_PATTERN_EXACT_CASE)
            json_object_set_new(o, "kind", json_string("exact-case"));
        if (p->use)
            json_object_set_new(o, "use", json_string(p->use));
        if (p->why)
            json_object_set_new(o, "why", json_string(p->why));
        if (p->flags & GLS_REGEX_CASELESS)
            json_object_set_new(o, "ignoreCase", json_true());
        if (p->flags & GLS_REGEX_WORDS)
            json_object_set_new(o, "wholeWords", json_true());
        if (p->capitalize)
            json_object_set_new(o, "capitalize", json_true());
        if (p->empty_group)
            json_object_set_new(o, "emptyGroup", json_integer(p->empty_group));
        json_array_append_new(list, o);
    }
    return list;
}

/* Escaped for XML 1.0 element content and attributes. Control bytes XML
 * cannot carry at all are dropped; CR is kept as a character reference
 * so that the reader does not fold it into LF. */
static void xml_escape(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\r':
            fputs("&#13;", out);
            break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                fputc(*s, out);
        }
    }
}

/* termType, chosen so that the importer (load_tbx.c) reads the form
 * back as the same kind: acronym for abbreviations, shortForm for an
 * acronym-shaped alias, variant for an avoided spelling. */
static const char *term_type(const gls_form_t *f)
{
    switch (f->kind) {
    case GLS_FORM_ABBREV:
        return "acronym";
    case GLS_FORM_ALIAS:
        return f->flags & GLS_FORM_ACRONYM ? "shortForm" : "fullForm";
    case GLS_FORM_AVOID:
        if (f->flags & GLS_FORM_SPELLING)
            return "variant";
        return f->flags & GLS_FORM_ACRONYM ? "acronym" : "fullForm";
    default:
        return f->flags & GLS_FORM_ACRONYM ? "acronym" : "fullForm";
    }
}

static const char *status(const gls_form_t *f)
{
    switch (f->kind) {
    case GLS_FORM_TERM:
        return "preferredTerm-admn-sts";
    case GLS_FORM_AVOID:
        return "deprecatedTerm-admn-sts";
    default:
        return "admittedTerm-admn-sts";
    }
}

static void tbx_note(const char *prefix, const char *text)
{
    printf("            <note>");
    xml_escape(stdout, prefix);
    if (text)
        xml_escape(stdout, text);
    puts("</note>");
}

/* TBX-Basic (ISO 30042:2019, DCA style): one conceptEntry per concept,
 * one English langSec with the definition, one termSec per form with its
 * termType and administrativeStatus; see-also as crossReference. What
 * TBX-Basic has no category for (the form to use instead of an avoided
 * one, why, case sensitivity, ordinary and well-known words) goes in
 * notes that load_tbx.c reads back. Metric facts and patterns have no
 * place: stderr says how many were left out. */
static void export_tbx(const gls_glossary_t *g)
{
    puts("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    puts("<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" "
         "xmlns=\"urn:iso:std:iso:30042:ed-2\">");
    puts("  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>Exported by glossary-ls</p>"
         "\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n  <text>\n    <body>");
    unsigned facts = 0; /* concepts with metric facts, which TBX-Basic cannot carry */
    for (uint32_t ci = 0; ci < g->concept_count; ci++) {
        const gls_concept_t *c = &g->concepts[ci];
        facts += c->value_count || c->cadence || c->contradicting_count;
        printf("      <conceptEntry id=\"");
        xml_escape(stdout, c->id);
        puts("\">");
        for (uint32_t k = 0; k < c->see_also_count; k++) {
            uint32_t t = c->see_also_resolved ? c->see_also_resolved[k] : UINT32_MAX;
            if (t == UINT32_MAX)
                continue;
            printf("        <ref type=\"crossReference\" target=\"");
            xml_escape(stdout, g->concepts[t].id);
            printf("\">");
            xml_escape(stdout, g->concepts[t].term);
            puts("</ref>");
        }
        puts("        <langSec xml:lang=\"en\">");
        if (*c->definition) {
            printf("          <descrip type=\"definition\">");
            xml_escape(stdout, c->definition);
            puts("</descrip>");
        }
        for (uint32_t k = 0; k < c->form_count; k++) {
            const gls_form_t *f = &g->forms[c->first_form + k];
            printf("          <termSec>\n            <term>");
            xml_escape(stdout, f->text);
            printf("</term>\n            <termNote type=\"termType\">%s</termNote>\n"
                   "            <termNote type=\"administrativeStatus\">%s</termNote>\n",
                   term_type(f), status(f));
            if (f->kind == GLS_FORM_AVOID && f->use)
                tbx_note("Use instead: ", f->use);
            if (f->kind == GLS_FORM_AVOID && f->why)
                tbx_note("Why: ", f->why);
            if (f->kind == GLS_FORM_TERM && (f->flags & GLS_FORM_CASE_SENSITIVE) &&
                !(f->flags & GLS_FORM_ACRONYM))
                tbx_note("Case-sensitive", NULL);
            if (f->kind != GLS_FORM_TERM && (f->flags & GLS_FORM_ORDINARY_WORD))
                tbx_note("Ordinary word when lowercased", NULL);
            if (f->kind != GLS_FORM_TERM && (f->flags & GLS_FORM_WELL_KNOWN))
                tbx_note("Well known: needs no expansion", NULL);
            puts("          </termSec>");
        }
        puts("        </langSec>\n      </conceptEntry>");
    }
    puts("    </body>\n  </text>\n</tbx>");
    if (facts)
        fprintf(stderr,
                "glossary-ls: TBX-Basic has no place for metric facts: left out those of %u "
                "concepts (json keeps them)\n",
                facts);
}

static void export_markdown(const gls_glossary_t *g)
{
    puts("# Glossary\n");
    for (uint32_t ci = 0; ci < g->concept_count; ci++) {
        const gls_concept_t *c = &g->concepts[ci];
        const gls_form_t *abbr = gls_glossary_first_form(g, ci, GLS_FORM_ABBREV);
        printf("## %s%s%s%s\n\n%s\n\n", c->term, abbr ? " (" : "", abbr ? abbr->text : "",
               abbr ? ")" : "", c->definition);
        const char *labels[] = {"Aliases", "Avoid"};
        gls_form_kind_t kinds[] = {GLS_FORM_ALIAS, GLS_FORM_AVOID};
        for (int l = 0; l < 2; l++) {
            int any = 0;
            for (uint32_t k = 0; k < c->form_count; k++) {
                const gls_form_t *f = &g->forms[c->first_form + k];
                if (f->kind != kinds[l] && !(l == 0 && f->kind == GLS_FORM_ABBREV && f != abbr))
                    continue;
                printf("%s%s", any ? ", " : (l ? "Avoid: " : "Aliases: "), f->text);
                if (f->kind == GLS_FORM_AVOID && f->use)
                    printf(" -> %s", f->use);
                any = 1;
            }
            if (any)
                puts("");
            (void)labels;
        }
        if (c->see_also_count) {
            printf("See also: ");
            for (uint32_t k = 0; k < c->see_also_count; k++) {
                uint32_t t = c->see_also_resolved ? c->see_also_resolved[k] : UINT32_MAX;
                printf("%s%s", k ? ", " : "", t == UINT32_MAX ? c->see_also[k] : g->concepts[t].term);
            }
            puts("");
        }
        puts("");
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The known words, sorted so that the export does not depend on the
 * hash map's order. */
static json_t *known_words_json(const gls_glossary_t *g)
{
    const gls_strmap_t *m = &g->known_words;
    char **words = gls_xcalloc(m->count + 1, sizeof *words);
    size_t n = 0;
    for (size_t i = 0; m->slots && i < m->cap; i++)
        if (m->slots[i].key)
            words[n++] = gls_xstrndup(m->slots[i].key, m->slots[i].len);
    qsort(words, n, sizeof *words, cmp_str);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(list, json_string(words[i]));
        free(words[i]);
    }
    free(words);
    return list;
}

/* What a format without a place for it leaves out, said on stderr. */
static void say_left_out(const gls_glossary_t *g, const char *format)
{
    if (g->pattern_count || g->known_words.count)
        fprintf(stderr,
                "glossary-ls: %s has no place for patterns or known words: left out %u "
                "patterns and %zu known words (json keeps them)\n",
                format, g->pattern_count, (size_t)g->known_words.count);
}

static int known_output(const char *format)
{
    return strcmp(format, "json") == 0 || strcmp(format, "markdown") == 0 ||
           strcmp(format, "tbx") == 0;
}

static void write_glossary(const gls_glossary_t *g, const char *format)
{
    if (strcmp(format, "json") == 0) {
        json_t *concepts = json_array();
        for (uint32_t ci = 0; ci < g->concept_count; ci++)
            json_array_append_new(concepts, concept_json(g, ci));
        json_t *root = json_pack("{s:s,s:i,s:o}", "name", "Exported by glossary-ls", "version", 1,
                                 "concepts", concepts);
        if (g->pattern_count)
            json_object_set_new(root, "patterns", patterns_json(g));
        if (g->known_words.count)
            json_object_set_new(root, "knownWords", known_words_json(g));
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
        putchar('\n');
        json_decref(root);
    } else if (strcmp(format, "markdown") == 0) {
        export_markdown(g);
        say_left_out(g, "Markdown");
    } else {
        export_tbx(g);
        say_left_out(g, "TBX-Basic");
    }
}

/* Prints the loader's problems at 'min' severity or worse to stderr. */
static void report(const gls_glossary_t *g, gls_severity_t min)
{
    for (size_t k = 0; k < g->diags.count; k++)
        if (g->diags.items[k].severity <= min) {
            char *line = gls_diag_format(&g->diags.items[k]);
            fprintf(stderr, "%s\n", line);
            free(line);
        }
}

static int export(int argc, char **argv)
{
    const char *format = "json";
    int builtin = 1;
    const char **files = gls_xcalloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strncmp(argv[i], "--format=", 9) == 0)
            format = argv[i] + 9;
        else if (strcmp(argv[i], "--glossary") == 0 && i + 1 < argc)
            files[nfiles++] = argv[++i];
        else if (strcmp(argv[i], "--no-builtin") == 0)
            builtin = 0;
        else {
            fprintf(stderr, "usage: glossary-ls glossary export [--format json|markdown|tbx] "
                            "[--glossary FILE]... [--no-builtin]\n");
            free(files);
            return 2;
        }
    }
    if (!known_output(format)) {
        fprintf(stderr, "glossary-ls: unknown export format '%s' (json, markdown or tbx)\n",
                format);
        free(files);
        return 2;
    }
    gls_sources_t src = {builtin, files, nfiles, 0, NULL};
    size_t errors = 0;
    gls_glossary_t *g = gls_sources_load(&src, &errors);
    free(files);
    if (errors) {
        report(g, GLS_SEV_ERROR);
        gls_glossary_unref(g);
        return 2;
    }
    write_glossary(g, format);
    gls_glossary_unref(g);
    return 0;
}

#define IMPORT_USAGE                                                                              \
    "usage: glossary-ls glossary import FILE [--from FORMAT] [--to json|markdown|tbx]\n"         \
    "  FORMAT: json, markdown, text, tbx, contextive, vale-accept, vale-reject, vale-rule,\n"    \
    "          textlint, prh, cspell, cspell-words (default: guessed from the name and content)\n"

/* One file in any format we read, written out in one we write. The
 * built-in glossary is not mixed in. Loader errors are printed and
 * nothing is written, so a conversion never drops entries silently;
 * warnings are printed and the conversion goes on. */
static int import(int argc, char **argv)
{
    const char *to = "json", *from = NULL, *file = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            to = argv[++i];
        else if (strncmp(argv[i], "--to=", 5) == 0)
            to = argv[i] + 5;
        else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            from = argv[++i];
        else if (strncmp(argv[i], "--from=", 7) == 0)
            from = argv[i] + 7;
        else if (argv[i][0] != '-' && !file)
            file = argv[i];
        else {
            fputs(IMPORT_USAGE, stderr);
            return 2;
        }
    }
    if (!file) {
        fputs(IMPORT_USAGE, stderr);
        return 2;
    }
    if (!known_output(to)) {
        fprintf(stderr, "glossary-ls: unknown output format '%s' (json, markdown or tbx)\n", to);
        return 2;
    }
    gls_glossary_format_t format = GLS_FORMAT_UNKNOWN;
    if (from && (format = gls_glossary_format_parse(from)) == GLS_FORMAT_UNKNOWN) {
        fprintf(stderr, "glossary-ls: unknown input format '%s'\n" IMPORT_USAGE, from);
        return 2;
    }
    char *text = NULL;
    size_t len = 0;
    int rc = gls_read_file(file, 16u << 20, &text, &len);
    if (rc < 0) {
        fprintf(stderr, "glossary-ls: %s: %s\n", file,
                rc == -EFBIG ? "larger than 16 MiB" : strerror(-rc));
        return 2;
    }
    gls_builder_t *b = gls_builder_new(file);
    gls_load(b, file, text, len, format);
    free(text);
    gls_glossary_t *g = gls_builder_freeze(b);
    size_t errors = gls_diags_count(&g->diags, GLS_SEV_ERROR);
    report(g, GLS_SEV_WARNING);
    if (errors) {
        fprintf(stderr, "glossary-ls: %s: %zu error%s; nothing written\n", file, errors,
                errors == 1 ? "" : "s");
        gls_glossary_unref(g);
        return 1;
    }
    write_glossary(g, to);
    gls_glossary_unref(g);
    return 0;
}

int gls_cli_glossary(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "lint") == 0)
        return lint(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "export") == 0)
        return export(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "import") == 0)
        return import(argc - 1, argv + 1);
    fprintf(stderr, "usage: glossary-ls glossary lint FILE...\n"
                    "       glossary-ls glossary export [--format json|markdown|tbx] "
                    "[--glossary FILE]... [--no-builtin]\n"
                    "       glossary-ls glossary import FILE [--from FORMAT] "
                    "[--to json|markdown|tbx]\n");
    return 2;
}

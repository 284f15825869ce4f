/* fuzz_analysis.c: any bytes as a Markdown or plain-text document: prose
 * extraction, matching against the built-in glossary and every rule; then
 * a fuzzer-chosen edit applied incrementally must give the same analysis
 * as one made from scratch. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gls/analysis.h"
#include "gls/document.h"
#include "gls/loader.h"
#include "gls/rules.h"

static gls_glossary_t *glossary;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!glossary) {
        gls_builder_t *b = gls_builder_new("built-in");
        gls_load_builtin(b);
        glossary = gls_builder_freeze(b);
    }
    if (size < 4)
        return 0;
    gls_language_t lang = data[0] & 1 ? GLS_LANGUAGE_MARKDOWN : GLS_LANGUAGE_TEXT;
    const char *text = (const char *)data + 4;
    size_t len = size - 4;
    gls_document_t *doc = gls_document_new("file:///f.md", "markdown", 1, text, len);
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, glossary, doc->text, (uint32_t)doc->len, lang);
    gls_rule_settings_t st;
    gls_rule_settings_default(&st);
    gls_rule_ctx_t ctx = {doc->text, (uint32_t)doc->len, &a, glossary, &st};
    gls_findings_t fs;
    gls_findings_init(&fs);
    gls_rules_run(&ctx, &fs);
    for (size_t i = 0; i < fs.count; i++)
        if (fs.items[i].end > doc->len || fs.items[i].start > fs.items[i].end)
            __builtin_trap();
    gls_findings_close(&fs);
    /* An edit: bytes 1-3 choose where, how much, and what to insert. */
    gls_document_clear_edit_log(doc);
    size_t at = len ? (size_t)data[1] * len / 256 : 0;
    size_t del = data[2] % 8;
    static const char *ins[] = {"", "\n", "\n\n", "```", "# ", "> ", "- ", "NRR", " (NRR)", "*",
                                "<!--", "-->", "|", "\t", "---\n", "   "};
    gls_document_replace(doc, at, at + del, ins[data[3] % 16], strlen(ins[data[3] % 16]));
    gls_analysis_update(&a, glossary, doc->text, (uint32_t)doc->len, lang, doc->edit_log,
                        doc->edit_log_count, doc->edit_log_full);
    gls_analysis_t full;
    gls_analysis_init(&full);
    gls_analysis_run(&full, glossary, doc->text, (uint32_t)doc->len, lang);
    if (a.matches.count != full.matches.count || a.prose.block_count != full.prose.block_count)
        __builtin_trap();
    for (size_t i = 0; i < a.matches.count; i++)
        if (a.matches.items[i].start != full.matches.items[i].start ||
            a.matches.items[i].end != full.matches.items[i].end)
            __builtin_trap();
    gls_analysis_close(&full);
    gls_analysis_close(&a);
    gls_document_free(doc);
    return 0;
}

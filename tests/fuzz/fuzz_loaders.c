/* fuzz_loaders.c: any bytes as a glossary in any format we read (the
 * first byte picks the format): located errors, never a crash, and the
 * frozen glossary is usable - its forms and regex patterns are matched
 * against the input itself, read as a Markdown document. */
#include <stdint.h>
#include <string.h>

#include "gls/analysis.h"
#include "gls/loader.h"
#include "gls/matcher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    gls_glossary_format_t formats[] = {
        GLS_FORMAT_JSON,        GLS_FORMAT_MARKDOWN,      GLS_FORMAT_TEXT,
        GLS_FORMAT_UNKNOWN,     GLS_FORMAT_VALE_ACCEPT,   GLS_FORMAT_VALE_REJECT,
        GLS_FORMAT_TEXTLINT,    GLS_FORMAT_CSPELL_CONFIG, GLS_FORMAT_CSPELL_WORDS,
        GLS_FORMAT_CONTEXTIVE,  GLS_FORMAT_PRH,           GLS_FORMAT_VALE_RULE,
        GLS_FORMAT_TBX};
    gls_glossary_format_t fmt = formats[data[0] % (sizeof formats / sizeof formats[0])];
    gls_builder_t *b = gls_builder_new("fuzz");
    gls_load(b, "fuzz", (const char *)data + 1, size - 1, fmt);
    gls_glossary_t *g = gls_builder_freeze(b);
    /* Match the input against what it defined. */
    gls_matches_t ms;
    gls_matches_init(&ms);
    gls_match_text(g, (const char *)data + 1, 0, (uint32_t)(size - 1), &ms);
    for (size_t i = 0; i < ms.count; i++)
        if (ms.items[i].end > size - 1 || ms.items[i].start > ms.items[i].end)
            __builtin_trap();
    gls_matches_close(&ms);
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, (const char *)data + 1, (uint32_t)(size - 1), GLS_LANGUAGE_MARKDOWN);
    for (size_t i = 0; i < a.hits.count; i++)
        if (a.hits.items[i].end > size - 1 || a.hits.items[i].start >= a.hits.items[i].end)
            __builtin_trap();
    gls_analysis_close(&a);
    gls_glossary_unref(g);
    return 0;
}

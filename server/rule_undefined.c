/* rule_undefined.c: undefined-acronym: an all-caps word (2-6 letters,
 * digits allowed, plural 's' allowed) that no glossary knows and the
 * document never defines. Reported once per acronym, at its first use.
 * Not reported: Roman numerals, units, universally known acronyms (built
 * in, extended by settings), ignored words, all-caps headings, runs of
 * capitals (emphasis, not acronyms), code (never prose). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/rules.h"
#include "gls/strmap.h"
#include "gls/util.h"

/* Universally known: a general reader needs no expansion. */
static const char *const well_known[] = {
    "AI", "AM", "API", "APIs", "ASAP", "ATM", "AWS", "BBC", "CEO", "CFO", "CIO", "CMO", "COO",
    "CPU", "CRO", "CSS", "CSV", "CTO", "DIY", "DNS", "DVD", "EOD", "ETA", "EU", "FAQ", "FAQs",
    "FBI", "FYI", "GDPR", "GIF", "GMT", "GPS", "GPU", "HD", "HIPAA", "HR", "HTML", "HTTP",
    "HTTPS", "IBM", "ID", "IDs", "IP", "IRS", "ISO", "IT", "JPEG", "JPG", "JSON", "LCD", "LED",
    "LLC", "LTD", "MP3", "MP4", "NASA", "NB", "NYC", "OK", "OS", "PC", "PDF", "PDFs", "PIN",
    "PM", "PNG", "PR", "PS", "PTO", "QA", "RAM", "RSVP", "SDK", "SEO", "SMS", "SQL", "SSD",
    "SSH", "SSL", "SVG", "TBA", "TBD", "TCP", "TLS", "TODO", "TV", "UI", "UK", "UN", "URL",
    "URLs", "US", "USA", "USB", "UTC", "UX", "VAT", "VIP", "VP", "VPN", "WFH", "XML", "YTD",
    "QTD", "MTD", "FY", "EOW", "EOM", "OOO", "CRM", "ERP", "HQ", "IPO", "LLM", "NDA", "B2C",
    "PST", "EST", "CET", "CST", "PDT", "EDT", "BST", "IST", "AEST", "MIT", "SOC", "SSO",
    "ROI", "KPI", "KPIs", "USD", "EUR", "GBP", "JPY", "CAD", "AUD", "INR", "CNY", "CHF",
    "MBA", "PhD", "ET", "PT", "CT", "MT", "TL", "DR", "ASAP", "EOY", "EOQ", "RFP", "RFI", "SOP",
    "SMB", "HTTP", "CDN", "SLAs", "OKR", "OKRs", "NPM", "UTF"};

static const char *const units[] = {"KB", "MB", "GB", "TB", "PB", "KM", "CM", "MM", "KG", "MG",
                                    "HZ", "KHZ", "MHZ", "GHZ", "FPS", "RPM", "MPH", "KPH", "KW",
                                    "KWH", "MW", "DPI", "PX", "AC", "DC"};

static gls_wordset_t well_known_set = GLS_WORDSET(well_known, 0);
static gls_wordset_t units_set = GLS_WORDSET(units, 0);

/* Settings' lists are short and change with the configuration. */
static int in_list(const char *const *list, size_t n, const char *w, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
            return 1;
    return 0;
}

static int roman(const char *w, size_t n)
{
    static const char *valid = "IVXLCDM";
    for (size_t i = 0; i < n; i++)
        if (!strchr(valid, w[i]))
            return 0;
    /* A loose check is enough: real acronyms made only of these letters
     * (CD, DC, MD, CV) are better left alone than flagged. */
    return 1;
}

/* Ordinary words that writers put in capitals for emphasis or as labels
 * (DO NOT, NOTE:, TIP): never acronyms to define. */
static const char *const shouted[] = {
    "A", "ALL", "ALSO", "AND", "ANY", "ARE", "AS", "AT", "BE", "BUT", "BY", "CAN", "DO", "DONE",
    "DONT", "EACH", "FOR", "FREE", "FROM", "GO", "HAS", "HAVE", "HELP", "HERE", "HOW", "IF",
    "IN", "INFO", "IS", "IT", "ITS", "JUST", "KEY", "MAY", "ME", "MORE", "MOST", "MUST", "MY",
    "NEW", "NEVER", "NEXT", "NO", "NONE", "NOT", "NOTE", "NOTES", "NOW", "OF", "OFF", "ON",
    "ONE", "ONLY", "OR", "OUR", "OUT", "READ", "SEE", "SO", "STEP", "STOP", "TIP", "TIPS",
    "TO", "TODO", "TWO", "UP", "USE", "VERY", "WAIT", "WARN", "WAS", "WE", "WHAT", "WHEN",
    "WHO", "WHY", "WILL", "WITH", "YES", "YOU", "YOUR", "ALWAYS", "AVOID", "CHECK", "DANGER",
    "ERROR", "FAIL", "FINAL", "LATE", "LIVE", "SAVE", "STILL", "THIS", "THAT", "THE", "THEM",
    "THEN", "THEY", "WARNING", "IMPORTANT", "CAUTION", "UPDATE", "URGENT", "DRAFT", "BETA",
    "NEEDS", "REVIEW", "OPEN", "CLOSED", "PASS", "OK", "OKAY", "HIGH", "LOW", "MID", "TBD",
    "BEFORE", "AFTER", "ONCE", "TWICE", "EVERY", "EVER", "AGAIN", "FIRST", "LAST", "BOTH",
    "EITHER", "NEITHER", "ALWAYS", "SOON", "TODAY", "YET", "NOR", "BY", "THAN", "ABOUT", "INTO",
    "OVER", "UNDER", "LESS", "MOST", "SOME", "SUCH", "SAME", "OWN", "WELL", "BACK", "DOWN",
    "HERE", "THERE", "WHERE", "WHICH", "WHILE", "WITHOUT", "WITHIN", "UNTIL", "UNLESS",
    "CANNOT", "SHOULD", "WOULD", "COULD", "MIGHT", "SHALL", "ARE", "WERE", "BEEN", "BEING",
    "DOES", "DID", "HAD", "GET", "GOT", "MAKE", "TAKE", "GIVE", "KEEP", "CALL", "SEND", "ASK",
    "TELL", "ZERO", "THREE", "FOUR", "FIVE", "TEN", "NOTICE", "REQUIRED", "OPTIONAL",
    "AGENDA", "SUMMARY", "UPDATE", "ACTION", "ACTIONS", "ITEMS", "EXAMPLE", "TEAM"};

static gls_wordset_t shouted_set = GLS_WORDSET(shouted, 0);

/* Marks acronyms the document defines: "(ABBR)" right after words,
 * "ABBR (Words...)", "*[ABBR]:", <abbr title="...">ABBR</abbr>. */
static void local_definitions(const gls_rule_ctx_t *ctx, gls_strmap_t *defined)
{
    /* Only '(', '<' and '*' can start a definition: jump from one to the
     * next with memchr (one cursor per character). */
    const char *t = ctx->text;
    uint32_t len = ctx->len;
    static const char starts[3] = {'(', '<', '*'};
    uint32_t next[3];
    for (int c = 0; c < 3; c++) {
        const char *p = memchr(t, starts[c], len);
        next[c] = p ? (uint32_t)(p - t) : len;
    }
    for (;;) {
        int c = next[0] <= next[1] ? (next[0] <= next[2] ? 0 : 2) : (next[1] <= next[2] ? 1 : 2);
        uint32_t i = next[c];
        if (i >= len)
            break;
        const char *p = memchr(t + i + 1, starts[c], len - i - 1);
        next[c] = p ? (uint32_t)(p - t) : len;
        if (t[i] == '(' && i >= 2) {
            /* "ABBR (Full words)": the word before the parenthesis. */
            uint32_t e = i;
            while (e > 0 && t[e - 1] == ' ')
                e--;
            uint32_t s0 = e;
            while (s0 > 0 && (isalnum((unsigned char)t[s0 - 1]) || t[s0 - 1] == '&'))
                s0--;
            size_t base;
            uint32_t k = i + 1;
            if (e > s0 && gls_acronym_shape(t + s0, e - s0, &base) && k < len &&
                isalpha((unsigned char)t[k])) {
                uint32_t w = k;
                while (w < len && isalpha((unsigned char)t[w]))
                    w++;
                if (w - k >= 3 && (w - k > base || (w < len && t[w] == ' ')))
                    gls_strmap_put(defined, t + s0, base, 1);
            }
        }
        if (t[i] == '<' && i + 5 < len && strncasecmp(t + i, "<abbr", 5) == 0) {
            const char *gt = memchr(t + i, '>', len - i);
            if (gt && memmem(t + i, (size_t)(gt - (t + i)), "title", 5)) {
                uint32_t s0 = (uint32_t)(gt - t) + 1, e = s0;
                while (e < len && t[e] != '<')
                    e++;
                if (e > s0)
                    gls_strmap_put(defined, t + s0, e - s0, 1);
            }
        }
        if (t[i] == '(') {
            uint32_t s = i + 1, e = s;
            while (e < len && (isalnum((unsigned char)t[e]) || t[e] == '&' || t[e] == '/'))
                e++;
            size_t base;
            if (e < len && t[e] == ')' && gls_acronym_shape(t + s, e - s, &base))
                gls_strmap_put(defined, t + s, base, 1);
        } else if (t[i] == '*' && i + 1 < len && t[i + 1] == '[' && (i == 0 || t[i - 1] == '\n')) {
            uint32_t s = i + 2, e = s;
            while (e < len && t[e] != ']' && t[e] != '\n')
                e++;
            if (e + 1 < len && t[e] == ']' && t[e + 1] == ':')
                gls_strmap_put(defined, t + s, e - s, 1);
        }
    }
}

void gls_rule_undefined_acronym(const gls_rule_ctx_t *ctx, int self, gls_findings_t *out)
{
    const gls_analysis_t *a = ctx->analysis;
    const gls_rule_settings_t *st = ctx->settings;
    gls_strmap_t defined, reported;
    gls_strmap_init(&defined);
    gls_strmap_init(&reported);
    local_definitions(ctx, &defined);
    size_t mi = 0; /* matches are in document order, like the caps words */
    for (size_t ci = 0; ci < a->caps.count; ci++) {
        const gls_caps_word_t *cw = &a->caps.items[ci];
        /* An all-caps heading is a style: nothing in it is an acronym use. */
        if ((cw->flags & GLS_CAPS_ALL_CAPS_BLOCK) &&
            a->prose.blocks[a->caps_block[ci]].kind == GLS_BLOCK_HEADING)
            continue;
        const char *w = ctx->text + cw->start;
        size_t n = cw->end - cw->start, base;
        if (!gls_acronym_shape(w, n, &base))
            continue;
        if (gls_wordset_has(&shouted_set, w, base))
            continue;
        /* "FY24", "Q3": a well-known or single-letter label with a number. */
        size_t letters = 0;
        while (letters < base && isalpha((unsigned char)w[letters]))
            letters++;
        if (letters < base && (letters < 2 || gls_wordset_has(&well_known_set, w, letters)))
            continue;
        /* Runs of capitalized words are emphasis ("DO NOT"), names or
         * labels, not acronyms to define. */
        if (cw->flags & (GLS_CAPS_PREV_CAPS | GLS_CAPS_NEXT_CAPS))
            continue;
        while (mi < a->matches.count && a->matches.items[mi].end <= cw->start)
            mi++;
        if (mi < a->matches.count && a->matches.items[mi].start <= cw->start)
            continue; /* the glossary knows it */
        if (gls_wordset_has(&well_known_set, w, n) || gls_wordset_has(&well_known_set, w, base) ||
            gls_wordset_has(&units_set, w, base) || roman(w, base))
            continue;
        /* A vocabulary's accepted words (cspell "words"). */
        if (gls_glossary_knows_word(ctx->glossary, w, base) ||
            gls_glossary_knows_word(ctx->glossary, w, n))
            continue;
        if (st && (in_list(st->well_known, st->well_known_count, w, base) ||
                   in_list(st->well_known, st->well_known_count, w, n) ||
                   in_list(st->ignored, st->ignored_count, w, base) ||
                   in_list(st->ignored, st->ignored_count, w, n)))
            continue;
        if (gls_strmap_get(&defined, w, base) || gls_strmap_get(&reported, w, base) ||
            gls_defined_locally(ctx->text, ctx->len, w, base, UINT32_MAX))
            continue;
        /* Part of a name ("NICE Systems"): a capitalized word follows. */
        if (cw->flags & GLS_CAPS_NEXT_NAME)
            continue;
        /* An issue key ("NW-4102") or a ticket label. */
        if (cw->end < ctx->len && ctx->text[cw->end] == '-' && cw->end + 1 < ctx->len &&
            isdigit((unsigned char)ctx->text[cw->end + 1]))
            continue;
        gls_strmap_put(&reported, w, base, 1);
        gls_finding_t *x = gls_findings_add(
            out, self, cw->start, cw->end,
            "\"%.*s\" is not defined: spell it out on first use (\"Full Name (%.*s)\") or add "
            "it to the glossary",
            (int)base, w, (int)base, w);
        x->token = gls_xstrndup(w, base);
    }
    gls_strmap_close(&defined);
    gls_strmap_close(&reported);
}

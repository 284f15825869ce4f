/* log.c: leveled logging to stderr and an optional sink (window/logMessage). */
#include "gls/log.h"

#include <stdarg.h>
#include <stdio.h>

static gls_log_level_t threshold = GLS_LOG_INFO;
static int to_stderr = 1;
static gls_log_sink_cb sink;
static void *sink_ud;
static int in_sink; /* a sink that logs must not recurse into itself */

void gls_log_set_level(gls_log_level_t level)
{
    threshold = level;
}

void gls_log_set_stderr(int enabled)
{
    to_stderr = enabled;
}

void gls_log_set_sink(gls_log_sink_cb cb, void *ud)
{
    sink = cb;
    sink_ud = ud;
}

void gls_log(gls_log_level_t level, const char *fmt, ...)
{
    static const char *names[] = {"", "error", "warning", "info", "debug"};
    char msg[2048];
    va_list ap;
    if (level > threshold)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (to_stderr)
        fprintf(stderr, "glossary-ls: %s: %s\n", names[level], msg);
    if (sink && !in_sink) {
        in_sink = 1;
        sink(sink_ud, level, msg);
        in_sink = 0;
    }
}

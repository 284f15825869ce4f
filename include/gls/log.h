/* log.h: the server's log. Lines go to stderr and, once a sink is set (the
 * LSP client after initialize), to window/logMessage. Never to stdout. */
#ifndef GLS_LOG_H
#define GLS_LOG_H

/* Levels use LSP's MessageType numbering. */
typedef enum gls_log_level {
    GLS_LOG_ERROR = 1,
    GLS_LOG_WARNING = 2,
    GLS_LOG_INFO = 3,
    GLS_LOG_DEBUG = 4
} gls_log_level_t;

/* A sink receives every logged line at or above the threshold. 'message'
 * is borrowed. */
typedef void (*gls_log_sink_cb)(void *ud, gls_log_level_t level, const char *message);

/* Lines above 'level' (numerically) are dropped; default GLS_LOG_INFO. */
void gls_log_set_level(gls_log_level_t level);
/* Also sets whether stderr gets the lines (default yes). */
void gls_log_set_stderr(int enabled);
/* Sets or clears (NULL) the second sink. */
void gls_log_set_sink(gls_log_sink_cb sink, void *ud);
void gls_log(gls_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define gls_log_error(...) gls_log(GLS_LOG_ERROR, __VA_ARGS__)
#define gls_log_warn(...) gls_log(GLS_LOG_WARNING, __VA_ARGS__)
#define gls_log_info(...) gls_log(GLS_LOG_INFO, __VA_ARGS__)
#define gls_log_debug(...) gls_log(GLS_LOG_DEBUG, __VA_ARGS__)

#endif

/* uri.c: file URIs and paths. */
#include "gls/uri.h"

#include <ctype.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <strings.h>

#include "gls/util.h"

static int hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *gls_uri_to_path(const char *uri)
{
    if (!uri || strncasecmp(uri, "file://", 7) != 0)
        return NULL;
    const char *p = uri + 7;
    /* "file://localhost/x" and "file:///x" are local; another host is not. */
    if (strncasecmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return NULL;
    gls_buf_t out;
    gls_buf_init(&out);
    for (; *p && *p != '?' && *p != '#'; p++) {
        if (*p == '%' && hex((unsigned char)p[1]) >= 0 && hex((unsigned char)p[2]) >= 0) {
            char c = (char)(hex((unsigned char)p[1]) * 16 + hex((unsigned char)p[2]));
            if (c == '\0') {
                gls_buf_close(&out);
                return NULL; /* a NUL in a path is never valid */
            }
            gls_buf_putc(&out, c);
            p += 2;
        } else {
            gls_buf_putc(&out, *p);
        }
    }
    return gls_buf_steal(&out, NULL);
}

char *gls_path_to_uri(const char *path)
{
    char *encoded = gls_uri_encode_path(path);
    char *uri = gls_xasprintf("file://%s", encoded);
    free(encoded);
    return uri;
}

char *gls_uri_encode_path(const char *path)
{
    gls_buf_t out;
    gls_buf_init(&out);
    gls_buf_puts(&out, ""); /* an empty path gives "", not NULL */
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr("/-._~!$&'()*+,;=:@", *p))
            gls_buf_putc(&out, (char)*p);
        else
            gls_buf_printf(&out, "%%%02X", *p);
    }
    return gls_buf_steal(&out, NULL);
}

char *gls_path_near_exe(const char *const *candidates, size_t n)
{
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return NULL;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    for (size_t i = 0; i < n; i++) {
        char *probe = gls_xasprintf("%s/%s", exe, candidates[i]);
        char *real = realpath(probe, NULL);
        free(probe);
        if (real)
            return real;
    }
    return NULL;
}

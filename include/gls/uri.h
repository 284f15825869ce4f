/* uri.h: file URIs <-> paths (RFC 8089 "file:" URIs with percent-encoding). */
#ifndef GLS_URI_H
#define GLS_URI_H

#include <stddef.h>

/* Returns the path of a file: URI as a new string, or NULL when 'uri' is
 * not a local file URI. */
char *gls_uri_to_path(const char *uri);
/* Returns a file: URI for an absolute path as a new string. */
char *gls_path_to_uri(const char *path);
/* Percent-encodes a path as a URI path (or relative reference): every byte
 * outside the unreserved and sub-delimiter characters, '/', ':' and '@'.
 * Returns a new string. */
char *gls_uri_encode_path(const char *path);

/* The first of 'candidates' (paths relative to the directory of the
 * running binary) that exists, resolved (new string), or NULL: how the
 * server finds files shipped beside it in a build tree or under share/. */
char *gls_path_near_exe(const char *const *candidates, size_t n);

#endif

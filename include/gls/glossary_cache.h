/* glossary_cache.h: a frozen glossary saved to one file and read back.
 *
 * Loading a glossary means reading its sources, building and freezing it:
 * 1.3 s for 100,000 concepts from 13 MB of JSON, most of it spread over
 * parsing, source positions and the index. The cache keeps the result
 * (concepts, forms, patterns as written, known words, the loader's
 * problems and the matcher's index) so the next process or server start
 * has it in milliseconds. A cache file is used only when it was written by
 * this very binary (size and modification time of /proc/self/exe), for
 * the same sources in the same order, and every file the load read (the
 * sources and their dependencies) still has the size, modification time
 * and inode it had; anything else, or a file that is short or
 * inconsistent, is ignored and the glossary is loaded from its sources.
 * Regex patterns are compiled again on reading (PCRE2 code is not
 * portable between processes). */
#ifndef GLS_GLOSSARY_CACHE_H
#define GLS_GLOSSARY_CACHE_H

#include "gls/glossary.h"
#include "gls/sources.h"

/* The cache file under 'dir' for the glossary of 'src' (a name derived
 * from the sources and the working directory). Caller frees. */
char *gls_glossary_cache_path(const char *dir, const gls_sources_t *src);

/* Writes 'g', loaded from 'src', to 'path': into a temporary file in the
 * same directory, renamed over 'path', so a reader never sees half a file.
 * Creates the directory (mode 0700) if needed. Returns 0, or -errno; -EAGAIN
 * when a file the load read was modified in the last two seconds (it may
 * change again within the file system's timestamp granularity, and a
 * cache must not outlive a change it cannot see). */
int gls_glossary_cache_write(const gls_glossary_t *g, const gls_sources_t *src,
                             const char *path);

/* The glossary cached at 'path' if it is still the glossary of 'src' (see
 * above). Returns a new reference, or NULL: no file, stale, or damaged. */
gls_glossary_t *gls_glossary_cache_read(const char *path, const gls_sources_t *src);

#endif

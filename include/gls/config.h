/* config.h: configuration files. The effective settings are merged from,
 * lowest precedence first: the user's file ($XDG_CONFIG_HOME/glossary-ls/
 * config.json, or ~/.config/...), the workspace's file (.glossary-ls.json,
 * the nearest one walking up from a document, stopping at the workspace
 * root), and the editor's settings. Objects merge key by key ("rules"
 * rule by rule); lists ("glossaries", "wellKnownAcronyms", "ignoredWords",
 * "exclude") concatenate. Glossary paths are resolved against the file
 * that names them; a workspace file may only name files inside its
 * workspace. */
#ifndef GLS_CONFIG_H
#define GLS_CONFIG_H

#include <jansson.h>

#include "gls/diag.h"

#define GLS_CONFIG_FILE ".glossary-ls.json"
/* Where "add to the project glossary" puts new entries, relative to the
 * workspace root; loaded automatically when it exists. */
#define GLS_PROJECT_GLOSSARY ".glossary-ls/glossary.json"

/* Finds the workspace config for 'dir': the nearest GLS_CONFIG_FILE in
 * 'dir' or a parent, not above 'root' (NULL: up to '/'). Returns a new
 * string or NULL. */
char *gls_config_find(const char *dir, const char *root);

/* The user's config file path (new string; it may not exist). */
char *gls_config_user_path(void);

/* Reads a config file and merges it into 'merged' (an object, borrowed).
 * 'confine' (NULL for none) is a directory that every glossary path the
 * file names must stay inside, after resolving symbolic links. Problems
 * are added to 'diags'. Returns 0, or -1 when the file could not be read
 * or parsed (nothing merged). A missing file with 'optional' set is not
 * a problem. */
int gls_config_merge_file(json_t *merged, const char *path, const char *confine, int optional,
                          gls_diags_t *diags);

/* Merges the user's layer: glossary.json / glossary.md / glossary.txt in
 * the user's config directory, then its config.json. */
void gls_config_merge_user(json_t *merged, gls_diags_t *diags);

/* Merges the workspace's layer: the project glossary, then the root's
 * .glossary-ls.json (its glossaries confined to 'root'). */
void gls_config_merge_workspace(json_t *merged, const char *root, gls_diags_t *diags);

/* Merges the layer of a configuration file below the root, for the
 * documents it is nearest to: the project glossary of 'root', then the
 * file (its glossaries confined to 'root'). */
void gls_config_merge_nearest(json_t *merged, const char *config, const char *root,
                              gls_diags_t *diags);

/* Merges a settings object (editor settings) into 'merged'. Relative
 * glossary paths stay as they are. */
void gls_config_merge_object(json_t *merged, json_t *settings);

#endif

/* cli.h: the command-line front ends besides the server. Each takes the
 * arguments after its command name and returns the exit code: 0 clean, 1
 * findings at or above --fail-on (or: not found), 2 usage or I/O error. */
#ifndef GLS_CLI_H
#define GLS_CLI_H

int gls_cli_check(int argc, char **argv);
int gls_cli_explain(int argc, char **argv);
/* `glossary lint FILE...` and `glossary export [--format json|markdown|tbx]`. */
int gls_cli_glossary(int argc, char **argv);

#endif

/* cli.h: what the subcommands of tcpsim share.
 *
 * main() picks the subcommand from argv[1] and hands it the remaining
 * arguments (argv[0] is then the subcommand's name); each subcommand
 * parses its own options with a GOptionContext and returns the exit
 * status.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses, for scripts and for CI. */
typedef enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_SIM = 1,             /* the simulation or its outputs failed */
  CLI_EXIT_USAGE = 2,           /* bad command line or bad scenario */
} CliExit;

typedef int (*CliCommandFn) (int argc, char **argv);

int cli_cmd_run (int argc, char **argv);
int cli_cmd_check (int argc, char **argv);
int cli_cmd_compare (int argc, char **argv);
int cli_cmd_merge (int argc, char **argv);

/* Prints "tcpsim: MESSAGE" to stderr, one prefix per line of a
 * multi-line message. */
void cli_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Parses @argv with @context; on failure prints the error and a pointer
 * to --help, and returns FALSE. */
gboolean cli_parse_options (GOptionContext *context, const char *command,
                            int *argc, char ***argv);

G_END_DECLS

/* cmd_plot.h: tcpsim plot OUTDIR: every view of a run, redrawn from its
 * trace.jsonl. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int cli_cmd_plot (int argc, char **argv);

G_END_DECLS

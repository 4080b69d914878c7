/* gnuplot_private.h: what gnuplot.c shares with the generated
 * gnuplot_templates.c. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns: (transfer none) (nullable): the text of plots/gnuplot/NAME.gp
 * as built into the binary, or NULL for an unknown @name. */
const char *gnuplot__template (const char *name);

G_END_DECLS

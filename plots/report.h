/* report.h: OUTDIR/report.html, one self-contained page for a run: the
 * summary table, the SVG sequence diagram and the plots, all inside the
 * file (inline CSS and SVG, images as data: URIs), so that it can be
 * mailed or archived alone.
 *
 * The report reads only files of OUTDIR (summary.json, sequence.svg, and
 * the plots' STEM.png / STEM.svg / STEM.gp), so it is written last, after
 * every other view, by `tcpsim run` and by `tcpsim plot` alike.
 *
 * Call order: the other views write their files -> report_write().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns: (transfer full) (nullable): the page for the files in
 * @outdir, or NULL with @error set when a file that exists cannot be read
 * or parsed.  Missing files leave their section out.  @title (nullable)
 * names the run; the directory's name by default.  The page depends only
 * on the files: no dates, no paths outside @outdir. */
char *report_render (const char *outdir, const char *title, GError **error);

/* Writes report_render() to @outdir/report.html. */
gboolean report_write (const char *outdir, const char *title,
                       GError **error);

G_END_DECLS

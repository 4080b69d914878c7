/* seqdiag_svg.h: the sequence diagram as an SVG figure, drawn like a
 * textbook's: two lifelines, slanted arrows from send time to arrival
 * time, state names beside the lifelines, a time axis on each side.
 *
 * Call order: build or collect a SeqDiag -> seqdiag_svg_render() -> write
 * the text to sequence.svg or inline it into report.html.
 */
#pragma once

#include "plots/seqdiag.h"

G_BEGIN_DECLS

typedef struct {
  guint max_segments;           /* longer exchanges are elided; 0: never */
  gboolean standalone;          /* TRUE: with the XML declaration, for a
                                 * .svg file; FALSE: a bare <svg> element
                                 * to inline into HTML */
} SeqDiagSvgOptions;

/* Returns: (transfer full): the figure, ending in '\n'; the empty string
 * when @diag has no segment.  The text depends only on the model and
 * @options: no ids, dates or random numbers. */
char *seqdiag_svg_render (const SeqDiag *diag,
                          const SeqDiagSvgOptions *options);

G_END_DECLS

/* seqdiag_mermaid.h: the sequence diagram as Mermaid text
 * (sequenceDiagram), for Markdown pages that render Mermaid.
 *
 * Call order: build or collect a SeqDiag -> seqdiag_mermaid_render() ->
 * write the text to sequence.mmd.
 */
#pragma once

#include "plots/seqdiag.h"

G_BEGIN_DECLS

/* Returns: (transfer full): the diagram, every line ending in '\n'; the
 * empty string when @diag has no segment.  Exchanges of more than
 * @max_segments segments (0: no limit) are elided as in the terminal
 * diagram.  The text depends only on the model and @max_segments. */
char *seqdiag_mermaid_render (const SeqDiag *diag, guint max_segments);

G_END_DECLS

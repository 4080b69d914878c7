/* seqdiag_text.h: the terminal sequence diagram, drawn like a textbook
 * figure from a SeqDiag model. */
#pragma once

#include "plots/seqdiag.h"

G_BEGIN_DECLS

typedef struct {
  gboolean ascii;               /* ASCII instead of Unicode box drawing */
  guint max_segments;           /* longer exchanges are elided; 0: never */
} SeqDiagTextOptions;

/* Returns: (transfer full): the diagram, every line ending in '\n'; the
 * empty string when @diag has no segment.  The text depends only on the
 * model and @options. */
char *seqdiag_text_render (const SeqDiag *diag,
                           const SeqDiagTextOptions *options);

/* Returns: (transfer full): the arrow label of @seg, e.g.
 * "PSH,ACK seq=1 ack=1 len=159 win=65535". */
char *seqdiag_text_segment_label (const SeqDiagSegment *seg);

G_END_DECLS

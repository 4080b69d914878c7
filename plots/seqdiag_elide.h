/* seqdiag_elide.h: which events of a long exchange a diagram draws.
 *
 * With more segments than the limit, a diagram draws the first half of
 * the limit and the last part, and everything from the first hidden
 * segment to the last hidden one becomes one "… N segments …" mark.  The
 * rule is the terminal diagram's (seqdiag_text.c), so that the SVG and
 * Mermaid views of a run hide the same segments as sequence.txt.
 *
 * Call order: seqdiag_elide_plan() once per render -> seqdiag_elide_hides()
 * for each event index.
 */
#pragma once

#include "plots/seqdiag.h"

G_BEGIN_DECLS

typedef struct {
  guint n_events;
  guint hide_first;             /* first hidden event index */
  guint hide_last;              /* last hidden event index */
  guint n_hidden_segments;      /* 0: nothing hidden */
  guint n_hidden_states;
} SeqDiagElision;

/* Fills @plan for @diag drawn with at most @max_segments segments (0: no
 * limit). */
void seqdiag_elide_plan (const SeqDiag *diag, guint max_segments,
                         SeqDiagElision *plan);
/* Whether event @index falls in the hidden stretch. */
gboolean seqdiag_elide_hides (const SeqDiagElision *plan, guint index);

G_END_DECLS

/* seqdiag_elide.c: the elision plan shared by the SVG and Mermaid
 * diagrams; see seqdiag_elide.h. */
#include "plots/seqdiag_elide.h"

#include <string.h>

void
seqdiag_elide_plan (const SeqDiag *diag, guint max_segments,
                    SeqDiagElision *plan)
{
  guint n_segments;
  guint head;
  guint tail;
  guint ordinal = 0;

  g_return_if_fail (diag != NULL);
  g_return_if_fail (plan != NULL);

  memset (plan, 0, sizeof *plan);
  plan->n_events = seqdiag_n_events (diag);
  n_segments = seqdiag_n_segments (diag);
  if (max_segments == 0 || n_segments <= max_segments)
    return;
  /* The opening is what a reader looks for first, so an odd limit gives
   * the extra segment to the head. */
  head = (max_segments + 1) / 2;
  tail = max_segments / 2;
  plan->n_hidden_segments = n_segments - head - tail;
  for (guint i = 0; i < plan->n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (diag, i);

      if (ev->kind != SEQDIAG_EVENT_SEGMENT)
        continue;
      if (ordinal == head)
        plan->hide_first = i;
      if (ordinal == n_segments - tail - 1)
        plan->hide_last = i;
      ordinal++;
    }
  for (guint i = plan->hide_first; i <= plan->hide_last; i++)
    if (seqdiag_event (diag, i)->kind == SEQDIAG_EVENT_STATE)
      plan->n_hidden_states++;
}

gboolean
seqdiag_elide_hides (const SeqDiagElision *plan, guint index)
{
  g_return_val_if_fail (plan != NULL, FALSE);

  return plan->n_hidden_segments > 0 && index >= plan->hide_first
         && index <= plan->hide_last;
}

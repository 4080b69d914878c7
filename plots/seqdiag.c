/* seqdiag.c: the sequence-diagram model: ends, events, segment fates.
 *
 * Events live in one array in the order added.  Segments without a fate
 * are found by uid through a hash table that holds only those in flight,
 * so it stays as small as the connection's flight.  The model also works
 * out what a reader of a capture would: which segments are
 * retransmissions, and the real window once both SYNs agreed on window
 * scaling.
 */
#include "plots/seqdiag.h"

#include "models/tcp/tcp.h"
#include "models/tcp/tcp_seq.h"

struct SeqDiag {
  SeqDiagEnd ends[SEQDIAG_N_SIDES];
  gboolean have_end[SEQDIAG_N_SIDES];
  gboolean initial_set[SEQDIAG_N_SIDES];
  GArray *events;               /* SeqDiagEvent */
  GHashTable *in_flight;        /* uid -> event index + 1 */
  guint n_segments;

  /* Per sending side: the end of the sequence space sent so far, and the
   * window-scale shift its SYN announced (-1: none seen). */
  gboolean sent_any[SEQDIAG_N_SIDES];
  guint32 snd_max[SEQDIAG_N_SIDES];
  gint wscale[SEQDIAG_N_SIDES];
};

SeqDiag *
seqdiag_new (void)
{
  SeqDiag *diag = g_new0 (SeqDiag, 1);

  diag->events = g_array_new (FALSE, TRUE, sizeof (SeqDiagEvent));
  diag->in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                           g_free, NULL);
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    diag->wscale[side] = -1;
  return diag;
}

void
seqdiag_free (SeqDiag *diag)
{
  if (diag == NULL)
    return;
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    g_free (diag->ends[side].host);
  g_array_unref (diag->events);
  g_hash_table_unref (diag->in_flight);
  g_free (diag);
}

void
seqdiag_set_end (SeqDiag *diag, SeqDiagSide side, const char *host,
                 Ipv4Addr addr, guint16 port)
{
  g_return_if_fail (diag != NULL);
  g_return_if_fail (side < SEQDIAG_N_SIDES);
  g_return_if_fail (host != NULL);

  g_free (diag->ends[side].host);
  diag->ends[side].host = g_strdup (host);
  diag->ends[side].addr = addr;
  diag->ends[side].port = port;
  diag->have_end[side] = TRUE;
}

void
seqdiag_set_initial_state (SeqDiag *diag, SeqDiagSide side,
                           const char *state)
{
  g_return_if_fail (diag != NULL);
  g_return_if_fail (side < SEQDIAG_N_SIDES);

  diag->ends[side].initial_state = g_intern_string (state);
  diag->initial_set[side] = TRUE;
}

const SeqDiagEnd *
seqdiag_end (const SeqDiag *diag, SeqDiagSide side)
{
  g_return_val_if_fail (diag != NULL, NULL);
  g_return_val_if_fail (side < SEQDIAG_N_SIDES, NULL);

  return diag->have_end[side] ? &diag->ends[side] : NULL;
}

/* SYN and FIN each take one sequence number (RFC 9293 3.4). */
static guint32
segment_seq_space (const SeqDiagSegment *seg)
{
  return seg->len_bytes + ((seg->flags & TCP_SYN) ? 1 : 0)
         + ((seg->flags & TCP_FIN) ? 1 : 0);
}

void
seqdiag_add_segment (SeqDiag *diag, SimTime sent_ns,
                     const SeqDiagSegment *seg)
{
  SeqDiagEvent ev = { 0 };
  SeqDiagSegment *s = &ev.seg;
  SeqDiagSide from;
  SeqDiagSide to;
  guint32 space;
  guint64 *key;

  g_return_if_fail (diag != NULL);
  g_return_if_fail (seg != NULL && seg->from < SEQDIAG_N_SIDES);

  ev.kind = SEQDIAG_EVENT_SEGMENT;
  ev.at_ns = sent_ns;
  *s = *seg;
  from = s->from;
  to = from == SEQDIAG_CLIENT ? SEQDIAG_SERVER : SEQDIAG_CLIENT;

  /* RFC 7323 2.2: "The window field in a segment where the SYN bit is
   * set (i.e., a <SYN> or <SYN,ACK>) MUST NOT be scaled", and scaling
   * applies only when both ends sent the option. */
  if (s->flags & TCP_SYN)
    diag->wscale[from] = s->wscale;
  if (!(s->flags & TCP_SYN) && diag->wscale[from] >= 0
      && diag->wscale[to] >= 0)
    s->win_bytes = (guint64) s->win << diag->wscale[from];
  else
    s->win_bytes = s->win;

  /* A segment whose sequence space starts below what the side has already
   * sent covers old ground: a retransmission, as a capture tool calls it. */
  space = segment_seq_space (s);
  s->retransmit = FALSE;
  if (space > 0)
    {
      if (diag->sent_any[from] && TCP_SEQ_LT (s->rel_seq, diag->snd_max[from]))
        s->retransmit = TRUE;
      if (!diag->sent_any[from]
          || TCP_SEQ_GT (s->rel_seq + space, diag->snd_max[from]))
        diag->snd_max[from] = s->rel_seq + space;
      diag->sent_any[from] = TRUE;
    }

  s->fate = SEQDIAG_FATE_IN_FLIGHT;
  s->end_ns = -1;
  s->drop_reason = NULL;
  g_array_append_val (diag->events, ev);
  diag->n_segments++;

  key = g_new (guint64, 1);
  *key = s->uid;
  g_hash_table_replace (diag->in_flight, key,
                        GUINT_TO_POINTER (diag->events->len));
}

static SeqDiagSegment *
seqdiag_take_in_flight (SeqDiag *diag, guint64 uid)
{
  guint index_plus_1 = GPOINTER_TO_UINT (g_hash_table_lookup (diag->in_flight,
                                                              &uid));
  SeqDiagEvent *ev;

  if (index_plus_1 == 0)
    return NULL;
  g_hash_table_remove (diag->in_flight, &uid);
  ev = &g_array_index (diag->events, SeqDiagEvent, index_plus_1 - 1);
  g_assert (ev->kind == SEQDIAG_EVENT_SEGMENT);
  return &ev->seg;
}

gboolean
seqdiag_segment_arrived (SeqDiag *diag, guint64 uid, SimTime at_ns)
{
  SeqDiagSegment *s;

  g_return_val_if_fail (diag != NULL, FALSE);
  s = seqdiag_take_in_flight (diag, uid);
  if (s == NULL)
    return FALSE;
  s->fate = SEQDIAG_FATE_ARRIVED;
  s->end_ns = at_ns;
  return TRUE;
}

gboolean
seqdiag_segment_dropped (SeqDiag *diag, guint64 uid, SimTime at_ns,
                         const char *reason)
{
  SeqDiagSegment *s;

  g_return_val_if_fail (diag != NULL, FALSE);
  s = seqdiag_take_in_flight (diag, uid);
  if (s == NULL)
    return FALSE;
  s->fate = SEQDIAG_FATE_DROPPED;
  s->end_ns = at_ns;
  s->drop_reason = g_intern_string (reason);
  return TRUE;
}

gboolean
seqdiag_segment_in_flight (const SeqDiag *diag, guint64 uid)
{
  g_return_val_if_fail (diag != NULL, FALSE);
  return g_hash_table_contains (diag->in_flight, &uid);
}

void
seqdiag_add_state (SeqDiag *diag, SimTime at_ns, SeqDiagSide side,
                   const char *from, const char *to)
{
  SeqDiagEvent ev = { 0 };

  g_return_if_fail (diag != NULL);
  g_return_if_fail (side < SEQDIAG_N_SIDES);
  g_return_if_fail (to != NULL);

  if (!diag->initial_set[side])
    {
      diag->ends[side].initial_state = g_intern_string (from);
      diag->initial_set[side] = TRUE;
    }
  ev.kind = SEQDIAG_EVENT_STATE;
  ev.at_ns = at_ns;
  ev.state.side = side;
  ev.state.from = g_intern_string (from);
  ev.state.to = g_intern_string (to);
  g_array_append_val (diag->events, ev);
}

guint
seqdiag_n_events (const SeqDiag *diag)
{
  g_return_val_if_fail (diag != NULL, 0);
  return diag->events->len;
}

const SeqDiagEvent *
seqdiag_event (const SeqDiag *diag, guint index)
{
  g_return_val_if_fail (diag != NULL, NULL);
  g_return_val_if_fail (index < diag->events->len, NULL);
  return &g_array_index (diag->events, SeqDiagEvent, index);
}

guint
seqdiag_n_segments (const SeqDiag *diag)
{
  g_return_val_if_fail (diag != NULL, 0);
  return diag->n_segments;
}

void
seqdiag_format_time (SimTime t_ns, char buf[SEQDIAG_TIME_STR_BYTES])
{
  const char *sign = t_ns < 0 ? "-" : "";
  guint64 abs_ns = t_ns < 0 ? (guint64) -(t_ns + 1) + 1 : (guint64) t_ns;

  g_snprintf (buf, SEQDIAG_TIME_STR_BYTES,
              "%s%" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT, sign,
              abs_ns / G_GUINT64_CONSTANT (1000000000),
              abs_ns % G_GUINT64_CONSTANT (1000000000) / 1000);
}

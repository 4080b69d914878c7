/* tcp_sack.c: selective acknowledgements.
 *
 * Receiver side (RFC 2018 section 4): SACK blocks describe the out-of-
 * order queue, the block holding the newest segment first.
 *
 * Sender side (RFC 6675): a scoreboard of SACKed ranges above SND.UNA,
 * and the routines IsLost(), SetPipe() and NextSeg() that drive loss
 * recovery.  Holes between SACKed ranges are few, so each routine walks
 * the scoreboard once.
 */
#include "models/tcp/tcp_private.h"

guint
tcp__sack_fill_blocks (const TcpEndpoint *ep, TcpSackBlock *blocks,
                       guint max_blocks)
{
  guint n = 0;
  gboolean used[64] = { FALSE };
  guint len = MIN (ep->ooo->len, G_N_ELEMENTS (used));

  /* Repeatedly pick the most recently extended range not yet reported. */
  while (n < max_blocks && n < len)
    {
      guint best = G_MAXUINT;

      for (guint i = 0; i < len; i++)
        {
          const TcpOooRange *r = &g_array_index (ep->ooo, TcpOooRange, i);

          if (used[i] || r->end == r->start)
            continue;
          if (best == G_MAXUINT
              || r->stamp > g_array_index (ep->ooo, TcpOooRange, best).stamp)
            best = i;
        }
      if (best == G_MAXUINT)
        break;
      used[best] = TRUE;
      blocks[n].start = g_array_index (ep->ooo, TcpOooRange, best).start;
      blocks[n].end = g_array_index (ep->ooo, TcpOooRange, best).end;
      n++;
    }
  return n;
}

static gboolean
scoreboard_insert (TcpEndpoint *ep, guint32 start, guint32 end)
{
  GArray *a = ep->sacked;
  guint i = 0;
  TcpSackBlock b = { start, end };
  gboolean news = TRUE;

  while (i < a->len && TCP_SEQ_LT (g_array_index (a, TcpSackBlock, i).end,
                                   start))
    i++;
  while (i < a->len)
    {
      TcpSackBlock *o = &g_array_index (a, TcpSackBlock, i);

      if (TCP_SEQ_GT (o->start, b.end))
        break;
      if (TCP_SEQ_LEQ (o->start, start) && TCP_SEQ_GEQ (o->end, end))
        news = FALSE;           /* already known */
      b.start = TCP_SEQ_MIN (b.start, o->start);
      b.end = TCP_SEQ_MAX (b.end, o->end);
      g_array_remove_index (a, i);
    }
  g_array_insert_val (a, i, b);
  return news;
}

gboolean
tcp__sack_update (TcpEndpoint *ep, const TcpSeg *seg)
{
  gboolean news = FALSE;

  if (!ep->sack_ok)
    return FALSE;
  for (guint i = 0; i < seg->opts.n_sack; i++)
    {
      guint32 s = seg->opts.sack[i].start;
      guint32 e = seg->opts.sack[i].end;

      /* Only blocks inside (SND.UNA, SND.MAX] mean anything; a block at
       * or below SND.UNA is a D-SACK (RFC 2883) and is not used here. */
      if (!TCP_SEQ_LT (s, e) || TCP_SEQ_LEQ (e, ep->snd_una)
          || TCP_SEQ_GT (e, ep->snd_max))
        continue;
      if (TCP_SEQ_LT (s, ep->snd_una))
        s = ep->snd_una;
      if (scoreboard_insert (ep, s, e))
        news = TRUE;
    }
  return news;
}

void
tcp__sack_trim (TcpEndpoint *ep)
{
  GArray *a = ep->sacked;

  while (a->len > 0)
    {
      TcpSackBlock *b = &g_array_index (a, TcpSackBlock, 0);

      if (TCP_SEQ_GT (b->end, ep->snd_una))
        {
          if (TCP_SEQ_LT (b->start, ep->snd_una))
            b->start = ep->snd_una;
          break;
        }
      g_array_remove_index (a, 0);
    }
}

void
tcp__sack_clear (TcpEndpoint *ep)
{
  g_array_set_size (ep->sacked, 0);
}

static guint64
sacked_bytes_above (const TcpEndpoint *ep, guint32 seq, guint *n_blocks)
{
  guint64 total = 0;

  *n_blocks = 0;
  for (guint i = 0; i < ep->sacked->len; i++)
    {
      const TcpSackBlock *b = &g_array_index (ep->sacked, TcpSackBlock, i);

      if (TCP_SEQ_LEQ (b->end, seq))
        continue;
      total += (guint32) (b->end - TCP_SEQ_MAX (b->start, seq + 1));
      (*n_blocks)++;
    }
  return total;
}

gboolean
tcp__sack_is_lost (const TcpEndpoint *ep, guint32 seq)
{
  guint n_blocks;
  guint64 above = sacked_bytes_above (ep, seq, &n_blocks);

  /* "DupThresh discontiguous SACKed sequences have arrived above
   * 'SeqNum' or more than (DupThresh - 1) * SMSS bytes with sequence
   * numbers greater than 'SeqNum' have been SACKed." */
  return n_blocks >= ep->params.dupack_thresh
         || above > (ep->params.dupack_thresh - 1) * (guint64) ep->snd_mss;
}

/* Calls @fn for every hole [start, end) between SND.UNA and SND.MAX that
 * no SACK covers, in order. */
typedef gboolean (*HoleFn) (const TcpEndpoint *ep, guint32 start,
                            guint32 end, void *data);

static void
for_each_hole (const TcpEndpoint *ep, HoleFn fn, void *data)
{
  guint32 cursor = ep->snd_una;

  for (guint i = 0; i < ep->sacked->len; i++)
    {
      const TcpSackBlock *b = &g_array_index (ep->sacked, TcpSackBlock, i);

      if (TCP_SEQ_LT (cursor, b->start) && !fn (ep, cursor, b->start, data))
        return;
      cursor = TCP_SEQ_MAX (cursor, b->end);
    }
  if (TCP_SEQ_LT (cursor, ep->snd_max))
    fn (ep, cursor, ep->snd_max, data);
}

static gboolean
add_hole_to_pipe (const TcpEndpoint *ep, guint32 start, guint32 end,
                  void *data)
{
  guint64 *pipe = data;

  /* SetPipe(): an octet counts once if it is not lost, and once more if
   * it was retransmitted.  No SACKed byte lies inside a hole, so the
   * whole hole is lost or not. */
  if (!tcp__sack_is_lost (ep, start))
    *pipe += (guint32) (end - start);
  if (TCP_SEQ_GT (ep->high_rxt, start))
    *pipe += (guint32) (TCP_SEQ_MIN (ep->high_rxt, end) - start);
  return TRUE;
}

guint64
tcp__sack_pipe (const TcpEndpoint *ep)
{
  guint64 pipe = 0;

  for_each_hole (ep, add_hole_to_pipe, &pipe);
  return pipe;
}

typedef struct {
  guint32 seq;
  guint32 len;
  gboolean found;
} NextSeg;

static gboolean
find_lost_hole (const TcpEndpoint *ep, guint32 start, guint32 end,
                void *data)
{
  NextSeg *ns = data;
  guint32 from = TCP_SEQ_MAX (start, ep->high_rxt);

  /* Rule 1: the first unSACKed sequence above HighRxt that IsLost(). */
  if (TCP_SEQ_LT (from, end) && tcp__sack_is_lost (ep, from))
    {
      ns->seq = from;
      ns->len = MIN ((guint32) (end - from), tcp__seg_payload_max (ep));
      ns->found = TRUE;
      return FALSE;
    }
  return TRUE;
}

gboolean
tcp__sack_next_seg (const TcpEndpoint *ep, guint32 *seq, guint32 *len_bytes)
{
  NextSeg ns = { 0, 0, FALSE };
  guint32 data_end = ep->snd_buf_seq + (guint32) ep->snd_buf.len;

  for_each_hole (ep, find_lost_hole, &ns);
  if (ns.found)
    {
      /* Never past the data: the FIN is resent by the RTO path. */
      if (TCP_SEQ_GT (ns.seq + ns.len, data_end))
        ns.len = TCP_SEQ_GT (data_end, ns.seq) ? data_end - ns.seq : 0;
      if (ns.len == 0)
        return FALSE;
      *seq = ns.seq;
      *len_bytes = ns.len;
      return TRUE;
    }
  /* Rule 2: new data, if the receiver's window allows. */
  if (TCP_SEQ_LT (ep->snd_max, data_end)
      && (guint64) (guint32) (ep->snd_max - ep->snd_una) < ep->snd_wnd)
    {
      guint64 room = ep->snd_wnd - (guint32) (ep->snd_max - ep->snd_una);

      *seq = ep->snd_max;
      *len_bytes = (guint32) MIN (MIN ((guint64) (guint32) (data_end
                                                            - ep->snd_max),
                                       room),
                                  (guint64) tcp__seg_payload_max (ep));
      return *len_bytes > 0;
    }
  return FALSE;
}

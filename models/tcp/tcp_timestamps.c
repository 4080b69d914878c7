/* tcp_timestamps.c: the timestamps option, RFC 7323.
 *
 * Our TSval clock ticks every millisecond (section 5.4 allows 1 ms to
 * 1 s) from a per-connection random offset (section 7.1), derived from the
 * stack's seeded secret so runs stay reproducible.
 */
#include "models/tcp/tcp_private.h"

/* RFC 7323 5.5: TS.Recent is invalid after 24 days of idleness. */
#define PAWS_IDLE_NS SIM_S (24 * 24 * 3600)

guint32
tcp__ts_now (const TcpEndpoint *ep)
{
  return (guint32) (tcp__now (ep) / SIM_MS (1)) + ep->ts_offset;
}

gboolean
tcp__ts_paws_ok (TcpEndpoint *ep, const TcpSeg *seg)
{
  if (!ep->ts_ok || !seg->opts.has_ts || !ep->ts_recent_valid)
    return TRUE;
  /* R1: "If SEG.TSval < TS.Recent and the RST bit is off" the segment is
   * not acceptable (section 5.3), unless TS.Recent has aged out (5.5). */
  if ((seg->flags & TCP_RST) || !TCP_SEQ_LT (seg->opts.ts_val, ep->ts_recent))
    return TRUE;
  if (tcp__now (ep) - ep->ts_recent_age_ns > PAWS_IDLE_NS)
    {
      ep->ts_recent_valid = FALSE;
      return TRUE;
    }
  return FALSE;
}

void
tcp__ts_update_recent (TcpEndpoint *ep, const TcpSeg *seg)
{
  /* Section 4.3 (2): "If SEG.TSval >= TS.Recent and SEG.SEQ <=
   * Last.ACK.sent, then SEG.TSval is copied to TS.Recent". */
  if (!ep->ts_ok || !seg->opts.has_ts)
    return;
  if (ep->ts_recent_valid && TCP_SEQ_LT (seg->opts.ts_val, ep->ts_recent))
    return;
  if (!TCP_SEQ_LEQ (seg->seq, ep->last_ack_sent))
    return;
  ep->ts_recent = seg->opts.ts_val;
  ep->ts_recent_age_ns = tcp__now (ep);
  ep->ts_recent_valid = TRUE;
}

SimTime
tcp__ts_rtt_sample (const TcpEndpoint *ep, const TcpSeg *seg)
{
  guint32 elapsed_ms;

  if (!ep->ts_ok || !seg->opts.has_ts || seg->opts.ts_ecr == 0)
    return -1;
  elapsed_ms = tcp__ts_now (ep) - seg->opts.ts_ecr;
  /* An echo from the future, or older than any RTO, is not a sample. */
  if ((gint32) elapsed_ms < 0 || elapsed_ms > 3600u * 1000u)
    return -1;
  /* One tick of resolution: a sample is at least 1 ms. */
  return SIM_MS (MAX (elapsed_ms, 1u));
}

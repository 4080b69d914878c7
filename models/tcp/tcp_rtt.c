/* tcp_rtt.c: the retransmission timeout, RFC 6298.
 *
 * srtt_ns and rttvar_ns follow section 2; the RTO is clamped to
 * [rto_min_ns, rto_max_ns] (2.4, 2.5) and doubled on each expiry (5.5),
 * kept in `backoff` so that a new sample restores it.  Karn's rule (3) is
 * applied by the caller: only segments never retransmitted are timed.
 */
#include "models/tcp/tcp_private.h"

/* RFC 6298 (2.1): "Until a round-trip time (RTT) measurement has been made
 * ... the sender SHOULD set RTO <- 1 second". */
void
tcp__rtt_init (TcpEndpoint *ep)
{
  ep->srtt_ns = 0;
  ep->rttvar_ns = 0;
  ep->rto_ns = ep->params.rto_initial_ns;
  ep->backoff = 0;
  ep->rtt_timing = FALSE;
}

static SimTime
clamp_rto (const TcpEndpoint *ep, SimTime rto_ns)
{
  if (rto_ns < ep->params.rto_min_ns)
    rto_ns = ep->params.rto_min_ns;
  if (rto_ns > ep->params.rto_max_ns)
    rto_ns = ep->params.rto_max_ns;
  return rto_ns;
}

void
tcp__rtt_sample (TcpEndpoint *ep, SimTime rtt_ns)
{
  /* K = 4; the clock granularity G is one nanosecond here. */
  if (rtt_ns < 1)
    rtt_ns = 1;
  if (ep->srtt_ns == 0)
    {
      /* (2.2) the first measurement R: SRTT <- R, RTTVAR <- R/2. */
      ep->srtt_ns = rtt_ns;
      ep->rttvar_ns = rtt_ns / 2;
    }
  else
    {
      /* (2.3) beta = 1/4, alpha = 1/8, RTTVAR updated first. */
      SimTime err = ep->srtt_ns - rtt_ns;

      if (err < 0)
        err = -err;
      ep->rttvar_ns = (3 * ep->rttvar_ns + err) / 4;
      ep->srtt_ns = (7 * ep->srtt_ns + rtt_ns) / 8;
    }
  ep->rto_ns = clamp_rto (ep, ep->srtt_ns + MAX ((SimTime) 1,
                                                 4 * ep->rttvar_ns));
  ep->backoff = 0;
  tcp__trace_vars (ep, rtt_ns);
}

SimTime
tcp__rto_current (const TcpEndpoint *ep)
{
  SimTime rto_ns = ep->rto_ns;

  for (guint i = 0; i < ep->backoff && rto_ns < ep->params.rto_max_ns; i++)
    rto_ns *= 2;
  return clamp_rto (ep, rto_ns);
}

void
tcp__rto_backoff (TcpEndpoint *ep)
{
  /* (5.5) "back off the timer": stop counting once the cap is reached so
   * that the shift never overflows. */
  if (tcp__rto_current (ep) < ep->params.rto_max_ns)
    ep->backoff++;
}

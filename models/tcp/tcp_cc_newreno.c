/* tcp_cc_newreno.c: window growth and reduction of RFC 5681, shared by
 * Reno and NewReno (RFC 6582 changes only loss recovery, which the
 * endpoint runs; see tcp_input.c). */
#include "models/tcp/tcp_cc.h"

guint64
tcp_cc_initial_window (guint32 mss_bytes, guint64 iw_segs)
{
  if (iw_segs > 0)
    return iw_segs * mss_bytes;
  /* RFC 5681 3.1, equation (1). */
  if (mss_bytes > 2190)
    return 2 * (guint64) mss_bytes;
  if (mss_bytes > 1095)
    return 3 * (guint64) mss_bytes;
  return 4 * (guint64) mss_bytes;
}

static void
reno_init (TcpCcVars *cc)
{
  cc->cwnd_bytes = tcp_cc_initial_window (cc->mss_bytes, cc->iw_segs);
  /* RFC 5681 3.1: "The initial value of ssthresh SHOULD be set arbitrarily
   * high (e.g., to the size of the largest possible advertised window)". */
  cc->ssthresh_bytes = G_MAXUINT32;
}

static void
reno_on_ack (TcpCcVars *cc, guint32 acked_bytes)
{
  if (cc->cwnd_bytes < cc->ssthresh_bytes)
    {
      /* Slow start, equation (2): cwnd += min (N, SMSS). */
      cc->cwnd_bytes += MIN (acked_bytes, cc->mss_bytes);
    }
  else
    {
      /* Congestion avoidance, equation (3): cwnd += SMSS*SMSS/cwnd, at
       * least one byte. */
      guint64 inc = (guint64) cc->mss_bytes * cc->mss_bytes / cc->cwnd_bytes;

      cc->cwnd_bytes += MAX (inc, (guint64) 1);
    }
}

static guint64
half_flight (const TcpCcVars *cc)
{
  /* Equation (4): ssthresh = max (FlightSize / 2, 2*SMSS). */
  return MAX (cc->flight_bytes / 2, 2 * (guint64) cc->mss_bytes);
}

static void
reno_on_loss (TcpCcVars *cc)
{
  cc->ssthresh_bytes = half_flight (cc);
}

static void
reno_on_recovered (TcpCcVars *cc)
{
  /* RFC 6582 3.2 step 3, option (1): "Set cwnd to min (ssthresh,
   * max(FlightSize, SMSS) + SMSS)". */
  guint64 fs = MAX (cc->flight_bytes, (guint64) cc->mss_bytes);

  cc->cwnd_bytes = MIN (cc->ssthresh_bytes, fs + cc->mss_bytes);
}

static void
reno_on_rto (TcpCcVars *cc)
{
  /* RFC 5681 3.1: ssthresh per equation (4), cwnd to the loss window,
   * one segment. */
  cc->ssthresh_bytes = half_flight (cc);
  cc->cwnd_bytes = cc->mss_bytes;
}

const TcpCcOps tcp_cc_newreno = {
  "newreno", reno_init, reno_on_ack, reno_on_loss, reno_on_recovered,
  reno_on_rto,
};

const TcpCcOps tcp_cc_reno = {
  "reno", reno_init, reno_on_ack, reno_on_loss, reno_on_recovered,
  reno_on_rto,
};

const TcpCcOps *
tcp_cc_ops (guint64 index)
{
  /* In the order of tcp_cc_names. */
  static const TcpCcOps *const modules[] = {
    &tcp_cc_newreno, &tcp_cc_reno, &tcp_cc_cubic,
  };

  g_return_val_if_fail (index < G_N_ELEMENTS (modules), &tcp_cc_newreno);
  return modules[index];
}

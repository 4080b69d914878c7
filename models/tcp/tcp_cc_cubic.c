/* tcp_cc_cubic.c: CUBIC, RFC 9438.
 *
 * W_cubic(t) = C * (t - K)^3 + W_max             (section 4.2, eq. 1)
 * K = cbrt (W_max * (1 - beta_cubic) / C)        (eq. 2)
 * with C = 0.4 and beta_cubic = 0.7, windows in segments and t in seconds.
 * The Reno-friendly estimate W_est grows by alpha_cubic per window
 * (section 4.3) and wins when it is larger.
 *
 * Only +, -, * and / on doubles are used (the cube root is a Newton
 * iteration, not libm's cbrt) and windows are rounded to whole bytes, so
 * results are the same on every IEEE 754 machine.
 */
#include "models/tcp/tcp_cc.h"

#define CUBIC_C 0.4
#define CUBIC_BETA 0.7
#define CUBIC_ALPHA (3.0 * (1.0 - CUBIC_BETA) / (1.0 + CUBIC_BETA))

typedef struct {
  double w_max_segs;            /* window before the last reduction */
  double w_last_max_segs;       /* for fast convergence (4.7) */
  double k_s;                   /* seconds from the epoch to W_max */
  double w_est_segs;            /* Reno-friendly estimate */
  SimTime epoch_start_ns;       /* 0: no epoch yet */
  double cwnd_epoch_segs;
} CubicState;

G_STATIC_ASSERT (sizeof (CubicState) <= sizeof (((TcpCcVars *) 0)->priv));

static CubicState *
state (TcpCcVars *cc)
{
  return (CubicState *) (void *) cc->priv;
}

static double
cube_root (double x)
{
  double r = x > 1.0 ? x / 3.0 : 1.0;

  if (x <= 0.0)
    return 0.0;
  /* Newton's method converges quadratically; 60 steps are plenty from
   * any start and keep the count, and so the result, fixed. */
  for (int i = 0; i < 60; i++)
    r = r - (r * r * r - x) / (3.0 * r * r);
  return r;
}

static void
cubic_init (TcpCcVars *cc)
{
  CubicState *s = state (cc);

  cc->cwnd_bytes = tcp_cc_initial_window (cc->mss_bytes, cc->iw_segs);
  cc->ssthresh_bytes = G_MAXUINT32;
  s->w_max_segs = 0;
  s->w_last_max_segs = 0;
  s->k_s = 0;
  s->w_est_segs = 0;
  s->epoch_start_ns = 0;
  s->cwnd_epoch_segs = 0;
}

static void
cubic_on_ack (TcpCcVars *cc, guint32 acked_bytes)
{
  CubicState *s = state (cc);
  double mss = cc->mss_bytes;
  double cwnd_segs = (double) cc->cwnd_bytes / mss;
  double t_s;
  double rtt_s;
  double target_segs;
  double w_cubic_segs;

  if (cc->cwnd_bytes < cc->ssthresh_bytes)
    {
      /* Slow start as in RFC 5681 (section 4.10). */
      cc->cwnd_bytes += MIN (acked_bytes, cc->mss_bytes);
      return;
    }
  if (s->epoch_start_ns == 0)
    {
      /* A new congestion-avoidance epoch (section 4.2). */
      s->epoch_start_ns = cc->now_ns > 0 ? cc->now_ns : 1;
      s->cwnd_epoch_segs = cwnd_segs;
      s->w_est_segs = cwnd_segs;
      if (s->w_max_segs < cwnd_segs)
        {
          s->k_s = 0;
          s->w_max_segs = cwnd_segs;
        }
      else
        s->k_s = cube_root ((s->w_max_segs - cwnd_segs) / CUBIC_C);
    }
  t_s = (double) (cc->now_ns - s->epoch_start_ns) / 1e9;
  rtt_s = (double) cc->srtt_ns / 1e9;
  /* Section 4.2: the target is W_cubic (t + RTT), kept within
   * [cwnd, 1.5 cwnd]. */
  {
    double d = t_s + rtt_s - s->k_s;

    target_segs = CUBIC_C * d * d * d + s->w_max_segs;
  }
  if (target_segs < cwnd_segs)
    target_segs = cwnd_segs;
  if (target_segs > 1.5 * cwnd_segs)
    target_segs = 1.5 * cwnd_segs;
  /* Section 4.3: the Reno-friendly region. */
  s->w_est_segs += CUBIC_ALPHA * ((double) acked_bytes / mss) / cwnd_segs;
  {
    double d = t_s - s->k_s;

    w_cubic_segs = CUBIC_C * d * d * d + s->w_max_segs;
  }
  if (w_cubic_segs < s->w_est_segs)
    target_segs = MAX (target_segs, s->w_est_segs);
  {
    /* "cwnd MUST be incremented by (target - cwnd)/cwnd for each received
     * new ACK", in bytes and at least one byte while below target. */
    double inc = (target_segs - cwnd_segs) / cwnd_segs * mss
                 * ((double) acked_bytes / mss);
    guint64 inc_bytes = inc > 0 ? (guint64) inc : 0;

    if (inc_bytes == 0 && target_segs > cwnd_segs)
      inc_bytes = 1;
    cc->cwnd_bytes += inc_bytes;
  }
}

static void
reduce (TcpCcVars *cc)
{
  CubicState *s = state (cc);
  double cwnd_segs = (double) cc->cwnd_bytes / cc->mss_bytes;
  guint64 ss;

  /* Section 4.7, fast convergence. */
  if (cwnd_segs < s->w_last_max_segs)
    {
      s->w_last_max_segs = cwnd_segs;
      s->w_max_segs = cwnd_segs * (1.0 + CUBIC_BETA) / 2.0;
    }
  else
    {
      s->w_last_max_segs = cwnd_segs;
      s->w_max_segs = cwnd_segs;
    }
  /* Section 4.6: ssthresh = cwnd * beta_cubic, at least 2 segments. */
  ss = (guint64) ((double) cc->cwnd_bytes * CUBIC_BETA);
  cc->ssthresh_bytes = MAX (ss, 2 * (guint64) cc->mss_bytes);
  s->epoch_start_ns = 0;
}

static void
cubic_on_loss (TcpCcVars *cc)
{
  reduce (cc);
}

static void
cubic_on_recovered (TcpCcVars *cc)
{
  cc->cwnd_bytes = cc->ssthresh_bytes;
}

static void
cubic_on_rto (TcpCcVars *cc)
{
  /* Section 4.8: as for a loss, then cwnd to one segment. */
  reduce (cc);
  cc->cwnd_bytes = cc->mss_bytes;
}

const TcpCcOps tcp_cc_cubic = {
  "cubic", cubic_init, cubic_on_ack, cubic_on_loss, cubic_on_recovered,
  cubic_on_rto,
};

/* test_net_loss.c: random loss models over 100,000 packets with fixed
 * seeds, against bounds derived from the models (five standard errors),
 * and the properties that make sweeps comparable: a larger loss rate only
 * adds losses, the loss stream ignores every other setting, and the same
 * seed gives the same drops.
 *
 * Bounds.  For a two-state chain with loss probabilities lg, lb, state
 * probabilities pg = r / (p + r), pb = p / (p + r) and lag-one correlation
 * lambda = 1 - p - r, the loss indicator has mean m = pg lg + pb lb and
 * autocovariance (lb - lg)^2 pg pb lambda^k at lag k >= 1, so the mean of
 * n indicators has variance
 *   (m (1 - m) + 2 (lb - lg)^2 pg pb lambda / (1 - lambda)) / n,
 * which for Bernoulli (lg = lb) is m (1 - m) / n.  A loss burst (a maximal
 * run of losses) is geometric: with Bernoulli(q) its length has mean
 * 1 / (1 - q) and variance q / (1 - q)^2; with simple Gilbert (lg = 0,
 * lb = 1) it is the stay in the bad state, mean 1 / r, variance
 * (1 - r) / r^2.  The standard error of a mean of B bursts is the square
 * root of the variance over B.
 */
#include "tests/net/net_test.h"

#include <math.h>

#define N_PKTS 100000u
#define SIGMAS 5.0

typedef struct {
  gboolean *lost;
  guint n;
  guint n_lost;
  guint n_bursts;
} Pattern;

static void
pattern_free (Pattern *pat)
{
  g_free (pat->lost);
}

/* Sends @n packets one at a time through a link with @p and notes which
 * the loss model drops. */
static Pattern
run_pattern (guint64 seed, const LinkDirParams *p, guint n)
{
  NetTest *t = net_test_new_untraced (seed);
  Link *link = net_test_pair (t, p, NULL, NULL);
  SimScheduler *sched = sim_world_scheduler (t->world);
  const LinkDirStats *ls = link_stats (link, LINK_DIR_AB);
  Pattern pat = { g_new0 (gboolean, n), n, 0, 0 };

  for (guint i = 0; i < n; i++)
    {
      guint64 before = ls->dropped_loss_pkts;

      link_send (link, LINK_DIR_AB,
                 net_test_packet (t, 0x0a000001u, 0x0a000002u, 40, 0));
      pat.lost[i] = ls->dropped_loss_pkts != before;
      if (pat.lost[i])
        {
          pat.n_lost++;
          if (i == 0 || !pat.lost[i - 1])
            pat.n_bursts++;
        }
      sim_scheduler_run_until (sched, SIM_TIME_NEVER);
    }
  net_test_free (t);
  return pat;
}

static double
variance_of_mean (double lg, double lb, double p, double r, guint n)
{
  double pg = p + r > 0 ? r / (p + r) : 1;
  double pb = 1 - pg;
  double m = pg * lg + pb * lb;
  double lambda = 1 - p - r;

  return (m * (1 - m)
          + 2 * (lb - lg) * (lb - lg) * pg * pb * lambda / (1 - lambda))
         / n;
}

static void
assert_within (const char *what, double got, double want, double sigma)
{
  g_test_message ("%s: %.6f, expected %.6f, sigma %.6f", what, got, want,
                  sigma);
  if (fabs (got - want) > SIGMAS * sigma)
    g_error ("%s: %.6f is more than %.0f sigma (%.6f) from %.6f", what, got,
             SIGMAS, sigma, want);
}

static void
test_bernoulli (void)
{
  LinkDirParams p = { .loss_prob = 0.05 };
  Pattern pat = run_pattern (42, &p, N_PKTS);
  double q = p.loss_prob;
  double burst_var = q / ((1 - q) * (1 - q));

  assert_within ("loss rate", (double) pat.n_lost / N_PKTS, q,
                 sqrt (variance_of_mean (q, q, 0, 1, N_PKTS)));
  assert_within ("mean burst", (double) pat.n_lost / pat.n_bursts,
                 1 / (1 - q), sqrt (burst_var / pat.n_bursts));
  pattern_free (&pat);
}

/* Simple Gilbert: p = 0.01, r = 0.25; losses 1/26 of packets, in bursts of
 * 4 on average. */
static void
test_gilbert_simple (void)
{
  LinkDirParams lp = { .loss_model = LOSS_MODEL_GILBERT,
                       .gilbert = { .p = 0.01, .r = 0.25,
                                    .good_loss_prob = 0,
                                    .bad_loss_prob = 1 } };
  Pattern pat = run_pattern (43, &lp, N_PKTS);
  const LossGilbertParams *g = &lp.gilbert;

  assert_within ("loss rate", (double) pat.n_lost / N_PKTS,
                 loss_gilbert_mean_loss (g),
                 sqrt (variance_of_mean (0, 1, g->p, g->r, N_PKTS)));
  g_assert_cmpfloat_with_epsilon (loss_gilbert_mean_loss (g), 1.0 / 26,
                                  1e-12);
  assert_within ("mean burst", (double) pat.n_lost / pat.n_bursts,
                 1 / g->r, sqrt ((1 - g->r) / (g->r * g->r) / pat.n_bursts));
  pattern_free (&pat);
}

/* Gilbert-Elliott with losses in both states (k = 0.995, h = 0.3). */
static void
test_gilbert_elliott (void)
{
  LinkDirParams lp = { .loss_model = LOSS_MODEL_GILBERT,
                       .gilbert = { .p = 0.02, .r = 0.3,
                                    .good_loss_prob = 0.005,
                                    .bad_loss_prob = 0.7 } };
  Pattern pat = run_pattern (44, &lp, N_PKTS);
  const LossGilbertParams *g = &lp.gilbert;

  assert_within ("loss rate", (double) pat.n_lost / N_PKTS,
                 loss_gilbert_mean_loss (g),
                 sqrt (variance_of_mean (g->good_loss_prob, g->bad_loss_prob,
                                         g->p, g->r, N_PKTS)));
  pattern_free (&pat);
}

/* The loss stream is drawn once per packet by Bernoulli and twice by
 * Gilbert-Elliott, lost or not. */
static void
test_draw_counts (void)
{
  for (guint model = 0; model < LOSS_N_MODELS; model++)
    {
      NetTest *t = net_test_new_untraced (9);
      LinkDirParams p = { .loss_prob = 0.3, .loss_model = model,
                          .gilbert = { 0.1, 0.2, 0.1, 0.9 } };
      Link *link = net_test_pair (t, &p, NULL, NULL);
      SimRng check;
      guint draws = loss_ops_of_kind (model)->draws_per_pkt;

      sim_rng_seed (&check, 9, "link/ab/a>b/loss");
      for (guint i = 0; i < 1000; i++)
        {
          link_send (link, LINK_DIR_AB,
                     net_test_packet (t, 0x0a000001u, 0x0a000002u, 40, 0));
          sim_scheduler_run_until (sim_world_scheduler (t->world),
                                   SIM_TIME_NEVER);
          for (guint k = 0; k < draws; k++)
            sim_rng_next_u64 (&check);
        }
      g_assert_cmpuint (sim_rng_next_u64 (sim_world_rng (t->world,
                                                         "link/ab/a>b/loss")),
                        ==, sim_rng_next_u64 (&check));
      net_test_free (t);
    }
}

static void
assert_subset (const Pattern *small, const Pattern *large)
{
  g_assert_cmpuint (small->n, ==, large->n);
  for (guint i = 0; i < small->n; i++)
    if (small->lost[i] && !large->lost[i])
      g_error ("packet %u lost at the lower rate only", i);
}

/* Common random numbers: with the same seed, a higher loss rate loses
 * every packet the lower one lost, and more. */
static void
test_rates_nest (void)
{
  LinkDirParams lo = { .loss_prob = 0.01 };
  LinkDirParams hi = { .loss_prob = 0.03 };
  LinkDirParams ge_lo = { .loss_model = LOSS_MODEL_GILBERT,
                          .gilbert = { 0.01, 0.2, 0.001, 0.5 } };
  LinkDirParams ge_hi = ge_lo;
  Pattern a = run_pattern (5, &lo, 20000);
  Pattern b = run_pattern (5, &hi, 20000);
  Pattern c;
  Pattern d;

  ge_hi.gilbert.good_loss_prob = 0.002;
  ge_hi.gilbert.bad_loss_prob = 0.9;
  c = run_pattern (5, &ge_lo, 20000);
  d = run_pattern (5, &ge_hi, 20000);
  assert_subset (&a, &b);
  g_assert_cmpuint (b.n_lost, >, a.n_lost + 200);
  assert_subset (&c, &d);
  g_assert_cmpuint (d.n_lost, >, c.n_lost + 200);
  pattern_free (&a);
  pattern_free (&b);
  pattern_free (&c);
  pattern_free (&d);
}

/* Jitter, duplication, corruption and hold-backs draw from their own
 * streams: turning them on changes no loss. */
static void
test_streams_independent (void)
{
  LinkDirParams plain = { .loss_prob = 0.02 };
  LinkDirParams busy = plain;
  Pattern a;
  Pattern b;

  busy.jitter_ns = SIM_MS (3);
  busy.dup_prob = 0.1;
  busy.corrupt_prob = 0.1;
  busy.reorder_prob = 0.1;
  busy.reorder_delay_ns = SIM_MS (1);
  a = run_pattern (77, &plain, 20000);
  b = run_pattern (77, &busy, 20000);
  assert_subset (&a, &b);
  assert_subset (&b, &a);
  pattern_free (&a);
  pattern_free (&b);
}

/* Same seed, same drops; another seed, other drops. */
static void
test_same_seed (void)
{
  LinkDirParams lp = { .loss_model = LOSS_MODEL_GILBERT,
                       .gilbert = { 0.05, 0.3, 0.01, 0.8 } };
  Pattern a = run_pattern (123, &lp, 20000);
  Pattern b = run_pattern (123, &lp, 20000);
  Pattern c = run_pattern (124, &lp, 20000);
  guint differ = 0;

  assert_subset (&a, &b);
  assert_subset (&b, &a);
  for (guint i = 0; i < a.n; i++)
    differ += a.lost[i] != c.lost[i];
  g_assert_cmpuint (differ, >, 100);
  pattern_free (&a);
  pattern_free (&b);
  pattern_free (&c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/loss/bernoulli", test_bernoulli);
  g_test_add_func ("/net/loss/gilbert", test_gilbert_simple);
  g_test_add_func ("/net/loss/gilbert-elliott", test_gilbert_elliott);
  g_test_add_func ("/net/loss/draw-counts", test_draw_counts);
  g_test_add_func ("/net/loss/rates-nest", test_rates_nest);
  g_test_add_func ("/net/loss/streams-independent", test_streams_independent);
  g_test_add_func ("/net/loss/same-seed", test_same_seed);
  return g_test_run ();
}

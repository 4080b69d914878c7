/* test_tcp_recovery.c: loss recovery with three segments lost in one
 * window: NewReno (RFC 6582) repairs one hole per round trip, SACK
 * (RFC 6675) repairs all three in about one round trip; neither needs a
 * timeout.  Losses are chosen by sequence number, not by chance. */
#include "tests/tcp/net_harness.h"

#include <string.h>

#define MSS 1460u
#define RTT_NS (2 * SIM_MS (10))

static const guint lost_segments[] = { 10, 12, 14 };

typedef struct {
  gboolean sack;
  const char *name;
} RecoveryCase;

static const RecoveryCase cases[] = {
  { FALSE, "newreno" },
  { TRUE, "sack" },
};

static TcpConnStats *
sender_stats (NetHarness *h)
{
  for (guint i = 0; i < h->conn_stats->len; i++)
    {
      TcpConnStats *s = g_ptr_array_index (h->conn_stats, i);

      if (s->active_open)
        return s;
    }
  g_assert_not_reached ();
  return NULL;
}

/* Time of the retransmission (the second transmission) of @rel_seq. */
static SimTime
resend_time (NetHarness *h, guint32 rel_seq)
{
  guint seen = 0;

  for (guint i = 0; i < h->segs->len; i++)
    {
      const HarnessSeg *s = &g_array_index (h->segs, HarnessSeg, i);

      if (s->dir == LINK_DIR_AB && s->rel_seq == rel_seq && s->len_bytes > 0
          && ++seen == 2)
        return s->at_ns;
    }
  g_error ("segment %u was not retransmitted", rel_seq);
  return -1;
}

static void
test_three_losses (gconstpointer data)
{
  const RecoveryCase *rc = data;
  LinkDirParams lp = { .rate_bps = 10000000, .delay_ns = SIM_MS (10),
                       .queue_limit_pkts = 1000 };
  TcpParams p;
  NetHarness *h;
  AppBulkConfig cfg = { 0 };
  App *app;
  TcpConnStats *st;
  g_autoptr (GError) error = NULL;
  SimTime first;
  SimTime last;

  tcp_params_init (&p);
  p.sack = rc->sack;
  p.delack_ns = 0;
  p.iw_segs = 20;
  h = net_harness_new (&lp, &p, 1);
  for (gsize i = 0; i < G_N_ELEMENTS (lost_segments); i++)
    {
      LinkDropRule r = { 0 };

      r.kind = LINK_DROP_MATCH;
      r.match_seq = TRUE;
      r.rel_seq = 1 + lost_segments[i] * MSS;
      r.match_len = TRUE;
      r.len_bytes = MSS;
      r.count = 1;
      link_add_drop_rule (h->link, LINK_DIR_AB, &r);
    }
  cfg.sender = h->client;
  cfg.receiver = h->server;
  cfg.port = 5001;
  cfg.bytes = 40 * MSS;
  app = app_bulk_new (h->net, "bulk", &cfg, &error);
  g_assert_no_error (error);
  net_harness_run (h, SIM_S (600));

  g_assert_cmpuint (app_stats (app)->bytes_received, ==, 40 * MSS);
  g_assert_cmpuint (app_stats (app)->bytes_corrupt, ==, 0);
  st = sender_stats (h);
  g_assert_cmpuint (st->timeouts, ==, 0);
  g_assert_cmpuint (st->fast_retransmits, ==, 1);
  g_assert_cmpuint (st->retransmits, ==, 3);
  first = resend_time (h, 1 + lost_segments[0] * MSS);
  last = resend_time (h, 1 + lost_segments[2] * MSS);
  if (rc->sack)
    /* All three holes are known from the SACK blocks: repaired within
     * one round trip of the first retransmission. */
    g_assert_cmpint (last - first, <, RTT_NS);
  else
    /* One hole per partial ACK: the third retransmission comes two round
     * trips after the first. */
    g_assert_cmpint (last - first, >=, 2 * RTT_NS);
  net_harness_free (h);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path =
        g_strdup_printf ("/tcp/recovery/three-losses/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_three_losses);
    }
  return g_test_run ();
}

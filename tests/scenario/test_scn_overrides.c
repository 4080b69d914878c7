/* test_scn_overrides.c: --set and --seed (ScnOverrides).
 *
 * An override meets the same parser and checks as the file's own text:
 * the values it sets are read back from the built models, its type and
 * unit errors are reported with the "--set KEY=VALUE" text in front, and
 * an unknown name suggests the nearest known one.  The TCP checks run the
 * world and read the first SYN's sequence number off the trace bus.
 * Paths: /scenario/overrides/...
 */
#include <string.h>

#include "scenarios/scn_build.h"
#include "models/link.h"
#include "models/node.h"
#include "models/tcp/tcp.h"

static const char base_text[] =
  "seed 5\n"
  "tcp isn=7 profile=rfc\n"
  "host client addr=10.0.0.1\n"
  "host server addr=10.0.0.2\n"
  "link cable client <-> server rate=10Mbps delay=5ms queue=50 loss=1%\n"
  "app ex reqresp client=client server=server:80 request=100B "
  "response=10B\n";

static SimWorld *
load_with (const char *text, const char *const *sets, gboolean has_seed,
           guint64 seed, ScnRun *run, GError **error)
{
  ScnOverrides overrides = { has_seed, seed, sets };

  return scn_load_text ("t.scn", text, -1, &overrides, run, error);
}

static gboolean
same_double (double a, double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

static void
test_link_values (void)
{
  const char *const sets[] = {
    "link.cable.rate=1.5Mbps",
    "link.cable.server>client.delay=20ms",
    "link.cable.client>server.loss=50%",
    "link.cable.queue=unlimited",
    NULL
  };
  g_autoptr (GError) err = NULL;
  ScnRun run = { 0 };
  g_autoptr (SimWorld) world = load_with (base_text, sets, FALSE, 0, &run,
                                          &err);
  Link *link;
  const LinkDirParams *ab;
  const LinkDirParams *ba;

  g_assert_no_error (err);
  g_assert_nonnull (world);
  link = network_find_link (run.network, "cable");
  g_assert_nonnull (link);
  ab = link_params (link, LINK_DIR_AB);
  ba = link_params (link, LINK_DIR_BA);
  g_assert_cmpuint (ab->rate_bps, ==, 1500000);
  g_assert_cmpuint (ba->rate_bps, ==, 1500000);
  g_assert_cmpint (ab->delay_ns, ==, SIM_MS (5));
  g_assert_cmpint (ba->delay_ns, ==, SIM_MS (20));
  g_assert_cmpuint (ab->queue_limit_pkts, ==, 0);
  g_assert_cmpuint (ba->queue_limit_pkts, ==, 0);
  /* Exactly the doubles the literals give. */
  g_assert_true (same_double (ab->loss_prob, 0.5));
  g_assert_true (same_double (ba->loss_prob, 0.01));
}

static void
test_without_overrides (void)
{
  g_autoptr (GError) err = NULL;
  ScnRun run = { 0 };
  g_autoptr (SimWorld) world = scn_load_text ("t.scn", base_text, -1, NULL,
                                              &run, &err);
  const LinkDirParams *ab;

  g_assert_no_error (err);
  g_assert_nonnull (world);
  g_assert_cmpuint (run.seed, ==, 5);
  g_assert_cmpint (run.end_ns, ==, SCN_DEFAULT_END_NS);
  ab = link_params (network_find_link (run.network, "cable"), LINK_DIR_AB);
  g_assert_cmpuint (ab->rate_bps, ==, 10000000);
  g_assert_cmpuint (ab->queue_limit_pkts, ==, 50);
}

static void
test_seed_and_until (void)
{
  const char *const sets[] = { "seed=9", "run.until=2.5s", NULL };
  const char *const twice[] = { "run.until=1s", "run.until=3s", NULL };
  g_autoptr (GError) err = NULL;
  ScnRun run = { 0 };
  g_autoptr (SimWorld) w1 = NULL;
  g_autoptr (SimWorld) w2 = NULL;
  g_autoptr (SimWorld) w3 = NULL;

  /* --set seed beats the file; --seed beats both. */
  w1 = load_with (base_text, sets, FALSE, 0, &run, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (run.seed, ==, 9);
  g_assert_cmpint (run.end_ns, ==, SIM_MS (2500));
  g_assert_cmpuint (sim_world_seed (w1), ==, 9);
  w2 = load_with (base_text, sets, TRUE, 11, &run, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (run.seed, ==, 11);
  g_assert_cmpuint (sim_world_seed (w2), ==, 11);
  /* The later of two items for one key wins. */
  w3 = load_with (base_text, twice, FALSE, 0, &run, &err);
  g_assert_no_error (err);
  g_assert_cmpint (run.end_ns, ==, SIM_S (3));
}

static void
test_creates_statements (void)
{
  /* A file with no seed, run or tcp statement still takes --set seed,
   * run.until and tcp.KEY. */
  const char *const sets[] = {
    "seed=3", "run.until=1min", "tcp.mss=536B", "tcp.profile=linux", NULL
  };
  g_autoptr (GError) err = NULL;
  ScnRun run = { 0 };
  g_autoptr (SimWorld) world = load_with ("host a addr=10.0.0.1\n", sets,
                                          FALSE, 0, &run, &err);

  g_assert_no_error (err);
  g_assert_nonnull (world);
  g_assert_cmpuint (run.seed, ==, 3);
  g_assert_cmpint (run.end_ns, ==, SIM_S (60));
}

typedef struct {
  Network *net;
  GString *first;
} Capture;

/* Keeps the decoded fields of the first segment a link carries. */
static void
on_record (const SimTraceRecord *rec, void *data)
{
  Capture *cap = data;
  const LinkTraceEvent *e;

  if (rec->kind != &link_trace_tx || cap->first->len > 0)
    return;
  e = rec->body;
  network_segment_to_json (cap->net, e->pkt, cap->first);
}

static char *
first_segment (const char *const *sets)
{
  g_autoptr (GError) err = NULL;
  ScnRun run = { 0 };
  g_autoptr (SimWorld) world = load_with (base_text, sets, FALSE, 0, &run,
                                          &err);
  Capture cap = { run.network, g_string_new (NULL) };

  g_assert_no_error (err);
  sim_trace_subscribe (sim_world_trace (world), on_record, &cap);
  sim_world_run (world, SIM_MS (100));
  /* Freeing the world may still emit records; nobody listens now. */
  sim_trace_bus_clear (sim_world_trace (world));
  return g_string_free (cap.first, FALSE);
}

static void
test_tcp_values (void)
{
  const char *const none[] = { NULL };
  const char *const global[] = { "tcp.isn=1000", NULL };
  const char *const host[] = { "host.client.tcp.isn=2000", NULL };
  const char *const profile[] = { "tcp.profile=linux", NULL };
  g_autofree char *a = first_segment (none);
  g_autofree char *b = first_segment (global);
  g_autofree char *c = first_segment (host);
  g_autofree char *d = first_segment (profile);

  /* The file writes "isn=7 profile=rfc": the profile applies first, or
   * the ISN would be random again. */
  g_assert_nonnull (strstr (a, "\"seq\":7,"));
  g_assert_nonnull (strstr (b, "\"seq\":1000,"));
  g_assert_nonnull (strstr (c, "\"seq\":2000,"));
  /* A profile from --set also applies before the file's keys. */
  g_assert_nonnull (strstr (d, "\"seq\":7,"));
}

typedef struct {
  const char *set;
  const char *message;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "link.cable.rate=10",
    "--set link.cable.rate=10: rate '10' needs a unit (bps, kbps, Mbps or "
    "Gbps)" },
  { "link.cable.rate=0bps",
    "--set link.cable.rate=0bps: must be at least 1bps, got 0bps" },
  { "link.cable.delay=-1ms",
    "--set link.cable.delay=-1ms: a duration cannot be negative: '-1ms'" },
  { "link.cable.loss=2",
    "--set link.cable.loss=2: probability '2' is above 1 (write a "
    "percentage as 2%)" },
  { "link.cable.queue=many",
    "--set link.cable.queue=many: expected a whole number, got 'many'" },
  { "link.cable.client>client.loss=1%",
    "--set link.cable.client>client.loss=1%: unknown parameter "
    "'link.cable.client>client.loss' (did you mean "
    "'link.cable.client>server.loss'?)" },
  { "lnk.cable.rate=1Mbps",
    "--set lnk.cable.rate=1Mbps: unknown parameter 'lnk.cable.rate' (did "
    "you mean 'link.cable.rate'?)" },
  { "link.cabel.rate=1Mbps",
    "--set link.cabel.rate=1Mbps: unknown parameter 'link.cabel.rate' (did "
    "you mean 'link.cable.rate'?)" },
  { "tcp.msss=1000B",
    "--set tcp.msss=1000B: unknown parameter 'tcp.msss' (did you mean "
    "'tcp.mss'?)" },
  { "tcp.mss=1000",
    "--set tcp.mss=1000: size '1000' needs a unit (B, KB, KiB, MB, MiB, GB "
    "or GiB)" },
  { "tcp.rcvbuf=2GiB",
    "--set tcp.rcvbuf=2GiB: must be at most 1GiB, got 2GiB" },
  { "tcp.nagle=2", "--set tcp.nagle=2: expected on/off, yes/no or "
    "true/false, got '2'" },
  { "tcp.profile=bsd",
    "--set tcp.profile=bsd: expected one of rfc, linux, got 'bsd'" },
  { "host.client.tcp.delack=1s",
    "--set host.client.tcp.delack=1s: must be at most 500ms, got 1s" },
  { "host.client.addr=10.0.0.2",
    "t.scn:4:18: addr: 10.0.0.2 is already the address of host 'client' "
    "(line 3)" },
  { "host.nobody.addr=10.0.0.9",
    "--set host.nobody.addr=10.0.0.9: unknown parameter "
    "'host.nobody.addr'" },
  { "app.ex.bytes=1MB",
    "--set app.ex.bytes=1MB: unknown parameter 'app.ex.bytes'" },
  { "app.ex.request=0B",
    "--set app.ex.request=0B: must be at least 1B, got 0B" },
  { "app.ex.server=server:99999",
    "--set app.ex.server=server:99999: expected HOST:PORT with a port from "
    "1 to 65535, such as server:8080, got 'server:99999'" },
  { "app.ex.client=nobody",
    "--set app.ex.client=nobody: app 'ex' names unknown host 'nobody'" },
  { "seed=x", "--set seed=x: expected a whole number, got 'x'" },
  { "run.until=0s", "--set run.until=0s: must be at least 1ns, got 0s" },
  { "run.untl=1s",
    "--set run.untl=1s: unknown parameter 'run.untl' (did you mean "
    "'run.until'?)" },
  { "link.cable.rate", "--set link.cable.rate: expected KEY=VALUE, such as "
    "link.l1.loss=1%" },
  { "=1s", "--set =1s: expected KEY=VALUE, such as link.l1.loss=1%" },
  { "link.cable.rate=", "--set link.cable.rate=: expected a rate such as "
    "10Mbps, got ''" },
  { "link.cable.qdisc=fifo",
    "--set link.cable.qdisc=fifo: expected one of droptail, red, codel, got "
    "'fifo'" },
  { "link.cable.red_min_th=5",
    "--set link.cable.red_min_th=5: link 'cable': red_min_th applies only "
    "with qdisc=red" },
  { "link.cable.client>server.mtu=10B",
    "--set link.cable.client>server.mtu=10B: must be at least 68B, got 10B" },
  { "app.ex.client.tcp.rcvbuf=2GiB",
    "--set app.ex.client.tcp.rcvbuf=2GiB: must be at most 1GiB, got 2GiB" },
  { "app.ex.from.tcp.mss=1000B",
    "--set app.ex.from.tcp.mss=1000B: unknown parameter "
    "'app.ex.from.tcp.mss' (did you mean 'app.ex.server.tcp.mss'?)" },
};

/* The names --set reaches beyond v1's: every link parameter, one side of
 * an app, a router's address, and the links a topology statement makes. */
static void
test_new_names (void)
{
  static const char text[] =
    "host client addr=10.0.0.1\n"
    "router r addr=10.0.0.254\n"
    "host server addr=10.0.1.1\n"
    "link l1 client <-> r rate=10Mbps delay=5ms\n"
    "link l2 r <-> server rate=10Mbps delay=5ms\n"
    "star hosts=2 addr=10.9.0.0 edge.rate=1Mbps edge.delay=1ms\n"
    "app ex reqresp client=client server=server:80 request=1B "
    "response=1B\n";
  const char *const sets[] = {
    "link.l1.qdisc=codel",
    "link.l1.client>r.jitter=2ms",
    "link.h1-hub.delay=7ms",
    "router.r.addr=10.0.0.253",
    "app.ex.server.tcp.rcvbuf=16KB",
    NULL
  };
  g_autoptr (GError) err = NULL;
  ScnRun run = { 0 };
  g_autoptr (SimWorld) world = load_with (text, sets, FALSE, 0, &run, &err);
  Link *l1;

  g_assert_no_error (err);
  l1 = network_find_link (run.network, "l1");
  g_assert_cmpint (link_params (l1, LINK_DIR_AB)->queue_kind, ==,
                   QUEUE_CODEL);
  g_assert_cmpint (link_params (l1, LINK_DIR_BA)->queue_kind, ==,
                   QUEUE_CODEL);
  g_assert_cmpint (link_params (l1, LINK_DIR_AB)->jitter_ns, ==, SIM_MS (2));
  g_assert_cmpint (link_params (l1, LINK_DIR_BA)->jitter_ns, ==, 0);
  g_assert_cmpint (link_params (network_find_link (run.network, "h1-hub"),
                                LINK_DIR_AB)->delay_ns, ==, SIM_MS (7));
  g_assert_cmpuint (node_addr (network_find_node (run.network, "r")), ==,
                    0x0a0000fdu);
}

static void
test_error (gconstpointer data)
{
  const ErrorCase *c = data;
  const char *const sets[] = { c->set, NULL };
  g_autoptr (GError) err = NULL;
  ScnRun run = { 0 };
  g_autoptr (SimWorld) world = load_with (base_text, sets, FALSE, 0, &run,
                                          &err);

  g_assert_null (world);
  g_assert_nonnull (err);
  g_assert_cmpstr (err->message, ==, c->message);
}

static void
test_errors_in_order (void)
{
  const char *const sets[] = {
    "link.cable.rate=1", "nothing=1", "tcp.mss=1B", NULL
  };
  g_autoptr (GError) err = NULL;
  g_autoptr (SimWorld) world = load_with ("host client\n", sets, FALSE,
                                          0, NULL, &err);

  /* File errors first, then the --set items in command-line order. */
  g_assert_null (world);
  g_assert_cmpstr (err->message, ==,
                   "t.scn:1:1: host 'client' needs addr= (for example "
                   "addr=10.0.0.1)\n"
                   "--set link.cable.rate=1: unknown parameter "
                   "'link.cable.rate'\n"
                   "--set nothing=1: unknown parameter 'nothing'\n"
                   "--set tcp.mss=1B: must be at least 64B, got 1B");
}

/* The documentation's tables name every parameter of the models' own
 * tables, so that a parameter added to a model is not left undocumented. */
static void
test_documented (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..",
                                                 "docs",
                                                 "scenario-language.md",
                                                 NULL);
  g_autofree char *doc = NULL;
  g_autoptr (GError) err = NULL;
  guint n;
  const TcpParamInfo *tcp = tcp_param_table (&n);

  g_file_get_contents (path, &doc, NULL, &err);
  g_assert_no_error (err);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *cell = g_strdup_printf ("| `%s` |", tcp[i].name);

      if (strstr (doc, cell) == NULL)
        {
          g_test_message ("TCP parameter %s is not in the docs' table",
                          tcp[i].name);
          g_test_fail ();
        }
    }
  {
    const LinkParamInfo *link = link_param_table (&n);

    for (guint i = 0; i < n; i++)
      {
        g_autofree char *cell = g_strdup_printf ("`%s`", link[i].name);

        if (strstr (doc, cell) == NULL)
          {
            g_test_message ("link parameter %s is not documented",
                            link[i].name);
            g_test_fail ();
          }
      }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/overrides/none", test_without_overrides);
  g_test_add_func ("/scenario/overrides/link", test_link_values);
  g_test_add_func ("/scenario/overrides/seed-and-until",
                   test_seed_and_until);
  g_test_add_func ("/scenario/overrides/creates-statements",
                   test_creates_statements);
  g_test_add_func ("/scenario/overrides/tcp", test_tcp_values);
  g_test_add_func ("/scenario/overrides/errors-in-order",
                   test_errors_in_order);
  g_test_add_func ("/scenario/overrides/new-names", test_new_names);
  g_test_add_func ("/scenario/overrides/documented", test_documented);
  for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scenario/overrides/error/%02"
                                               G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &error_cases[i], test_error);
    }
  return g_test_run ();
}

/* test_net_routing.c: addresses and routes.  The topology builders'
 * address plan; shortest paths by hops and by delay; equal-cost ties
 * broken by creation order; static routes winning over computed ones; a
 * packet without a route dropped and traced; TTL expiry; a host with two
 * addresses; errors that leave the network untouched. */
#include "tests/net/net_test.h"

static Ipv4Addr
addr (const char *text)
{
  Ipv4Addr a = 0;

  g_assert_true (ipv4_addr_parse (text, &a));
  return a;
}

static Node *
find_node (NetTest *t, const char *name)
{
  Node *n = network_find_node (t->net, name);

  g_assert_nonnull (n);
  return n;
}

static Link *
find_link (NetTest *t, const char *name)
{
  Link *l = network_find_link (t->net, name);

  g_assert_nonnull (l);
  return l;
}

static void
test_chain_addresses (void)
{
  NetTest *t = net_test_new (1);
  TopologyConfig cfg = { .prefix = "c-" };
  g_autoptr (Topology) topo = NULL;
  g_autoptr (GError) error = NULL;
  Node *r1;

  topo = topology_chain (t->net, &cfg, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (topo->hosts->len, ==, 2);
  g_assert_cmpuint (topo->routers->len, ==, 2);
  g_assert_cmpuint (topo->links->len, ==, 3);
  g_assert_null (topo->bottleneck);
  g_assert_cmpuint (node_addr (find_node (t, "c-h0")), ==, addr ("10.0.0.1"));
  g_assert_cmpuint (node_addr (find_node (t, "c-r0")), ==, addr ("10.0.0.2"));
  g_assert_cmpuint (node_addr (find_node (t, "c-h1")), ==, addr ("10.0.2.2"));
  r1 = find_node (t, "c-r1");
  g_assert_cmpuint (node_n_ifaces (r1), ==, 2);
  g_assert_cmpuint (node_iface (r1, 0)->addr, ==, addr ("10.0.1.2"));
  g_assert_cmpuint (node_iface (r1, 1)->addr, ==, addr ("10.0.2.1"));
  g_assert_true (node_has_addr (r1, addr ("10.0.2.1")));
  g_assert_true (link_iface (find_link (t, "c-r1-h1"), LINK_DIR_AB)
                 == node_iface (r1, 1));
  g_assert_cmpint (node_kind (r1), ==, NODE_KIND_ROUTER);
  g_assert_cmpint (node_kind (find_node (t, "c-h0")), ==, NODE_KIND_HOST);
  g_assert_true (network_find_node_by_addr (t->net, addr ("10.0.2.2"))
                 == find_node (t, "c-h1"));
  net_test_free (t);
}

static void
test_dumbbell_star_shape (void)
{
  NetTest *t = net_test_new (1);
  TopologyConfig cfg = { 0 };
  g_autoptr (Topology) bell = NULL;
  g_autoptr (Topology) star = NULL;
  g_autoptr (GError) error = NULL;

  bell = topology_dumbbell (t->net, &cfg, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bell->hosts->len, ==, 6);
  g_assert_cmpuint (bell->links->len, ==, 7);
  g_assert_true (bell->bottleneck == find_link (t, "left-right"));
  g_assert_true (topology_dumbbell_sender (bell, 2) == find_node (t, "snd2"));
  g_assert_true (topology_dumbbell_receiver (bell, 0) == find_node (t, "rcv0"));
  g_assert_cmpuint (node_addr (find_node (t, "snd0")), ==, addr ("10.0.1.1"));
  g_assert_cmpuint (node_addr (find_node (t, "rcv2")), ==, addr ("10.0.6.2"));
  g_assert_true (link_node (find_link (t, "right-rcv1"), LINK_DIR_AB)
                 == find_node (t, "right"));

  cfg.prefix = "s-";
  cfg.base_addr = addr ("192.168.0.0");
  star = topology_star (t->net, &cfg, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (node_n_ifaces (find_node (t, "s-hub")), ==, 4);
  g_assert_cmpuint (node_addr (find_node (t, "s-h3")), ==,
                    addr ("192.168.3.1"));
  g_assert_true (routing_install (t->net, ROUTING_METRIC_HOPS, &error));
  g_assert_true (node_route_lookup (find_node (t, "s-hub"),
                                    addr ("192.168.2.1"))
                 == link_iface (find_link (t, "s-h2-hub"), LINK_DIR_BA));
  net_test_free (t);
}

/* A name or address already taken fails the whole call: nothing built. */
static void
test_topology_errors (void)
{
  NetTest *t = net_test_new (1);
  TopologyConfig cfg = { 0 };
  g_autoptr (Topology) first = NULL;
  Topology *again;
  g_autoptr (GError) error = NULL;
  guint n_nodes;
  guint n_links;

  first = topology_chain (t->net, &cfg, 1, &error);
  g_assert_no_error (error);
  n_nodes = network_nodes (t->net)->len;
  n_links = network_links (t->net)->len;
  again = topology_chain (t->net, &cfg, 1, &error);
  g_assert_null (again);
  g_assert_error (error, TOPOLOGY_ERROR, TOPOLOGY_ERROR_NAME);
  g_clear_error (&error);
  cfg.prefix = "x";
  again = topology_star (t->net, &cfg, 2, &error);
  g_assert_null (again);
  g_assert_error (error, TOPOLOGY_ERROR, TOPOLOGY_ERROR_ADDR);
  g_clear_error (&error);
  again = topology_dumbbell (t->net, &cfg, 0, &error);
  g_assert_null (again);
  g_assert_error (error, TOPOLOGY_ERROR, TOPOLOGY_ERROR_SIZE);
  g_assert_cmpuint (network_nodes (t->net)->len, ==, n_nodes);
  g_assert_cmpuint (network_links (t->net)->len, ==, n_links);
  net_test_free (t);
}

/* s and d are routers joined directly (100 ms) and through m (1 ms + 1
 * ms); host ha hangs off s, hb off d.  By hops s goes straight to d; by
 * delay, through m.  A packet from ha takes the route the metric chose:
 * 1 + 100 + 1 ms or 1 + 1 + 1 + 1 ms (no serialization). */
static void
build_triangle (NetTest *t)
{
  LinkDirParams fast = { .delay_ns = SIM_MS (1) };
  LinkDirParams slow = { .delay_ns = SIM_MS (100) };
  Node *ha = host_new (t->net, "ha", addr ("10.1.0.1"), NULL);
  Node *hb = host_new (t->net, "hb", addr ("10.2.0.1"), NULL);
  Node *s = router_new (t->net, "s", addr ("10.1.0.2"));
  Node *d = router_new (t->net, "d", addr ("10.2.0.2"));
  Node *m = router_new (t->net, "m", addr ("10.3.0.1"));

  link_new (t->net, "ha-s", ha, s, &fast, &fast);
  link_new (t->net, "d-hb", d, hb, &fast, &fast);
  router_add_iface (s, addr ("10.4.0.1"));
  router_add_iface (d, addr ("10.4.0.2"));
  link_new (t->net, "s-d", s, d, &slow, &slow);
  link_new (t->net, "s-m", s, m, &fast, &fast);
  link_new (t->net, "m-d", m, d, &fast, &fast);
}

static void
test_metric (gconstpointer data)
{
  RoutingMetric metric = GPOINTER_TO_INT (data);
  NetTest *t = net_test_new (1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rx = NULL;
  Iface *out;

  build_triangle (t);
  g_assert_true (routing_install (t->net, metric, &error));
  out = node_route_lookup (find_node (t, "s"), addr ("10.2.0.1"));
  if (metric == ROUTING_METRIC_HOPS)
    g_assert_true (out->link == find_link (t, "s-d"));
  else
    g_assert_true (out->link == find_link (t, "s-m"));
  /* The answer comes back the same way. */
  out = node_route_lookup (find_node (t, "d"), addr ("10.1.0.1"));
  g_assert_true (out->link == find_link (t, metric == ROUTING_METRIC_HOPS
                                       ? "s-d" : "m-d"));
  net_test_send_at (t, 0, find_node (t, "ha"), addr ("10.2.0.1"), 100, 0);
  net_test_run (t, SIM_S (1));
  rx = net_test_select (t, NET_REC_RX, find_link (t, "d-hb"), LINK_DIR_AB);
  g_assert_cmpuint (rx->len, ==, 1);
  g_assert_cmpint (((NetRec *) rx->pdata[0])->at_ns, ==,
                   metric == ROUTING_METRIC_HOPS ? SIM_MS (102) : SIM_MS (4));
  net_test_free (t);
}

/* Four routers in a square, a -> b -> d and a -> c -> d of equal cost:
 * the path through the router made first wins, whatever the names and
 * the order of a's links; between two parallel links, the first made. */
static void
test_ties (gconstpointer data)
{
  gboolean c_first = GPOINTER_TO_INT (data);
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .delay_ns = SIM_MS (1) };
  g_autoptr (GError) error = NULL;
  static const char *const names[2][4] = {
    { "a", "b", "c", "d" }, { "a", "c", "b", "d" },
  };
  Node *h;
  Iface *out;

  for (guint i = 0; i < 4; i++)
    router_new (t->net, names[c_first][i], 0x0a000000u + (i + 1) * 0x10000);
  h = host_new (t->net, "h", addr ("10.9.0.1"), NULL);
  link_new (t->net, "d-h", find_node (t, "d"), h, &p, &p);
  link_new (t->net, "a-b", find_node (t, "a"), find_node (t, "b"), &p, &p);
  link_new (t->net, "a-c", find_node (t, "a"), find_node (t, "c"), &p, &p);
  link_new (t->net, "c-d", find_node (t, "c"), find_node (t, "d"), &p, &p);
  link_new (t->net, "b-d", find_node (t, "b"), find_node (t, "d"), &p, &p);
  link_new (t->net, "b-d-2", find_node (t, "b"), find_node (t, "d"), &p, &p);
  g_assert_true (routing_install (t->net, ROUTING_METRIC_DELAY, &error));
  out = node_route_lookup (find_node (t, "a"), addr ("10.9.0.1"));
  g_assert_true (out->link == find_link (t, c_first ? "a-c" : "a-b"));
  out = node_route_lookup (find_node (t, "b"), addr ("10.9.0.1"));
  g_assert_true (out->link == find_link (t, "b-d"));
  net_test_free (t);
}

/* A static route wins over the computed one; a node with several links
 * and no route drops, traced as "no-route". */
static void
test_static_and_no_route (void)
{
  NetTest *t = net_test_new (1);
  g_autoptr (GError) error = NULL;
  Node *s;

  build_triangle (t);
  s = find_node (t, "s");
  net_test_send_at (t, 0, s, addr ("10.2.0.1"), 100, 0);
  net_test_run (t, SIM_MS (1));
  g_assert_cmpuint (net_test_count (t, NET_REC_NODE_DROP, "no-route"), ==, 1);
  g_assert_cmpuint (node_stats (s)->dropped_no_route_pkts, ==, 1);

  node_add_route (s, addr ("10.2.0.0"), 16,
                  link_iface (find_link (t, "s-d"), LINK_DIR_AB));
  g_assert_true (routing_install (t->net, ROUTING_METRIC_DELAY, &error));
  g_assert_true (node_route_lookup (s, addr ("10.2.0.1"))->link
                 == find_link (t, "s-d"));
  g_assert_true (node_route_lookup (s, addr ("10.3.0.1"))->link
                 == find_link (t, "s-m"));
  /* Installing again replaces the computed routes, keeps the static. */
  g_assert_true (routing_install (t->net, ROUTING_METRIC_HOPS, &error));
  g_assert_true (node_route_lookup (s, addr ("10.2.0.1"))->link
                 == find_link (t, "s-d"));
  net_test_free (t);
}

/* TTL 2 crosses one router, not two: r1 drops it. */
static void
test_ttl (void)
{
  NetTest *t = net_test_new (1);
  TopologyConfig cfg = { 0 };
  g_autoptr (Topology) topo = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) drops = NULL;
  Node *h0;
  Node *h1;

  topo = topology_chain (t->net, &cfg, 2, &error);
  g_assert_true (routing_install (t->net, ROUTING_METRIC_HOPS, &error));
  h0 = topo->hosts->pdata[0];
  h1 = topo->hosts->pdata[1];
  net_test_send_at (t, 0, h0, node_addr (h1), 100, 2);
  net_test_send_at (t, 0, h0, node_addr (h1), 100, 3);
  net_test_run (t, SIM_S (1));
  drops = net_test_select (t, NET_REC_NODE_DROP, NULL, LINK_DIR_AB);
  g_assert_cmpuint (drops->len, ==, 2);
  g_assert_cmpstr (((NetRec *) drops->pdata[0])->reason, ==, "ttl-expired");
  g_assert_true (((NetRec *) drops->pdata[0])->node == topo->routers->pdata[1]);
  g_assert_cmpstr (((NetRec *) drops->pdata[1])->reason, ==, "no-protocol");
  g_assert_cmpuint (node_stats (topo->routers->pdata[1])->dropped_ttl_pkts, ==,
                    1);
  net_test_free (t);
}

/* A host on two links, with an address on each: both are its own, and a
 * router reaches each through the right link. */
static void
test_multihomed_host (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .delay_ns = SIM_MS (1) };
  g_autoptr (GError) error = NULL;
  Node *h = host_new (t->net, "h", addr ("10.0.0.1"), NULL);
  Node *r = router_new (t->net, "r", addr ("10.0.0.2"));
  Node *src = host_new (t->net, "src", addr ("10.5.0.1"), NULL);

  link_new (t->net, "h-r", h, r, &p, &p);
  node_add_iface (h, addr ("10.1.0.1"));
  router_add_iface (r, addr ("10.1.0.2"));
  link_new (t->net, "h-r2", h, r, &p, &p);
  router_add_iface (r, addr ("10.5.0.2"));
  link_new (t->net, "src-r", src, r, &p, &p);
  g_assert_true (routing_install (t->net, ROUTING_METRIC_HOPS, &error));
  g_assert_true (node_has_addr (h, addr ("10.1.0.1")));
  g_assert_true (node_route_lookup (r, addr ("10.1.0.1"))->link
                 == find_link (t, "h-r2"));
  g_assert_true (node_route_lookup (r, addr ("10.0.0.1"))->link
                 == find_link (t, "h-r"));
  net_test_send_at (t, 0, src, addr ("10.1.0.1"), 100, 0);
  net_test_send_at (t, 0, src, addr ("10.0.0.1"), 100, 0);
  net_test_run (t, SIM_S (1));
  g_assert_cmpuint (link_stats (find_link (t, "h-r2"),
                                LINK_DIR_BA)->delivered_pkts, ==, 1);
  g_assert_cmpuint (link_stats (find_link (t, "h-r"),
                                LINK_DIR_BA)->delivered_pkts, ==, 1);
  g_assert_cmpuint (net_test_count (t, NET_REC_NODE_DROP, "no-protocol"), ==,
                    2);
  net_test_free (t);
}

static void
test_duplicate_address (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { 0 };
  g_autoptr (GError) error = NULL;
  Node *a = router_new (t->net, "a", addr ("10.0.0.1"));
  Node *b = host_new (t->net, "b", addr ("10.0.0.2"), NULL);

  router_add_iface (a, addr ("10.0.0.2"));
  link_new (t->net, "ab", a, b, &p, &p);
  g_assert_false (routing_install (t->net, ROUTING_METRIC_HOPS, &error));
  g_assert_error (error, ROUTING_ERROR, ROUTING_ERROR_DUPLICATE_ADDR);
  net_test_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/routing/chain-addresses", test_chain_addresses);
  g_test_add_func ("/net/routing/dumbbell-star", test_dumbbell_star_shape);
  g_test_add_func ("/net/routing/topology-errors", test_topology_errors);
  g_test_add_data_func ("/net/routing/metric/hops",
                        GINT_TO_POINTER (ROUTING_METRIC_HOPS), test_metric);
  g_test_add_data_func ("/net/routing/metric/delay",
                        GINT_TO_POINTER (ROUTING_METRIC_DELAY), test_metric);
  g_test_add_data_func ("/net/routing/ties/b-made-first",
                        GINT_TO_POINTER (0), test_ties);
  g_test_add_data_func ("/net/routing/ties/c-made-first",
                        GINT_TO_POINTER (1), test_ties);
  g_test_add_func ("/net/routing/static-and-no-route",
                   test_static_and_no_route);
  g_test_add_func ("/net/routing/ttl", test_ttl);
  g_test_add_func ("/net/routing/multihomed-host", test_multihomed_host);
  g_test_add_func ("/net/routing/duplicate-address", test_duplicate_address);
  return g_test_run ();
}

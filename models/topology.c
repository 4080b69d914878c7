/* topology.c: chain, dumbbell and star builders.
 *
 * Call order: topology_chain() / _dumbbell() / _star() -> plan_*() (the
 * names and ends of every node and link) -> plan_check() (names and
 * addresses free, nothing built yet) -> plan_build() (nodes, then links
 * in plan order).  Checking the whole plan first means a failed call
 * leaves the network as it was.
 */
#include "models/topology.h"

#include "models/host.h"
#include "models/router.h"

#include <string.h>

G_DEFINE_QUARK (topology-error-quark, topology_error)

#define MAX_LINKS 65536u

typedef struct {
  char *name;
  gboolean router;
  Ipv4Addr addr;                /* of its first link end */
} PlanNode;

typedef struct {
  char *name;
  guint a;                      /* plan node indices */
  guint b;
  gboolean core;
} PlanLink;

typedef struct {
  const TopologyConfig *config;
  Ipv4Addr base;
  GArray *nodes;                /* (element-type PlanNode) */
  GArray *links;                /* (element-type PlanLink) */
} Plan;

static void
plan_init (Plan *plan, const TopologyConfig *config)
{
  plan->config = config;
  plan->base = config->base_addr ? config->base_addr : 0x0a000000u;
  plan->nodes = g_array_new (FALSE, TRUE, sizeof (PlanNode));
  plan->links = g_array_new (FALSE, TRUE, sizeof (PlanLink));
}

static void
plan_clear (Plan *plan)
{
  for (guint i = 0; i < plan->nodes->len; i++)
    g_free (g_array_index (plan->nodes, PlanNode, i).name);
  for (guint i = 0; i < plan->links->len; i++)
    g_free (g_array_index (plan->links, PlanLink, i).name);
  g_array_unref (plan->nodes);
  g_array_unref (plan->links);
}

static guint
plan_node (Plan *plan, gboolean router, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);

static guint
plan_node (Plan *plan, gboolean router, const char *fmt, ...)
{
  PlanNode n = { 0 };
  g_autofree char *base = NULL;
  va_list ap;

  va_start (ap, fmt);
  base = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  n.name = g_strconcat (plan->config->prefix ? plan->config->prefix : "",
                        base, NULL);
  n.router = router;
  g_array_append_val (plan->nodes, n);
  return plan->nodes->len - 1;
}

static const char *
node_base_name (const Plan *plan, guint i)
{
  const char *name = g_array_index (plan->nodes, PlanNode, i).name;

  return name + (plan->config->prefix ? strlen (plan->config->prefix) : 0);
}

static Ipv4Addr
link_addr (const Plan *plan, guint k, guint end)
{
  return plan->base + k * 256u + 1u + end;
}

static void
plan_link (Plan *plan, guint a, guint b, gboolean core)
{
  PlanLink l = { 0 };

  l.name = g_strdup_printf ("%s%s-%s",
                            plan->config->prefix ? plan->config->prefix : "",
                            node_base_name (plan, a), node_base_name (plan, b));
  l.a = a;
  l.b = b;
  l.core = core;
  g_array_append_val (plan->links, l);
}

static gboolean
plan_check (Plan *plan, Network *net, GError **error)
{
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) addrs = g_hash_table_new (NULL, NULL);
  GPtrArray *existing = network_nodes (net);
  guint n_links = plan->links->len;

  if (n_links > MAX_LINKS
      || (guint64) plan->base + (guint64) n_links * 256 > G_MAXUINT32)
    {
      g_set_error (error, TOPOLOGY_ERROR, TOPOLOGY_ERROR_ADDR,
                   "%u links do not fit in the addresses from the base",
                   n_links);
      return FALSE;
    }
  for (guint i = 0; i < existing->len; i++)
    {
      Node *n = g_ptr_array_index (existing, i);

      g_hash_table_add (addrs, GUINT_TO_POINTER (node_addr (n)));
      for (guint k = 0; k < node_n_ifaces (n); k++)
        g_hash_table_add (addrs, GUINT_TO_POINTER (node_iface (n, k)->addr));
    }
  for (guint i = 0; i < plan->nodes->len; i++)
    {
      const char *name = g_array_index (plan->nodes, PlanNode, i).name;

      if (network_find_node (net, name) != NULL
          || network_find_link (net, name) != NULL
          || !g_hash_table_add (names, (gpointer) name))
        {
          g_set_error (error, TOPOLOGY_ERROR, TOPOLOGY_ERROR_NAME,
                       "name '%s' is already taken", name);
          return FALSE;
        }
    }
  for (guint k = 0; k < n_links; k++)
    {
      const char *name = g_array_index (plan->links, PlanLink, k).name;

      if (network_find_node (net, name) != NULL
          || network_find_link (net, name) != NULL
          || !g_hash_table_add (names, (gpointer) name))
        {
          g_set_error (error, TOPOLOGY_ERROR, TOPOLOGY_ERROR_NAME,
                       "name '%s' is already taken", name);
          return FALSE;
        }
      for (guint end = 0; end < 2; end++)
        if (g_hash_table_contains (addrs,
                                   GUINT_TO_POINTER (link_addr (plan, k, end))))
          {
            char text[IPV4_ADDR_STR_BYTES];

            ipv4_addr_format (link_addr (plan, k, end), text);
            g_set_error (error, TOPOLOGY_ERROR, TOPOLOGY_ERROR_ADDR,
                         "address %s is already taken", text);
            return FALSE;
          }
    }
  return TRUE;
}

static Topology *
plan_build (Plan *plan, Network *net)
{
  Topology *topo = g_new0 (Topology, 1);
  g_autofree Node **nodes = g_new0 (Node *, plan->nodes->len);

  topo->hosts = g_ptr_array_new ();
  topo->routers = g_ptr_array_new ();
  topo->links = g_ptr_array_new ();
  /* A node's primary address is that of its end of its first link. */
  for (guint k = plan->links->len; k > 0; k--)
    {
      PlanLink *l = &g_array_index (plan->links, PlanLink, k - 1);

      g_array_index (plan->nodes, PlanNode, l->a).addr =
        link_addr (plan, k - 1, 0);
      g_array_index (plan->nodes, PlanNode, l->b).addr =
        link_addr (plan, k - 1, 1);
    }
  for (guint i = 0; i < plan->nodes->len; i++)
    {
      PlanNode *n = &g_array_index (plan->nodes, PlanNode, i);

      if (n->router)
        {
          nodes[i] = router_new (net, n->name, n->addr);
          g_ptr_array_add (topo->routers, nodes[i]);
        }
      else
        {
          nodes[i] = host_new (net, n->name, n->addr, plan->config->tcp);
          g_ptr_array_add (topo->hosts, nodes[i]);
        }
    }
  for (guint k = 0; k < plan->links->len; k++)
    {
      PlanLink *l = &g_array_index (plan->links, PlanLink, k);
      const LinkDirParams *p = l->core ? &plan->config->core
                                       : &plan->config->edge;
      Link *link;

      /* The link takes the first interface without a link: this one. */
      node_add_iface (nodes[l->a], link_addr (plan, k, 0));
      node_add_iface (nodes[l->b], link_addr (plan, k, 1));
      link = link_new (net, l->name, nodes[l->a], nodes[l->b], p, p);
      g_ptr_array_add (topo->links, link);
    }
  return topo;
}

static Topology *
finish (Plan *plan, Network *net, GError **error)
{
  Topology *topo = NULL;

  if (plan_check (plan, net, error))
    topo = plan_build (plan, net);
  plan_clear (plan);
  return topo;
}

static gboolean
check_count (guint n, guint min, guint max, const char *what, GError **error)
{
  if (n >= min && n <= max)
    return TRUE;
  g_set_error (error, TOPOLOGY_ERROR, TOPOLOGY_ERROR_SIZE,
               "%s: %u is out of range [%u, %u]", what, n, min, max);
  return FALSE;
}

Topology *
topology_chain (Network *net, const TopologyConfig *config, guint n_routers,
                GError **error)
{
  Plan plan;
  guint prev;
  guint last;

  g_return_val_if_fail (config != NULL, NULL);
  if (!check_count (n_routers, 0, 1000, "routers", error))
    return NULL;
  plan_init (&plan, config);
  prev = plan_node (&plan, FALSE, "h0");
  for (guint i = 0; i < n_routers; i++)
    {
      guint r = plan_node (&plan, TRUE, "r%u", i);

      plan_link (&plan, prev, r, i > 0);
      prev = r;
    }
  last = plan_node (&plan, FALSE, "h1");
  plan_link (&plan, prev, last, FALSE);
  return finish (&plan, net, error);
}

Topology *
topology_dumbbell (Network *net, const TopologyConfig *config, guint n_pairs,
                   GError **error)
{
  Plan plan;
  guint left;
  guint right;
  Topology *topo;

  g_return_val_if_fail (config != NULL, NULL);
  if (!check_count (n_pairs, 1, (MAX_LINKS - 1) / 2, "pairs", error))
    return NULL;
  plan_init (&plan, config);
  left = plan_node (&plan, TRUE, "left");
  right = plan_node (&plan, TRUE, "right");
  plan_link (&plan, left, right, TRUE);
  for (guint i = 0; i < n_pairs; i++)
    plan_link (&plan, plan_node (&plan, FALSE, "snd%u", i), left, FALSE);
  for (guint i = 0; i < n_pairs; i++)
    plan_link (&plan, right, plan_node (&plan, FALSE, "rcv%u", i), FALSE);
  topo = finish (&plan, net, error);
  if (topo != NULL)
    topo->bottleneck = g_ptr_array_index (topo->links, 0);
  return topo;
}

Topology *
topology_star (Network *net, const TopologyConfig *config, guint n_hosts,
               GError **error)
{
  Plan plan;
  guint hub;

  g_return_val_if_fail (config != NULL, NULL);
  if (!check_count (n_hosts, 1, MAX_LINKS, "hosts", error))
    return NULL;
  plan_init (&plan, config);
  hub = plan_node (&plan, TRUE, "hub");
  for (guint i = 0; i < n_hosts; i++)
    plan_link (&plan, plan_node (&plan, FALSE, "h%u", i), hub, FALSE);
  return finish (&plan, net, error);
}

void
topology_free (Topology *topo)
{
  if (topo == NULL)
    return;
  g_ptr_array_unref (topo->hosts);
  g_ptr_array_unref (topo->routers);
  g_ptr_array_unref (topo->links);
  g_free (topo);
}

Node *
topology_dumbbell_sender (const Topology *topo, guint i)
{
  g_return_val_if_fail (topo->bottleneck != NULL, NULL);
  g_return_val_if_fail (i < topo->hosts->len / 2, NULL);
  return g_ptr_array_index (topo->hosts, i);
}

Node *
topology_dumbbell_receiver (const Topology *topo, guint i)
{
  g_return_val_if_fail (topo->bottleneck != NULL, NULL);
  g_return_val_if_fail (i < topo->hosts->len / 2, NULL);
  return g_ptr_array_index (topo->hosts, topo->hosts->len / 2 + i);
}

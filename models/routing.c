/* routing.c: shortest paths at build time (Dijkstra 1959), one run per
 * node that needs routes, over the links as they are when called.  Every
 * address of a node reached goes through the first hop of the node's
 * path, except an address on a link that ends at the source, which goes
 * over that link.
 *
 * Call order: routing_install() -> check_addresses() -> for each node
 * with several linked interfaces: shortest_paths() -> install().
 *
 * Determinism: the priority queue orders entries by (cost, links, node
 * creation index), a node's interfaces are scanned in creation order and
 * a better path must be strictly better, so equal-cost ties go to the path
 * found first, a function of creation order alone.  The address table is
 * a hash table used for lookups only, never iterated.
 */
#include "models/routing.h"

#include "models/network_private.h"

G_DEFINE_QUARK (routing-error-quark, routing_error)

const char *const routing_metric_names[] = {
  [ROUTING_METRIC_HOPS] = "hops",
  [ROUTING_METRIC_DELAY] = "delay",
  NULL,
};

typedef struct {
  gint64 cost;
  guint hops;
  guint node;
} Entry;

typedef struct {
  gint64 *cost;
  guint *hops;
  gboolean *settled;
  Iface **first_hop;            /* the source's interface towards a node */
  GArray *heap;                 /* (element-type Entry) */
} Search;

static gboolean
entry_before (const Entry *a, const Entry *b)
{
  if (a->cost != b->cost)
    return a->cost < b->cost;
  if (a->hops != b->hops)
    return a->hops < b->hops;
  return a->node < b->node;
}

static void
heap_push (GArray *heap, Entry e)
{
  guint i = heap->len;

  g_array_set_size (heap, heap->len + 1);
  while (i > 0 && entry_before (&e, &g_array_index (heap, Entry, (i - 1) / 2)))
    {
      g_array_index (heap, Entry, i) = g_array_index (heap, Entry, (i - 1) / 2);
      i = (i - 1) / 2;
    }
  g_array_index (heap, Entry, i) = e;
}

static Entry
heap_pop (GArray *heap)
{
  Entry top = g_array_index (heap, Entry, 0);
  Entry last = g_array_index (heap, Entry, heap->len - 1);
  guint n = heap->len - 1;
  guint i = 0;

  g_array_set_size (heap, n);
  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= n)
        break;
      if (child + 1 < n
          && entry_before (&g_array_index (heap, Entry, child + 1),
                           &g_array_index (heap, Entry, child)))
        child++;
      if (!entry_before (&g_array_index (heap, Entry, child), &last))
        break;
      g_array_index (heap, Entry, i) = g_array_index (heap, Entry, child);
      i = child;
    }
  if (n > 0)
    g_array_index (heap, Entry, i) = last;
  return top;
}

static guint
linked_ifaces (Node *node)
{
  guint n = 0;

  for (guint i = 0; i < node_n_ifaces (node); i++)
    if (node_iface (node, i)->link != NULL)
      n++;
  return n;
}

static void
shortest_paths (GPtrArray *nodes, guint src, RoutingMetric metric,
                Search *s)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      s->cost[i] = G_MAXINT64;
      s->hops[i] = G_MAXUINT;
      s->settled[i] = FALSE;
      s->first_hop[i] = NULL;
    }
  s->cost[src] = 0;
  s->hops[src] = 0;
  g_array_set_size (s->heap, 0);
  heap_push (s->heap, (Entry) { 0, 0, src });
  while (s->heap->len > 0)
    {
      Entry e = heap_pop (s->heap);
      Node *u = g_ptr_array_index (nodes, e.node);

      if (s->settled[e.node])
        continue;
      s->settled[e.node] = TRUE;
      for (guint i = 0; i < node_n_ifaces (u); i++)
        {
          Iface *f = node_iface (u, i);
          LinkDir dir = (LinkDir) f->link_dir;
          Node *v;
          guint vi;
          gint64 cost;

          if (f->link == NULL)
            continue;
          v = link_node (f->link, dir == LINK_DIR_AB ? LINK_DIR_BA
                                                     : LINK_DIR_AB);
          vi = node_index (v);
          if (s->settled[vi])
            continue;
          cost = e.cost + (metric == ROUTING_METRIC_HOPS
                           ? 1 : link_params (f->link, dir)->delay_ns);
          if (cost < s->cost[vi]
              || (cost == s->cost[vi] && e.hops + 1 < s->hops[vi]))
            {
              s->cost[vi] = cost;
              s->hops[vi] = e.hops + 1;
              s->first_hop[vi] = e.node == src ? f : s->first_hop[e.node];
              heap_push (s->heap, (Entry) { cost, e.hops + 1, vi });
            }
        }
    }
}

static void
install (Node *src, GPtrArray *nodes, const Search *s)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      Node *v = g_ptr_array_index (nodes, i);
      Iface *out = s->first_hop[i];

      if (out == NULL || v == src)
        continue;
      for (guint k = 0; k < node_n_ifaces (v); k++)
        {
          Iface *f = node_iface (v, k);
          Iface *via = out;

          if (f->addr == 0 || node_has_addr (src, f->addr))
            continue;
          /* An address on a link that ends at the source is reached over
           * that link, as a directly connected network is. */
          if (f->link != NULL)
            {
              LinkDir back = f->link_dir == LINK_DIR_AB ? LINK_DIR_BA
                                                        : LINK_DIR_AB;

              if (link_node (f->link, back) == src)
                via = link_iface (f->link, back);
            }
          node__add_computed_route (src, f->addr, via);
        }
      if (node_addr (v) != 0 && !node_has_addr (src, node_addr (v)))
        node__add_computed_route (src, node_addr (v), out);
    }
}

static gboolean
claim (GHashTable *owners, Ipv4Addr addr, Node *node, GError **error)
{
  Node *owner;
  char text[IPV4_ADDR_STR_BYTES];

  if (addr == 0)
    return TRUE;
  owner = g_hash_table_lookup (owners, GUINT_TO_POINTER (addr));
  if (owner == NULL)
    {
      g_hash_table_insert (owners, GUINT_TO_POINTER (addr), node);
      return TRUE;
    }
  if (owner == node)
    return TRUE;
  ipv4_addr_format (addr, text);
  g_set_error (error, ROUTING_ERROR, ROUTING_ERROR_DUPLICATE_ADDR,
               "nodes '%s' and '%s' both have address %s",
               node_name (owner), node_name (node), text);
  return FALSE;
}

static gboolean
check_addresses (GPtrArray *nodes, GError **error)
{
  g_autoptr (GHashTable) owners = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < nodes->len; i++)
    {
      Node *n = g_ptr_array_index (nodes, i);

      if (!claim (owners, node_addr (n), n, error))
        return FALSE;
      for (guint k = 0; k < node_n_ifaces (n); k++)
        if (!claim (owners, node_iface (n, k)->addr, n, error))
          return FALSE;
    }
  return TRUE;
}

gboolean
routing_install (Network *net, RoutingMetric metric, GError **error)
{
  GPtrArray *nodes = network_nodes (net);
  Search s;

  g_return_val_if_fail ((guint) metric < ROUTING_N_METRICS, FALSE);
  if (!check_addresses (nodes, error))
    return FALSE;
  s.cost = g_new (gint64, nodes->len);
  s.hops = g_new (guint, nodes->len);
  s.settled = g_new (gboolean, nodes->len);
  s.first_hop = g_new (Iface *, nodes->len);
  s.heap = g_array_new (FALSE, FALSE, sizeof (Entry));
  for (guint i = 0; i < nodes->len; i++)
    {
      Node *src = g_ptr_array_index (nodes, i);

      node__clear_computed_routes (src);
      if (linked_ifaces (src) < 2)
        continue;
      shortest_paths (nodes, i, metric, &s);
      install (src, nodes, &s);
    }
  g_free (s.cost);
  g_free (s.hops);
  g_free (s.settled);
  g_free (s.first_hop);
  g_array_unref (s.heap);
  return TRUE;
}

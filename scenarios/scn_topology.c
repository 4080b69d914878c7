/* scn_topology.c: routers, routes, and the chain, dumbbell and star
 * shorthands.
 *
 * Call order: scn__expand_topologies() runs first, before any name is
 * registered: each chain, dumbbell or star statement asks the network
 * model's own builder (topology.h) for the nodes and links it would make,
 * on a scratch network, and becomes the host, router and link statements
 * that describe them, inserted right after it in the tree.  From then on
 * they are ordinary statements: their names are registered, --set reaches
 * them (link.left-right.rate), drops and the timeline refer to them.
 * Later, in the checks: scn__check_routing() and scn__check_route(); and
 * once the world is built, scn__check_paths() follows each app's packets
 * through the routing tables.
 */
#include "scenarios/scn_private.h"

#include <string.h>

#include "models/node.h"
#include "models/topology.h"

/* ------------------------------------------------------------------ */
/* chain, dumbbell, star                                               */

enum { TOPO_COUNT, TOPO_PREFIX, TOPO_ADDR, N_TOPO_KEYS };

typedef struct {
  const char *keyword;
  const char *count_key;        /* routers, pairs, hosts */
  const char *count_default;    /* NULL: required */
  guint64 count_min;
  guint64 count_max;
  gboolean has_core;
  const char *usage;
} TopologyKind;

static const TopologyKind topology_kinds[] = {
  { "chain", "routers", "2", 0, 1000, TRUE,
    "chain [routers=N] edge.rate=RATE edge.delay=TIME core.rate=RATE "
    "core.delay=TIME [KEY=VALUE]..." },
  { "dumbbell", "pairs", NULL, 1, 32767, TRUE,
    "dumbbell pairs=N edge.rate=RATE edge.delay=TIME core.rate=RATE "
    "core.delay=TIME [KEY=VALUE]..." },
  { "star", "hosts", NULL, 1, 65536, FALSE,
    "star hosts=N edge.rate=RATE edge.delay=TIME [KEY=VALUE]..." },
};

static gboolean
is_topology_own_key (const char *key)
{
  return strcmp (key, "prefix") == 0 || strcmp (key, "addr") == 0
         || strcmp (key, "routers") == 0 || strcmp (key, "pairs") == 0
         || strcmp (key, "hosts") == 0;
}

/* TRUE when @key (after "edge." or "LINK.") is a link key, for both
 * directions or for one of @l's ("a>b.rate"). */
static gboolean
is_link_key_of (const char *key, Link *l)
{
  guint n;
  const ScnKeyInfo *keys = scn__link_keys (&n);
  const char *dot = strrchr (key, '.');
  const char *sub = dot != NULL ? dot + 1 : key;
  gboolean found = FALSE;

  for (guint k = 0; k < n && !found; k++)
    found = strcmp (sub, keys[k].name) == 0;
  if (!found || dot == NULL)
    return found;
  if (l == NULL)
    return FALSE;
  for (guint d = 0; d < 2; d++)
    {
      const char *label = link_dir_label (l, (LinkDir) d);

      if (strlen (label) == (gsize) (dot - key)
          && strncmp (key, label, strlen (label)) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
add_kv_copy (ScnStmt *to, const ScnKv *kv, const char *key)
{
  ScnKv *copy = scn_stmt_find_kv (to, key);

  /* A key for this one link wins over the same key for every link of
   * its kind: copies come edge/core first, then the link's own. */
  if (copy != NULL)
    {
      g_free (copy->value);
      copy->value = g_strdup (kv->value);
      copy->key_loc = kv->key_loc;
      copy->value_loc = kv->value_loc;
    }
  else
    copy = scn_stmt_add_kv (to, key, &kv->key_loc, kv->value,
                            &kv->value_loc);
  copy->value_quoted = kv->value_quoted;
}

/* Returns TRUE after reporting every problem of @stmt's own keys; fills
 * @config and @count otherwise. */
static gboolean
topology_keys (ScnChecker *c, const ScnStmt *stmt, const TopologyKind *kind,
               TopologyConfig *config, guint *count, char **prefix)
{
  ScnKeyInfo keys[N_TOPO_KEYS] = {
    [TOPO_COUNT] = { .name = kind->count_key, .type = SCN_KEY_COUNT,
                     .default_text = kind->count_default,
                     .min = kind->count_min, .max = kind->count_max,
                     .example = "pairs=2" },
    [TOPO_PREFIX] = { .name = "prefix", .type = SCN_KEY_HOST,
                      .optional = TRUE, .example = "prefix=a-" },
    [TOPO_ADDR] = { .name = "addr", .type = SCN_KEY_ADDR, .optional = TRUE,
                    .example = "addr=10.1.0.0" },
  };
  ScnValue values[N_TOPO_KEYS] = { { 0 } };
  guint before = scn_diag_count (c->diag);

  g_autofree char *example = g_strdup_printf ("%s=%s", kind->count_key,
                                              kind->count_default != NULL
                                              ? kind->count_default : "2");
  keys[TOPO_COUNT].example = example;
  scn__check_arg_count (c, stmt, 0, kind->usage);
  for (guint i = 0; i < stmt->kvs->len; i++)
    {
      const ScnKv *kv = g_ptr_array_index (stmt->kvs, i);

      for (guint k = 0; k < N_TOPO_KEYS; k++)
        {
          g_autoptr (GError) err = NULL;

          if (strcmp (kv->key, keys[k].name) != 0)
            continue;
          if (values[k].given)
            {
              scn_diag_add (c->diag, &kv->key_loc, SCN_ERROR_DUPLICATE,
                            "key '%s' is given twice", kv->key);
              continue;
            }
          values[k].given = TRUE;
          values[k].loc = kv->value_loc;
          if (!scn__parse_value (&keys[k], kv->value, &values[k], &err))
            scn_diag_add_error (c->diag, &kv->value_loc, SCN_ERROR_VALUE,
                                kv->value_loc.line != 0 ? kv->key : NULL,
                                err);
        }
    }
  if (!values[TOPO_COUNT].given)
    {
      if (kind->count_default == NULL)
        scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                      "%s needs %s= (for example %s)", stmt->keyword,
                      kind->count_key, example);
      else if (!scn__parse_value (&keys[TOPO_COUNT], kind->count_default,
                                  &values[TOPO_COUNT], NULL))
        g_assert_not_reached ();
    }
  /* A prefix must keep the names it makes valid names. */
  if (values[TOPO_PREFIX].given)
    {
      g_autofree char *probe = g_strconcat (values[TOPO_PREFIX].host, "x",
                                            NULL);

      if (!scn_is_name (probe) || strlen (values[TOPO_PREFIX].host) > 20)
        scn_diag_add (c->diag, &values[TOPO_PREFIX].loc, SCN_ERROR_VALUE,
                      "prefix: a prefix starts with a letter or '_' and "
                      "holds letters, digits, '_' and '-', at most 20");
    }
  {
    static const char *const need[] = { "edge.rate", "edge.delay",
                                        "core.rate", "core.delay" };

    for (gsize k = 0; k < G_N_ELEMENTS (need); k++)
      if ((kind->has_core || k < 2)
          && scn_stmt_find_kv (stmt, need[k]) == NULL)
        scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                      "%s needs %s= (for example %s=%s)", stmt->keyword,
                      need[k], need[k],
                      g_str_has_suffix (need[k], "rate") ? "10Mbps" : "5ms");
  }
  if (scn_diag_count (c->diag) != before)
    return FALSE;
  memset (config, 0, sizeof *config);
  *prefix = values[TOPO_PREFIX].given ? g_strdup (values[TOPO_PREFIX].host)
                                      : NULL;
  config->prefix = *prefix;
  config->base_addr = (Ipv4Addr) values[TOPO_ADDR].u;
  *count = (guint) values[TOPO_COUNT].u;
  return TRUE;
}

static void
expand_one (ScnChecker *c, guint index, const TopologyKind *kind)
{
  ScnStmt *stmt = g_ptr_array_index (c->script->stmts, index);
  g_autoptr (SimWorld) scratch = sim_world_new (1);
  Network *net = network_new (scratch);
  g_autoptr (Topology) topo = NULL;
  g_autoptr (GError) err = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr (GPtrArray) made = g_ptr_array_new ();
  TopologyConfig config;
  guint count;
  GPtrArray *nodes;

  if (!topology_keys (c, stmt, kind, &config, &count, &prefix))
    return;
  if (strcmp (kind->keyword, "chain") == 0)
    topo = topology_chain (net, &config, count, &err);
  else if (strcmp (kind->keyword, "dumbbell") == 0)
    topo = topology_dumbbell (net, &config, count, &err);
  else
    topo = topology_star (net, &config, count, &err);
  if (topo == NULL)
    {
      scn_diag_add_error (c->diag, &stmt->loc, SCN_ERROR_VALUE,
                          stmt->keyword, err);
      return;
    }

  /* Every key of the statement must be its own, a link key for its edge
   * or core links, one generated link's, or one generated host's TCP
   * key. */
  for (guint i = 0; i < stmt->kvs->len; i++)
    {
      const ScnKv *kv = g_ptr_array_index (stmt->kvs, i);
      const char *dot = strchr (kv->key, '.');
      g_autofree char *head = dot != NULL ? g_strndup (kv->key,
                                                       (gsize) (dot - kv->key))
                                          : NULL;
      gboolean ok = is_topology_own_key (kv->key);

      if (!ok && head != NULL)
        {
          Link *l = network_find_link (net, head);
          Node *n = network_find_node (net, head);

          if (strcmp (head, "edge") == 0
              || (strcmp (head, "core") == 0 && kind->has_core))
            ok = is_link_key_of (dot + 1, NULL);
          else if (l != NULL)
            ok = is_link_key_of (dot + 1, l);
          else if (n != NULL && node_kind (n) == NODE_KIND_HOST)
            ok = g_str_has_prefix (dot + 1, "tcp.")
                 && scn__is_tcp_key (dot + 1 + strlen ("tcp."));
        }
      if (!ok)
        {
          g_autoptr (GPtrArray) cands = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *q = scn_quote (kv->key, SCN_QUOTE_MAX_CHARS);
          g_autofree char *hint = NULL;
          guint n;
          const ScnKeyInfo *keys = scn__link_keys (&n);
          GPtrArray *links = network_links (net);

          g_ptr_array_add (cands, g_strdup (kind->count_key));
          g_ptr_array_add (cands, g_strdup ("prefix"));
          g_ptr_array_add (cands, g_strdup ("addr"));
          for (guint k = 0; k < n; k++)
            {
              g_ptr_array_add (cands, g_strconcat ("edge.", keys[k].name,
                                                   NULL));
              if (kind->has_core)
                g_ptr_array_add (cands, g_strconcat ("core.", keys[k].name,
                                                     NULL));
              for (guint j = 0; j < links->len && j < 64; j++)
                g_ptr_array_add (cands,
                                 g_strdup_printf ("%s.%s", link_name (
                                   g_ptr_array_index (links, j)),
                                   keys[k].name));
            }
          hint = scn_hint (kv->key, (const char *const *) cands->pdata,
                           cands->len);
          scn_diag_add (c->diag, &kv->key_loc, SCN_ERROR_UNKNOWN,
                        "unknown key '%s'%s: %s takes %s, prefix, addr, "
                        "edge.KEY%s (a link parameter), LINK.KEY for one of "
                        "its links and HOST.tcp.KEY for one of its hosts",
                        q, hint, stmt->keyword, kind->count_key,
                        kind->has_core ? ", core.KEY" : "");
        }
    }

  /* The statements it stands for, right after it, in the builder's
   * order: nodes first, then links. */
  nodes = network_nodes (net);
  for (guint i = 0; i < nodes->len; i++)
    {
      Node *n = g_ptr_array_index (nodes, i);
      gboolean router = node_kind (n) == NODE_KIND_ROUTER;
      ScnStmt *s = scn_script_add_stmt (c->script, router ? "router" : "host",
                                        &stmt->loc);
      char addr[IPV4_ADDR_STR_BYTES];
      g_autofree char *tcp_prefix = g_strconcat (node_name (n), ".tcp.",
                                                 NULL);

      ipv4_addr_format (node_addr (n), addr);
      scn_stmt_add_arg (s, SCN_ARG_WORD, node_name (n), &stmt->loc);
      scn_stmt_add_kv (s, "addr", &stmt->loc, addr, &stmt->loc);
      for (guint k = 0; k < stmt->kvs->len && !router; k++)
        {
          const ScnKv *kv = g_ptr_array_index (stmt->kvs, k);

          if (g_str_has_prefix (kv->key, tcp_prefix))
            add_kv_copy (s, kv, kv->key + strlen (node_name (n)) + 1);
        }
      g_ptr_array_add (made, s);
    }
  for (guint i = 0; i < topo->links->len; i++)
    {
      Link *l = g_ptr_array_index (topo->links, i);
      Node *a = link_node (l, LINK_DIR_AB);
      Node *b = link_node (l, LINK_DIR_BA);
      gboolean core = node_kind (a) == NODE_KIND_ROUTER
                      && node_kind (b) == NODE_KIND_ROUTER;
      ScnStmt *s = scn_script_add_stmt (c->script, "link", &stmt->loc);
      g_autofree char *own = g_strconcat (link_name (l), ".", NULL);

      scn_stmt_add_arg (s, SCN_ARG_WORD, link_name (l), &stmt->loc);
      scn_stmt_add_arg (s, SCN_ARG_WORD, node_name (a), &stmt->loc);
      scn_stmt_add_arg (s, SCN_ARG_ARROW, "<->", &stmt->loc);
      scn_stmt_add_arg (s, SCN_ARG_WORD, node_name (b), &stmt->loc);
      for (guint pass = 0; pass < 2; pass++)
        for (guint k = 0; k < stmt->kvs->len; k++)
          {
            const ScnKv *kv = g_ptr_array_index (stmt->kvs, k);
            const char *family = core ? "core." : "edge.";

            if (pass == 0 && g_str_has_prefix (kv->key, family)
                && is_link_key_of (kv->key + strlen (family), NULL))
              add_kv_copy (s, kv, kv->key + strlen (family));
            else if (pass == 1 && g_str_has_prefix (kv->key, own)
                     && is_link_key_of (kv->key + strlen (own), l))
              add_kv_copy (s, kv, kv->key + strlen (own));
          }
      g_ptr_array_add (made, s);
    }
  /* scn_script_add_stmt() appended them: move them after @stmt. */
  for (guint i = 0; i < made->len; i++)
    g_ptr_array_steal_index (c->script->stmts, c->script->stmts->len - 1);
  for (guint i = 0; i < made->len; i++)
    g_ptr_array_insert (c->script->stmts, (gint) (index + 1 + i),
                        g_ptr_array_index (made, i));
}

void
scn__expand_topologies (ScnChecker *c)
{
  GPtrArray *stmts = c->script->stmts;

  for (guint i = 0; i < stmts->len; i++)
    {
      const ScnStmt *stmt = g_ptr_array_index (stmts, i);

      if (stmt->broken)
        continue;
      for (gsize k = 0; k < G_N_ELEMENTS (topology_kinds); k++)
        if (strcmp (stmt->keyword, topology_kinds[k].keyword) == 0)
          {
            guint before = stmts->len;

            expand_one (c, i, &topology_kinds[k]);
            i += stmts->len - before;
            break;
          }
    }
}

/* ------------------------------------------------------------------ */
/* routing and route                                                   */

static const char *const routing_modes[] = { "shortest", "static", NULL };

enum { ROUTING_MODE, ROUTING_METRIC, N_ROUTING_KEYS };
static const ScnKeyInfo routing_keys[N_ROUTING_KEYS] = {
  [ROUTING_MODE] = { .name = "mode", .type = SCN_KEY_CHOICE,
                     .default_text = "shortest", .choices = routing_modes,
                     .example = "mode=static" },
  [ROUTING_METRIC] = { .name = "metric", .type = SCN_KEY_CHOICE,
                       .default_text = "hops",
                       .choices = routing_metric_names,
                       .example = "metric=delay" },
};

void
scn__check_routing (ScnChecker *c, const ScnStmt *stmt)
{
  ScnValue values[N_ROUTING_KEYS] = { { 0 } };
  ScnKeyGroup group = { "", routing_keys, N_ROUTING_KEYS, values, TRUE };
  guint before = scn_diag_count (c->diag);

  scn__check_arg_count (c, stmt, 0,
                        "routing [mode=shortest|static] [metric=hops|delay]");
  scn__collect_keys (c, stmt, &group, 1, NULL, 0, "routing",
                     "mode and metric", NULL);
  if (c->routing_stmt != NULL)
    {
      scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_DUPLICATE,
                    "routing is already set at line %u",
                    c->routing_stmt->loc.line);
      return;
    }
  c->routing_stmt = stmt;
  if (scn_diag_count (c->diag) != before)
    return;
  c->static_routing = values[ROUTING_MODE].u == 1;
  c->metric = (RoutingMetric) values[ROUTING_METRIC].u;
  if (c->static_routing && values[ROUTING_METRIC].given)
    scn_diag_add (c->diag, &values[ROUTING_METRIC].loc, SCN_ERROR_VALUE,
                  "metric: applies to mode=shortest only");
}

enum { ROUTE_TO, ROUTE_VIA, N_ROUTE_KEYS };
static const ScnKeyInfo route_keys[N_ROUTE_KEYS] = {
  [ROUTE_TO] = { .name = "to", .type = SCN_KEY_HOST,
                 .example = "to=10.0.2.0/24" },
  [ROUTE_VIA] = { .name = "via", .type = SCN_KEY_HOST,
                  .example = "via=r1" },
};

/* "default", "A.B.C.D", "A.B.C.D/N" or a node's name. */
static gboolean
parse_destination (ScnChecker *c, const char *text, const ScnLoc *loc,
                   Ipv4Addr *prefix, guint *len)
{
  const char *slash = strchr (text, '/');
  g_autofree char *addr_text = slash != NULL
                               ? g_strndup (text, (gsize) (slash - text))
                               : g_strdup (text);
  g_autoptr (GError) err = NULL;
  guint32 addr;
  guint64 bits = 32;
  ScnNameEntry *e;

  if (strcmp (text, "default") == 0)
    {
      *prefix = 0;
      *len = 0;
      return TRUE;
    }
  e = g_hash_table_lookup (c->names, text);
  if (e != NULL && (e->kind == SCN_NAME_HOST || e->kind == SCN_NAME_ROUTER))
    {
      const ScnHostSpec *h = e->spec;

      if (h == NULL)
        return FALSE;           /* its own statement has an error */
      *prefix = h->addr;
      *len = 32;
      return TRUE;
    }
  if (!g_ascii_isdigit (text[0]))
    {
      scn__resolve_name (c, text, (1u << SCN_NAME_HOST)
                         | (1u << SCN_NAME_ROUTER), loc, "route to",
                         "node (or write an address, A.B.C.D/N or default)");
      return FALSE;
    }
  if (!scn_parse_ipv4 (addr_text, &addr, &err)
      || (slash != NULL && (!scn_parse_count (slash + 1, &bits, NULL)
                            || bits > 32)))
    {
      g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

      scn_diag_add (c->diag, loc, SCN_ERROR_VALUE,
                    "to: expected a node's name, an address A.B.C.D, a "
                    "prefix A.B.C.D/N (N from 0 to 32) or default, got '%s'",
                    q);
      return FALSE;
    }
  if (bits < 32 && (addr & ~(bits == 0 ? 0u : ~0u << (32 - bits))) != 0)
    {
      g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

      scn_diag_add (c->diag, loc, SCN_ERROR_VALUE,
                    "to: '%s' has bits set past its prefix length", q);
      return FALSE;
    }
  *prefix = addr;
  *len = (guint) bits;
  return TRUE;
}

void
scn__check_route (ScnChecker *c, const ScnStmt *stmt)
{
  static const char usage[] = "route NODE to=DEST via=LINK|NEIGHBOUR";
  ScnValue values[N_ROUTE_KEYS] = { { 0 } };
  ScnKeyGroup group = { "", route_keys, N_ROUTE_KEYS, values, TRUE };
  guint before = scn_diag_count (c->diag);
  const char *node_name_text = scn_stmt_word (stmt, 0);
  ScnHostSpec *node = NULL;
  ScnLinkSpec *via = NULL;
  ScnRouteSpec *r;
  Ipv4Addr prefix = 0;
  guint len = 0;

  if (scn__check_arg_count (c, stmt, 1, usage) && node_name_text != NULL)
    {
      const ScnArg *arg = g_ptr_array_index (stmt->args, 0);
      ScnNameEntry *e = scn__resolve_name (c, node_name_text,
                                           (1u << SCN_NAME_HOST)
                                           | (1u << SCN_NAME_ROUTER),
                                           &arg->loc, "route", "node");

      node = e != NULL ? e->spec : NULL;
    }
  scn__collect_keys (c, stmt, &group, 1, NULL, 0, "route", "to and via",
                     NULL);
  if (values[ROUTE_TO].given && !values[ROUTE_TO].bad
      && !parse_destination (c, values[ROUTE_TO].host, &values[ROUTE_TO].loc,
                             &prefix, &len))
    values[ROUTE_TO].bad = TRUE;
  if (node != NULL && values[ROUTE_VIA].given && !values[ROUTE_VIA].bad)
    {
      const char *text = values[ROUTE_VIA].host;
      ScnNameEntry *e = g_hash_table_lookup (c->names, text);
      guint n_joining = 0;

      if (e != NULL && e->kind == SCN_NAME_LINK)
        {
          via = e->spec;
          if (via != NULL && via->end[0] != node && via->end[1] != node)
            {
              scn_diag_add (c->diag, &values[ROUTE_VIA].loc, SCN_ERROR_VALUE,
                            "via: link '%s' does not touch '%s'", text,
                            node->name);
              via = NULL;
            }
        }
      else if (e != NULL && (e->kind == SCN_NAME_HOST
                             || e->kind == SCN_NAME_ROUTER))
        {
          for (guint i = 0; i < c->links->len; i++)
            {
              ScnLinkSpec *l = g_ptr_array_index (c->links, i);

              if ((l->end[0] == node && l->end[1] == e->spec)
                  || (l->end[1] == node && l->end[0] == e->spec))
                {
                  via = via == NULL ? l : via;
                  n_joining++;
                }
            }
          if (n_joining == 0 && e->spec != NULL && !c->links_incomplete)
            scn_diag_add (c->diag, &values[ROUTE_VIA].loc, SCN_ERROR_VALUE,
                          "via: no link joins '%s' and '%s'", node->name,
                          text);
          else if (n_joining > 1)
            {
              scn_diag_add (c->diag, &values[ROUTE_VIA].loc, SCN_ERROR_VALUE,
                            "via: %u links join '%s' and '%s': name the "
                            "link", n_joining, node->name, text);
              via = NULL;
            }
        }
      else
        scn__resolve_name (c, text, (1u << SCN_NAME_LINK)
                           | (1u << SCN_NAME_HOST) | (1u << SCN_NAME_ROUTER),
                           &values[ROUTE_VIA].loc, "route via",
                           "link or neighbour");
    }
  if (node == NULL || via == NULL || scn_diag_count (c->diag) != before)
    return;
  r = g_new0 (ScnRouteSpec, 1);
  r->stmt = stmt;
  r->node = node;
  r->prefix = prefix;
  r->prefix_len = len;
  r->via = via;
  g_ptr_array_add (c->routes, r);
}

/* ------------------------------------------------------------------ */
/* Paths                                                               */

/* Follows a packet from @from to @dst through the routing tables.
 * Returns NULL when it arrives, else why it does not. */
static char *
follow (Node *from, Ipv4Addr dst, guint max_hops)
{
  Node *n = from;
  char text[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (dst, text);
  for (guint hop = 0; hop <= max_hops; hop++)
    {
      Iface *iface;

      if (node_has_addr (n, dst))
        return NULL;
      if (n != from && node_kind (n) != NODE_KIND_ROUTER)
        return g_strdup_printf ("packets reach host '%s', which does not "
                                "forward", node_name (n));
      iface = node_route_lookup (n, dst);
      if (iface == NULL || iface->link == NULL)
        return g_strdup_printf ("'%s' has no route to %s", node_name (n),
                                text);
      n = link_node (iface->link, (LinkDir) (1 - iface->link_dir));
    }
  return g_strdup_printf ("the routes to %s make a loop", text);
}

void
scn__check_paths (ScnChecker *c)
{
  guint max_hops = c->hosts->len;

  for (guint i = 0; i < c->apps->len; i++)
    {
      const ScnAppSpec *app = g_ptr_array_index (c->apps, i);
      const ScnHostSpec *a = app->host[SCN_SIDE_ACTIVE];
      const ScnHostSpec *b = app->host[SCN_SIDE_PASSIVE];
      g_autofree char *there = NULL;
      g_autofree char *back = NULL;

      if (a == NULL || b == NULL)
        continue;               /* a sink: its senders are checked */
      there = follow (a->node, b->addr, max_hops);
      back = there == NULL ? follow (b->node, a->addr, max_hops) : NULL;
      if (there != NULL || back != NULL)
        scn_diag_add (c->diag, &app->stmt->loc, SCN_ERROR_VALUE,
                      "app '%s': no path from host '%s' to host '%s' (%s)",
                      app->name, there != NULL ? a->name : b->name,
                      there != NULL ? b->name : a->name,
                      there != NULL ? there : back);
    }
}

/* network.c: the registry of nodes and links, the shared packet pool, and
 * the flow table of initial sequence numbers used to show relative
 * sequence numbers. */
#include "models/network_private.h"

#include "models/tcp/tcp.h"
#include "models/tcp/tcp_wire.h"
#include "models/wire.h"

typedef struct {
  Ipv4Addr src;
  Ipv4Addr dst;
  guint16 sport;
  guint16 dport;
  guint32 base_seq;
} FlowEntry;

struct Network {
  SimWorld *world;
  PacketPool *pool;
  GPtrArray *nodes;             /* (element-type Node), creation order */
  GPtrArray *links;             /* (element-type Link), creation order */
  GHashTable *node_by_name;
  GHashTable *node_by_addr;
  GHashTable *link_by_name;
  GHashTable *flows;            /* FlowEntry* (as key and value), owned */
};

static guint
flow_hash (gconstpointer p)
{
  const FlowEntry *f = p;
  guint64 h = ((guint64) f->src << 32) ^ f->dst;

  h ^= ((guint64) f->sport << 40) ^ ((guint64) f->dport << 8);
  h *= G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return (guint) (h >> 32);
}

static gboolean
flow_equal (gconstpointer a, gconstpointer b)
{
  const FlowEntry *x = a;
  const FlowEntry *y = b;

  return x->src == y->src && x->dst == y->dst && x->sport == y->sport
         && x->dport == y->dport;
}

static void
network_finish (void *self, SimWorld *world)
{
  Network *net = self;

  (void) world;
  for (guint i = 0; i < net->nodes->len; i++)
    node__finish (g_ptr_array_index (net->nodes, i));
}

static void
network_free (void *self)
{
  Network *net = self;

  /* Links first: they hold packets in flight, which go back to the pool;
   * then nodes (their TCP stacks), then the pool itself. */
  for (guint i = net->links->len; i > 0; i--)
    link__free (g_ptr_array_index (net->links, i - 1));
  for (guint i = net->nodes->len; i > 0; i--)
    node__free (g_ptr_array_index (net->nodes, i - 1));
  g_ptr_array_unref (net->links);
  g_ptr_array_unref (net->nodes);
  g_hash_table_unref (net->node_by_name);
  g_hash_table_unref (net->node_by_addr);
  g_hash_table_unref (net->link_by_name);
  g_hash_table_unref (net->flows);
  packet_pool_free (net->pool);
  g_free (net);
}

static const SimComponentOps network_ops = {
  "network", NULL, network_finish, network_free,
};

Network *
network_new (SimWorld *world)
{
  Network *net = g_new0 (Network, 1);

  net->world = world;
  net->pool = packet_pool_new ();
  net->nodes = g_ptr_array_new ();
  net->links = g_ptr_array_new ();
  net->node_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  net->node_by_addr = g_hash_table_new (NULL, NULL);
  net->link_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  net->flows = g_hash_table_new_full (flow_hash, flow_equal, g_free, NULL);
  sim_world_add_component (world, &network_ops, net);
  return net;
}

SimWorld *
network_world (Network *net)
{
  return net->world;
}

SimScheduler *
network_scheduler (Network *net)
{
  return sim_world_scheduler (net->world);
}

SimTraceBus *
network_trace (Network *net)
{
  return sim_world_trace (net->world);
}

PacketPool *
network_pool (Network *net)
{
  return net->pool;
}

SimTime
network_now (Network *net)
{
  return sim_world_now (net->world);
}

Node *
network_find_node (Network *net, const char *name)
{
  return g_hash_table_lookup (net->node_by_name, name);
}

Node *
network_find_node_by_addr (Network *net, Ipv4Addr addr)
{
  return g_hash_table_lookup (net->node_by_addr, GUINT_TO_POINTER (addr));
}

Link *
network_find_link (Network *net, const char *name)
{
  return g_hash_table_lookup (net->link_by_name, name);
}

GPtrArray *
network_nodes (Network *net)
{
  return net->nodes;
}

GPtrArray *
network_links (Network *net)
{
  return net->links;
}

void
network__add_node (Network *net, Node *node)
{
  g_ptr_array_add (net->nodes, node);
  g_hash_table_insert (net->node_by_name, (gpointer) node_name (node), node);
  if (node_addr (node) != 0)
    g_hash_table_insert (net->node_by_addr,
                         GUINT_TO_POINTER (node_addr (node)), node);
}

void
network__add_link (Network *net, Link *link)
{
  g_ptr_array_add (net->links, link);
  g_hash_table_insert (net->link_by_name, (gpointer) link_name (link), link);
}

/* Reads the addresses, ports, seq and flags of an IPv4+TCP packet without
 * verifying anything; FALSE when it is not one. */
static gboolean
peek_tcp (const Packet *pkt, FlowEntry *f, guint32 *seq, guint8 *flags)
{
  const guint8 *p = packet_cbytes (pkt);
  guint ihl;

  if (pkt->len_bytes < IPV4_HEADER_BYTES || (p[0] >> 4) != 4
      || p[9] != IPV4_PROTO_TCP)
    return FALSE;
  ihl = (guint) (p[0] & 0x0f) * 4;
  if (pkt->len_bytes < ihl + TCP_HEADER_BYTES)
    return FALSE;
  f->src = wire_get32 (p + 12);
  f->dst = wire_get32 (p + 16);
  f->sport = wire_get16 (p + ihl);
  f->dport = wire_get16 (p + ihl + 2);
  *seq = wire_get32 (p + ihl + 4);
  *flags = p[ihl + 13];
  return TRUE;
}

void
network_flow_learn (Network *net, const Packet *pkt)
{
  FlowEntry key;
  FlowEntry *entry;
  guint32 seq;
  guint8 flags;

  if (!peek_tcp (pkt, &key, &seq, &flags))
    return;
  entry = g_hash_table_lookup (net->flows, &key);
  if (entry == NULL)
    {
      entry = g_memdup2 (&key, sizeof key);
      entry->base_seq = seq;
      g_hash_table_add (net->flows, entry);
    }
  else if ((flags & TCP_SYN) && !(flags & TCP_RST))
    entry->base_seq = seq;
}

guint32
network_flow_relative (Network *net, Ipv4Addr src, guint16 sport,
                       Ipv4Addr dst, guint16 dport, guint32 seq)
{
  FlowEntry key = { src, dst, sport, dport, 0 };
  FlowEntry *entry = g_hash_table_lookup (net->flows, &key);

  return entry ? seq - entry->base_seq : seq;
}

void
network_segment_to_json (Network *net, const Packet *pkt, GString *out)
{
  const guint8 *p = packet_cbytes (pkt);
  Ipv4Header ip;
  guint ihl;
  TcpSeg seg;
  char a[IPV4_ADDR_STR_BYTES];
  char flags[12];

  sim_json_append_uint (out, "uid", pkt->uid);
  if (ipv4_header_parse (p, pkt->len_bytes, &ip, &ihl) != IPV4_PARSE_OK
      || ip.proto != IPV4_PROTO_TCP
      || tcp_wire_parse (p + ihl, ip.total_len_bytes - ihl, ip.src, ip.dst,
                         FALSE, &seg) != TCP_WIRE_OK)
    {
      sim_json_append_uint (out, "bytes", pkt->len_bytes);
      return;
    }
  ipv4_addr_format (ip.src, a);
  g_string_append_printf (out, ",\"src\":\"%s:%u\"", a, seg.sport);
  ipv4_addr_format (ip.dst, a);
  g_string_append_printf (out, ",\"dst\":\"%s:%u\"", a, seg.dport);
  tcp_flags_format_short (seg.flags, flags);
  sim_json_append_string (out, "flags", flags);
  sim_json_append_uint (out, "seq", seg.seq);
  sim_json_append_uint (out, "ack", seg.ack);
  sim_json_append_uint (out, "rel_seq",
                        network_flow_relative (net, ip.src, seg.sport, ip.dst,
                                               seg.dport, seg.seq));
  sim_json_append_uint (out, "rel_ack",
                        (seg.flags & TCP_ACK)
                          ? network_flow_relative (net, ip.dst, seg.dport,
                                                   ip.src, seg.sport, seg.ack)
                          : 0);
  sim_json_append_uint (out, "len", seg.len_bytes);
  sim_json_append_uint (out, "win", seg.win);
  sim_json_append_uint (out, "hlen", seg.hdr_bytes);
  sim_json_append_uint (out, "bytes", pkt->len_bytes);
  if (seg.opts.has_mss)
    sim_json_append_uint (out, "mss", seg.opts.mss_bytes);
  if (seg.opts.has_wscale)
    sim_json_append_uint (out, "wscale", seg.opts.wscale);
  if (seg.opts.sack_ok)
    sim_json_append_bool (out, "sack_ok", TRUE);
  if (seg.opts.has_ts)
    {
      sim_json_append_uint (out, "tsval", seg.opts.ts_val);
      sim_json_append_uint (out, "tsecr", seg.opts.ts_ecr);
    }
  if (seg.opts.n_sack > 0)
    {
      /* SACK blocks acknowledge the peer's data: relative to its ISN. */
      g_string_append (out, ",\"sack\":[");
      for (guint i = 0; i < seg.opts.n_sack; i++)
        g_string_append_printf (out, "%s[%u,%u]", i ? "," : "",
                                network_flow_relative (net, ip.dst, seg.dport,
                                                       ip.src, seg.sport,
                                                       seg.opts.sack[i].start),
                                network_flow_relative (net, ip.dst, seg.dport,
                                                       ip.src, seg.sport,
                                                       seg.opts.sack[i].end));
      g_string_append_c (out, ']');
    }
}

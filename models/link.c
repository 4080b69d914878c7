/* link.c: point-to-point links.
 *
 * link_send() decides everything about a packet when it is offered:
 * whether the drop-tail queue has room, when its transmission starts and
 * ends, whether it is lost (scripted drops, then the Bernoulli draw), and
 * when it arrives.  Surviving packets wait in a FIFO in arrival order
 * behind a single timer per direction, so a link costs one heap entry per
 * direction rather than one per packet.
 *
 * Queue occupancy is derived from the end-of-transmission times of the
 * packets still on the transmitter: those that have not finished are
 * queued or on the wire, and all but the oldest are waiting.
 */
#include "models/network_private.h"

#include "models/tcp/tcp.h"
#include "models/tcp/tcp_wire.h"
#include "models/wire.h"

typedef struct {
  LinkDropRule rule;
  guint32 matched;
} DropRuleState;

typedef struct {
  Link *link;
  LinkDir dir;
  LinkDirParams params;
  Iface *from;
  Iface *to;
  SimRng *loss_rng;
  char label[96];

  SimTime busy_until_ns;
  SimTime *tx_end_ns;           /* ring of transmission ends, oldest first */
  guint tx_head;
  guint tx_len;
  guint tx_cap;

  Packet *flight_head;          /* in arrival order */
  Packet *flight_tail;
  SimTimer arrival;

  GArray *rules;                /* (element-type DropRuleState) */
  guint64 offered_pkts;
  LinkDirStats stats;
} LinkDirection;

struct Link {
  Network *net;
  char *name;
  LinkDirection dirs[2];
};

static void
link_to_json (const void *body, GString *out)
{
  const LinkTraceEvent *e = body;
  const LinkDirection *d = &e->link->dirs[e->dir];

  sim_json_append_string (out, "link", e->link->name);
  sim_json_append_string (out, "dir", d->label);
  network_segment_to_json (e->link->net, e->pkt, out);
  if (e->reason != NULL)
    sim_json_append_string (out, "reason", e->reason);
  if (e->arrive_at_ns > 0)
    sim_json_append_int (out, "arrive_ns", e->arrive_at_ns);
  sim_json_append_uint (out, "queue_pkts", e->queue_pkts);
}

const SimTraceKind link_trace_tx = { "link.tx", link_to_json };
const SimTraceKind link_trace_rx = { "link.rx", link_to_json };
const SimTraceKind link_trace_drop = { "link.drop", link_to_json };

static void on_arrival (SimTimer *timer, void *data);

static void
direction_init (Link *link, LinkDir dir, Iface *from, Iface *to,
                const LinkDirParams *params)
{
  LinkDirection *d = &link->dirs[dir];
  g_autofree char *stream = NULL;

  d->link = link;
  d->dir = dir;
  d->params = *params;
  d->from = from;
  d->to = to;
  g_snprintf (d->label, sizeof d->label, "%s>%s", node_name (from->node),
              node_name (to->node));
  stream = g_strdup_printf ("link/%s/%s/loss", link->name, d->label);
  d->loss_rng = sim_world_rng (network_world (link->net), stream);
  d->tx_cap = 16;
  d->tx_end_ns = g_new (SimTime, d->tx_cap);
  d->rules = g_array_new (FALSE, FALSE, sizeof (DropRuleState));
  sim_timer_init (&d->arrival, on_arrival, d);
}

Link *
link_new (Network *net, const char *name, Node *a, Node *b,
          const LinkDirParams *ab, const LinkDirParams *ba)
{
  Link *link = g_new0 (Link, 1);
  Iface *ia;
  Iface *ib;

  link->net = net;
  link->name = g_strdup (name);
  ia = node__attach_link (a, link, LINK_DIR_AB);
  ib = node__attach_link (b, link, LINK_DIR_BA);
  direction_init (link, LINK_DIR_AB, ia, ib, ab);
  direction_init (link, LINK_DIR_BA, ib, ia, ba);
  network__add_link (net, link);
  return link;
}

void
link__free (Link *link)
{
  PacketPool *pool = network_pool (link->net);

  for (guint i = 0; i < 2; i++)
    {
      LinkDirection *d = &link->dirs[i];

      sim_timer_clear (network_scheduler (link->net), &d->arrival);
      while (d->flight_head != NULL)
        {
          Packet *p = d->flight_head;

          d->flight_head = p->next;
          packet_free (pool, p);
        }
      g_free (d->tx_end_ns);
      g_array_unref (d->rules);
    }
  g_free (link->name);
  g_free (link);
}

const char *
link_name (const Link *link)
{
  return link->name;
}

Node *
link_node (const Link *link, LinkDir from)
{
  return link->dirs[from].from->node;
}

const char *
link_dir_label (const Link *link, LinkDir dir)
{
  return link->dirs[dir].label;
}

const LinkDirParams *
link_params (const Link *link, LinkDir dir)
{
  return &link->dirs[dir].params;
}

void
link_set_params (Link *link, LinkDir dir, const LinkDirParams *params)
{
  link->dirs[dir].params = *params;
}

const LinkDirStats *
link_stats (const Link *link, LinkDir dir)
{
  return &link->dirs[dir].stats;
}

void
link_add_drop_rule (Link *link, LinkDir dir, const LinkDropRule *rule)
{
  DropRuleState s = { *rule, 0 };

  g_array_append_val (link->dirs[dir].rules, s);
}

/* Round up so a link never beats its rate; exact below 2^31 bytes. */
static SimTime
tx_time_ns (guint64 size_bytes, guint64 rate_bps)
{
  if (rate_bps == 0)
    return 0;
  return (SimTime) ((size_bytes * 8 * G_GUINT64_CONSTANT (1000000000)
                     + rate_bps - 1) / rate_bps);
}

static void
emit (LinkDirection *d, const SimTraceKind *kind, const Packet *pkt,
      const char *reason, SimTime arrive_at_ns)
{
  SimTraceBus *bus = network_trace (d->link->net);
  LinkTraceEvent e;

  e.link = d->link;
  e.dir = d->dir;
  e.pkt = pkt;
  e.reason = reason;
  e.arrive_at_ns = arrive_at_ns;
  e.queue_pkts = d->tx_len > 0 ? d->tx_len - 1 : 0;
  sim_trace_emit (bus, network_now (d->link->net), kind, &e);
}

static gboolean
rule_matches (LinkDirection *d, DropRuleState *s, const Packet *pkt)
{
  const LinkDropRule *r = &s->rule;
  const guint8 *p = packet_cbytes (pkt);
  guint ihl;
  guint32 seq;
  guint16 sport;
  guint16 dport;
  guint tcp_hdr_bytes;
  guint32 payload_bytes;

  if (r->count > 0 && s->matched >= r->count)
    return FALSE;
  if (r->kind == LINK_DROP_NTH)
    return d->offered_pkts == r->nth;
  if (pkt->len_bytes < IPV4_HEADER_BYTES || p[9] != IPV4_PROTO_TCP)
    return FALSE;
  ihl = (guint) (p[0] & 0x0f) * 4;
  if (pkt->len_bytes < ihl + TCP_HEADER_BYTES)
    return FALSE;
  if ((p[ihl + 13] & r->flags_mask) != r->flags_value)
    return FALSE;
  tcp_hdr_bytes = (guint) (p[ihl + 12] >> 4) * 4;
  payload_bytes = pkt->len_bytes - ihl - tcp_hdr_bytes;
  if (r->match_len && payload_bytes != r->len_bytes)
    return FALSE;
  if (r->match_seq)
    {
      sport = wire_get16 (p + ihl);
      dport = wire_get16 (p + ihl + 2);
      seq = wire_get32 (p + ihl + 4);
      if (network_flow_relative (d->link->net, wire_get32 (p + 12), sport,
                                 wire_get32 (p + 16), dport, seq)
          != r->rel_seq)
        return FALSE;
    }
  return TRUE;
}

static gboolean
scripted_drop (LinkDirection *d, const Packet *pkt)
{
  for (guint i = 0; i < d->rules->len; i++)
    {
      DropRuleState *s = &g_array_index (d->rules, DropRuleState, i);

      if (rule_matches (d, s, pkt))
        {
          s->matched++;
          return TRUE;
        }
    }
  return FALSE;
}

static void
tx_ring_push (LinkDirection *d, SimTime end_ns)
{
  if (d->tx_len == d->tx_cap)
    {
      SimTime *grown = g_new (SimTime, d->tx_cap * 2);

      for (guint i = 0; i < d->tx_len; i++)
        grown[i] = d->tx_end_ns[(d->tx_head + i) % d->tx_cap];
      g_free (d->tx_end_ns);
      d->tx_end_ns = grown;
      d->tx_head = 0;
      d->tx_cap *= 2;
    }
  d->tx_end_ns[(d->tx_head + d->tx_len) % d->tx_cap] = end_ns;
  d->tx_len++;
}

static void
tx_ring_expire (LinkDirection *d, SimTime now_ns)
{
  while (d->tx_len > 0 && d->tx_end_ns[d->tx_head] <= now_ns)
    {
      d->tx_head = (d->tx_head + 1) % d->tx_cap;
      d->tx_len--;
    }
}

void
link_send (Link *link, LinkDir dir, Packet *pkt)
{
  LinkDirection *d = &link->dirs[dir];
  Network *net = link->net;
  SimTime now_ns = network_now (net);
  SimTime start_ns;
  SimTime end_ns;
  SimTime arrive_ns;
  gboolean tracing = sim_trace_on (network_trace (net));
  const char *lost = NULL;

  d->offered_pkts++;
  if (tracing || d->rules->len > 0)
    network_flow_learn (net, pkt);
  tx_ring_expire (d, now_ns);
  if (d->params.queue_limit_pkts > 0 && d->tx_len > 0
      && d->tx_len - 1 >= d->params.queue_limit_pkts)
    {
      d->stats.dropped_queue_pkts++;
      if (tracing)
        emit (d, &link_trace_drop, pkt, "queue", 0);
      packet_free (network_pool (net), pkt);
      return;
    }

  start_ns = MAX (now_ns, d->busy_until_ns);
  end_ns = start_ns + tx_time_ns (pkt->len_bytes, d->params.rate_bps);
  d->busy_until_ns = end_ns;
  tx_ring_push (d, end_ns);
  if (d->tx_len - 1 > d->stats.max_queue_pkts)
    d->stats.max_queue_pkts = d->tx_len - 1;
  arrive_ns = end_ns + d->params.delay_ns;
  /* Without jitter a link never reorders: a later packet cannot overtake
   * one sent before a delay change. */
  if (d->flight_tail != NULL && arrive_ns < d->flight_tail->arrive_at_ns)
    arrive_ns = d->flight_tail->arrive_at_ns;
  d->stats.sent_pkts++;
  d->stats.sent_bytes += pkt->len_bytes;
  if (tracing)
    emit (d, &link_trace_tx, pkt, NULL, arrive_ns);

  if (d->rules->len > 0 && scripted_drop (d, pkt))
    {
      lost = "script";
      d->stats.dropped_script_pkts++;
    }
  /* Drawn for every packet whatever happened above, so that the losses of
   * a run depend only on the packet index and the seed. */
  if (d->params.loss_prob > 0
      && sim_rng_bernoulli (d->loss_rng, d->params.loss_prob) && lost == NULL)
    {
      lost = "loss";
      d->stats.dropped_loss_pkts++;
    }
  if (lost != NULL)
    {
      if (tracing)
        emit (d, &link_trace_drop, pkt, lost, arrive_ns);
      packet_free (network_pool (net), pkt);
      return;
    }

  pkt->arrive_at_ns = arrive_ns;
  pkt->next = NULL;
  if (d->flight_tail != NULL)
    d->flight_tail->next = pkt;
  else
    d->flight_head = pkt;
  d->flight_tail = pkt;
  if (!sim_timer_is_armed (&d->arrival))
    sim_timer_start (network_scheduler (net), &d->arrival,
                     d->flight_head->arrive_at_ns);
}

static void
on_arrival (SimTimer *timer, void *data)
{
  LinkDirection *d = data;
  Network *net = d->link->net;
  Packet *pkt = d->flight_head;

  (void) timer;
  d->flight_head = pkt->next;
  if (d->flight_head == NULL)
    d->flight_tail = NULL;
  else
    sim_timer_start (network_scheduler (net), &d->arrival,
                     d->flight_head->arrive_at_ns);
  pkt->next = NULL;
  d->stats.delivered_pkts++;
  if (sim_trace_on (network_trace (net)))
    emit (d, &link_trace_rx, pkt, NULL, 0);
  node_receive (d->to->node, d->to, pkt);
}

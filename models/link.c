/* link.c: point-to-point links.
 *
 * link_send() decides everything about a packet when it is offered, in
 * this order: link down? -> larger than the MTU? -> the queue discipline
 * (queue_offer(): room, RED or CoDel, and when its transmission starts
 * and ends) -> its fates, each from its own random stream: scripted rule,
 * random loss, corruption, jitter, hold-back, duplication -> link.tx ->
 * then it is dropped, or damaged, or enters the flight.  Surviving
 * packets wait in arrival order behind a single timer per direction
 * (on_arrival()), so a link costs one heap entry per direction rather
 * than one per packet.
 *
 * The flight is a FIFO list of packets in (arrival, order) order, plus a
 * small binary heap for the packets that arrive before the list's tail:
 * those overtaken by jitter, and the ones released after being held back.
 * on_arrival() takes the earlier of the two.  A packet's `mark` holds its
 * order, taken when it enters the flight, so that ties go to the packet
 * that entered first.  Without jitter and hold-backs the heap stays empty
 * and the path is the original FIFO.
 *
 * Random streams of a direction "a>b" of link NAME, each drawn a fixed
 * number of times for every packet that enters while its feature is on,
 * whatever happened to the packet otherwise (common random numbers: a
 * sweep over one setting moves no other draw):
 *   link/NAME/a>b/loss     loss model (1 draw Bernoulli, 2 Gilbert-Elliott)
 *   link/NAME/a>b/corrupt  2 draws: whether, and where
 *   link/NAME/a>b/jitter   1 draw
 *   link/NAME/a>b/reorder  1 draw
 *   link/NAME/a>b/dup      1 draw
 *   link/NAME/a>b/queue    the discipline's (RED: 1 per offered packet)
 *   link/NAME/a>b/script   where a scripted corruption flips bits
 *
 * Timeline changes (link_schedule_change(), link_schedule_up()) wait in a
 * sorted array behind one timer per link.
 */
#include "models/network_private.h"

#include <string.h>

G_DEFINE_QUARK (link-error-quark, link_error)

typedef struct {
  Packet *pkt;
  SimTime arrive_ns;            /* without the hold */
  SimTime deadline_ns;          /* released then at the latest */
  guint32 remaining_pkts;       /* later packets still to go ahead */
  gboolean dup;                 /* a copy follows it when released */
} HeldPkt;

typedef struct {
  Link *link;
  LinkDir dir;
  LinkDirParams params;
  Iface *from;
  Iface *to;
  char label[96];

  Queue queue;
  const LossOps *loss_ops;
  LossConfig loss_config;
  LossState loss_state;
  gboolean loss_on;              /* the loss model can lose a packet */
  LossScript *script;
  gboolean scripted;            /* the script has rules */
  gboolean extras;              /* jitter, corruption, duplication,
                                 * hold-back or an MTU is on */

  SimRng *loss_rng;
  SimRng *corrupt_rng;
  SimRng *jitter_rng;
  SimRng *reorder_rng;
  SimRng *dup_rng;
  SimRng *script_rng;

  SimTime last_arrive_ns;       /* of the last packet kept in order */
  guint32 next_order;
  Packet *flight_head;          /* in (arrival, order) order */
  Packet *flight_tail;
  Packet **heap;                /* overtakers, a min-heap */
  guint heap_len;
  guint heap_cap;
  SimTimer arrival;

  GArray *held;                 /* (element-type HeldPkt), hold order */
  SimTimer hold_timer;

  guint64 offered_pkts;
  LinkDirStats stats;
} LinkDirection;

typedef enum {
  CHANGE_PARAMS,
  CHANGE_UP,
  CHANGE_DOWN,
} ChangeKind;

typedef struct {
  SimTime at_ns;
  ChangeKind kind;
  LinkDir dir;
  guint64 fields;
  LinkDirParams values;
} LinkChange;

struct Link {
  Network *net;
  char *name;
  LinkDirection dirs[2];
  gboolean down;
  GArray *changes;              /* (element-type LinkChange), by time,
                                 * then in the order scheduled */
  guint next_change;
  SimTimer change_timer;
};

/* Traces. */

static void
append_common (const LinkTraceEvent *e, GString *out)
{
  const LinkDirection *d = &e->link->dirs[e->dir];

  sim_json_append_string (out, "link", e->link->name);
  sim_json_append_string (out, "dir", d->label);
  network_segment_to_json (e->link->net, e->pkt, out);
}

static void
append_queue (const LinkTraceEvent *e, GString *out)
{
  sim_json_append_uint (out, "queue_pkts", e->queue_pkts);
  sim_json_append_uint (out, "queue_bytes", e->queue_bytes);
}

static void
link_to_json (const void *body, GString *out)
{
  const LinkTraceEvent *e = body;

  append_common (e, out);
  if (e->reason != NULL)
    sim_json_append_string (out, "reason", e->reason);
  if (e->arrive_at_ns > 0)
    sim_json_append_int (out, "arrive_ns", e->arrive_at_ns);
  append_queue (e, out);
}

static void
corrupt_to_json (const void *body, GString *out)
{
  const LinkTraceEvent *e = body;

  append_common (e, out);
  g_string_append (out, ",\"flips\":[");
  for (guint i = 0; i < e->n_flips; i++)
    g_string_append_printf (out, "%s[%u,%u]", i ? "," : "",
                            e->flip_bits[i] / 8, e->flip_bits[i] % 8);
  g_string_append_c (out, ']');
  append_queue (e, out);
}

static void
dup_to_json (const void *body, GString *out)
{
  const LinkTraceEvent *e = body;

  append_common (e, out);
  sim_json_append_uint (out, "orig_uid", e->orig_uid);
  if (e->arrive_at_ns > 0)
    sim_json_append_int (out, "arrive_ns", e->arrive_at_ns);
  append_queue (e, out);
}

static void
change_to_json (const void *body, GString *out)
{
  const LinkTraceEvent *e = body;
  const LinkDirParams *p = &e->link->dirs[e->dir].params;

  sim_json_append_string (out, "link", e->link->name);
  sim_json_append_string (out, "what", e->reason);
  if (strcmp (e->reason, "params") != 0)
    return;
  sim_json_append_string (out, "dir", e->link->dirs[e->dir].label);
  sim_json_append_uint (out, "rate_bps", p->rate_bps);
  sim_json_append_int (out, "delay_ns", p->delay_ns);
  sim_json_append_uint (out, "queue_limit_pkts", p->queue_limit_pkts);
  sim_json_append_uint (out, "queue_limit_bytes", p->queue_limit_bytes);
  sim_json_append_string (out, "qdisc", queue_kind_names[p->queue_kind]);
  sim_json_append_string (out, "loss_model",
                          loss_model_names[p->loss_model]);
  /* Probabilities in parts per million: the trace holds no floats. */
  sim_json_append_uint (out, "loss_ppm",
                        (guint64) (p->loss_prob * 1e6 + 0.5));
  sim_json_append_int (out, "jitter_ns", p->jitter_ns);
}

const SimTraceKind link_trace_tx = { "link.tx", link_to_json };
const SimTraceKind link_trace_rx = { "link.rx", link_to_json };
const SimTraceKind link_trace_drop = { "link.drop", link_to_json };
const SimTraceKind link_trace_corrupt = { "link.corrupt", corrupt_to_json };
const SimTraceKind link_trace_dup = { "link.dup", dup_to_json };
const SimTraceKind link_trace_change = { "link.change", change_to_json };

static void
emit_full (LinkDirection *d, const SimTraceKind *kind, LinkTraceEvent *e)
{
  Network *net = d->link->net;
  SimTime now_ns = network_now (net);

  e->link = d->link;
  e->dir = d->dir;
  e->queue_pkts = queue_len_pkts (&d->queue, now_ns);
  e->queue_bytes = queue_len_bytes (&d->queue, now_ns);
  sim_trace_emit (network_trace (net), now_ns, kind, e);
}

static void
emit (LinkDirection *d, const SimTraceKind *kind, const Packet *pkt,
      const char *reason, SimTime arrive_at_ns)
{
  LinkTraceEvent e = { 0 };

  e.pkt = pkt;
  e.reason = reason;
  e.arrive_at_ns = arrive_at_ns;
  emit_full (d, kind, &e);
}

/* Configuration. */

static void on_arrival (SimTimer *timer, void *data);
static void on_hold_timer (SimTimer *timer, void *data);
static void on_change_timer (SimTimer *timer, void *data);

static void
queue_config_of (const LinkDirParams *p, QueueConfig *c)
{
  c->kind = p->queue_kind;
  c->limit_pkts = p->queue_limit_pkts;
  c->limit_bytes = p->queue_limit_bytes;
  c->red = p->red;
  c->codel = p->codel;
}

/* Makes @params the direction's, keeping the state of the queue
 * discipline and loss model when their kind is unchanged. */
static void
apply_params (LinkDirection *d, const LinkDirParams *params)
{
  QueueConfig qc;
  const LossOps *ops = loss_ops_of_kind (params->loss_model);

  g_return_if_fail ((guint) params->queue_kind < QUEUE_N_KINDS);
  d->params = *params;
  queue_config_of (params, &qc);
  queue_configure (&d->queue, &qc);
  if (ops != d->loss_ops)
    {
      d->loss_ops = ops;
      d->loss_ops->reset (&d->loss_state);
    }
  d->loss_config.kind = params->loss_model;
  d->loss_config.prob = params->loss_prob;
  d->loss_config.gilbert = params->gilbert;
  d->loss_on = !d->loss_ops->inactive (&d->loss_config);
  d->extras = params->jitter_ns > 0 || params->dup_prob > 0
              || params->corrupt_prob > 0 || params->reorder_prob > 0
              || params->mtu_bytes > 0;
}

static SimRng *
stream (LinkDirection *d, const char *what)
{
  g_autofree char *name = g_strdup_printf ("link/%s/%s/%s", d->link->name,
                                           d->label, what);

  return sim_world_rng (network_world (d->link->net), name);
}

static void
direction_init (Link *link, LinkDir dir, Iface *from, Iface *to,
                const LinkDirParams *params)
{
  LinkDirection *d = &link->dirs[dir];
  QueueConfig qc;

  d->link = link;
  d->dir = dir;
  d->from = from;
  d->to = to;
  g_snprintf (d->label, sizeof d->label, "%s>%s", node_name (from->node),
              node_name (to->node));
  d->loss_rng = stream (d, "loss");
  d->corrupt_rng = stream (d, "corrupt");
  d->jitter_rng = stream (d, "jitter");
  d->reorder_rng = stream (d, "reorder");
  d->dup_rng = stream (d, "dup");
  d->script_rng = stream (d, "script");
  queue_config_of (params, &qc);
  queue_init (&d->queue, &qc, stream (d, "queue"));
  d->loss_ops = loss_ops_of_kind (params->loss_model);
  d->loss_ops->reset (&d->loss_state);
  apply_params (d, params);
  d->script = loss_script_new ();
  d->held = g_array_new (FALSE, FALSE, sizeof (HeldPkt));
  sim_timer_init (&d->arrival, on_arrival, d);
  sim_timer_init (&d->hold_timer, on_hold_timer, d);
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
  link->changes = g_array_new (FALSE, FALSE, sizeof (LinkChange));
  sim_timer_init (&link->change_timer, on_change_timer, link);
  network__add_link (net, link);
  return link;
}

static inline Packet *flight_pop (LinkDirection *d);

void
link__free (Link *link)
{
  PacketPool *pool = network_pool (link->net);
  SimScheduler *sched = network_scheduler (link->net);
  Packet *p;

  for (guint i = 0; i < 2; i++)
    {
      LinkDirection *d = &link->dirs[i];

      sim_timer_clear (sched, &d->arrival);
      sim_timer_clear (sched, &d->hold_timer);
      while ((p = flight_pop (d)) != NULL)
        packet_free (pool, p);
      for (guint k = 0; k < d->held->len; k++)
        packet_free (pool, g_array_index (d->held, HeldPkt, k).pkt);
      g_array_unref (d->held);
      g_free (d->heap);
      queue_clear (&d->queue);
      loss_script_free (d->script);
    }
  sim_timer_clear (sched, &link->change_timer);
  g_array_unref (link->changes);
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

Iface *
link_iface (const Link *link, LinkDir from)
{
  return link->dirs[from].from;
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
  apply_params (&link->dirs[dir], params);
}

const LinkDirStats *
link_stats (const Link *link, LinkDir dir)
{
  return &link->dirs[dir].stats;
}

void
link_add_drop_rule (Link *link, LinkDir dir, const LinkDropRule *rule)
{
  loss_script_add (link->dirs[dir].script, rule);
  link->dirs[dir].scripted = TRUE;
}

guint32
link_queue_pkts (Link *link, LinkDir dir)
{
  return queue_len_pkts (&link->dirs[dir].queue, network_now (link->net));
}

guint64
link_queue_bytes (Link *link, LinkDir dir)
{
  return queue_len_bytes (&link->dirs[dir].queue, network_now (link->net));
}

/* The flight. */

static inline gboolean
arrives_before (const Packet *a, const Packet *b)
{
  return a->arrive_at_ns < b->arrive_at_ns
         || (a->arrive_at_ns == b->arrive_at_ns
             && (gint32) (a->mark - b->mark) < 0);
}

static void
heap_push (LinkDirection *d, Packet *pkt)
{
  guint i;

  if (d->heap_len == d->heap_cap)
    {
      d->heap_cap = d->heap_cap ? d->heap_cap * 2 : 16;
      d->heap = g_renew (Packet *, d->heap, d->heap_cap);
    }
  i = d->heap_len++;
  while (i > 0 && arrives_before (pkt, d->heap[(i - 1) / 2]))
    {
      d->heap[i] = d->heap[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  d->heap[i] = pkt;
}

static Packet *
heap_pop (LinkDirection *d)
{
  Packet *top = d->heap[0];
  Packet *last = d->heap[--d->heap_len];
  guint i = 0;

  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= d->heap_len)
        break;
      if (child + 1 < d->heap_len
          && arrives_before (d->heap[child + 1], d->heap[child]))
        child++;
      if (!arrives_before (d->heap[child], last))
        break;
      d->heap[i] = d->heap[child];
      i = child;
    }
  if (d->heap_len > 0)
    d->heap[i] = last;
  return top;
}

static inline Packet *
flight_peek (const LinkDirection *d)
{
  Packet *h = d->flight_head;

  if (d->heap_len == 0)
    return h;
  if (h == NULL || arrives_before (d->heap[0], h))
    return d->heap[0];
  return h;
}

static inline Packet *
flight_pop (LinkDirection *d)
{
  Packet *next = flight_peek (d);

  if (next == NULL)
    return NULL;
  if (next == d->flight_head)
    {
      d->flight_head = next->next;
      if (d->flight_head == NULL)
        d->flight_tail = NULL;
    }
  else
    heap_pop (d);
  next->next = NULL;
  return next;
}

static inline void
flight_insert (LinkDirection *d, Packet *pkt, SimTime arrive_ns)
{
  SimScheduler *sched = network_scheduler (d->link->net);

  pkt->arrive_at_ns = arrive_ns;
  pkt->mark = d->next_order++;
  pkt->next = NULL;
  if (d->flight_tail == NULL || arrive_ns >= d->flight_tail->arrive_at_ns)
    {
      if (d->flight_tail != NULL)
        d->flight_tail->next = pkt;
      else
        d->flight_head = pkt;
      d->flight_tail = pkt;
    }
  else
    heap_push (d, pkt);
  if (!sim_timer_is_armed (&d->arrival)
      || arrive_ns < sim_timer_deadline (&d->arrival))
    sim_timer_start (sched, &d->arrival, flight_peek (d)->arrive_at_ns);
}

static void
on_arrival (SimTimer *timer, void *data)
{
  LinkDirection *d = data;
  Network *net = d->link->net;
  Packet *pkt = flight_pop (d);
  Packet *next = flight_peek (d);

  (void) timer;
  if (next != NULL)
    sim_timer_start (network_scheduler (net), &d->arrival,
                     next->arrive_at_ns);
  d->stats.delivered_pkts++;
  if (sim_trace_on (network_trace (net)))
    emit (d, &link_trace_rx, pkt, NULL, 0);
  node_receive (d->to->node, d->to, pkt);
}

/* Fates. */

/* splitmix64's output function (Steele, Lea and Flood 2014): turns one
 * drawn number into as many well-mixed positions as a corruption needs,
 * so the stream is drawn the same number of times however many bits
 * flip. */
static guint64
mix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* The change that flipping @bit_index makes to the one's-complement sum
 * of big-endian 16-bit words (RFC 1071), before reduction. */
static gint64
flip_weight (const guint8 *p, guint32 bit_index)
{
  guint32 byte = bit_index / 8;
  guint32 bit = bit_index % 8;
  gint64 w = (gint64) 1 << (bit + (byte % 2 == 0 ? 8 : 0));

  return ((p[byte] >> bit) & 1) ? -w : w;
}

/* A single flipped bit changes the Internet checksum's sum by +-2^k,
 * never a multiple of 65535, so it is always detected.  Several bits can
 * cancel (+2^k in one word, -2^k in another); such a choice is refused
 * so that a corruption is always caught, by the IPv4 header checksum
 * when a flip lands in the header, else by the TCP checksum. */
static gboolean
flips_detected (const guint8 *p, guint32 len_bytes, const guint32 *flips,
                guint n)
{
  guint32 ihl_bytes = len_bytes >= IPV4_HEADER_BYTES
                      ? MIN ((guint32) (p[0] & 0x0f) * 4, len_bytes)
                      : len_bytes;
  gint64 in_header = 0;
  gint64 in_segment = 0;
  gboolean header_hit = FALSE;

  for (guint i = 0; i < n; i++)
    {
      gint64 w = flip_weight (p, flips[i]);

      if (flips[i] / 8 < ihl_bytes)
        {
          in_header += w;
          header_hit = TRUE;
        }
      else
        in_segment += w;
    }
  if (in_header % 65535 != 0)
    return TRUE;
  return !header_hit && in_segment % 65535 != 0;
}

/* Flips @n_bits distinct bits of @pkt at positions derived from @seed;
 * returns how many, with their bit indices in @flips. */
static guint
corrupt (Packet *pkt, guint n_bits, guint64 seed,
         guint32 flips[LINK_MAX_CORRUPT_BITS])
{
  guint8 *p = packet_bytes (pkt);
  guint64 n_positions = (guint64) pkt->len_bytes * 8;
  guint64 state = seed;
  guint n = 0;

  if (n_positions == 0)
    return 0;
  n_bits = MAX (n_bits, 1u);
  n_bits = (guint) MIN ((guint64) MIN (n_bits, LINK_MAX_CORRUPT_BITS),
                        n_positions);
  for (guint attempt = 0; attempt < 16; attempt++)
    {
      n = 0;
      while (n < n_bits)
        {
          guint32 pos = (guint32) (mix64 (&state) % n_positions);
          gboolean seen = FALSE;

          for (guint i = 0; i < n; i++)
            seen = seen || flips[i] == pos;
          if (!seen)
            flips[n++] = pos;
        }
      if (n == 1 || flips_detected (p, pkt->len_bytes, flips, n))
        break;
      /* Rare: fall back to one bit after repeated cancellations. */
      if (attempt == 15)
        n = 1;
    }
  for (guint i = 0; i < n; i++)
    p[flips[i] / 8] ^= (guint8) (1u << (flips[i] % 8));
  pkt->tcp_csum_good = FALSE;
  return n;
}

static void
emit_corrupt (LinkDirection *d, const Packet *pkt, const guint32 *flips,
              guint n)
{
  LinkTraceEvent e = { 0 };

  e.pkt = pkt;
  e.n_flips = n;
  e.flip_bits = flips;
  emit_full (d, &link_trace_corrupt, &e);
}

static void
duplicate (LinkDirection *d, const Packet *pkt, gboolean tracing)
{
  Packet *copy = packet_copy (network_pool (d->link->net), pkt);

  d->stats.duplicated_pkts++;
  if (tracing)
    {
      LinkTraceEvent e = { 0 };

      e.pkt = copy;
      e.orig_uid = pkt->uid;
      e.arrive_at_ns = pkt->arrive_at_ns;
      emit_full (d, &link_trace_dup, &e);
    }
  flight_insert (d, copy, pkt->arrive_at_ns);
}

static void
arm_hold_timer (LinkDirection *d)
{
  SimTime first_ns = SIM_TIME_NEVER;

  for (guint i = 0; i < d->held->len; i++)
    first_ns = MIN (first_ns, g_array_index (d->held, HeldPkt, i).deadline_ns);
  if (first_ns == SIM_TIME_NEVER)
    sim_timer_stop (network_scheduler (d->link->net), &d->hold_timer);
  else
    sim_timer_start (network_scheduler (d->link->net), &d->hold_timer,
                     first_ns);
}

static void
release (LinkDirection *d, guint index, SimTime arrive_ns, gboolean tracing)
{
  HeldPkt h = g_array_index (d->held, HeldPkt, index);

  g_array_remove_index (d->held, index);
  flight_insert (d, h.pkt, MIN (MAX (h.arrive_ns, arrive_ns), h.deadline_ns));
  if (h.dup)
    duplicate (d, h.pkt, tracing);
}

/* A packet went ahead of the held ones: those it was the last to wait
 * for follow it, right after it, unless their longest hold ends first. */
static void
count_overtaker (LinkDirection *d, SimTime arrive_ns, gboolean tracing)
{
  guint i = 0;
  gboolean released = FALSE;

  while (i < d->held->len)
    {
      HeldPkt *h = &g_array_index (d->held, HeldPkt, i);

      if (--h->remaining_pkts == 0)
        {
          release (d, i, arrive_ns, tracing);
          released = TRUE;
        }
      else
        i++;
    }
  if (released)
    arm_hold_timer (d);
}

static void
on_hold_timer (SimTimer *timer, void *data)
{
  LinkDirection *d = data;
  SimTime now_ns = network_now (d->link->net);
  gboolean tracing = sim_trace_on (network_trace (d->link->net));
  guint i = 0;

  (void) timer;
  while (i < d->held->len)
    {
      if (g_array_index (d->held, HeldPkt, i).deadline_ns <= now_ns)
        release (d, i, now_ns, tracing);
      else
        i++;
    }
  arm_hold_timer (d);
}

static void
drop_unsent (LinkDirection *d, Packet *pkt, const char *reason,
             gboolean tracing)
{
  if (tracing)
    emit (d, &link_trace_drop, pkt, reason, 0);
  packet_free (network_pool (d->link->net), pkt);
}

void
link_send (Link *link, LinkDir dir, Packet *pkt)
{
  LinkDirection *d = &link->dirs[dir];
  Network *net = link->net;
  SimTime now_ns = network_now (net);
  QueueResult qr;
  SimTime arrive_ns;
  gboolean tracing = sim_trace_on (network_trace (net));
  const LinkDropRule *rule = NULL;
  const char *lost = NULL;
  const char *refused;
  gboolean damage = FALSE;
  guint damage_bits = 1;
  guint64 damage_seed = 0;
  gboolean dup = FALSE;
  gboolean hold = FALSE;
  SimTime hold_ns = 0;
  guint32 hold_pkts = 0;

  d->offered_pkts++;
  if (tracing || d->scripted)
    network_flow_learn (net, pkt);
  if (link->down)
    {
      d->stats.dropped_down_pkts++;
      drop_unsent (d, pkt, "link-down", tracing);
      return;
    }
  if (d->params.mtu_bytes > 0 && pkt->len_bytes > d->params.mtu_bytes)
    {
      d->stats.dropped_mtu_pkts++;
      drop_unsent (d, pkt, "mtu", tracing);
      return;
    }
  refused = queue_offer (&d->queue, now_ns, pkt->len_bytes,
                         d->params.rate_bps, &qr);
  if (refused != NULL)
    {
      if (strcmp (refused, "queue") == 0)
        d->stats.dropped_queue_pkts++;
      else
        d->stats.dropped_aqm_pkts++;
      drop_unsent (d, pkt, refused, tracing);
      return;
    }
  d->stats.max_queue_pkts = MAX (d->stats.max_queue_pkts, qr.waiting_pkts);
  d->stats.max_queue_bytes = MAX (d->stats.max_queue_bytes,
                                  qr.waiting_bytes);
  arrive_ns = qr.end_ns + d->params.delay_ns;
  d->stats.sent_pkts++;
  d->stats.sent_bytes += pkt->len_bytes;

  if (d->scripted)
    rule = loss_script_apply (d->script, net, pkt, d->offered_pkts, now_ns);
  if (rule != NULL)
    switch (rule->action)
      {
      case LINK_RULE_DROP:
        lost = "script";
        break;
      case LINK_RULE_CORRUPT:
        damage = TRUE;
        damage_bits = rule->corrupt_bits;
        damage_seed = sim_rng_next_u64 (d->script_rng);
        break;
      case LINK_RULE_DUPLICATE:
        dup = TRUE;
        break;
      case LINK_RULE_HOLD:
        hold = TRUE;
        hold_ns = rule->hold_ns;
        hold_pkts = rule->hold_pkts;
        break;
      default:
        g_assert_not_reached ();
      }
  /* Drawn for every packet whatever happened above, so that the losses of
   * a run depend only on the packet index and the seed. */
  if (d->loss_on
      && d->loss_ops->lose (&d->loss_state, &d->loss_config, d->loss_rng)
      && lost == NULL)
    lost = "loss";
  if (d->extras)
    {
      const LinkDirParams *p = &d->params;

      if (p->corrupt_prob > 0)
        {
          gboolean hit = sim_rng_bernoulli (d->corrupt_rng, p->corrupt_prob);
          guint64 seed = sim_rng_next_u64 (d->corrupt_rng);

          if (hit && !damage)
            {
              damage = TRUE;
              damage_bits = p->corrupt_bits;
              damage_seed = seed;
            }
        }
      if (p->jitter_ns > 0)
        {
          /* Uniform in [0, jitter_ns] from one draw. */
          arrive_ns += (SimTime) (sim_rng_uniform (d->jitter_rng)
                                  * (double) (p->jitter_ns + 1));
        }
      if (p->reorder_prob > 0
          && sim_rng_bernoulli (d->reorder_rng, p->reorder_prob) && !hold)
        {
          hold = TRUE;
          hold_ns = p->reorder_delay_ns;
          hold_pkts = p->reorder_gap_pkts;
        }
      if (p->dup_prob > 0 && sim_rng_bernoulli (d->dup_rng, p->dup_prob))
        dup = TRUE;
    }
  /* Without reordering allowed, a later packet never overtakes one sent
   * before it, after a delay change or through jitter. */
  if (!d->params.jitter_reorder && arrive_ns < d->last_arrive_ns)
    arrive_ns = d->last_arrive_ns;
  if (hold && hold_pkts == 0)
    arrive_ns += hold_ns;

  if (tracing)
    {
      LinkTraceEvent e = { 0 };

      e.link = link;
      e.dir = dir;
      e.pkt = pkt;
      e.arrive_at_ns = arrive_ns;
      e.queue_pkts = qr.waiting_pkts;
      e.queue_bytes = qr.waiting_bytes;
      sim_trace_emit (network_trace (net), now_ns, &link_trace_tx, &e);
    }
  if (lost != NULL)
    {
      if (strcmp (lost, "loss") == 0)
        d->stats.dropped_loss_pkts++;
      else
        d->stats.dropped_script_pkts++;
      if (tracing)
        emit (d, &link_trace_drop, pkt, lost, arrive_ns);
      packet_free (network_pool (net), pkt);
      return;
    }
  /* A held packet is meant to be overtaken: it bounds nobody. */
  if (!hold)
    d->last_arrive_ns = arrive_ns;
  if (damage)
    {
      guint32 flips[LINK_MAX_CORRUPT_BITS];
      guint n = corrupt (pkt, damage_bits, damage_seed, flips);

      d->stats.corrupted_pkts++;
      if (tracing)
        emit_corrupt (d, pkt, flips, n);
    }
  if (hold)
    {
      d->stats.reordered_pkts++;
      if (hold_pkts > 0)
        {
          HeldPkt h = {
            pkt, arrive_ns,
            hold_ns > 0 ? arrive_ns + hold_ns : SIM_TIME_NEVER,
            hold_pkts, dup,
          };

          g_array_append_val (d->held, h);
          arm_hold_timer (d);
          return;
        }
      flight_insert (d, pkt, arrive_ns);
    }
  else
    {
      flight_insert (d, pkt, arrive_ns);
      if (d->held->len > 0)
        count_overtaker (d, arrive_ns, tracing);
    }
  if (dup)
    duplicate (d, pkt, tracing);
}

/* Down and up. */

static void
emit_change (Link *link, LinkDir dir, const char *what)
{
  SimTraceBus *bus = network_trace (link->net);
  LinkTraceEvent e = { 0 };

  if (!sim_trace_on (bus))
    return;
  e.link = link;
  e.dir = dir;
  e.reason = what;
  sim_trace_emit (bus, network_now (link->net), &link_trace_change, &e);
}

static void
lose_everything (LinkDirection *d, gboolean tracing)
{
  PacketPool *pool = network_pool (d->link->net);
  SimScheduler *sched = network_scheduler (d->link->net);
  SimTime now_ns = network_now (d->link->net);
  Packet *p;

  sim_timer_stop (sched, &d->arrival);
  sim_timer_stop (sched, &d->hold_timer);
  queue_flush (&d->queue, now_ns);
  d->last_arrive_ns = 0;
  while ((p = flight_pop (d)) != NULL)
    {
      d->stats.dropped_down_pkts++;
      if (tracing)
        emit (d, &link_trace_drop, p, "link-down", p->arrive_at_ns);
      packet_free (pool, p);
    }
  for (guint i = 0; i < d->held->len; i++)
    {
      HeldPkt *h = &g_array_index (d->held, HeldPkt, i);

      d->stats.dropped_down_pkts++;
      if (tracing)
        emit (d, &link_trace_drop, h->pkt, "link-down", h->arrive_ns);
      packet_free (pool, h->pkt);
    }
  g_array_set_size (d->held, 0);
}

void
link_set_up (Link *link, gboolean up)
{
  gboolean tracing = sim_trace_on (network_trace (link->net));

  if (link->down == !up)
    return;
  link->down = !up;
  emit_change (link, LINK_DIR_AB, up ? "up" : "down");
  if (!up)
    for (guint i = 0; i < 2; i++)
      lose_everything (&link->dirs[i], tracing);
}

gboolean
link_is_up (const Link *link)
{
  return !link->down;
}

/* Timeline. */

static void
schedule (Link *link, const LinkChange *change)
{
  SimScheduler *sched = network_scheduler (link->net);
  guint i = link->changes->len;

  g_return_if_fail (change->at_ns >= network_now (link->net));
  /* After every change at the same time or earlier: changes given for
   * one instant apply in the order they were scheduled. */
  while (i > link->next_change
         && g_array_index (link->changes, LinkChange, i - 1).at_ns
              > change->at_ns)
    i--;
  g_array_insert_val (link->changes, i, *change);
  sim_timer_start (sched, &link->change_timer,
                   g_array_index (link->changes, LinkChange,
                                  link->next_change).at_ns);
}

void
link_schedule_change (Link *link, SimTime at_ns, LinkDir dir,
                      const LinkDirParams *values, guint64 fields)
{
  LinkChange c = { 0 };

  c.at_ns = at_ns;
  c.kind = CHANGE_PARAMS;
  c.dir = dir;
  c.fields = fields;
  c.values = *values;
  schedule (link, &c);
}

void
link_schedule_up (Link *link, SimTime at_ns, gboolean up)
{
  LinkChange c = { 0 };

  c.at_ns = at_ns;
  c.kind = up ? CHANGE_UP : CHANGE_DOWN;
  schedule (link, &c);
}

static void merge_fields (LinkDirParams *dst, const LinkDirParams *src,
                          guint64 fields);

static void
on_change_timer (SimTimer *timer, void *data)
{
  Link *link = data;
  SimTime now_ns = network_now (link->net);

  (void) timer;
  while (link->next_change < link->changes->len)
    {
      LinkChange c = g_array_index (link->changes, LinkChange,
                                    link->next_change);
      LinkDirParams merged;

      if (c.at_ns > now_ns)
        break;
      link->next_change++;
      switch (c.kind)
        {
        case CHANGE_PARAMS:
          merged = link->dirs[c.dir].params;
          merge_fields (&merged, &c.values, c.fields);
          apply_params (&link->dirs[c.dir], &merged);
          emit_change (link, c.dir, "params");
          break;
        case CHANGE_UP:
          link_set_up (link, TRUE);
          break;
        case CHANGE_DOWN:
          link_set_up (link, FALSE);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (link->next_change < link->changes->len)
    sim_timer_start (network_scheduler (link->net), &link->change_timer,
                     g_array_index (link->changes, LinkChange,
                                    link->next_change).at_ns);
}

/* The parameter table. */

#define FIELD(f) G_STRUCT_OFFSET (LinkDirParams, f), \
                 sizeof (((LinkDirParams *) NULL)->f)
#define BIT(i) (G_GUINT64_CONSTANT (1) << (i))
/* The scenario language's limits: 1000 Gbps, 1000000 s. */
#define MAX_RATE_BPS G_GUINT64_CONSTANT (1000000000000)
#define MAX_TIME_NS ((guint64) SIM_S (1000000))

static const char *const bool_choices[] = { "off", "on", NULL };

static const LinkParamInfo param_table[] = {
  { "rate", LINK_PARAM_RATE, FIELD (rate_bps), 0, MAX_RATE_BPS, NULL,
    BIT (0), "serialization rate; 0: unlimited" },
  { "delay", LINK_PARAM_TIME, FIELD (delay_ns), 0, MAX_TIME_NS, NULL,
    BIT (1), "one-way propagation delay" },
  { "queue", LINK_PARAM_COUNT, FIELD (queue_limit_pkts), 0, G_MAXUINT32,
    NULL, BIT (2),
    "packets waiting, not counting the one on the wire; 0: unlimited" },
  { "loss", LINK_PARAM_PROB, FIELD (loss_prob), 0, 0, NULL, BIT (3),
    "Bernoulli loss probability" },
  { "queue_bytes", LINK_PARAM_BYTES, FIELD (queue_limit_bytes), 0,
    G_GUINT64_CONSTANT (1) << 40, NULL, BIT (4),
    "bytes waiting; 0: unlimited" },
  { "qdisc", LINK_PARAM_CHOICE, FIELD (queue_kind), 0, QUEUE_N_KINDS - 1,
    queue_kind_names, BIT (5), "queue discipline" },
  { "red_min_th", LINK_PARAM_REAL, FIELD (red.min_th_pkts), 0, 0, NULL,
    BIT (6), "RED: average queue (packets) where early drops start" },
  { "red_max_th", LINK_PARAM_REAL, FIELD (red.max_th_pkts), 0, 0, NULL,
    BIT (7), "RED: average queue (packets) from which every packet drops" },
  { "red_max_p", LINK_PARAM_PROB, FIELD (red.max_p), 0, 0, NULL, BIT (8),
    "RED: drop probability at red_max_th" },
  { "red_w_q", LINK_PARAM_PROB, FIELD (red.w_q), 0, 0, NULL, BIT (9),
    "RED: weight of the average; 0: 0.002" },
  { "red_mean_pkt", LINK_PARAM_BYTES, FIELD (red.mean_pkt_bytes), 0, 65535,
    NULL, BIT (10), "RED: typical packet size for the idle decay; 0: 500" },
  { "codel_target", LINK_PARAM_TIME, FIELD (codel.target_ns), 0,
    MAX_TIME_NS, NULL, BIT (11), "CoDel: target sojourn time; 0: 5ms" },
  { "codel_interval", LINK_PARAM_TIME, FIELD (codel.interval_ns), 0,
    MAX_TIME_NS, NULL, BIT (12), "CoDel: interval; 0: 100ms" },
  { "codel_mtu", LINK_PARAM_BYTES, FIELD (codel.mtu_bytes), 0, 65535, NULL,
    BIT (13), "CoDel: maxpacket; 0: 1500" },
  { "loss_model", LINK_PARAM_CHOICE, FIELD (loss_model), 0,
    LOSS_N_MODELS - 1, loss_model_names, BIT (14), "random loss model" },
  { "ge_p", LINK_PARAM_PROB, FIELD (gilbert.p), 0, 0, NULL, BIT (15),
    "Gilbert-Elliott: P(good -> bad) per packet" },
  { "ge_r", LINK_PARAM_PROB, FIELD (gilbert.r), 0, 0, NULL, BIT (16),
    "Gilbert-Elliott: P(bad -> good) per packet" },
  { "ge_loss_good", LINK_PARAM_PROB, FIELD (gilbert.good_loss_prob), 0, 0,
    NULL, BIT (17), "Gilbert-Elliott: loss probability when good (1-k)" },
  { "ge_loss_bad", LINK_PARAM_PROB, FIELD (gilbert.bad_loss_prob), 0, 0,
    NULL, BIT (18), "Gilbert-Elliott: loss probability when bad (1-h)" },
  { "jitter", LINK_PARAM_TIME, FIELD (jitter_ns), 0, MAX_TIME_NS, NULL,
    BIT (19), "extra delay, uniform in [0, jitter]" },
  { "jitter_reorder", LINK_PARAM_BOOL, FIELD (jitter_reorder), 0, 1,
    bool_choices, BIT (20), "on: jitter may reorder; off: keep order" },
  { "dup", LINK_PARAM_PROB, FIELD (dup_prob), 0, 0, NULL, BIT (21),
    "duplication probability" },
  { "corrupt", LINK_PARAM_PROB, FIELD (corrupt_prob), 0, 0, NULL, BIT (22),
    "corruption probability" },
  { "corrupt_bits", LINK_PARAM_COUNT, FIELD (corrupt_bits), 0,
    LINK_MAX_CORRUPT_BITS, NULL, BIT (23),
    "bits flipped per corruption; 0: 1" },
  { "reorder", LINK_PARAM_PROB, FIELD (reorder_prob), 0, 0, NULL, BIT (24),
    "probability that a packet is held back" },
  { "reorder_delay", LINK_PARAM_TIME, FIELD (reorder_delay_ns), 0,
    MAX_TIME_NS, NULL, BIT (25),
    "hold-back delay (with reorder_gap: the longest hold; 0: none)" },
  { "reorder_gap", LINK_PARAM_COUNT, FIELD (reorder_gap_pkts), 0, 1000000,
    NULL, BIT (26), "held until this many later packets went ahead" },
  { "mtu", LINK_PARAM_BYTES, FIELD (mtu_bytes), 0, 65535, NULL, BIT (27),
    "largest packet carried; 0: no limit" },
};

const LinkParamInfo *
link_param_table (guint *n_out)
{
  if (n_out != NULL)
    *n_out = G_N_ELEMENTS (param_table);
  return param_table;
}

const LinkParamInfo *
link_param_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (param_table); i++)
    if (strcmp (param_table[i].name, name) == 0)
      return &param_table[i];
  return NULL;
}

static void
merge_fields (LinkDirParams *dst, const LinkDirParams *src, guint64 fields)
{
  for (guint i = 0; i < G_N_ELEMENTS (param_table); i++)
    if (fields & param_table[i].field_bit)
      memcpy ((guint8 *) dst + param_table[i].offset,
              (const guint8 *) src + param_table[i].offset,
              param_table[i].size);
}

gboolean
link_param_set_uint (LinkDirParams *params, const LinkParamInfo *info,
                     guint64 value, GError **error)
{
  guint8 *field = (guint8 *) params + info->offset;

  g_return_val_if_fail (info != NULL, FALSE);
  if (info->type == LINK_PARAM_PROB || info->type == LINK_PARAM_REAL)
    {
      g_set_error (error, LINK_ERROR, LINK_ERROR_TYPE,
                   "%s: expected a real number", info->name);
      return FALSE;
    }
  if (value < info->min || value > info->max)
    {
      g_set_error (error, LINK_ERROR, LINK_ERROR_RANGE,
                   "%s: %" G_GUINT64_FORMAT " is out of range [%"
                   G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]", info->name,
                   value, info->min, info->max);
      return FALSE;
    }
  if (info->size == sizeof (guint64))
    {
      guint64 v = value;

      memcpy (field, &v, sizeof v);
    }
  else
    {
      guint32 v = (guint32) value;

      G_STATIC_ASSERT (sizeof (gboolean) == sizeof (guint32));
      G_STATIC_ASSERT (sizeof (QueueKind) == sizeof (guint32));
      g_assert (info->size == sizeof (guint32));
      memcpy (field, &v, sizeof v);
    }
  return TRUE;
}

gboolean
link_param_set_double (LinkDirParams *params, const LinkParamInfo *info,
                       double value, GError **error)
{
  g_return_val_if_fail (info != NULL, FALSE);
  if (info->type != LINK_PARAM_PROB && info->type != LINK_PARAM_REAL)
    {
      g_set_error (error, LINK_ERROR, LINK_ERROR_TYPE,
                   "%s: expected an integer quantity", info->name);
      return FALSE;
    }
  if (!(value >= 0) || (info->type == LINK_PARAM_PROB && value > 1))
    {
      g_set_error (error, LINK_ERROR, LINK_ERROR_RANGE,
                   "%s: %g is out of range [0, %s]", info->name, value,
                   info->type == LINK_PARAM_PROB ? "1" : "inf");
      return FALSE;
    }
  memcpy ((guint8 *) params + info->offset, &value, sizeof value);
  return TRUE;
}

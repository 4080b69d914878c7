/* plot_data.c: trace records -> PlotFlow and PlotLinkDir series.
 *
 * plot_data_record() dispatches on the record kind:
 *   link.tx   -> queue sample; the first hop of a segment is its send
 *                (on_send(): data, retransmission or neither);
 *   link.rx   -> queue sample; a data segment reaching its receiver is
 *                delivered (on_delivery(): goodput), and a segment with
 *                ACK reaching the data's sender moves its ACK line
 *                (on_ack(): ACK, window, SACK blocks, and duplicate ACKs
 *                counted as the sender counts them, sack_update());
 *   link.drop -> queue sample; a data segment lost, marked at its send
 *                time; a drop-tail refusal at the first hop is also the
 *                segment's send, since it never had a link.tx;
 *   node.drop -> a data segment lost;
 *   link.corrupt -> the segment will arrive damaged: TCP discards it, so
 *                it is marked lost rather than delivered;
 *   tcp.event rexmit -> why the next retransmissions are sent;
 *   tcp.vars  -> cwnd, ssthresh, flight, rwnd, RTT samples, SRTT, RTO.
 * plot_data_finish() then bins each flow's deliveries and carries every
 * stair to its last known time (extend_stair()).
 *
 * Segments in flight are found by uid, so that a damaged packet whose
 * headers no longer parse, or a drop at a router, is still matched to
 * the segment its sender sent.  Only data segments are kept, and only
 * until they arrive or are lost.
 */
#include "plots/plot_data.h"

#include <math.h>
#include <string.h>

#include "models/tcp/tcp_seq.h"

/* RFC 5681 3.1: ssthresh "MAY be arbitrarily high"; the model starts it
 * at 2^32 - 1, which is no threshold to draw. */
#define SSTHRESH_INFINITE_BYTES G_GUINT64_CONSTANT (0xffffffff)

/* Goodput bins: about this many over a flow's transfer. */
#define GOODPUT_TARGET_BINS 60

static const struct {
  const char *name;
  guint n_values;
} series_info[PLOT_N_SERIES] = {
  [PLOT_SERIES_SEG] = { "seg", 2 },
  [PLOT_SERIES_REXMIT_RTO] = { "rexmit_rto", 2 },
  [PLOT_SERIES_REXMIT] = { "rexmit_other", 2 },
  [PLOT_SERIES_ACK] = { "ack", 1 },
  [PLOT_SERIES_WIN] = { "window", 1 },
  [PLOT_SERIES_SACK] = { "sack", 2 },
  [PLOT_SERIES_DROP] = { "lost", 2 },
  [PLOT_SERIES_DUPACK] = { "dupack", 2 },
  [PLOT_SERIES_CWND] = { "cwnd", 1 },
  [PLOT_SERIES_SSTHRESH] = { "ssthresh", 1 },
  [PLOT_SERIES_FLIGHT] = { "flight", 1 },
  [PLOT_SERIES_RWND] = { "rwnd", 1 },
  [PLOT_SERIES_RTT_SAMPLE] = { "rtt_sample", 1 },
  [PLOT_SERIES_SRTT] = { "srtt", 1 },
  [PLOT_SERIES_RTO] = { "rto", 1 },
  [PLOT_SERIES_GOODPUT] = { "goodput", 2 },
  [PLOT_SERIES_THROUGHPUT] = { "throughput", 2 },
};

const char *
plot_series_name (PlotSeriesId id)
{
  g_return_val_if_fail ((guint) id < PLOT_N_SERIES, "?");
  return series_info[id].name;
}

guint
plot_series_n_values (PlotSeriesId id)
{
  g_return_val_if_fail ((guint) id < PLOT_N_SERIES, 0);
  return series_info[id].n_values;
}

typedef struct {
  Ipv4Addr src;
  Ipv4Addr dst;
  guint16 sport;
  guint16 dport;
} FlowKey;

typedef struct {
  SimTime at_ns;
  guint32 rel_seq;
} PendingRexmit;

typedef struct {
  SimTime at_ns;
  guint64 good_bytes;
  guint64 all_bytes;
} Arrival;

typedef struct {
  gint64 start;
  gint64 end;
} Interval;

typedef struct Flow Flow;
struct Flow {
  PlotFlow pub;                 /* first: a Flow is a PlotFlow */
  FlowKey key;

  /* The sender. */
  gboolean sent_any;
  gboolean syn_sent;
  gint64 snd_max;               /* end of the sequence space sent */
  gint syn_wscale;              /* -2: no SYN yet; -1: SYN without it */
  gboolean rto_recovery;        /* retransmissions answer a timeout */
  GArray *pending_rexmit;       /* PendingRexmit: fast/SACK events */

  /* ACKs reaching the sender. */
  gboolean acked_any;
  gint64 ack;
  gint64 win_edge;
  guint64 last_win_bytes;
  guint dup_acks;
  GArray *sacked;               /* Interval: the peer's SACK scoreboard */

  /* The receiver. */
  gboolean rcv_started;
  gint64 rcv_nxt;
  GArray *out_of_order;         /* Interval, sorted, disjoint */
  GArray *arrivals;             /* Arrival */

  SimTime max_srtt_ns;
  SimTime last_vars_ns;         /* -1: no tcp.vars yet */
  SimTime last_ack_ns;          /* -1: no ACK yet */
};

typedef struct {
  Flow *flow;
  SimTime sent_ns;
  gint64 start;
  gint64 end;
} InFlight;

typedef struct {
  PlotLinkDir pub;
  SimTime last_ns;              /* the last sample, changed or not */
} LinkDirEntry;

struct PlotData {
  GPtrArray *flows;             /* Flow, by first appearance */
  GHashTable *flow_by_key;      /* FlowKey -> Flow (lookup only) */
  GHashTable *flow_by_name;     /* name -> Flow (lookup only) */
  GPtrArray *link_dirs;         /* LinkDirEntry, by first appearance */
  GHashTable *link_dir_by_key;  /* "link\x1fdir" -> LinkDirEntry */
  GHashTable *in_flight;        /* uid -> InFlight */
  GHashTable *damaged;          /* set of uids (guint64) */
  gboolean finished;
};

static guint
flow_key_hash (gconstpointer p)
{
  const FlowKey *k = p;

  return (k->src * 2654435761u) ^ (k->dst * 40503u)
         ^ ((guint) k->sport << 16 | k->dport);
}

static gboolean
flow_key_equal (gconstpointer a, gconstpointer b)
{
  const FlowKey *x = a;
  const FlowKey *y = b;

  return x->src == y->src && x->dst == y->dst && x->sport == y->sport
         && x->dport == y->dport;
}

static void
flow_free (gpointer p)
{
  Flow *f = p;

  g_free (f->pub.name);
  g_free (f->pub.src_node);
  g_free (f->pub.dst_node);
  for (guint i = 0; i < PLOT_N_SERIES; i++)
    g_array_unref (f->pub.series[i]);
  g_array_unref (f->pending_rexmit);
  g_array_unref (f->out_of_order);
  g_array_unref (f->sacked);
  g_array_unref (f->arrivals);
  g_free (f);
}

static void
link_dir_free (gpointer p)
{
  LinkDirEntry *e = p;

  g_free (e->pub.link);
  g_free (e->pub.dir);
  g_array_unref (e->pub.queue);
  g_array_unref (e->pub.drops);
  g_free (e);
}

PlotData *
plot_data_new (void)
{
  PlotData *pd = g_new0 (PlotData, 1);

  pd->flows = g_ptr_array_new_with_free_func (flow_free);
  pd->flow_by_key = g_hash_table_new (flow_key_hash, flow_key_equal);
  pd->flow_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  pd->link_dirs = g_ptr_array_new_with_free_func (link_dir_free);
  pd->link_dir_by_key = g_hash_table_new_full (g_str_hash, g_str_equal,
                                               g_free, NULL);
  pd->in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                         g_free, g_free);
  pd->damaged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       NULL);
  return pd;
}

void
plot_data_free (PlotData *pd)
{
  if (pd == NULL)
    return;
  g_hash_table_unref (pd->in_flight);
  g_hash_table_unref (pd->damaged);
  g_hash_table_unref (pd->flow_by_key);
  g_hash_table_unref (pd->flow_by_name);
  g_ptr_array_unref (pd->flows);
  g_hash_table_unref (pd->link_dir_by_key);
  g_ptr_array_unref (pd->link_dirs);
  g_free (pd);
}

/* Flows. */

static char *
flow_name (const FlowKey *k)
{
  char s[IPV4_ADDR_STR_BYTES];
  char d[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (k->src, s);
  ipv4_addr_format (k->dst, d);
  return g_strdup_printf ("%s:%u>%s:%u", s, k->sport, d, k->dport);
}

static Flow *
flow_lookup (PlotData *pd, Ipv4Addr src, guint16 sport, Ipv4Addr dst,
             guint16 dport)
{
  FlowKey key = { src, dst, sport, dport };

  return g_hash_table_lookup (pd->flow_by_key, &key);
}

static Flow *
flow_get (PlotData *pd, Ipv4Addr src, guint16 sport, Ipv4Addr dst,
          guint16 dport, SimTime at_ns)
{
  Flow *f = flow_lookup (pd, src, sport, dst, dport);

  if (f != NULL)
    return f;
  f = g_new0 (Flow, 1);
  f->key = (FlowKey) { src, dst, sport, dport };
  f->pub.name = flow_name (&f->key);
  f->pub.src = src;
  f->pub.sport = sport;
  f->pub.dst = dst;
  f->pub.dport = dport;
  f->pub.index = pd->flows->len;
  f->pub.first_ns = at_ns;
  f->pub.last_ns = at_ns;
  for (guint i = 0; i < PLOT_N_SERIES; i++)
    f->pub.series[i] = g_array_new (FALSE, FALSE, sizeof (PlotPoint));
  f->syn_wscale = -2;
  f->last_vars_ns = -1;
  f->last_ack_ns = -1;
  f->pending_rexmit = g_array_new (FALSE, FALSE, sizeof (PendingRexmit));
  f->out_of_order = g_array_new (FALSE, FALSE, sizeof (Interval));
  f->sacked = g_array_new (FALSE, FALSE, sizeof (Interval));
  f->arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  g_ptr_array_add (pd->flows, f);
  g_hash_table_insert (pd->flow_by_key, &f->key, f);
  g_hash_table_insert (pd->flow_by_name, f->pub.name, f);
  return f;
}

/* The flow an endpoint sends, from its connection name; NULL for a
 * listener or a name that is not "addr:port>addr:port". */
static Flow *
flow_of_conn (PlotData *pd, const char *conn, SimTime at_ns)
{
  Flow *f;
  const char *gt;
  g_autofree char *local = NULL;
  FlowKey k;

  if (conn == NULL)
    return NULL;
  f = g_hash_table_lookup (pd->flow_by_name, conn);
  if (f != NULL)
    return f;
  gt = strchr (conn, '>');
  if (gt == NULL)
    return NULL;
  local = g_strndup (conn, gt - conn);
  if (!trace_addr_port_parse (local, &k.src, &k.sport)
      || !trace_addr_port_parse (gt + 1, &k.dst, &k.dport))
    return NULL;
  return flow_get (pd, k.src, k.sport, k.dst, k.dport, at_ns);
}

static Flow *
flow_reverse (PlotData *pd, const Flow *f)
{
  return flow_lookup (pd, f->key.dst, f->key.dport, f->key.src,
                      f->key.sport);
}

/* The node the flow's segments are meant for: where its peer's segments
 * start. */
static const char *
flow_dst_node (PlotData *pd, Flow *f)
{
  Flow *rev;

  if (f->pub.dst_node != NULL)
    return f->pub.dst_node;
  rev = flow_reverse (pd, f);
  if (rev == NULL || rev->pub.src_node == NULL)
    return NULL;
  f->pub.dst_node = g_strdup (rev->pub.src_node);
  return f->pub.dst_node;
}

/* A 32-bit relative number as a 64-bit one, taking the nearest to @ref:
 * the flow's sequence space keeps growing past 4 GiB. */
static gint64
unwrap (guint32 rel, gint64 ref)
{
  return ref + (gint32) (rel - (guint32) ref);
}

static void
add_point (GArray *series, SimTime at_ns, gint64 v0, gint64 v1)
{
  PlotPoint p = { at_ns, { v0, v1 } };

  g_array_append_val (series, p);
}

/* Adds a point when the value differs from the last one. */
static void
add_change (GArray *series, SimTime at_ns, gint64 value)
{
  if (series->len > 0
      && g_array_index (series, PlotPoint, series->len - 1).v[0] == value)
    return;
  add_point (series, at_ns, value, 0);
}

/* Link directions. */

static LinkDirEntry *
link_dir_get (PlotData *pd, const char *link, const char *dir)
{
  g_autofree char *key = g_strconcat (link, "\x1f", dir, NULL);
  LinkDirEntry *e = g_hash_table_lookup (pd->link_dir_by_key, key);

  if (e != NULL)
    return e;
  e = g_new0 (LinkDirEntry, 1);
  e->pub.link = g_strdup (link);
  e->pub.dir = g_strdup (dir);
  e->pub.index = pd->link_dirs->len;
  e->pub.queue = g_array_new (FALSE, FALSE, sizeof (PlotPoint));
  e->pub.drops = g_array_new (FALSE, FALSE, sizeof (PlotPoint));
  g_ptr_array_add (pd->link_dirs, e);
  g_hash_table_insert (pd->link_dir_by_key, g_steal_pointer (&key), e);
  return e;
}

static void
on_queue_sample (PlotData *pd, const TraceRecord *rec)
{
  const TracePacket *p = &rec->packet;
  LinkDirEntry *e;

  if (p->queue_pkts < 0)
    return;
  e = link_dir_get (pd, p->link, p->dir);
  e->last_ns = rec->t_ns;
  add_change (e->pub.queue, rec->t_ns, p->queue_pkts);
  if (rec->kind == TRACE_KIND_LINK_DROP && p->reason != NULL
      && strcmp (p->reason, "queue") == 0)
    add_point (e->pub.drops, rec->t_ns, p->queue_pkts, 0);
}

/* The sender's side. */

static PlotSeriesId
classify_rexmit (Flow *f, SimTime at_ns, guint32 rel_seq)
{
  for (guint i = 0; i < f->pending_rexmit->len; i++)
    {
      PendingRexmit *pr = &g_array_index (f->pending_rexmit, PendingRexmit,
                                          i);

      if (pr->at_ns == at_ns && pr->rel_seq == rel_seq)
        {
          g_array_remove_index (f->pending_rexmit, i);
          return PLOT_SERIES_REXMIT;
        }
    }
  return f->rto_recovery ? PLOT_SERIES_REXMIT_RTO : PLOT_SERIES_REXMIT;
}

static void
on_send (PlotData *pd, Flow *f, SimTime at_ns, const TraceSegment *s)
{
  gint64 start = unwrap (s->rel_seq, f->snd_max);
  gint64 data_start = start + ((s->flags & TCP_SYN) ? 1 : 0);
  gint64 end = data_start + s->len_bytes + ((s->flags & TCP_FIN) ? 1 : 0);

  /* tcp.event rexmit comes just before the segment it announces, at the
   * same time; an older one was for a segment that never left. */
  for (guint i = f->pending_rexmit->len; i > 0; i--)
    if (g_array_index (f->pending_rexmit, PendingRexmit, i - 1).at_ns
        != at_ns)
      g_array_remove_index (f->pending_rexmit, i - 1);
  if (s->flags & TCP_SYN)
    {
      f->syn_sent = TRUE;
      f->syn_wscale = s->wscale;
    }
  if (s->len_bytes > 0)
    {
      InFlight *inf = g_new (InFlight, 1);
      guint64 *key = g_new (guint64, 1);
      PlotSeriesId id;

      /* As a capture tool decides: a segment that starts below what was
       * already sent covers old ground. */
      if (f->sent_any && start < f->snd_max)
        id = classify_rexmit (f, at_ns, s->rel_seq);
      else
        {
          id = PLOT_SERIES_SEG;
          f->rto_recovery = FALSE;
        }
      add_point (f->pub.series[id], at_ns, data_start,
                 data_start + s->len_bytes);
      f->pub.data_bytes += s->len_bytes;
      *key = s->uid;
      *inf = (InFlight) { f, at_ns, data_start, data_start + s->len_bytes };
      g_hash_table_replace (pd->in_flight, key, inf);
    }
  if (!f->sent_any || end > f->snd_max)
    f->snd_max = end;
  f->sent_any = TRUE;
}

static void
on_rexmit_event (PlotData *pd, const TraceRecord *rec)
{
  const TcpTraceEvent *e = &rec->event;
  Flow *f;

  if (e->conn == NULL || e->reason == NULL || strcmp (e->what, "rexmit") != 0)
    return;
  f = flow_of_conn (pd, e->conn, rec->t_ns);
  if (f == NULL)
    return;
  /* RFC 6298 5.4: after a timeout the sender goes back to the oldest
   * unacknowledged segment, and every segment it sends again until new
   * data leaves is part of that recovery (go-back-N). */
  if (strcmp (e->reason, "rto") == 0)
    f->rto_recovery = TRUE;
  else
    {
      PendingRexmit pr = { rec->t_ns, e->rel_seq };

      f->rto_recovery = FALSE;
      g_array_append_val (f->pending_rexmit, pr);
    }
}

static void
mark_lost (PlotData *pd, guint64 uid)
{
  InFlight *inf = g_hash_table_lookup (pd->in_flight, &uid);

  if (inf == NULL)
    return;
  add_point (inf->flow->pub.series[PLOT_SERIES_DROP], inf->sent_ns,
             inf->start, inf->end);
  g_hash_table_remove (pd->in_flight, &uid);
}

/* Adds [start, end) to a sorted list of disjoint intervals, merging the
 * ones it touches. */
static void
intervals_add (GArray *ooo, gint64 start, gint64 end)
{
  guint i = 0;

  while (i < ooo->len && g_array_index (ooo, Interval, i).end < start)
    i++;
  /* Merge every interval that touches [start, end). */
  while (i < ooo->len && g_array_index (ooo, Interval, i).start <= end)
    {
      Interval *iv = &g_array_index (ooo, Interval, i);

      start = MIN (start, iv->start);
      end = MAX (end, iv->end);
      g_array_remove_index (ooo, i);
    }
  g_array_insert_val (ooo, i, ((Interval) { start, end }));
}

/* Updates the scoreboard of what the peer SACKed with the blocks of @s,
 * forgetting what @ack covers.  Returns whether a block SACKed data not
 * SACKed before (RFC 6675 2: such an ACK counts as a duplicate). */
static gboolean
sack_update (Flow *f, gint64 ack, const TraceSegment *s)
{
  gboolean news = FALSE;

  while (f->sacked->len > 0
         && g_array_index (f->sacked, Interval, 0).end <= ack)
    g_array_remove_index (f->sacked, 0);
  for (guint i = 0; i < s->n_sack; i++)
    {
      gint64 start = MAX (unwrap (s->sack[i][0], f->snd_max), ack);
      gint64 end = unwrap (s->sack[i][1], f->snd_max);
      gboolean covered = FALSE;

      if (end <= start)
        continue;
      for (guint k = 0; k < f->sacked->len && !covered; k++)
        {
          const Interval *iv = &g_array_index (f->sacked, Interval, k);

          covered = iv->start <= start && iv->end >= end;
        }
      if (!covered)
        {
          news = TRUE;
          intervals_add (f->sacked, start, end);
        }
    }
  return news;
}

/* ACKs reaching the sender of @f. */
static void
on_ack (PlotData *pd, Flow *f, SimTime at_ns, const TraceSegment *s)
{
  Flow *peer = flow_reverse (pd, f);
  gint64 ack = unwrap (s->rel_ack, f->snd_max);
  guint64 win_bytes = s->win;
  gboolean news;
  gint64 edge;

  /* RFC 7323 2.2: a SYN's window is never scaled, and scaling is on only
   * when both SYNs carried the option. */
  if (!(s->flags & TCP_SYN) && peer != NULL && peer->syn_wscale >= 0
      && f->syn_wscale >= 0)
    win_bytes <<= peer->syn_wscale;
  edge = ack + (gint64) win_bytes;

  /* RFC 5681 2, "DUPLICATE ACKNOWLEDGMENT": outstanding data, no data,
   * no SYN or FIN, the same acknowledgement number as the highest seen,
   * and the same (open) window; or, RFC 6675 2, an ACK whose SACK blocks
   * bring news.  The sender counts them so (tcp_input.c). */
  news = sack_update (f, ack, s);
  if (f->acked_any && ack == f->ack && f->snd_max > ack
      && ((s->len_bytes == 0 && !(s->flags & (TCP_SYN | TCP_FIN))
           && win_bytes == f->last_win_bytes && win_bytes > 0)
          || news))
    {
      f->dup_acks++;
      add_point (f->pub.series[PLOT_SERIES_DUPACK], at_ns, ack, f->dup_acks);
    }
  else if (!f->acked_any || ack > f->ack)
    f->dup_acks = 0;

  if (!f->acked_any || ack > f->ack)
    {
      add_point (f->pub.series[PLOT_SERIES_ACK], at_ns, ack, 0);
      f->ack = ack;
    }
  if (!f->acked_any || edge != f->win_edge)
    {
      add_point (f->pub.series[PLOT_SERIES_WIN], at_ns, edge, 0);
      f->win_edge = edge;
    }
  f->last_win_bytes = win_bytes;
  f->acked_any = TRUE;
  f->last_ack_ns = at_ns;
  for (guint i = 0; i < s->n_sack; i++)
    add_point (f->pub.series[PLOT_SERIES_SACK], at_ns,
               unwrap (s->sack[i][0], f->snd_max),
               unwrap (s->sack[i][1], f->snd_max));
}

/* The receiver's side: bytes in order, as its TCP hands them on. */

static void
on_delivery (Flow *f, SimTime at_ns, gint64 start, gint64 end)
{
  Arrival a = { at_ns, 0, (guint64) (end - start) };

  if (!f->rcv_started)
    {
      /* The first data byte is relative number 1 after a SYN; a capture
       * that starts mid-connection begins where the data does. */
      f->rcv_nxt = f->syn_sent ? 1 : start;
      f->rcv_started = TRUE;
    }
  if (start <= f->rcv_nxt && end > f->rcv_nxt)
    {
      a.good_bytes = (guint64) (end - f->rcv_nxt);
      f->rcv_nxt = end;
      while (f->out_of_order->len > 0)
        {
          Interval *iv = &g_array_index (f->out_of_order, Interval, 0);

          if (iv->start > f->rcv_nxt)
            break;
          if (iv->end > f->rcv_nxt)
            {
              a.good_bytes += (guint64) (iv->end - f->rcv_nxt);
              f->rcv_nxt = iv->end;
            }
          g_array_remove_index (f->out_of_order, 0);
        }
    }
  else if (start > f->rcv_nxt)
    intervals_add (f->out_of_order, start, end);

  if (f->arrivals->len > 0)
    {
      Arrival *last = &g_array_index (f->arrivals, Arrival,
                                      f->arrivals->len - 1);

      if (last->at_ns == at_ns)
        {
          last->good_bytes += a.good_bytes;
          last->all_bytes += a.all_bytes;
          return;
        }
    }
  g_array_append_val (f->arrivals, a);
}

/* Records. */

static gboolean
dir_nodes (const char *dir, char **from, char **to)
{
  return dir != NULL && trace_dir_split (dir, from, to);
}

static void
on_link_send (PlotData *pd, const TraceRecord *rec)
{
  const TraceSegment *s = &rec->packet.seg;
  g_autofree char *from = NULL;
  Flow *f;

  if (!s->tcp || !dir_nodes (rec->packet.dir, &from, NULL))
    return;
  f = flow_get (pd, s->src, s->sport, s->dst, s->dport, rec->t_ns);
  f->pub.last_ns = rec->t_ns;
  /* The first record of a flow is at the node its segments start from;
   * later link.tx records from other nodes are routers forwarding. */
  if (f->pub.src_node == NULL)
    f->pub.src_node = g_strdup (from);
  if (strcmp (from, f->pub.src_node) != 0
      || g_hash_table_contains (pd->in_flight, &s->uid))
    return;
  on_send (pd, f, rec->t_ns, s);
}

static void
on_link_rx (PlotData *pd, const TraceRecord *rec)
{
  const TraceSegment *s = &rec->packet.seg;
  g_autofree char *to = NULL;
  InFlight *inf;
  Flow *f;
  gboolean damaged;

  if (!dir_nodes (rec->packet.dir, NULL, &to))
    return;
  /* A damaged packet is forgotten where it ends, not at a router on its
   * way. */
  damaged = g_hash_table_contains (pd->damaged, &s->uid);
  inf = g_hash_table_lookup (pd->in_flight, &s->uid);
  if (inf != NULL)
    {
      const char *dst = flow_dst_node (pd, inf->flow);

      if (dst != NULL && strcmp (to, dst) == 0)
        {
          inf->flow->pub.last_ns = rec->t_ns;
          if (damaged)
            {
              mark_lost (pd, s->uid);
              g_hash_table_remove (pd->damaged, &s->uid);
              return;
            }
          on_delivery (inf->flow, rec->t_ns, inf->start, inf->end);
          g_hash_table_remove (pd->in_flight, &s->uid);
        }
    }
  if (!s->tcp || !(s->flags & TCP_ACK) || (s->flags & TCP_RST))
    return;
  /* The ACK is about the data going the other way. */
  f = flow_lookup (pd, s->dst, s->dport, s->src, s->sport);
  if (f == NULL || f->pub.src_node == NULL
      || strcmp (to, f->pub.src_node) != 0)
    return;
  /* TCP discards a damaged ACK (bad checksum). */
  if (damaged)
    {
      g_hash_table_remove (pd->damaged, &s->uid);
      return;
    }
  f->pub.last_ns = rec->t_ns;
  on_ack (pd, f, rec->t_ns, s);
}

static void
on_link_drop (PlotData *pd, const TraceRecord *rec)
{
  const TracePacket *p = &rec->packet;

  /* A drop-tail refusal has no link.tx before it: at the first hop, that
   * is the segment's send. */
  if (p->reason != NULL && strcmp (p->reason, "queue") == 0)
    on_link_send (pd, rec);
  mark_lost (pd, p->seg.uid);
}

static void
on_corrupt (PlotData *pd, const TraceRecord *rec)
{
  JsonNode *node = json_object_get_member (rec->object, "uid");
  guint64 *key;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return;
  key = g_new (guint64, 1);
  *key = (guint64) json_node_get_int (node);
  g_hash_table_add (pd->damaged, key);
}

static void
on_vars (PlotData *pd, const TraceRecord *rec)
{
  const TcpTraceVars *v = &rec->vars;
  Flow *f = flow_of_conn (pd, v->conn, rec->t_ns);
  GArray **series;

  if (f == NULL)
    return;
  series = f->pub.series;
  f->pub.last_ns = rec->t_ns;
  f->last_vars_ns = rec->t_ns;
  add_change (series[PLOT_SERIES_CWND], rec->t_ns, v->cwnd_bytes);
  if (v->ssthresh_bytes < SSTHRESH_INFINITE_BYTES)
    add_change (series[PLOT_SERIES_SSTHRESH], rec->t_ns, v->ssthresh_bytes);
  add_change (series[PLOT_SERIES_FLIGHT], rec->t_ns, v->flight_bytes);
  add_change (series[PLOT_SERIES_RWND], rec->t_ns, v->rwnd_bytes);
  if (v->rtt_sample_ns >= 0)
    add_point (series[PLOT_SERIES_RTT_SAMPLE], rec->t_ns, v->rtt_sample_ns,
               0);
  /* RFC 6298 2.2: SRTT exists from the first measurement on. */
  if (v->srtt_ns > 0)
    add_change (series[PLOT_SERIES_SRTT], rec->t_ns, v->srtt_ns);
  add_change (series[PLOT_SERIES_RTO], rec->t_ns, v->rto_ns);
  f->max_srtt_ns = MAX (f->max_srtt_ns, v->srtt_ns);
}

void
plot_data_record (const TraceRecord *rec, void *data)
{
  PlotData *pd = data;

  if (pd->finished)
    return;
  switch (rec->kind)
    {
    case TRACE_KIND_LINK_TX:
      on_queue_sample (pd, rec);
      on_link_send (pd, rec);
      break;
    case TRACE_KIND_LINK_RX:
      on_queue_sample (pd, rec);
      on_link_rx (pd, rec);
      break;
    case TRACE_KIND_LINK_DROP:
      on_queue_sample (pd, rec);
      on_link_drop (pd, rec);
      break;
    case TRACE_KIND_NODE_DROP:
      mark_lost (pd, rec->packet.seg.uid);
      break;
    case TRACE_KIND_TCP_EVENT:
      on_rexmit_event (pd, rec);
      break;
    case TRACE_KIND_TCP_VARS:
      on_vars (pd, rec);
      break;
    case TRACE_KIND_OTHER:
      if (strcmp (rec->ev, "link.corrupt") == 0)
        on_corrupt (pd, rec);
      break;
    case TRACE_KIND_TCP_STATE:
    case TRACE_KIND_TCP_TIMER:
    case TRACE_KIND_TCP_CONN:
    case TRACE_KIND_APP_EVENT:
      break;
    case TRACE_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Goodput. */

/* The smallest 1, 2 or 5 times a power of ten nanoseconds that is at
 * least @ns: bins people can read off the axis. */
static SimTime
nice_bin_ns (SimTime ns)
{
  SimTime decade = 1;

  for (;;)
    {
      static const int steps[] = { 1, 2, 5 };

      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        if (decade * steps[i] >= ns)
          return decade * steps[i];
      decade *= 10;
    }
}

static gint64
rate_bps (guint64 bytes, SimTime bin_ns)
{
  return (gint64) floor ((double) bytes * 8.0 * 1e9 / (double) bin_ns);
}

static void
bin_goodput (Flow *f)
{
  const Arrival *first;
  const Arrival *last;
  SimTime bin_ns;
  SimTime bin_start;
  guint i = 0;

  if (f->arrivals->len == 0)
    return;
  first = &g_array_index (f->arrivals, Arrival, 0);
  last = &g_array_index (f->arrivals, Arrival, f->arrivals->len - 1);
  bin_ns = nice_bin_ns (MAX (MAX ((last->at_ns - first->at_ns)
                                  / GOODPUT_TARGET_BINS,
                                  f->max_srtt_ns), 1));
  f->pub.bin_ns = bin_ns;
  for (bin_start = first->at_ns / bin_ns * bin_ns; bin_start <= last->at_ns;
       bin_start += bin_ns)
    {
      guint64 good = 0;
      guint64 all = 0;

      for (; i < f->arrivals->len; i++)
        {
          const Arrival *a = &g_array_index (f->arrivals, Arrival, i);

          if (a->at_ns >= bin_start + bin_ns)
            break;
          good += a->good_bytes;
          all += a->all_bytes;
        }
      add_point (f->pub.series[PLOT_SERIES_GOODPUT], bin_start,
                 bin_start + bin_ns, rate_bps (good, bin_ns));
      add_point (f->pub.series[PLOT_SERIES_THROUGHPUT], bin_start,
                 bin_start + bin_ns, rate_bps (all, bin_ns));
    }
}

/* A stair drawn from its changes stops at the last one; one more point
 * with the same value carries it to @end_ns, the last time the value was
 * known (a later record that changed nothing). */
static void
extend_stair (GArray *series, SimTime end_ns)
{
  const PlotPoint *last;

  if (series->len == 0)
    return;
  last = &g_array_index (series, PlotPoint, series->len - 1);
  if (last->t_ns < end_ns)
    add_point (series, end_ns, last->v[0], last->v[1]);
}

void
plot_data_finish (PlotData *pd)
{
  static const PlotSeriesId vars[] = {
    PLOT_SERIES_CWND, PLOT_SERIES_SSTHRESH, PLOT_SERIES_FLIGHT,
    PLOT_SERIES_RWND, PLOT_SERIES_SRTT, PLOT_SERIES_RTO,
  };

  g_return_if_fail (pd != NULL);

  if (pd->finished)
    return;
  pd->finished = TRUE;
  for (guint i = 0; i < pd->flows->len; i++)
    {
      Flow *f = pd->flows->pdata[i];

      bin_goodput (f);
      for (guint v = 0; v < G_N_ELEMENTS (vars); v++)
        extend_stair (f->pub.series[vars[v]], f->last_vars_ns);
      extend_stair (f->pub.series[PLOT_SERIES_ACK], f->last_ack_ns);
      extend_stair (f->pub.series[PLOT_SERIES_WIN], f->last_ack_ns);
    }
  for (guint i = 0; i < pd->link_dirs->len; i++)
    {
      LinkDirEntry *e = pd->link_dirs->pdata[i];

      extend_stair (e->pub.queue, e->last_ns);
    }
  g_hash_table_remove_all (pd->in_flight);
  g_hash_table_remove_all (pd->damaged);
}

PlotData *
plot_data_load (const char *path, GError **error)
{
  g_autoptr (PlotData) pd = plot_data_new ();
  g_autoptr (TraceReader) reader = trace_reader_new ();

  g_return_val_if_fail (path != NULL, NULL);

  trace_reader_add_sink (reader, plot_data_record, pd);
  /* Kinds plot_data_record() ignores, a third of a bulk transfer's
   * trace (timers: one set and one cancel per ACK). */
  trace_reader_skip_kind (reader, "tcp.timer");
  trace_reader_skip_kind (reader, "tcp.state");
  trace_reader_skip_kind (reader, "app.event");
  if (!trace_reader_read_file (reader, path, error))
    return NULL;
  plot_data_finish (pd);
  return g_steal_pointer (&pd);
}

/* Access. */

guint
plot_data_n_flows (const PlotData *pd)
{
  g_return_val_if_fail (pd != NULL, 0);
  return pd->flows->len;
}

const PlotFlow *
plot_data_flow (const PlotData *pd, guint index)
{
  g_return_val_if_fail (pd != NULL, NULL);
  g_return_val_if_fail (index < pd->flows->len, NULL);
  return pd->flows->pdata[index];
}

const PlotFlow *
plot_data_find_flow (const PlotData *pd, const char *name)
{
  g_return_val_if_fail (pd != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (pd->flow_by_name, name);
}

guint
plot_data_n_link_dirs (const PlotData *pd)
{
  g_return_val_if_fail (pd != NULL, 0);
  return pd->link_dirs->len;
}

const PlotLinkDir *
plot_data_link_dir (const PlotData *pd, guint index)
{
  g_return_val_if_fail (pd != NULL, NULL);
  g_return_val_if_fail (index < pd->link_dirs->len, NULL);
  return pd->link_dirs->pdata[index];
}

const GArray *
plot_flow_series (const PlotFlow *flow, PlotSeriesId id)
{
  g_return_val_if_fail (flow != NULL, NULL);
  g_return_val_if_fail ((guint) id < PLOT_N_SERIES, NULL);
  return flow->series[id];
}

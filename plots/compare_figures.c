/* compare_figures.c: the figures of one run of a sweep, and the series of
 * its main flow.
 *
 * compare_collector_record() keeps, per connection name, the cwnd
 * integral and the RTT samples (tcp.vars), the data segments it sent
 * (link.tx where the segment leaves its own host), and a copy of every
 * tcp.conn body; it counts link.drop.  compare_collector_finish() adds
 * the counters of every endpoint into one CompareFigures and picks the
 * main flow; compare_collector_write_series() writes its seq.dat and
 * cwnd.dat.  compare_figure_value() turns the counts into the reported
 * numbers, with IEEE operations only (no libm), so every machine prints
 * the same digits.
 */
#include "plots/compare_figures.h"

#include <string.h>

#include "models/link.h"
#include "models/node.h"
#include "models/packet.h"
#include "models/tcp/tcp.h"
#include "plots/segment.h"

static const CompareFigureInfo figure_table[COMPARE_N_FIGURES] = {
  [COMPARE_FIGURE_GOODPUT] = {
    "goodput", "goodput_bps", "goodput", COMPARE_UNIT_BPS, FALSE,
    "application bytes delivered x 8 / (last delivery - first open of a "
    "receiver)" },
  [COMPARE_FIGURE_COMPLETION] = {
    "completion", "completion_ns", "completion time", COMPARE_UNIT_NS, TRUE,
    "from the first SYN to the last byte delivered" },
  [COMPARE_FIGURE_RETRANSMITS] = {
    "retransmits", "retransmits", "retransmissions", COMPARE_UNIT_COUNT, TRUE,
    "segments sent again, all endpoints" },
  [COMPARE_FIGURE_TIMEOUTS] = {
    "timeouts", "timeouts", "timeouts", COMPARE_UNIT_COUNT, TRUE,
    "retransmission timeouts, all endpoints" },
  [COMPARE_FIGURE_RTT_MEAN] = {
    "rtt_mean", "rtt_mean_ns", "mean RTT", COMPARE_UNIT_NS, FALSE,
    "mean of the RTT samples of the data senders" },
  [COMPARE_FIGURE_RTT_MAX] = {
    "rtt_max", "rtt_max_ns", "max RTT", COMPARE_UNIT_NS, TRUE,
    "largest RTT sample of the data senders" },
  [COMPARE_FIGURE_CWND_MEAN] = {
    "cwnd_mean", "cwnd_mean_bytes", "mean cwnd", COMPARE_UNIT_BYTES, FALSE,
    "time-weighted mean cwnd of the data senders" },
  [COMPARE_FIGURE_DROPS] = {
    "drops", "drops", "drops", COMPARE_UNIT_COUNT, TRUE,
    "packets lost on links, for any reason" },
};

const CompareFigureInfo *
compare_figure_info (CompareFigureId id)
{
  g_return_val_if_fail (id < COMPARE_N_FIGURES, NULL);
  return &figure_table[id];
}

CompareFigureId
compare_figure_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, COMPARE_N_FIGURES);

  for (guint i = 0; i < COMPARE_N_FIGURES; i++)
    if (strcmp (figure_table[i].name, name) == 0
        || strcmp (figure_table[i].column, name) == 0)
      return (CompareFigureId) i;
  return COMPARE_N_FIGURES;
}

gboolean
compare_figure_value (const CompareFigures *f, CompareFigureId id,
                      double *value_out)
{
  double v;

  g_return_val_if_fail (f != NULL, FALSE);
  g_return_val_if_fail (value_out != NULL, FALSE);

  switch (id)
    {
    case COMPARE_FIGURE_GOODPUT:
      if (f->bytes_delivered == 0 || f->first_recv_open_ns < 0
          || f->last_delivery_ns <= f->first_recv_open_ns)
        return FALSE;
      v = (double) f->bytes_delivered * 8.0 * 1e9
          / (double) (f->last_delivery_ns - f->first_recv_open_ns);
      break;
    case COMPARE_FIGURE_COMPLETION:
      if (f->bytes_delivered == 0 || f->first_open_ns < 0
          || f->last_delivery_ns < f->first_open_ns)
        return FALSE;
      v = (double) (f->last_delivery_ns - f->first_open_ns);
      break;
    case COMPARE_FIGURE_RETRANSMITS:
      v = (double) f->retransmits;
      break;
    case COMPARE_FIGURE_TIMEOUTS:
      v = (double) f->timeouts;
      break;
    case COMPARE_FIGURE_RTT_MEAN:
      if (f->rtt_samples == 0)
        return FALSE;
      v = (double) f->rtt_sum_ns / (double) f->rtt_samples;
      break;
    case COMPARE_FIGURE_RTT_MAX:
      if (f->rtt_samples == 0)
        return FALSE;
      v = (double) f->rtt_max_ns;
      break;
    case COMPARE_FIGURE_CWND_MEAN:
      if (f->cwnd_span_ns <= 0)
        return FALSE;
      v = f->cwnd_byte_ns / (double) f->cwnd_span_ns;
      break;
    case COMPARE_FIGURE_DROPS:
      v = (double) f->drops;
      break;
    case COMPARE_N_FIGURES:
    default:
      g_assert_not_reached ();
    }
  *value_out = v;
  return TRUE;
}

typedef struct {
  SimTime at_ns;
  guint64 value;
} SeriesPoint;

/* What one connection name has seen; its sent segments are recorded
 * under the same name, since a flow "src>dst" is named as its sender's
 * endpoint is. */
typedef struct {
  char *name;
  Node *src_node;               /* the host that sends this flow */
  gboolean have_vars;
  SimTime first_vars_ns;
  SimTime last_vars_ns;
  guint64 last_cwnd_bytes;
  double cwnd_byte_ns;
  guint64 rtt_samples;
  guint64 rtt_sum_ns;
  SimTime rtt_max_ns;
  GArray *cwnd;                 /* SeriesPoint, at each change */
  GArray *seq;                  /* SeriesPoint, each data segment sent */
} ConnSeries;

struct CompareCollector {
  Network *net;
  GHashTable *by_name;          /* name -> ConnSeries (lookup only) */
  GPtrArray *conns;             /* ConnSeries, by first appearance */
  GArray *stats;                /* TcpConnStats, in report order; .host
                                 * is not kept */
  guint64 drops;
  gboolean finished;
  CompareFigures figures;
  const ConnSeries *main_flow;  /* (nullable) after finish */
};

static void
conn_series_free (gpointer p)
{
  ConnSeries *cs = p;

  g_free (cs->name);
  g_array_unref (cs->cwnd);
  g_array_unref (cs->seq);
  g_free (cs);
}

CompareCollector *
compare_collector_new (Network *net)
{
  CompareCollector *c;

  g_return_val_if_fail (net != NULL, NULL);

  c = g_new0 (CompareCollector, 1);
  c->net = net;
  c->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  c->conns = g_ptr_array_new_with_free_func (conn_series_free);
  c->stats = g_array_new (FALSE, TRUE, sizeof (TcpConnStats));
  return c;
}

void
compare_collector_free (CompareCollector *c)
{
  if (c == NULL)
    return;
  g_hash_table_unref (c->by_name);
  g_ptr_array_unref (c->conns);
  g_array_unref (c->stats);
  g_free (c);
}

static ConnSeries *
series_for (CompareCollector *c, const char *name)
{
  ConnSeries *cs = g_hash_table_lookup (c->by_name, name);

  if (cs != NULL)
    return cs;
  cs = g_new0 (ConnSeries, 1);
  cs->name = g_strdup (name);
  cs->rtt_max_ns = -1;
  cs->cwnd = g_array_new (FALSE, FALSE, sizeof (SeriesPoint));
  cs->seq = g_array_new (FALSE, FALSE, sizeof (SeriesPoint));
  g_ptr_array_add (c->conns, cs);
  g_hash_table_insert (c->by_name, cs->name, cs);
  return cs;
}

static void
on_vars (CompareCollector *c, SimTime at_ns, const TcpTraceVars *v)
{
  ConnSeries *cs;

  if (v->conn == NULL || v->conn[0] == '\0')
    return;
  cs = series_for (c, v->conn);
  if (cs->have_vars)
    cs->cwnd_byte_ns += (double) cs->last_cwnd_bytes
                        * (double) (at_ns - cs->last_vars_ns);
  else
    cs->first_vars_ns = at_ns;
  if (!cs->have_vars || v->cwnd_bytes != cs->last_cwnd_bytes)
    {
      SeriesPoint p = { at_ns, v->cwnd_bytes };

      g_array_append_val (cs->cwnd, p);
    }
  cs->have_vars = TRUE;
  cs->last_vars_ns = at_ns;
  cs->last_cwnd_bytes = v->cwnd_bytes;
  if (v->rtt_sample_ns >= 0)
    {
      cs->rtt_samples++;
      cs->rtt_sum_ns += (guint64) v->rtt_sample_ns;
      cs->rtt_max_ns = MAX (cs->rtt_max_ns, v->rtt_sample_ns);
    }
}

/* A data segment is recorded where it leaves its sender's host, so a
 * segment forwarded by routers counts once. */
static void
on_link_tx (CompareCollector *c, SimTime at_ns, const LinkTraceEvent *ev)
{
  char src[IPV4_ADDR_STR_BYTES];
  char dst[IPV4_ADDR_STR_BYTES];
  char name[64];
  PlotsSegment seg;
  ConnSeries *cs;
  SeriesPoint p;

  if (ev->pkt == NULL
      || !plots_segment_decode (packet_cbytes (ev->pkt), ev->pkt->len_bytes,
                                &seg)
      || seg.payload_bytes == 0)
    return;
  ipv4_addr_format (seg.src, src);
  ipv4_addr_format (seg.dst, dst);
  g_snprintf (name, sizeof name, "%s:%u>%s:%u", src, seg.sport, dst,
              seg.dport);
  cs = series_for (c, name);
  if (cs->src_node == NULL)
    cs->src_node = network_find_node_by_addr (c->net, seg.src);
  if (link_node (ev->link, ev->dir) != cs->src_node)
    return;
  p.at_ns = at_ns;
  p.value = network_flow_relative (c->net, seg.src, seg.sport, seg.dst,
                                   seg.dport, seg.seq);
  g_array_append_val (cs->seq, p);
}

void
compare_collector_record (const SimTraceRecord *rec, void *data)
{
  CompareCollector *c = data;

  if (c->finished)
    return;
  if (rec->kind == &tcp_trace_vars)
    on_vars (c, rec->at_ns, rec->body);
  else if (rec->kind == &link_trace_tx)
    on_link_tx (c, rec->at_ns, rec->body);
  else if (rec->kind == &link_trace_drop)
    c->drops++;
  else if (rec->kind == &tcp_trace_conn)
    {
      TcpConnStats st = *(const TcpConnStats *) rec->body;

      st.name[sizeof st.name - 1] = '\0';
      st.host = NULL;
      g_array_append_val (c->stats, st);
    }
}

static SimTime
min_time (SimTime a, SimTime b)
{
  if (a < 0)
    return b;
  return MIN (a, b);
}

void
compare_collector_finish (CompareCollector *c)
{
  CompareFigures *f;
  guint64 main_bytes = 0;
  gboolean have_main = FALSE;

  g_return_if_fail (c != NULL);

  if (c->finished)
    return;
  c->finished = TRUE;
  f = &c->figures;
  memset (f, 0, sizeof *f);
  f->first_open_ns = -1;
  f->first_recv_open_ns = -1;
  f->last_delivery_ns = -1;
  f->rtt_max_ns = -1;
  f->drops = c->drops;
  for (guint i = 0; i < c->stats->len; i++)
    {
      const TcpConnStats *st = &g_array_index (c->stats, TcpConnStats, i);
      ConnSeries *cs;

      f->n_conns++;
      f->retransmits += st->retransmits;
      f->timeouts += st->timeouts;
      f->fast_retransmits += st->fast_retransmits;
      if (st->open_ns >= 0)
        f->first_open_ns = min_time (f->first_open_ns, st->open_ns);
      if (st->bytes_received > 0)
        {
          f->bytes_delivered += st->bytes_received;
          if (st->open_ns >= 0)
            f->first_recv_open_ns = min_time (f->first_recv_open_ns,
                                              st->open_ns);
          f->last_delivery_ns = MAX (f->last_delivery_ns,
                                     st->last_delivery_ns);
        }
      if (st->data_segs_sent == 0)
        continue;
      cs = g_hash_table_lookup (c->by_name, st->name);
      if (cs != NULL)
        {
          f->rtt_samples += cs->rtt_samples;
          f->rtt_sum_ns += cs->rtt_sum_ns;
          f->rtt_max_ns = MAX (f->rtt_max_ns, cs->rtt_max_ns);
          if (cs->have_vars)
            {
              f->cwnd_byte_ns += cs->cwnd_byte_ns;
              f->cwnd_span_ns += cs->last_vars_ns - cs->first_vars_ns;
            }
        }
      if (!have_main || st->bytes_sent > main_bytes)
        {
          c->main_flow = cs;
          main_bytes = st->bytes_sent;
          have_main = TRUE;
        }
    }
}

const CompareFigures *
compare_collector_figures (const CompareCollector *c)
{
  g_return_val_if_fail (c != NULL, NULL);
  g_return_val_if_fail (c->finished, NULL);
  return &c->figures;
}

static void
append_time_s (GString *out, SimTime t_ns)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT,
                          t_ns / SIM_S (1), t_ns % SIM_S (1));
}

static gboolean
write_series (const char *dir, const char *file, const char *columns,
              const ConnSeries *cs, const GArray *points, SimTime end_ns,
              GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_string_append_printf (out, "# %s of %s\n", columns,
                          cs != NULL ? cs->name : "(no data flow)");
  for (guint i = 0; points != NULL && i < points->len; i++)
    {
      const SeriesPoint *p = &g_array_index (points, SeriesPoint, i);

      append_time_s (out, p->at_ns);
      g_string_append_printf (out, " %" G_GUINT64_FORMAT "\n", p->value);
    }
  /* A step plot draws each value up to the next point: repeat the last
   * value at the end so that the final step has a width. */
  if (points != NULL && points->len > 0 && end_ns >= 0
      && end_ns > g_array_index (points, SeriesPoint, points->len - 1).at_ns)
    {
      append_time_s (out, end_ns);
      g_string_append_printf (out, " %" G_GUINT64_FORMAT "\n",
                              g_array_index (points, SeriesPoint,
                                             points->len - 1).value);
    }
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
}

gboolean
compare_collector_write_series (const CompareCollector *c, const char *dir,
                                GError **error)
{
  const ConnSeries *cs;

  g_return_val_if_fail (c != NULL, FALSE);
  g_return_val_if_fail (c->finished, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  cs = c->main_flow;
  if (!write_series (dir, "seq.dat", "t_s rel_seq", cs,
                     cs != NULL ? cs->seq : NULL, -1, error))
    return FALSE;
  return write_series (dir, "cwnd.dat", "t_s cwnd_bytes", cs,
                       cs != NULL ? cs->cwnd : NULL,
                       cs != NULL && cs->have_vars ? cs->last_vars_ns : -1,
                       error);
}

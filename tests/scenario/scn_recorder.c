/* scn_recorder.c: see scn_recorder.h.
 *
 * Call order: scn_recorder_run() -> scn_load_file() -> subscribe
 * on_record() -> sim_world_run() -> the caller reads the arrays ->
 * scn_recorder_free() (world first: it unsubscribes us).
 */
#include "tests/scenario/scn_recorder.h"

#include <string.h>

#include "models/apps/apps.h"
#include "models/tcp/tcp_wire.h"

static void
record_segment (ScnRecorder *r, const SimTraceRecord *rec,
                const LinkTraceEvent *e)
{
  const guint8 *p = packet_cbytes (e->pkt);
  Ipv4Header ip;
  guint ihl;
  TcpSeg seg;
  ScnRecSeg s = { 0 };

  if (ipv4_header_parse (p, e->pkt->len_bytes, &ip, &ihl) != IPV4_PARSE_OK
      || ip.proto != IPV4_PROTO_TCP
      || tcp_wire_parse (p + ihl, ip.total_len_bytes - ihl, ip.src, ip.dst,
                         FALSE, &seg) != TCP_WIRE_OK)
    return;
  s.at_ns = rec->at_ns;
  g_strlcpy (s.link, link_name (e->link), sizeof s.link);
  g_strlcpy (s.dir, link_dir_label (e->link, e->dir), sizeof s.dir);
  s.flags = seg.flags;
  s.seq = network_flow_relative (r->net, ip.src, seg.sport, ip.dst,
                                 seg.dport, seg.seq);
  s.ack = (seg.flags & TCP_ACK)
          ? network_flow_relative (r->net, ip.dst, seg.dport, ip.src,
                                   seg.sport, seg.ack)
          : 0;
  s.abs_seq = seg.seq;
  s.abs_ack = seg.ack;
  s.len_bytes = seg.len_bytes;
  s.win = seg.win;
  g_array_append_val (r->segs, s);
}

static void
on_record (const SimTraceRecord *rec, void *data)
{
  ScnRecorder *r = data;

  if (rec->kind == &link_trace_tx)
    {
      const LinkTraceEvent *e = rec->body;

      r->max_queue_pkts = MAX (r->max_queue_pkts, e->queue_pkts);
      record_segment (r, rec, e);
    }
  else if (rec->kind == &link_trace_drop)
    {
      const LinkTraceEvent *e = rec->body;

      /* A packet a queue refused never entered the wire: no link.tx. */
      if (strcmp (e->reason, "queue") == 0 || strcmp (e->reason, "red") == 0
          || strcmp (e->reason, "codel") == 0
          || strcmp (e->reason, "mtu") == 0)
        {
          r->queue_drops++;
          return;
        }
      /* Lost on the wire: the segment recorded at its link.tx, the last
       * one of that link and direction with the same packet. */
      for (guint i = r->segs->len; i > 0; i--)
        {
          ScnRecSeg *s = &g_array_index (r->segs, ScnRecSeg, i - 1);

          if (strcmp (s->link, link_name (e->link)) == 0
              && strcmp (s->dir, link_dir_label (e->link, e->dir)) == 0
              && s->lost == NULL)
            {
              s->lost = e->reason;
              break;
            }
        }
    }
  else if (rec->kind == &tcp_trace_state)
    {
      const TcpTraceState *e = rec->body;
      ScnRecState s = { 0 };

      s.at_ns = rec->at_ns;
      g_strlcpy (s.host, e->host, sizeof s.host);
      g_strlcpy (s.conn, e->conn, sizeof s.conn);
      s.from = e->from;
      s.to = e->to;
      g_array_append_val (r->states, s);
    }
  else if (rec->kind == &app_trace_event)
    {
      const AppTraceEvent *e = rec->body;
      ScnRecAppEvent a = { 0 };

      a.at_ns = rec->at_ns;
      g_strlcpy (a.app, e->app, sizeof a.app);
      g_strlcpy (a.side, e->side, sizeof a.side);
      g_strlcpy (a.what, e->what, sizeof a.what);
      a.bytes = e->bytes;
      g_array_append_val (r->app_events, a);
    }
  else if (rec->kind == &tcp_trace_vars)
    {
      const TcpTraceVars *e = rec->body;
      ScnRecVars v = { 0 };

      v.at_ns = rec->at_ns;
      g_strlcpy (v.host, e->host, sizeof v.host);
      v.cwnd_bytes = e->cwnd_bytes;
      v.ssthresh_bytes = e->ssthresh_bytes;
      v.flight_bytes = e->flight_bytes;
      v.srtt_ns = e->srtt_ns;
      v.rtt_sample_ns = e->rtt_sample_ns;
      g_array_append_val (r->vars, v);
    }
  else if (rec->kind == &tcp_trace_conn)
    g_array_append_vals (r->conns, rec->body, 1);
}

static ScnRecorder *
run_loaded (ScnRecorder *r)
{
  g_assert_nonnull (r->world);
  r->net = r->run.network;
  r->segs = g_array_new (FALSE, TRUE, sizeof (ScnRecSeg));
  r->states = g_array_new (FALSE, TRUE, sizeof (ScnRecState));
  r->app_events = g_array_new (FALSE, TRUE, sizeof (ScnRecAppEvent));
  r->conns = g_array_new (FALSE, TRUE, sizeof (TcpConnStats));
  r->vars = g_array_new (FALSE, TRUE, sizeof (ScnRecVars));
  sim_trace_subscribe (sim_world_trace (r->world), on_record, r);
  r->n_events = sim_world_run (r->world, r->run.end_ns);
  return r;
}

ScnRecorder *
scn_recorder_run (const char *path, const char *const *sets)
{
  ScnRecorder *r = g_new0 (ScnRecorder, 1);
  ScnOverrides overrides = { FALSE, 0, sets };
  g_autoptr (GError) err = NULL;

  r->world = scn_load_file (path, &overrides, &r->run, &err);
  g_assert_no_error (err);
  return run_loaded (r);
}

ScnRecorder *
scn_recorder_run_text (const char *name, const char *text,
                       const char *const *sets)
{
  ScnRecorder *r = g_new0 (ScnRecorder, 1);
  ScnOverrides overrides = { FALSE, 0, sets };
  g_autoptr (GError) err = NULL;

  r->world = scn_load_text (name, text, -1, &overrides, &r->run, &err);
  g_assert_no_error (err);
  return run_loaded (r);
}

void
scn_recorder_free (ScnRecorder *r)
{
  if (r == NULL)
    return;
  sim_world_free (r->world);
  g_array_unref (r->segs);
  g_array_unref (r->states);
  g_array_unref (r->app_events);
  g_array_unref (r->conns);
  g_array_unref (r->vars);
  g_free (r);
}

char *
scn_recorder_describe (const ScnRecorder *r)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < r->segs->len; i++)
    {
      const ScnRecSeg *s = &g_array_index (r->segs, ScnRecSeg, i);
      char flags[12];
      char t[SIM_TIME_FORMAT_BYTES];

      tcp_flags_format_short (s->flags, flags);
      sim_time_format_buf (s->at_ns, t);
      g_string_append_printf (out, "%3u %s %s %-3s seq=%u ack=%u len=%u "
                              "win=%u (abs %u/%u)%s%s\n", i + 1, t, s->dir,
                              flags, s->seq, s->ack, s->len_bytes, s->win,
                              s->abs_seq, s->abs_ack,
                              s->lost != NULL ? " LOST " : "",
                              s->lost != NULL ? s->lost : "");
    }
  return g_string_free (out, FALSE);
}

char *
scn_recorder_state_path (const ScnRecorder *r, const char *host)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < r->states->len; i++)
    {
      const ScnRecState *s = &g_array_index (r->states, ScnRecState, i);

      if (strcmp (s->host, host) != 0)
        continue;
      g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "",
                              tcp_state_name (s->to));
    }
  return g_string_free (out, FALSE);
}

guint
scn_recorder_count (const ScnRecorder *r, const char *dir, guint8 flags)
{
  guint n = 0;

  for (guint i = 0; i < r->segs->len; i++)
    {
      const ScnRecSeg *s = &g_array_index (r->segs, ScnRecSeg, i);

      n += (dir == NULL || strcmp (s->dir, dir) == 0) && s->flags == flags;
    }
  return n;
}

const TcpConnStats *
scn_recorder_conn (const ScnRecorder *r, const char *host)
{
  for (guint i = 0; i < r->conns->len; i++)
    {
      const TcpConnStats *s = &g_array_index (r->conns, TcpConnStats, i);

      if (s->host != NULL && strcmp (s->host, host) == 0
          && strchr (s->name, '>') != NULL)
        return s;
    }
  return NULL;
}

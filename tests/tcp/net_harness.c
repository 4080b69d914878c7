/* net_harness.c: see net_harness.h. */
#include "tests/tcp/net_harness.h"

#include "models/tcp/tcp_wire.h"

#include <string.h>

static void
on_record (const SimTraceRecord *rec, void *data)
{
  NetHarness *h = data;

  if (rec->kind == &link_trace_tx || rec->kind == &link_trace_drop)
    {
      const LinkTraceEvent *e = rec->body;
      const guint8 *p = packet_cbytes (e->pkt);
      Ipv4Header ip;
      guint ihl;
      TcpSeg seg;
      HarnessSeg s = { 0 };

      if (rec->kind == &link_trace_drop)
        {
          /* Mark the segment recorded at link.tx as lost; drops before the
           * wire (a full queue, an AQM, the MTU, a link down) have no
           * link.tx and are not segments on the wire. */
          for (guint i = h->segs->len; i > 0; i--)
            {
              HarnessSeg *prev = &g_array_index (h->segs, HarnessSeg, i - 1);

              if (prev->uid == e->pkt->uid)
                {
                  prev->dropped = TRUE;
                  break;
                }
            }
          return;
        }
      g_assert_cmpint (ipv4_header_parse (p, e->pkt->len_bytes, &ip, &ihl),
                       ==, IPV4_PARSE_OK);
      g_assert_cmpint (tcp_wire_parse (p + ihl, ip.total_len_bytes - ihl,
                                       ip.src, ip.dst, TRUE, &seg),
                       ==, TCP_WIRE_OK);
      s.at_ns = rec->at_ns;
      s.uid = e->pkt->uid;
      s.dir = e->dir;
      s.flags = seg.flags;
      s.rel_seq = network_flow_relative (h->net, ip.src, seg.sport, ip.dst,
                                         seg.dport, seg.seq);
      s.rel_ack = (seg.flags & TCP_ACK)
                  ? network_flow_relative (h->net, ip.dst, seg.dport, ip.src,
                                           seg.sport, seg.ack)
                  : 0;
      s.len_bytes = seg.len_bytes;
      s.win = seg.win;
      g_array_append_val (h->segs, s);
    }
  else if (rec->kind == &tcp_trace_state)
    {
      const TcpTraceState *e = rec->body;
      HarnessState s = { 0 };

      s.at_ns = rec->at_ns;
      g_strlcpy (s.host, e->host, sizeof s.host);
      s.from = e->from;
      s.to = e->to;
      g_array_append_val (h->states, s);
    }
  else if (rec->kind == &tcp_trace_conn)
    g_ptr_array_add (h->conn_stats,
                     g_memdup2 (rec->body, sizeof (TcpConnStats)));
}

void
net_harness_teaching_params (TcpParams *p)
{
  tcp_params_init (p);
  p->isn_mode = TCP_ISN_FIXED;
  p->isn = 0;
}

NetHarness *
net_harness_new (const LinkDirParams *link_params, const TcpParams *tcp,
                 guint64 seed)
{
  NetHarness *h = g_new0 (NetHarness, 1);
  Ipv4Addr ca;
  Ipv4Addr sa;

  g_assert_true (ipv4_addr_parse ("172.16.17.94", &ca));
  g_assert_true (ipv4_addr_parse ("172.16.17.95", &sa));
  h->world = sim_world_new (seed);
  h->net = network_new (h->world);
  h->client = host_new (h->net, "client", ca, tcp);
  h->server = host_new (h->net, "server", sa, tcp);
  h->link = link_new (h->net, "wire", h->client, h->server, link_params,
                      link_params);
  h->segs = g_array_new (FALSE, TRUE, sizeof (HarnessSeg));
  h->states = g_array_new (FALSE, TRUE, sizeof (HarnessState));
  h->conn_stats = g_ptr_array_new_with_free_func (g_free);
  sim_trace_subscribe (sim_world_trace (h->world), on_record, h);
  h->fingerprint = sim_fingerprint_new (sim_world_trace (h->world));
  return h;
}

guint64
net_harness_run (NetHarness *h, SimTime end_ns)
{
  return sim_world_run (h->world, end_ns);
}

void
net_harness_free (NetHarness *h)
{
  sim_world_free (h->world);
  sim_fingerprint_free (h->fingerprint);
  g_array_unref (h->segs);
  g_array_unref (h->states);
  g_ptr_array_unref (h->conn_stats);
  g_free (h);
}

char *
net_harness_describe (const NetHarness *h)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < h->segs->len; i++)
    {
      const HarnessSeg *s = &g_array_index (h->segs, HarnessSeg, i);
      char flags[12];
      char t[SIM_TIME_FORMAT_BYTES];

      tcp_flags_format_short (s->flags, flags);
      sim_time_format_buf (s->at_ns, t);
      g_string_append_printf (out, "%2u %s %s %-3s seq=%u ack=%u len=%u "
                              "win=%u%s\n", i + 1, t,
                              s->dir == LINK_DIR_AB ? "C>S" : "S>C", flags,
                              s->rel_seq, s->rel_ack, s->len_bytes, s->win,
                              s->dropped ? " LOST" : "");
    }
  return g_string_free (out, FALSE);
}

char *
net_harness_state_path (const NetHarness *h, const char *host)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < h->states->len; i++)
    {
      const HarnessState *s = &g_array_index (h->states, HarnessState, i);

      if (strcmp (s->host, host) != 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, tcp_state_name (s->to));
    }
  return g_string_free (out, FALSE);
}

/* harness.c: TCP without a network; see harness.h.
 *
 * Call order: tcp_harness_new() builds the world and subscribes
 * on_record() to its trace bus -> tcp_harness_build() drives the endpoint
 * with the real API and inject() -> a test injects and expects ->
 * tcp_harness_free().
 *
 * inject() -> deliver() (a one-shot call at the chosen time) ->
 * node_receive() on the local host -> the TCP stack -> link.tx records ->
 * on_record() -> capture().  The link has no rate and no delay, and the
 * peer is a router without TCP, so what the endpoint sends is captured
 * the instant it is sent and goes no further.
 */
#include "tests/tcp/harness.h"

#include <string.h>

/* ---- capture ---- */

static void
harness_seg_free (gpointer data)
{
  TcpHarnessSeg *s = data;

  if (s == NULL)
    return;
  g_free (s->bytes);
  g_free (s);
}

static void
capture (TcpHarness *h, SimTime at_ns, const Packet *pkt)
{
  const guint8 *p = packet_cbytes (pkt);
  Ipv4Header ip;
  guint ihl;
  Ipv4ParseResult ipr;
  TcpWireResult r;
  TcpHarnessSeg *s;
  gsize tcp_bytes;

  ipr = ipv4_header_parse (p, pkt->len_bytes, &ip, &ihl);
  if (ipr != IPV4_PARSE_OK)
    g_error ("local host sent a bad IPv4 header: %s",
             ipv4_parse_result_name (ipr));
  g_assert_cmpuint (ip.proto, ==, IPV4_PROTO_TCP);
  g_assert_cmphex (ip.src, ==, node_addr (h->local));
  g_assert_cmphex (ip.dst, ==, node_addr (h->remote));
  tcp_bytes = ip.total_len_bytes - ihl;
  s = g_new0 (TcpHarnessSeg, 1);
  s->at_ns = at_ns;
  s->bytes = g_memdup2 (p + ihl, tcp_bytes);
  /* Parsed from the copy, so the payload pointer lives as long as the
   * captured segment; the checksum is verified over the real bytes. */
  r = tcp_wire_parse (s->bytes, tcp_bytes, ip.src, ip.dst, TRUE, &s->seg);
  if (r != TCP_WIRE_OK)
    g_error ("local host sent a bad TCP segment: %s",
             tcp_wire_result_name (r));
  g_queue_push_tail (&h->captured, s);
}

static void
note_state (TcpHarness *h, SimTime at_ns, const TcpTraceState *e)
{
  TcpHarnessState st;

  /* A listener has no peer; its own changes are not the connection's. */
  if (e->ep->key.raddr == 0)
    return;
  /* The first endpoint with a peer is the connection under test, whether
   * tcp_connect() made it or the listener spawned it. */
  if (h->ep == NULL && h->stats == NULL)
    {
      h->ep = (TcpEndpoint *) e->ep;
      h->stats = h->ep->stats;
    }
  if (e->ep != h->ep)
    return;
  st.at_ns = at_ns;
  st.from = e->from;
  st.to = e->to;
  g_array_append_val (h->states, st);
}

static void
on_record (const SimTraceRecord *rec, void *data)
{
  TcpHarness *h = data;

  if (rec->kind == &link_trace_tx)
    {
      const LinkTraceEvent *e = rec->body;

      if (e->link == h->link && e->dir == LINK_DIR_AB)
        capture (h, rec->at_ns, e->pkt);
    }
  else if (rec->kind == &tcp_trace_state)
    note_state (h, rec->at_ns, rec->body);
}

/* ---- the application ---- */

static void
app_event (TcpHarness *h, TcpHarnessAppEventKind kind, TcpCloseReason reason,
           gsize bytes)
{
  TcpHarnessAppEvent ev = { 0 };

  ev.at_ns = tcp_harness_now (h);
  ev.kind = kind;
  ev.reason = reason;
  ev.bytes = bytes;
  g_array_append_val (h->app_events, ev);
}

static void
app_connected (TcpEndpoint *ep, void *user)
{
  TcpHarness *h = user;

  if (ep == h->ep)
    app_event (h, TCP_HARNESS_APP_CONNECTED, TCP_CLOSE_NORMAL, 0);
}

static void
app_accepted (TcpEndpoint *listener, TcpEndpoint *child, void *user)
{
  TcpHarness *h = user;

  (void) listener;
  if (child == h->ep)
    app_event (h, TCP_HARNESS_APP_ACCEPTED, TCP_CLOSE_NORMAL, 0);
}

static gsize
read_all (TcpHarness *h, TcpEndpoint *ep, gsize max_bytes)
{
  guint8 buf[4096];
  gsize total = 0;

  while (total < max_bytes)
    {
      gsize n = tcp_read (ep, buf, MIN (sizeof buf, max_bytes - total));

      if (n == 0)
        break;
      g_byte_array_append (h->app_rx, buf, (guint) n);
      total += n;
    }
  return total;
}

static void
app_readable (TcpEndpoint *ep, void *user)
{
  TcpHarness *h = user;
  gsize n = 0;

  if (ep != h->ep)
    return;
  if (h->auto_read)
    n = read_all (h, ep, G_MAXSIZE);
  app_event (h, TCP_HARNESS_APP_READABLE, TCP_CLOSE_NORMAL, n);
}

static void
app_peer_closed (TcpEndpoint *ep, void *user)
{
  TcpHarness *h = user;

  if (ep == h->ep)
    app_event (h, TCP_HARNESS_APP_PEER_CLOSED, TCP_CLOSE_NORMAL, 0);
}

static void
app_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  TcpHarness *h = user;

  /* The stack frees the endpoint after this returns. */
  if (ep == h->listener)
    h->listener = NULL;
  else if (ep == h->ep)
    {
      h->ep = NULL;
      app_event (h, TCP_HARNESS_APP_CLOSED, reason, 0);
    }
}

static const TcpCallbacks harness_callbacks = {
  .connected = app_connected,
  .accepted = app_accepted,
  .readable = app_readable,
  .writable = NULL,
  .peer_closed = app_peer_closed,
  .closed = app_closed,
};

/* ---- lifetime ---- */

TcpHarness *
tcp_harness_new (const TcpParams *params)
{
  TcpHarness *h = g_new0 (TcpHarness, 1);
  static const LinkDirParams wire = { 0 };
  Ipv4Addr la;
  Ipv4Addr ra;
  gboolean ok;

  if (params != NULL)
    h->params = *params;
  else
    tcp_params_init (&h->params);
  if (h->params.isn_mode == TCP_ISN_RANDOM)
    {
      h->params.isn_mode = TCP_ISN_FIXED;
      h->params.isn = TCP_HARNESS_LOCAL_ISS;
    }
  h->iss = (guint32) h->params.isn;
  h->irs = TCP_HARNESS_REMOTE_ISS;
  h->remote_win = TCP_HARNESS_REMOTE_WIN;
  h->auto_read = TRUE;
  g_queue_init (&h->captured);
  h->states = g_array_new (FALSE, TRUE, sizeof (TcpHarnessState));
  h->app_events = g_array_new (FALSE, TRUE, sizeof (TcpHarnessAppEvent));
  h->app_rx = g_byte_array_new ();

  ok = ipv4_addr_parse ("10.0.0.1", &la) && ipv4_addr_parse ("10.0.0.2", &ra);
  g_assert_true (ok);
  h->world = sim_world_new (1);
  h->net = network_new (h->world);
  h->local = host_new (h->net, "local", la, &h->params);
  h->remote = node_new (h->net, "remote", NODE_KIND_ROUTER, ra);
  h->link = link_new (h->net, "wire", h->local, h->remote, &wire, &wire);
  h->local_iface = node_iface (h->local, 0);
  h->stack = host_tcp (h->local);
  sim_trace_subscribe (sim_world_trace (h->world), on_record, h);
  return h;
}

void
tcp_harness_free (TcpHarness *h)
{
  if (h == NULL)
    return;
  /* The world first: freeing endpoints may still emit trace records. */
  sim_world_free (h->world);
  g_queue_clear_full (&h->captured, harness_seg_free);
  harness_seg_free (h->last);
  g_array_unref (h->states);
  g_array_unref (h->app_events);
  g_byte_array_unref (h->app_rx);
  g_free (h);
}

void
tcp_harness_set_remote_iss (TcpHarness *h, guint32 irs)
{
  h->irs = irs;
}

void
tcp_harness_set_remote_window (TcpHarness *h, guint16 win)
{
  h->remote_win = win;
}

void
tcp_harness_set_auto_read (TcpHarness *h, gboolean auto_read)
{
  h->auto_read = auto_read;
}

/* ---- time and injection ---- */

SimTime
tcp_harness_now (TcpHarness *h)
{
  return sim_scheduler_now (sim_world_scheduler (h->world));
}

static void
nothing (void *data, void *arg)
{
  (void) data;
  (void) arg;
}

void
tcp_harness_advance (TcpHarness *h, SimTime to_ns)
{
  SimScheduler *sched = sim_world_scheduler (h->world);

  g_assert_cmpint (to_ns, >=, tcp_harness_now (h));
  /* The scheduler leaves its clock at the last event when it runs dry; an
   * empty event at @to_ns makes the clock end there. */
  sim_scheduler_call_at (sched, to_ns, nothing, NULL, NULL);
  sim_scheduler_run_until (sched, to_ns);
  g_assert_cmpint (tcp_harness_now (h), ==, to_ns);
}

static void
deliver (void *data, void *arg)
{
  TcpHarness *h = data;

  node_receive (h->local, h->local_iface, arg);
}

void
tcp_harness_inject_full (TcpHarness *h, SimTime at_ns, const TcpSeg *seg,
                         TcpHarnessInjectFlags flags)
{
  TcpSeg s = *seg;
  Ipv4Header ip = { 0 };
  Packet *pkt;
  guint8 *p;
  guint opt_bytes;
  guint hdr_bytes;
  guint written;

  g_assert_cmpint (at_ns, >=, tcp_harness_now (h));
  if (!(flags & TCP_HARNESS_INJECT_RAW))
    {
      if (s.sport == 0)
        s.sport = TCP_HARNESS_REMOTE_PORT;
      if (s.dport == 0)
        s.dport = TCP_HARNESS_LOCAL_PORT;
      if (s.win == 0 && !(s.flags & TCP_RST))
        s.win = h->remote_win;
    }
  opt_bytes = tcp_wire_options_bytes (&s.opts);
  hdr_bytes = TCP_HEADER_BYTES + opt_bytes;
  pkt = packet_new (network_pool (h->net),
                    IPV4_HEADER_BYTES + hdr_bytes + s.len_bytes);
  p = packet_bytes (pkt);
  /* tcp_wire_write() checksums the payload where it already lies. */
  if (s.len_bytes > 0)
    {
      if (s.payload != NULL)
        memcpy (p + IPV4_HEADER_BYTES + hdr_bytes, s.payload, s.len_bytes);
      else
        memset (p + IPV4_HEADER_BYTES + hdr_bytes, 0, s.len_bytes);
    }
  written = tcp_wire_write (p + IPV4_HEADER_BYTES, &s, node_addr (h->remote),
                            node_addr (h->local));
  g_assert_cmpuint (written, ==, hdr_bytes);
  if (flags & TCP_HARNESS_INJECT_CORRUPT)
    {
      /* Damage on the wire: the checksum no longer matches. */
      g_assert_cmpuint (s.len_bytes, >, 0);
      p[IPV4_HEADER_BYTES + hdr_bytes] ^= 0x01;
    }
  ip.src = node_addr (h->remote);
  ip.dst = node_addr (h->local);
  ip.proto = IPV4_PROTO_TCP;
  ip.ttl = IPV4_DEFAULT_TTL;
  ip.id = h->ip_id++;
  ip.dont_fragment = TRUE;
  ip.total_len_bytes = (guint16) (IPV4_HEADER_BYTES + hdr_bytes
                                  + s.len_bytes);
  ipv4_header_write (p, &ip);
  sim_scheduler_call_at (sim_world_scheduler (h->world), at_ns, deliver, h,
                         pkt);
  tcp_harness_advance (h, at_ns);
}

void
tcp_harness_inject (TcpHarness *h, SimTime at_ns, const TcpSeg *seg)
{
  tcp_harness_inject_full (h, at_ns, seg, 0);
}

/* ---- expectations ---- */

static void
append_options (GString *out, const TcpOptions *o)
{
  if (o->has_mss)
    g_string_append_printf (out, " mss=%u", o->mss_bytes);
  if (o->has_wscale)
    g_string_append_printf (out, " wscale=%u", o->wscale);
  if (o->sack_ok)
    g_string_append (out, " sackOK");
  if (o->has_ts)
    g_string_append_printf (out, " ts=%u/%u", o->ts_val, o->ts_ecr);
  for (guint i = 0; i < o->n_sack; i++)
    g_string_append_printf (out, " sack=[%u,%u)", o->sack[i].start,
                            o->sack[i].end);
}

/* A wanted segment shows only the fields that are compared. */
static char *
describe (const TcpSeg *seg, gboolean show_win, gboolean show_opts)
{
  GString *out = g_string_new (NULL);
  char flags[12];

  tcp_flags_format_short (seg->flags, flags);
  g_string_append_printf (out, "%s seq=%u ack=%u len=%u", flags, seg->seq,
                          seg->ack, seg->len_bytes);
  if (show_win)
    g_string_append_printf (out, " win=%u", seg->win);
  if (show_opts)
    append_options (out, &seg->opts);
  return g_string_free (out, FALSE);
}

char *
tcp_harness_seg_describe (const TcpSeg *seg)
{
  return describe (seg, TRUE, TRUE);
}

static char *
describe_pending (const TcpHarness *h)
{
  GString *out = g_string_new (NULL);

  for (const GList *l = h->captured.head; l != NULL; l = l->next)
    {
      const TcpHarnessSeg *s = l->data;
      g_autofree char *d = tcp_harness_seg_describe (&s->seg);
      char t[SIM_TIME_FORMAT_BYTES];

      sim_time_format_buf (s->at_ns, t);
      g_string_append_printf (out, "\n  at %s: %s", t, d);
    }
  return g_string_free (out, FALSE);
}

static gboolean
options_equal (const TcpOptions *a, const TcpOptions *b)
{
  if (a->has_mss != b->has_mss || (a->has_mss && a->mss_bytes != b->mss_bytes)
      || a->has_wscale != b->has_wscale
      || (a->has_wscale && a->wscale != b->wscale)
      || a->sack_ok != b->sack_ok || a->has_ts != b->has_ts
      || (a->has_ts && (a->ts_val != b->ts_val || a->ts_ecr != b->ts_ecr))
      || a->n_sack != b->n_sack)
    return FALSE;
  for (guint i = 0; i < a->n_sack; i++)
    if (a->sack[i].start != b->sack[i].start
        || a->sack[i].end != b->sack[i].end)
      return FALSE;
  return TRUE;
}

const TcpSeg *
tcp_harness_pop (TcpHarness *h)
{
  TcpHarnessSeg *s = g_queue_pop_head (&h->captured);

  if (s == NULL)
    return NULL;
  harness_seg_free (h->last);
  h->last = s;
  return &s->seg;
}

guint
tcp_harness_pending (const TcpHarness *h)
{
  return h->captured.length;
}

SimTime
tcp_harness_last_time (const TcpHarness *h)
{
  g_assert_nonnull (h->last);
  return h->last->at_ns;
}

void
tcp_harness_clear (TcpHarness *h)
{
  g_queue_clear_full (&h->captured, harness_seg_free);
  g_queue_init (&h->captured);
}

void
tcp_harness_expect_full_at (TcpHarness *h, const TcpSeg *want,
                            TcpHarnessCheck check, const char *file,
                            int line, const char *func)
{
  g_autofree char *want_text =
    describe (want, (check & TCP_HARNESS_CHECK_WIN) != 0,
              (check & TCP_HARNESS_CHECK_OPTS) != 0);
  const TcpSeg *got = tcp_harness_pop (h);
  g_autofree char *got_text = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *msg = NULL;
  char t[SIM_TIME_FORMAT_BYTES];
  gboolean ok;

  if (got == NULL)
    {
      msg = g_strdup_printf ("expected segment '%s', but nothing was sent "
                             "(now %" G_GINT64_FORMAT " ns, state %s)",
                             want_text, tcp_harness_now (h),
                             tcp_state_name (tcp_harness_state (h)));
      g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
      return;
    }
  ok = got->flags == want->flags && got->seq == want->seq
       && got->len_bytes == want->len_bytes
       && (!(want->flags & TCP_ACK) || got->ack == want->ack);
  if ((check & TCP_HARNESS_CHECK_WIN) && got->win != want->win)
    ok = FALSE;
  if ((check & TCP_HARNESS_CHECK_OPTS) && !options_equal (&got->opts,
                                                          &want->opts))
    ok = FALSE;
  if ((check & TCP_HARNESS_CHECK_PAYLOAD) && ok && want->len_bytes > 0
      && want->payload != NULL
      && memcmp (got->payload, want->payload, want->len_bytes) != 0)
    ok = FALSE;
  if (ok)
    return;
  got_text = tcp_harness_seg_describe (got);
  sim_time_format_buf (h->last->at_ns, t);
  rest = describe_pending (h);
  msg = g_strdup_printf ("segment sent at %s differs:\n  got  %s\n  want "
                         "%s%s%s", t, got_text, want_text,
                         *rest ? "\nstill queued:" : "", rest);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

void
tcp_harness_expect_nothing_at (TcpHarness *h, const char *file, int line,
                               const char *func)
{
  g_autofree char *rest = NULL;
  g_autofree char *msg = NULL;

  if (h->captured.length == 0)
    return;
  rest = describe_pending (h);
  msg = g_strdup_printf ("expected nothing, but %u segment(s) were sent:%s",
                         h->captured.length, rest);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

/* ---- accessors and the application's calls ---- */

TcpEndpoint *
tcp_harness_ep (TcpHarness *h)
{
  return h->ep;
}

TcpState
tcp_harness_state (const TcpHarness *h)
{
  return h->ep != NULL ? tcp_endpoint_state (h->ep) : TCP_STATE_CLOSED;
}

char *
tcp_harness_state_path (const TcpHarness *h)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < h->states->len; i++)
    {
      const TcpHarnessState *s = &g_array_index (h->states, TcpHarnessState,
                                                 i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, tcp_state_name (s->to));
    }
  return g_string_free (out, FALSE);
}

gsize
tcp_harness_write (TcpHarness *h, const guint8 *data, gsize len_bytes)
{
  g_assert_nonnull (h->ep);
  return tcp_write (h->ep, data, len_bytes);
}

gsize
tcp_harness_read (TcpHarness *h, gsize max_bytes)
{
  g_assert_nonnull (h->ep);
  return read_all (h, h->ep, max_bytes);
}

void
tcp_harness_close (TcpHarness *h)
{
  g_assert_nonnull (h->ep);
  tcp_close (h->ep);
}

char *
tcp_harness_app_events (const TcpHarness *h)
{
  static const char *const names[] = {
    [TCP_HARNESS_APP_CONNECTED] = "connected",
    [TCP_HARNESS_APP_ACCEPTED] = "accepted",
    [TCP_HARNESS_APP_READABLE] = "readable",
    [TCP_HARNESS_APP_PEER_CLOSED] = "peer_closed",
    [TCP_HARNESS_APP_CLOSED] = "closed",
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < h->app_events->len; i++)
    {
      const TcpHarnessAppEvent *e = &g_array_index (h->app_events,
                                                    TcpHarnessAppEvent, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, names[e->kind]);
      if (e->kind == TCP_HARNESS_APP_CLOSED)
        g_string_append_printf (out, ":%s", tcp_close_reason_name (e->reason));
    }
  return g_string_free (out, FALSE);
}

guint
tcp_harness_app_count (const TcpHarness *h, TcpHarnessAppEventKind kind)
{
  guint n = 0;

  for (guint i = 0; i < h->app_events->len; i++)
    if (g_array_index (h->app_events, TcpHarnessAppEvent, i).kind == kind)
      n++;
  return n;
}

void
tcp_harness_app_clear (TcpHarness *h)
{
  g_array_set_size (h->app_events, 0);
  g_byte_array_set_size (h->app_rx, 0);
}

void
tcp_harness_pattern (guint8 *buf, gsize len_bytes, guint offset, guint8 seed)
{
  for (gsize i = 0; i < len_bytes; i++)
    buf[i] = (guint8) (((offset + i) * 7 + seed) & 0xff);
}

/* ---- builders ---- */

/* The peer's options on its SYN: an MSS, so the endpoint does not fall
 * back to the 536-byte default of RFC 9293 3.7.1. */
static const TcpOptions remote_syn_opts = {
  .has_mss = TRUE, .mss_bytes = TCP_HARNESS_REMOTE_MSS,
};

static SimTime
next_step (TcpHarness *h)
{
  return tcp_harness_now (h) + TCP_HARNESS_STEP_NS;
}

/* The ACK of a FIN may wait for the delayed-ACK timer (ack_fin_now off). */
static void
wait_for_segment (TcpHarness *h)
{
  if (tcp_harness_pending (h) == 0 && h->params.delack_ns > 0)
    tcp_harness_advance (h, tcp_harness_now (h) + h->params.delack_ns);
}

static void
build_step (TcpHarness *h, TcpState state, TcpHarnessOpen open)
{
  g_autoptr (GError) error = NULL;
  guint32 iss = h->iss;
  guint32 irs = h->irs;

  switch (state)
    {
    case TCP_STATE_LISTEN:
      h->listener = tcp_listen (h->stack, TCP_HARNESS_LOCAL_PORT, &h->params,
                                &harness_callbacks, h, &error);
      g_assert_no_error (error);
      break;
    case TCP_STATE_SYN_RECEIVED:
      build_step (h, TCP_STATE_LISTEN, open);
      tcp_harness_inject (h, next_step (h), &(TcpSeg) {
        .seq = irs, .flags = TCP_SYN, .opts = remote_syn_opts });
      tcp_harness_expect (h, &(TcpSeg) {
        .seq = iss, .ack = irs + 1, .flags = TCP_SYN | TCP_ACK });
      break;
    case TCP_STATE_SYN_SENT:
      tcp_connect (h->stack, node_addr (h->remote), TCP_HARNESS_REMOTE_PORT,
                   TCP_HARNESS_LOCAL_PORT, &h->params, &harness_callbacks, h,
                   &error);
      g_assert_no_error (error);
      tcp_harness_expect (h, &(TcpSeg) { .seq = iss, .flags = TCP_SYN });
      break;
    case TCP_STATE_ESTABLISHED:
      if (open == TCP_HARNESS_ACTIVE)
        {
          build_step (h, TCP_STATE_SYN_SENT, open);
          tcp_harness_inject (h, next_step (h), &(TcpSeg) {
            .seq = irs, .ack = iss + 1, .flags = TCP_SYN | TCP_ACK,
            .opts = remote_syn_opts });
          tcp_harness_expect (h, &(TcpSeg) {
            .seq = iss + 1, .ack = irs + 1, .flags = TCP_ACK });
        }
      else
        {
          build_step (h, TCP_STATE_SYN_RECEIVED, open);
          tcp_harness_inject (h, next_step (h), &(TcpSeg) {
            .seq = irs + 1, .ack = iss + 1, .flags = TCP_ACK });
        }
      break;
    case TCP_STATE_FIN_WAIT_1:
      build_step (h, TCP_STATE_ESTABLISHED, open);
      tcp_harness_close (h);
      tcp_harness_expect (h, &(TcpSeg) {
        .seq = iss + 1, .ack = irs + 1, .flags = TCP_FIN | TCP_ACK });
      break;
    case TCP_STATE_FIN_WAIT_2:
      build_step (h, TCP_STATE_FIN_WAIT_1, open);
      tcp_harness_inject (h, next_step (h), &(TcpSeg) {
        .seq = irs + 1, .ack = iss + 2, .flags = TCP_ACK });
      break;
    case TCP_STATE_CLOSING:
      build_step (h, TCP_STATE_FIN_WAIT_1, open);
      tcp_harness_inject (h, next_step (h), &(TcpSeg) {
        .seq = irs + 1, .ack = iss + 1, .flags = TCP_FIN | TCP_ACK });
      wait_for_segment (h);
      tcp_harness_expect (h, &(TcpSeg) {
        .seq = iss + 2, .ack = irs + 2, .flags = TCP_ACK });
      break;
    case TCP_STATE_TIME_WAIT:
      build_step (h, TCP_STATE_FIN_WAIT_2, open);
      tcp_harness_inject (h, next_step (h), &(TcpSeg) {
        .seq = irs + 1, .ack = iss + 2, .flags = TCP_FIN | TCP_ACK });
      wait_for_segment (h);
      tcp_harness_expect (h, &(TcpSeg) {
        .seq = iss + 2, .ack = irs + 2, .flags = TCP_ACK });
      break;
    case TCP_STATE_CLOSE_WAIT:
      build_step (h, TCP_STATE_ESTABLISHED, open);
      tcp_harness_inject (h, next_step (h), &(TcpSeg) {
        .seq = irs + 1, .ack = iss + 1, .flags = TCP_FIN | TCP_ACK });
      wait_for_segment (h);
      tcp_harness_expect (h, &(TcpSeg) {
        .seq = iss + 1, .ack = irs + 2, .flags = TCP_ACK });
      break;
    case TCP_STATE_LAST_ACK:
      build_step (h, TCP_STATE_CLOSE_WAIT, open);
      tcp_harness_close (h);
      tcp_harness_expect (h, &(TcpSeg) {
        .seq = iss + 1, .ack = irs + 2, .flags = TCP_FIN | TCP_ACK });
      break;
    case TCP_STATE_CLOSED:
    case TCP_N_STATES:
    default:
      g_assert_not_reached ();
    }
  tcp_harness_expect_nothing (h);
  if (state == TCP_STATE_LISTEN)
    g_assert_nonnull (h->listener);
  else
    g_assert_cmpstr (tcp_state_name (tcp_harness_state (h)), ==,
                     tcp_state_name (state));
}

void
tcp_harness_build (TcpHarness *h, TcpState state, TcpHarnessOpen open)
{
  g_assert_null (h->ep);
  g_assert_null (h->listener);
  if (state == TCP_STATE_LISTEN || state == TCP_STATE_SYN_RECEIVED)
    open = TCP_HARNESS_PASSIVE;
  else if (state == TCP_STATE_SYN_SENT)
    open = TCP_HARNESS_ACTIVE;
  build_step (h, state, open);
  tcp_harness_clear (h);
  g_clear_pointer (&h->last, harness_seg_free);
  tcp_harness_app_clear (h);
}

TcpHarness *
tcp_harness_new_in_state (TcpState state, const TcpParams *params)
{
  TcpHarness *h = tcp_harness_new (params);

  tcp_harness_build (h, state, TCP_HARNESS_ACTIVE);
  return h;
}

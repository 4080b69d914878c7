/* seqdiag_replay.c: trace records -> SeqDiag, mirroring
 * seqdiag_collect.c rule for rule.
 *
 * seqdiag_replay_record() runs in two phases:
 *   before the connection is known: tcp.state records wait in a pending
 *     list (as in the collector), and the first link.tx or link.drop of
 *     a SYN without ACK identifies the connection;
 *   afterwards: the records the collector would look at are kept in
 *     compact form: link.* records of the connection's 4-tuple, link.rx
 *     and drops of the packets seen so far (by uid: a damaged packet's
 *     record has no TCP fields), and state changes of its two ends.
 * Throughout, every record teaches the address -> node table what the
 * collector asks the live network.
 * seqdiag_replay_finish() then plays identify(), add_segment(),
 * on_link_rx(), on_link_drop() and on_state() of the collector over the
 * kept records.
 */
#include "plots/seqdiag_replay.h"

#include <string.h>

/* As in the collector: only the states before the first SYN, normally a
 * few listeners, wait. */
#define MAX_PENDING_STATES 1024u

typedef struct {
  SimTime at_ns;
  char *conn;
  char *host;
  const char *from;             /* interned */
  const char *to;
} PendingState;

/* One kept record.  Strings are interned: node names, reasons and state
 * names come from small sets. */
typedef struct {
  SimTime at_ns;
  TraceKind kind;
  const char *from_node;        /* link.*: the direction's ends */
  const char *to_node;
  const char *reason;           /* drops */
  SeqDiagSide side;             /* tcp.state */
  const char *state_from;
  const char *state_to;
  gboolean tcp;                 /* the segment fields below are set */
  Ipv4Addr src;
  guint16 sport;
  Ipv4Addr dst;
  guint16 dport;
  SeqDiagSegment seg;           /* uid and the caller's fields */
} Kept;

struct SeqDiagReplay {
  SeqDiag *diag;
  gboolean built;

  /* Address -> node, learnt from the trace: a TCP endpoint's record names
   * its host and local address, and the first record of a packet is
   * where it starts, so its source address belongs to that node (until a
   * TCP record says otherwise: injected packets may forge it). */
  GHashTable *node_by_addr;     /* GUINT_TO_POINTER (addr) -> interned */
  GHashTable *addr_from_tcp;    /* set: entries a TCP record gave */

  GArray *pending;              /* PendingState, until identified */
  gboolean identified;
  Kept first;                   /* the record that identified it */
  Ipv4Addr addrs[SEQDIAG_N_SIDES];
  guint16 ports[SEQDIAG_N_SIDES];
  char *conns[SEQDIAG_N_SIDES];
  GHashTable *uids;             /* the connection's packets, as guint64 */
  GArray *kept;                 /* Kept, in trace order */

  /* The collector's state, used while building. */
  const char *nodes[SEQDIAG_N_SIDES];  /* (nullable) */
  gboolean closed[SEQDIAG_N_SIDES];
  gboolean finished;
};

static void
pending_state_clear (gpointer p)
{
  PendingState *ps = p;

  g_free (ps->conn);
  g_free (ps->host);
}

SeqDiagReplay *
seqdiag_replay_new (void)
{
  SeqDiagReplay *r = g_new0 (SeqDiagReplay, 1);

  r->diag = seqdiag_new ();
  r->node_by_addr = g_hash_table_new (g_direct_hash, g_direct_equal);
  r->addr_from_tcp = g_hash_table_new (g_direct_hash, g_direct_equal);
  r->pending = g_array_new (FALSE, TRUE, sizeof (PendingState));
  g_array_set_clear_func (r->pending, pending_state_clear);
  r->uids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                   NULL);
  r->kept = g_array_new (FALSE, TRUE, sizeof (Kept));
  return r;
}

void
seqdiag_replay_free (SeqDiagReplay *r)
{
  if (r == NULL)
    return;
  seqdiag_free (r->diag);
  g_hash_table_unref (r->node_by_addr);
  g_hash_table_unref (r->addr_from_tcp);
  g_clear_pointer (&r->pending, g_array_unref);
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    g_free (r->conns[side]);
  g_hash_table_unref (r->uids);
  g_array_unref (r->kept);
  g_free (r);
}

/* Learning which node owns an address. */

static void
learn_from_conn (SeqDiagReplay *r, const char *host, const char *conn)
{
  g_autofree char *local = NULL;
  const char *gt;
  Ipv4Addr addr;
  guint16 port;

  if (host == NULL || conn == NULL || conn[0] == '\0')
    return;
  gt = strchr (conn, '>');
  local = gt != NULL ? g_strndup (conn, gt - conn) : g_strdup (conn);
  if (!trace_addr_port_parse (local, &addr, &port))
    return;
  g_hash_table_insert (r->node_by_addr, GUINT_TO_POINTER (addr),
                       (gpointer) g_intern_string (host));
  g_hash_table_add (r->addr_from_tcp, GUINT_TO_POINTER (addr));
}

static void
learn_from_packet (SeqDiagReplay *r, const TracePacket *p)
{
  g_autofree char *from = NULL;

  if (!p->seg.tcp || p->dir == NULL
      || g_hash_table_contains (r->node_by_addr,
                                GUINT_TO_POINTER (p->seg.src))
      || !trace_dir_split (p->dir, &from, NULL))
    return;
  g_hash_table_insert (r->node_by_addr, GUINT_TO_POINTER (p->seg.src),
                       (gpointer) g_intern_string (from));
}

static void
learn (SeqDiagReplay *r, const TraceRecord *rec)
{
  switch (rec->kind)
    {
    case TRACE_KIND_LINK_TX:
    case TRACE_KIND_LINK_DROP:
      learn_from_packet (r, &rec->packet);
      break;
    case TRACE_KIND_TCP_STATE:
      learn_from_conn (r, rec->state.host, rec->state.conn);
      break;
    case TRACE_KIND_TCP_TIMER:
      learn_from_conn (r, rec->timer.host, rec->timer.conn);
      break;
    case TRACE_KIND_TCP_VARS:
      learn_from_conn (r, rec->vars.host, rec->vars.conn);
      break;
    case TRACE_KIND_TCP_EVENT:
      learn_from_conn (r, rec->event.host, rec->event.conn);
      break;
    case TRACE_KIND_TCP_CONN:
      learn_from_conn (r, rec->conn.host, rec->conn.name);
      break;
    case TRACE_KIND_OTHER:
    case TRACE_KIND_LINK_RX:
    case TRACE_KIND_NODE_DROP:
    case TRACE_KIND_APP_EVENT:
      break;
    case TRACE_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Keeping records. */

static char *
conn_name (Ipv4Addr local, guint16 local_port, Ipv4Addr remote,
           guint16 remote_port)
{
  char l[IPV4_ADDR_STR_BYTES];
  char rem[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (local, l);
  ipv4_addr_format (remote, rem);
  return g_strdup_printf ("%s:%u>%s:%u", l, local_port, rem, remote_port);
}

static void
kept_from_packet (const TraceRecord *rec, Kept *k)
{
  const TracePacket *p = &rec->packet;
  const TraceSegment *s = &p->seg;

  memset (k, 0, sizeof *k);
  k->at_ns = rec->t_ns;
  k->kind = rec->kind;
  if (p->dir != NULL)
    {
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;

      if (trace_dir_split (p->dir, &from, &to))
        {
          k->from_node = g_intern_string (from);
          k->to_node = g_intern_string (to);
        }
    }
  k->reason = p->reason != NULL ? g_intern_string (p->reason) : NULL;
  k->seg.uid = s->uid;
  k->tcp = s->tcp;
  if (!s->tcp)
    return;
  k->src = s->src;
  k->sport = s->sport;
  k->dst = s->dst;
  k->dport = s->dport;
  k->seg.flags = s->flags;
  k->seg.rel_seq = s->rel_seq;
  k->seg.rel_ack = s->rel_ack;
  k->seg.len_bytes = s->len_bytes;
  k->seg.win = s->win;
  k->seg.mss_bytes = s->mss_bytes;
  k->seg.wscale = s->wscale;
  k->seg.sack_perm = s->sack_ok;
  k->seg.timestamps = s->timestamps;
}

static gboolean
is_pure_syn (const TraceSegment *s)
{
  return s->tcp && (s->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
}

/* Whether the segment goes between the two ends, either way. */
static gboolean
of_connection (const SeqDiagReplay *r, const TraceSegment *s)
{
  if (!s->tcp)
    return FALSE;
  for (int side = 0; side < SEQDIAG_N_SIDES; side++)
    {
      int peer = 1 - side;

      if (s->src == r->addrs[side] && s->sport == r->ports[side]
          && s->dst == r->addrs[peer] && s->dport == r->ports[peer])
        return TRUE;
    }
  return FALSE;
}

static int
side_of_conn (const SeqDiagReplay *r, const char *conn)
{
  if (conn == NULL)
    return -1;
  for (int side = 0; side < SEQDIAG_N_SIDES; side++)
    if (strcmp (conn, r->conns[side]) == 0)
      return side;
  return -1;
}

static void
keep_uid (SeqDiagReplay *r, guint64 uid)
{
  guint64 *key;

  if (g_hash_table_contains (r->uids, &uid))
    return;
  key = g_new (guint64, 1);
  *key = uid;
  g_hash_table_add (r->uids, key);
}

static void
identify_early (SeqDiagReplay *r, const TraceRecord *rec)
{
  const TraceSegment *s = &rec->packet.seg;

  r->identified = TRUE;
  kept_from_packet (rec, &r->first);
  r->addrs[SEQDIAG_CLIENT] = s->src;
  r->ports[SEQDIAG_CLIENT] = s->sport;
  r->addrs[SEQDIAG_SERVER] = s->dst;
  r->ports[SEQDIAG_SERVER] = s->dport;
  r->conns[SEQDIAG_CLIENT] = conn_name (s->src, s->sport, s->dst, s->dport);
  r->conns[SEQDIAG_SERVER] = conn_name (s->dst, s->dport, s->src, s->sport);
}

static void
keep (SeqDiagReplay *r, const TraceRecord *rec)
{
  Kept k;

  switch (rec->kind)
    {
    case TRACE_KIND_LINK_TX:
    case TRACE_KIND_LINK_DROP:
      if (!of_connection (r, &rec->packet.seg)
          && !g_hash_table_contains (r->uids, &rec->packet.seg.uid))
        return;
      keep_uid (r, rec->packet.seg.uid);
      break;
    case TRACE_KIND_LINK_RX:
    case TRACE_KIND_NODE_DROP:
      if (!g_hash_table_contains (r->uids, &rec->packet.seg.uid))
        return;
      break;
    case TRACE_KIND_TCP_STATE:
      {
        int side = side_of_conn (r, rec->state.conn);

        if (side < 0)
          return;
        memset (&k, 0, sizeof k);
        k.at_ns = rec->t_ns;
        k.kind = rec->kind;
        k.side = (SeqDiagSide) side;
        k.state_from = g_intern_string (rec->state.from);
        k.state_to = g_intern_string (rec->state.to);
        g_array_append_val (r->kept, k);
        return;
      }
    case TRACE_KIND_OTHER:
    case TRACE_KIND_TCP_TIMER:
    case TRACE_KIND_TCP_VARS:
    case TRACE_KIND_TCP_EVENT:
    case TRACE_KIND_TCP_CONN:
    case TRACE_KIND_APP_EVENT:
      return;
    case TRACE_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  kept_from_packet (rec, &k);
  g_array_append_val (r->kept, k);
}

void
seqdiag_replay_record (const TraceRecord *rec, void *data)
{
  SeqDiagReplay *r = data;

  if (r->built)
    return;
  learn (r, rec);
  if (r->identified)
    {
      keep (r, rec);
      return;
    }
  if (rec->kind == TRACE_KIND_TCP_STATE)
    {
      PendingState ps = {
        rec->t_ns, g_strdup (rec->state.conn), g_strdup (rec->state.host),
        g_intern_string (rec->state.from), g_intern_string (rec->state.to),
      };

      if (r->pending->len < MAX_PENDING_STATES)
        g_array_append_val (r->pending, ps);
      else
        pending_state_clear (&ps);
      return;
    }
  /* The collector identifies in add_segment(), reached from link.tx and
   * from a drop-tail overflow (a drop with no link.tx before it). */
  if ((rec->kind == TRACE_KIND_LINK_TX || rec->kind == TRACE_KIND_LINK_DROP)
      && is_pure_syn (&rec->packet.seg))
    {
      identify_early (r, rec);
      keep (r, rec);
    }
}

/* Building: the collector's handlers over the kept records. */

static gboolean
conn_has_local_port (const char *conn, guint16 port)
{
  const char *local_end;
  const char *colon;
  guint64 value;
  char *end;

  if (conn == NULL)
    return FALSE;
  local_end = strchr (conn, '>');
  if (local_end == NULL)
    local_end = conn + strlen (conn);
  colon = g_strrstr_len (conn, local_end - conn, ":");
  if (colon == NULL)
    return FALSE;
  value = g_ascii_strtoull (colon + 1, &end, 10);
  return end == local_end && end != colon + 1 && value == port;
}

static void
add_state (SeqDiagReplay *r, SimTime at_ns, SeqDiagSide side,
           const char *from, const char *to)
{
  seqdiag_add_state (r->diag, at_ns, side, from, to);
  if (strcmp (to, tcp_state_name (TCP_STATE_CLOSED)) == 0)
    r->closed[side] = TRUE;
  if (r->closed[SEQDIAG_CLIENT] && r->closed[SEQDIAG_SERVER])
    r->finished = TRUE;
}

static void
identify (SeqDiagReplay *r)
{
  const char *listen = tcp_state_name (TCP_STATE_LISTEN);
  gboolean listener_seen = FALSE;

  r->nodes[SEQDIAG_CLIENT] = r->first.from_node;
  r->nodes[SEQDIAG_SERVER] =
    g_hash_table_lookup (r->node_by_addr,
                         GUINT_TO_POINTER (r->addrs[SEQDIAG_SERVER]));
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    {
      char addr[IPV4_ADDR_STR_BYTES];

      ipv4_addr_format (r->addrs[side], addr);
      seqdiag_set_end (r->diag, side,
                       r->nodes[side] != NULL ? r->nodes[side] : addr,
                       r->addrs[side], r->ports[side]);
    }

  for (guint i = 0; i < r->pending->len; i++)
    {
      const PendingState *ps = &g_array_index (r->pending, PendingState, i);
      int side = side_of_conn (r, ps->conn);

      if (side >= 0)
        add_state (r, ps->at_ns, (SeqDiagSide) side, ps->from, ps->to);
      else if (r->nodes[SEQDIAG_SERVER] != NULL && ps->host != NULL
               && strcmp (ps->host, r->nodes[SEQDIAG_SERVER]) == 0
               && strcmp (ps->to, listen) == 0
               && conn_has_local_port (ps->conn, r->ports[SEQDIAG_SERVER]))
        listener_seen = TRUE;
    }
  g_clear_pointer (&r->pending, g_array_unref);

  /* The server end is drawn as a listener that becomes the connection,
   * as the collector draws it. */
  if (listener_seen)
    seqdiag_set_initial_state (r->diag, SEQDIAG_SERVER, listen);
}

static int
side_of_segment (const SeqDiagReplay *r, const Kept *k)
{
  for (int side = 0; side < SEQDIAG_N_SIDES; side++)
    {
      int peer = 1 - side;

      if (k->src == r->addrs[side] && k->sport == r->ports[side]
          && k->dst == r->addrs[peer] && k->dport == r->ports[peer])
        return side;
    }
  return -1;
}

/* The node names are interned, so names compare as pointers, as the
 * collector compares Node pointers. */
static gboolean
add_segment (SeqDiagReplay *r, const Kept *k)
{
  SeqDiagSegment s;
  int side;

  if (r->finished || seqdiag_segment_in_flight (r->diag, k->seg.uid))
    return FALSE;
  if (!k->tcp)
    return FALSE;
  side = side_of_segment (r, k);
  if (side < 0)
    return FALSE;
  if (r->nodes[side] != NULL && k->from_node != r->nodes[side])
    return FALSE;
  s = k->seg;
  s.from = (SeqDiagSide) side;
  /* As trace.jsonl: an acknowledgement number means nothing without
   * ACK (the trace already writes 0 then). */
  if (!(s.flags & TCP_ACK))
    s.rel_ack = 0;
  seqdiag_add_segment (r->diag, k->at_ns, &s);
  return TRUE;
}

static void
on_link_rx (SeqDiagReplay *r, const Kept *k)
{
  if (!seqdiag_segment_in_flight (r->diag, k->seg.uid))
    return;
  /* Reaching a router is not arriving; reaching either end is. */
  if (r->nodes[SEQDIAG_SERVER] != NULL && k->to_node != r->nodes[SEQDIAG_CLIENT]
      && k->to_node != r->nodes[SEQDIAG_SERVER])
    return;
  seqdiag_segment_arrived (r->diag, k->seg.uid, k->at_ns);
}

static void
on_link_drop (SeqDiagReplay *r, const Kept *k)
{
  if (!seqdiag_segment_in_flight (r->diag, k->seg.uid)
      && !add_segment (r, k))
    return;
  seqdiag_segment_dropped (r->diag, k->seg.uid, k->at_ns, k->reason);
}

const SeqDiag *
seqdiag_replay_finish (SeqDiagReplay *r)
{
  g_return_val_if_fail (r != NULL, NULL);

  if (r->built)
    return r->diag;
  r->built = TRUE;
  if (!r->identified)
    return r->diag;
  identify (r);
  for (guint i = 0; i < r->kept->len; i++)
    {
      const Kept *k = &g_array_index (r->kept, Kept, i);

      switch (k->kind)
        {
        case TRACE_KIND_LINK_TX:
          add_segment (r, k);
          break;
        case TRACE_KIND_LINK_RX:
          on_link_rx (r, k);
          break;
        case TRACE_KIND_LINK_DROP:
          on_link_drop (r, k);
          break;
        case TRACE_KIND_NODE_DROP:
          seqdiag_segment_dropped (r->diag, k->seg.uid, k->at_ns, k->reason);
          break;
        case TRACE_KIND_TCP_STATE:
          if (!r->finished)
            add_state (r, k->at_ns, k->side, k->state_from, k->state_to);
          break;
        case TRACE_KIND_OTHER:
        case TRACE_KIND_TCP_TIMER:
        case TRACE_KIND_TCP_VARS:
        case TRACE_KIND_TCP_EVENT:
        case TRACE_KIND_TCP_CONN:
        case TRACE_KIND_APP_EVENT:
        case TRACE_N_KINDS:
        default:
          g_assert_not_reached ();
        }
    }
  g_array_set_size (r->kept, 0);
  return r->diag;
}

/* trace_reader.c: trace.jsonl lines -> TraceRecord -> sinks.
 *
 * trace_reader_read_file() reads the file in blocks and cuts lines;
 * trace_reader_feed_line() parses one with a reused JsonParser, then
 * decode_record() picks the kind from "ev" and decodes its fields
 * (decode_packet(), decode_state(), ...), and every sink gets the
 * record.  trace_reader_record() is the live path: the record is
 * formatted by sim_trace_record_to_json(), the function trace_jsonl.c
 * writes the file with, and fed as a line.
 *
 * Fields the views need are required, so that a truncated or foreign
 * file fails with its line number rather than drawing nonsense; optional
 * fields (options, arrive_ns, rtt_sample_ns) take their documented
 * defaults, and unknown kinds and fields are passed through untouched,
 * as docs/trace-format.md asks of readers.
 */
#include "plots/trace_reader.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (trace-reader-error-quark, trace_reader_error)

#define READ_BLOCK_BYTES (256u * 1024u)

typedef struct {
  TraceRecordFn fn;
  void *data;
} Sink;

struct TraceReader {
  JsonParser *parser;
  GArray *sinks;                /* Sink, in the order added */
  GString *live_line;           /* trace_reader_record()'s buffer */
  GError *live_error;           /* its first error */
  GHashTable *skipped;          /* set of kind names (owned) */
  guint64 n_records;
  SimTime last_ns;
  SimTime conn_ns;              /* -1: no tcp.conn seen */
};

static const char *const kind_names[TRACE_N_KINDS] = {
  [TRACE_KIND_OTHER] = "other",
  [TRACE_KIND_LINK_TX] = "link.tx",
  [TRACE_KIND_LINK_RX] = "link.rx",
  [TRACE_KIND_LINK_DROP] = "link.drop",
  [TRACE_KIND_NODE_DROP] = "node.drop",
  [TRACE_KIND_TCP_STATE] = "tcp.state",
  [TRACE_KIND_TCP_TIMER] = "tcp.timer",
  [TRACE_KIND_TCP_VARS] = "tcp.vars",
  [TRACE_KIND_TCP_EVENT] = "tcp.event",
  [TRACE_KIND_TCP_CONN] = "tcp.conn",
  [TRACE_KIND_APP_EVENT] = "app.event",
};

const char *
trace_kind_name (TraceKind kind)
{
  g_return_val_if_fail ((guint) kind < TRACE_N_KINDS, "?");
  return kind_names[kind];
}

TraceReader *
trace_reader_new (void)
{
  TraceReader *r = g_new0 (TraceReader, 1);

  r->parser = json_parser_new ();
  r->sinks = g_array_new (FALSE, FALSE, sizeof (Sink));
  r->live_line = g_string_new (NULL);
  r->skipped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->conn_ns = -1;
  return r;
}

void
trace_reader_free (TraceReader *r)
{
  if (r == NULL)
    return;
  g_object_unref (r->parser);
  g_array_unref (r->sinks);
  g_string_free (r->live_line, TRUE);
  g_clear_error (&r->live_error);
  g_hash_table_unref (r->skipped);
  g_free (r);
}

void
trace_reader_add_sink (TraceReader *r, TraceRecordFn fn, void *data)
{
  Sink sink = { fn, data };

  g_return_if_fail (r != NULL);
  g_return_if_fail (fn != NULL);
  g_array_append_val (r->sinks, sink);
}

void
trace_reader_skip_kind (TraceReader *r, const char *ev)
{
  g_return_if_fail (r != NULL);
  g_return_if_fail (ev != NULL);

  if (strcmp (ev, kind_names[TRACE_KIND_TCP_CONN]) != 0)
    g_hash_table_add (r->skipped, g_strdup (ev));
}

/* Whether @line (of @len bytes) is a record of a skipped kind, read from
 * its first bytes as trace_jsonl.c writes them; sets @t_ns then. */
static gboolean
skip_line (TraceReader *r, const char *line, gsize len, SimTime *t_ns)
{
  static const char head[] = "{\"t_ns\":";
  static const char ev[] = ",\"ev\":\"";
  char name[64];
  const char *p = line + strlen (head);
  const char *end = line + len;
  const char *q;
  gint64 t = 0;

  if (g_hash_table_size (r->skipped) == 0 || len < strlen (head)
      || memcmp (line, head, strlen (head)) != 0)
    return FALSE;
  for (q = p; q < end && g_ascii_isdigit (*q) && q - p < 18; q++)
    t = t * 10 + (*q - '0');
  if (q == p || (gsize) (end - q) < strlen (ev)
      || memcmp (q, ev, strlen (ev)) != 0)
    return FALSE;
  p = q + strlen (ev);
  q = memchr (p, '"', end - p);
  if (q == NULL || (gsize) (q - p) >= sizeof name)
    return FALSE;
  memcpy (name, p, q - p);
  name[q - p] = '\0';
  if (!g_hash_table_contains (r->skipped, name))
    return FALSE;
  *t_ns = t;
  return TRUE;
}

guint64
trace_reader_n_records (const TraceReader *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->n_records;
}

SimTime
trace_reader_end_ns (const TraceReader *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->conn_ns >= 0 ? r->conn_ns : r->last_ns;
}

/* Small parsers shared with the views. */

gboolean
trace_flags_parse (const char *text, guint8 *flags)
{
  guint8 bits = 0;

  g_return_val_if_fail (text != NULL && flags != NULL, FALSE);
  if (strcmp (text, "-") == 0)
    {
      *flags = 0;
      return TRUE;
    }
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case 'F': bits |= TCP_FIN; break;
      case 'S': bits |= TCP_SYN; break;
      case 'R': bits |= TCP_RST; break;
      case 'P': bits |= TCP_PSH; break;
      case '.': bits |= TCP_ACK; break;
      case 'U': bits |= TCP_URG; break;
      case 'E': bits |= TCP_ECE; break;
      case 'W': bits |= TCP_CWR; break;
      default:
        return FALSE;
      }
  *flags = bits;
  return TRUE;
}

gboolean
trace_addr_port_parse (const char *text, Ipv4Addr *addr, guint16 *port)
{
  const char *colon;
  g_autofree char *host = NULL;
  guint64 value;
  char *end;

  g_return_val_if_fail (text != NULL, FALSE);
  colon = strrchr (text, ':');
  if (colon == NULL || colon[1] == '\0' || !g_ascii_isdigit (colon[1]))
    return FALSE;
  value = g_ascii_strtoull (colon + 1, &end, 10);
  if (*end != '\0' || value > G_MAXUINT16)
    return FALSE;
  host = g_strndup (text, colon - text);
  if (!ipv4_addr_parse (host, addr))
    return FALSE;
  *port = (guint16) value;
  return TRUE;
}

gboolean
trace_dir_split (const char *dir, char **from, char **to)
{
  const char *gt;

  g_return_val_if_fail (dir != NULL, FALSE);
  gt = strchr (dir, '>');
  if (gt == NULL)
    return FALSE;
  if (from != NULL)
    *from = g_strndup (dir, gt - dir);
  if (to != NULL)
    *to = g_strdup (gt + 1);
  return TRUE;
}

/* Field access.  Each getter of a required field sets the error when the
 * member is missing or of another type, naming the field. */

static gboolean
field_error (GError **error, const char *name, const char *expected)
{
  g_set_error (error, TRACE_READER_ERROR, TRACE_READER_ERROR_FIELD,
               "field '%s': expected %s", name, expected);
  return FALSE;
}

static gboolean
is_int_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
get_int (JsonObject *o, const char *name, gint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (!is_int_node (node))
    return field_error (error, name, "an integer");
  *out = json_node_get_int (node);
  return TRUE;
}

/* Required, in [0, @max]. */
static gboolean
get_uint (JsonObject *o, const char *name, guint64 max, guint64 *out,
          GError **error)
{
  gint64 value;

  if (!get_int (o, name, &value, error))
    return FALSE;
  if (value < 0 || (guint64) value > max)
    return field_error (error, name, "a non-negative integer in range");
  *out = (guint64) value;
  return TRUE;
}

/* Optional: @fallback when absent or null. */
static gboolean
get_int_opt (JsonObject *o, const char *name, gint64 fallback, gint64 *out,
             GError **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = fallback;
      return TRUE;
    }
  return get_int (o, name, out, error);
}

/* Required string; with @nullable, null gives NULL. */
static gboolean
get_str (JsonObject *o, const char *name, gboolean nullable,
         const char **out, GError **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (nullable && node != NULL && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return field_error (error, name, nullable ? "a string or null"
                                              : "a string");
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_bool (JsonObject *o, const char *name, gboolean *out, GError **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return field_error (error, name, "true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

#define U32 G_MAXUINT32
#define U16 G_MAXUINT16

static gboolean
decode_sack (JsonObject *o, TraceSegment *seg, GError **error)
{
  JsonNode *node = json_object_get_member (o, "sack");
  JsonArray *blocks;

  seg->n_sack = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, "sack", "an array of [start,end] pairs");
  blocks = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonNode *b = json_array_get_element (blocks, i);
      JsonArray *pair;

      if (!JSON_NODE_HOLDS_ARRAY (b)
          || json_array_get_length (pair = json_node_get_array (b)) != 2
          || !is_int_node (json_array_get_element (pair, 0))
          || !is_int_node (json_array_get_element (pair, 1)))
        return field_error (error, "sack", "an array of [start,end] pairs");
      /* A TCP header holds at most four blocks (RFC 2018 3); more could
       * only come from a foreign writer, and the first ones matter most. */
      if (seg->n_sack == TRACE_MAX_SACK_BLOCKS)
        continue;
      seg->sack[seg->n_sack][0] =
        (guint32) json_node_get_int (json_array_get_element (pair, 0));
      seg->sack[seg->n_sack][1] =
        (guint32) json_node_get_int (json_array_get_element (pair, 1));
      seg->n_sack++;
    }
  return TRUE;
}

static gboolean
decode_segment (JsonObject *o, TraceSegment *seg, GError **error)
{
  const char *text;
  guint64 v;
  gint64 opt;

  memset (seg, 0, sizeof *seg);
  seg->wscale = -1;
  if (!get_uint (o, "uid", G_MAXINT64, &seg->uid, error)
      || !get_uint (o, "bytes", U32, &v, error))
    return FALSE;
  seg->ip_bytes = (guint32) v;
  /* Not TCP, or not parseable: the writer gives only uid and bytes. */
  if (!json_object_has_member (o, "src"))
    return TRUE;
  seg->tcp = TRUE;
  if (!get_str (o, "src", FALSE, &text, error))
    return FALSE;
  if (!trace_addr_port_parse (text, &seg->src, &seg->sport))
    return field_error (error, "src", "\"A.B.C.D:PORT\"");
  if (!get_str (o, "dst", FALSE, &text, error))
    return FALSE;
  if (!trace_addr_port_parse (text, &seg->dst, &seg->dport))
    return field_error (error, "dst", "\"A.B.C.D:PORT\"");
  if (!get_str (o, "flags", FALSE, &text, error))
    return FALSE;
  if (!trace_flags_parse (text, &seg->flags))
    return field_error (error, "flags", "tcpdump's flag letters");

#define GET_U(name, max, field)                         \
  do {                                                  \
    if (!get_uint (o, name, max, &v, error))            \
      return FALSE;                                     \
    field = v;                                          \
  } while (0)
  GET_U ("seq", U32, seg->seq);
  GET_U ("ack", U32, seg->ack);
  GET_U ("rel_seq", U32, seg->rel_seq);
  GET_U ("rel_ack", U32, seg->rel_ack);
  GET_U ("len", U32, seg->len_bytes);
  GET_U ("win", U16, seg->win);
  GET_U ("hlen", 60, seg->hlen_bytes);
#undef GET_U

  if (!get_int_opt (o, "mss", 0, &opt, error))
    return FALSE;
  seg->mss_bytes = (guint16) CLAMP (opt, 0, U16);
  if (!get_int_opt (o, "wscale", -1, &opt, error))
    return FALSE;
  seg->wscale = (gint8) CLAMP (opt, -1, 14);
  seg->sack_ok = json_object_has_member (o, "sack_ok");
  if (seg->sack_ok && !get_bool (o, "sack_ok", &seg->sack_ok, error))
    return FALSE;
  seg->timestamps = json_object_has_member (o, "tsval");
  if (seg->timestamps)
    {
      if (!get_uint (o, "tsval", U32, &v, error))
        return FALSE;
      seg->tsval = (guint32) v;
      if (!get_uint (o, "tsecr", U32, &v, error))
        return FALSE;
      seg->tsecr = (guint32) v;
    }
  return decode_sack (o, seg, error);
}

static gboolean
decode_packet (JsonObject *o, TraceKind kind, TracePacket *p,
               GError **error)
{
  memset (p, 0, sizeof *p);
  if (kind == TRACE_KIND_NODE_DROP)
    {
      if (!get_str (o, "node", FALSE, &p->node, error))
        return FALSE;
    }
  else if (!get_str (o, "link", FALSE, &p->link, error)
           || !get_str (o, "dir", FALSE, &p->dir, error))
    return FALSE;
  if (kind == TRACE_KIND_LINK_DROP || kind == TRACE_KIND_NODE_DROP)
    {
      if (!get_str (o, "reason", FALSE, &p->reason, error))
        return FALSE;
    }
  if (!get_int_opt (o, "arrive_ns", -1, &p->arrive_ns, error)
      || !get_int_opt (o, "queue_pkts", -1, &p->queue_pkts, error))
    return FALSE;
  if (p->dir != NULL && strchr (p->dir, '>') == NULL)
    return field_error (error, "dir", "\"from>to\"");
  return decode_segment (o, &p->seg, error);
}

static gboolean
decode_vars (JsonObject *o, TcpTraceVars *v, GError **error)
{
  guint64 u;

  memset (v, 0, sizeof *v);
  if (!get_str (o, "host", FALSE, &v->host, error)
      || !get_str (o, "conn", FALSE, &v->conn, error))
    return FALSE;
#define GET_U(name, field)                                      \
  do {                                                          \
    if (!get_uint (o, name, G_MAXINT64, &u, error))             \
      return FALSE;                                             \
    field = u;                                                  \
  } while (0)
  GET_U ("cwnd_bytes", v->cwnd_bytes);
  GET_U ("ssthresh_bytes", v->ssthresh_bytes);
  GET_U ("rwnd_bytes", v->rwnd_bytes);
  GET_U ("flight_bytes", v->flight_bytes);
#undef GET_U
  return get_int (o, "srtt_ns", &v->srtt_ns, error)
         && get_int (o, "rttvar_ns", &v->rttvar_ns, error)
         && get_int (o, "rto_ns", &v->rto_ns, error)
         && get_int_opt (o, "rtt_sample_ns", -1, &v->rtt_sample_ns, error);
}

static gboolean
decode_event (JsonObject *o, TcpTraceEvent *e, GError **error)
{
  guint64 u;

  memset (e, 0, sizeof *e);
  if (!get_str (o, "host", FALSE, &e->host, error)
      || !get_str (o, "conn", TRUE, &e->conn, error)
      || !get_str (o, "what", FALSE, &e->what, error)
      || !get_str (o, "reason", TRUE, &e->reason, error)
      || !get_uint (o, "rel_seq", U32, &u, error))
    return FALSE;
  e->rel_seq = (guint32) u;
  if (!get_uint (o, "len", U32, &u, error))
    return FALSE;
  e->len_bytes = (guint32) u;
  return TRUE;
}

static gboolean
close_reason_parse (const char *name, TcpCloseReason *out)
{
  for (TcpCloseReason r = TCP_CLOSE_NORMAL; r <= TCP_CLOSE_ABORTED; r++)
    if (strcmp (name, tcp_close_reason_name (r)) == 0)
      {
        *out = r;
        return TRUE;
      }
  return FALSE;
}

static gboolean
decode_conn (JsonObject *o, TcpConnStats *s, GError **error)
{
  const char *name;
  const char *text;
  guint64 u;

  memset (s, 0, sizeof *s);
  if (!get_str (o, "host", FALSE, &s->host, error)
      || !get_str (o, "conn", FALSE, &name, error)
      || !get_bool (o, "active_open", &s->active_open, error)
      || !get_int (o, "open_ns", &s->open_ns, error)
      || !get_int (o, "established_ns", &s->established_ns, error)
      || !get_int (o, "closed_ns", &s->closed_ns, error)
      || !get_int (o, "last_delivery_ns", &s->last_delivery_ns, error))
    return FALSE;
  g_strlcpy (s->name, name, sizeof s->name);
#define GET_U(field)                                            \
  do {                                                          \
    if (!get_uint (o, #field, G_MAXINT64, &u, error))           \
      return FALSE;                                             \
    s->field = u;                                               \
  } while (0)
  GET_U (bytes_sent);
  GET_U (bytes_acked);
  GET_U (bytes_received);
  GET_U (segs_sent);
  GET_U (segs_received);
  GET_U (data_segs_sent);
  GET_U (retransmits);
  GET_U (retransmit_bytes);
  GET_U (timeouts);
  GET_U (fast_retransmits);
  GET_U (dup_acks_received);
  GET_U (drops_checksum);
  GET_U (drops_out_of_window);
#undef GET_U
  if (!get_str (o, "final_state", FALSE, &text, error))
    return FALSE;
  if (!tcp_state_from_name (text, &s->final_state))
    return field_error (error, "final_state", "a TCP state name");
  if (!get_bool (o, "closed", &s->closed, error)
      || !get_str (o, "close_reason", TRUE, &text, error))
    return FALSE;
  s->close_reason = TCP_CLOSE_NORMAL;
  if (text != NULL && !close_reason_parse (text, &s->close_reason))
    return field_error (error, "close_reason", "a close reason or null");
  return TRUE;
}

static gboolean
decode_app (JsonObject *o, AppTraceEvent *a, GError **error)
{
  guint64 u;

  memset (a, 0, sizeof *a);
  if (!get_str (o, "app", FALSE, &a->app, error)
      || !get_str (o, "side", FALSE, &a->side, error)
      || !get_str (o, "what", FALSE, &a->what, error)
      || !get_uint (o, "bytes", G_MAXINT64, &u, error))
    return FALSE;
  a->bytes = u;
  /* "conn" is optional and, when present, a string. */
  if (json_object_has_member (o, "conn")
      && !get_str (o, "conn", FALSE, &a->conn, error))
    return FALSE;
  return TRUE;
}

static TraceKind
kind_from_name (const char *ev)
{
  for (guint k = TRACE_KIND_OTHER + 1; k < TRACE_N_KINDS; k++)
    if (strcmp (ev, kind_names[k]) == 0)
      return (TraceKind) k;
  return TRACE_KIND_OTHER;
}

static gboolean
decode_record (JsonObject *o, TraceRecord *rec, GError **error)
{
  memset (rec, 0, sizeof *rec);
  rec->object = o;
  if (!get_int (o, "t_ns", &rec->t_ns, error)
      || !get_str (o, "ev", FALSE, &rec->ev, error))
    return FALSE;
  if (rec->t_ns < 0)
    return field_error (error, "t_ns", "a time of at least 0");
  rec->kind = kind_from_name (rec->ev);
  switch (rec->kind)
    {
    case TRACE_KIND_OTHER:
      return TRUE;
    case TRACE_KIND_LINK_TX:
    case TRACE_KIND_LINK_RX:
    case TRACE_KIND_LINK_DROP:
    case TRACE_KIND_NODE_DROP:
      return decode_packet (o, rec->kind, &rec->packet, error);
    case TRACE_KIND_TCP_STATE:
      return get_str (o, "host", FALSE, &rec->state.host, error)
             && get_str (o, "conn", FALSE, &rec->state.conn, error)
             && get_str (o, "from", FALSE, &rec->state.from, error)
             && get_str (o, "to", FALSE, &rec->state.to, error);
    case TRACE_KIND_TCP_TIMER:
      return get_str (o, "host", FALSE, &rec->timer.host, error)
             && get_str (o, "conn", FALSE, &rec->timer.conn, error)
             && get_str (o, "timer", FALSE, &rec->timer.timer, error)
             && get_str (o, "action", FALSE, &rec->timer.action, error)
             && get_int_opt (o, "deadline_ns", -1, &rec->timer.deadline_ns,
                             error);
    case TRACE_KIND_TCP_VARS:
      return decode_vars (o, &rec->vars, error);
    case TRACE_KIND_TCP_EVENT:
      return decode_event (o, &rec->event, error);
    case TRACE_KIND_TCP_CONN:
      return decode_conn (o, &rec->conn, error);
    case TRACE_KIND_APP_EVENT:
      return decode_app (o, &rec->app, error);
    case TRACE_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

gboolean
trace_reader_feed_line (TraceReader *r, const char *line, gssize len_bytes,
                        GError **error)
{
  TraceRecord rec;
  JsonNode *root;
  gsize len;

  g_return_val_if_fail (r != NULL, FALSE);
  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = len_bytes < 0 ? strlen (line) : (gsize) len_bytes;
  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  if (len == 0)
    return TRUE;
  if (skip_line (r, line, len, &rec.t_ns))
    {
      r->n_records++;
      r->last_ns = rec.t_ns;
      return TRUE;
    }
  if (!json_parser_load_from_data (r->parser, line, (gssize) len, error))
    return FALSE;
  root = json_parser_get_root (r->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TRACE_READER_ERROR, TRACE_READER_ERROR_PARSE,
                   "not a JSON object");
      return FALSE;
    }
  if (!decode_record (json_node_get_object (root), &rec, error))
    return FALSE;

  r->n_records++;
  r->last_ns = rec.t_ns;
  if (rec.kind == TRACE_KIND_TCP_CONN)
    r->conn_ns = rec.t_ns;
  for (guint i = 0; i < r->sinks->len; i++)
    {
      const Sink *sink = &g_array_index (r->sinks, Sink, i);

      sink->fn (&rec, sink->data);
    }
  return TRUE;
}

gboolean
trace_reader_read_file (TraceReader *r, const char *path, GError **error)
{
  g_autoptr (GString) pending = g_string_new (NULL);
  g_autofree char *block = NULL;
  guint64 line_no = 0;
  FILE *file;
  gboolean ok = TRUE;
  size_t n;

  g_return_val_if_fail (r != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = g_fopen (path, "rb");
  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot open %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  block = g_malloc (READ_BLOCK_BYTES);
  /* Lines are cut in the block where possible; only a line that spans two
   * blocks is copied into @pending. */
  while (ok && (n = fread (block, 1, READ_BLOCK_BYTES, file)) > 0)
    {
      const char *p = block;
      const char *end = block + n;

      while (ok && p < end)
        {
          const char *nl = memchr (p, '\n', end - p);
          GError *local = NULL;

          if (nl == NULL)
            {
              g_string_append_len (pending, p, end - p);
              break;
            }
          line_no++;
          if (pending->len > 0)
            {
              g_string_append_len (pending, p, nl - p);
              ok = trace_reader_feed_line (r, pending->str, pending->len,
                                           &local);
              g_string_truncate (pending, 0);
            }
          else
            ok = trace_reader_feed_line (r, p, nl - p, &local);
          if (!ok)
            g_propagate_prefixed_error (error, local,
                                        "%s:%" G_GUINT64_FORMAT ": ", path,
                                        line_no);
          p = nl + 1;
        }
    }
  if (ok && ferror (file))
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot read %s: %s", path, g_strerror (saved_errno));
      ok = FALSE;
    }
  /* The writer ends every line with '\n'; a last line without one is
   * still read, as a file cut short by a crash would end. */
  if (ok && pending->len > 0)
    {
      GError *local = NULL;

      line_no++;
      ok = trace_reader_feed_line (r, pending->str, pending->len, &local);
      if (!ok)
        g_propagate_prefixed_error (error, local,
                                    "%s:%" G_GUINT64_FORMAT ": ", path,
                                    line_no);
    }
  fclose (file);
  return ok;
}

void
trace_reader_record (const SimTraceRecord *rec, void *data)
{
  TraceReader *r = data;

  if (r->live_error != NULL)
    return;
  g_string_truncate (r->live_line, 0);
  sim_trace_record_to_json (rec, r->live_line);
  if (!trace_reader_feed_line (r, r->live_line->str, r->live_line->len,
                               &r->live_error))
    g_prefix_error (&r->live_error, "%s record at %" G_GINT64_FORMAT " ns: ",
                    rec->kind->name, rec->at_ns);
}

GError *
trace_reader_take_error (TraceReader *r)
{
  g_return_val_if_fail (r != NULL, NULL);
  return g_steal_pointer (&r->live_error);
}

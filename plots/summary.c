/* summary.c: per-connection figures, as a terminal table and as JSON.
 *
 * summary_record() copies each tcp.conn body (it is valid only during
 * delivery) and folds app.event records into per-app counts and a
 * connection -> app map.  summary_format_table() and summary_to_json()
 * read the same copies, so the terminal and summary.json always agree.
 */
#include "plots/summary.h"

#include <math.h>
#include <string.h>

typedef struct {
  TcpConnStats stats;           /* .host points to host below */
  char *host;
} ConnEntry;

typedef struct {
  char *side;
  char *what;
  guint64 count;
  guint64 bytes;
  SimTime first_ns;
  SimTime last_ns;
} AppEventCount;

typedef struct {
  char *name;
  GPtrArray *events;            /* AppEventCount, by first appearance */
} AppEntry;

struct Summary {
  GPtrArray *conns;             /* ConnEntry, in report order */
  GPtrArray *apps;              /* AppEntry, by first appearance */
  GHashTable *conn_app;         /* conn name -> app name (lookup only) */
};

static void
conn_entry_free (gpointer p)
{
  ConnEntry *e = p;

  g_free (e->host);
  g_free (e);
}

static void
app_event_count_free (gpointer p)
{
  AppEventCount *a = p;

  g_free (a->side);
  g_free (a->what);
  g_free (a);
}

static void
app_entry_free (gpointer p)
{
  AppEntry *a = p;

  g_free (a->name);
  g_ptr_array_unref (a->events);
  g_free (a);
}

Summary *
summary_new (void)
{
  Summary *s = g_new0 (Summary, 1);

  s->conns = g_ptr_array_new_with_free_func (conn_entry_free);
  s->apps = g_ptr_array_new_with_free_func (app_entry_free);
  s->conn_app = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       g_free);
  return s;
}

void
summary_free (Summary *s)
{
  if (s == NULL)
    return;
  g_ptr_array_unref (s->conns);
  g_ptr_array_unref (s->apps);
  g_hash_table_unref (s->conn_app);
  g_free (s);
}

void
summary_add_conn (Summary *s, const TcpConnStats *stats)
{
  ConnEntry *e;

  g_return_if_fail (s != NULL);
  g_return_if_fail (stats != NULL);

  e = g_new0 (ConnEntry, 1);
  e->stats = *stats;
  e->stats.name[sizeof e->stats.name - 1] = '\0';
  e->host = g_strdup (stats->host != NULL ? stats->host : "");
  e->stats.host = e->host;
  g_ptr_array_add (s->conns, e);
}

static AppEntry *
find_app (Summary *s, const char *name)
{
  AppEntry *a;

  for (guint i = 0; i < s->apps->len; i++)
    {
      a = s->apps->pdata[i];
      if (strcmp (a->name, name) == 0)
        return a;
    }
  a = g_new0 (AppEntry, 1);
  a->name = g_strdup (name);
  a->events = g_ptr_array_new_with_free_func (app_event_count_free);
  g_ptr_array_add (s->apps, a);
  return a;
}

void
summary_add_app_event (Summary *s, SimTime at_ns, const AppTraceEvent *ev)
{
  const char *side;
  const char *what;
  AppEntry *app;
  AppEventCount *count = NULL;

  g_return_if_fail (s != NULL);
  g_return_if_fail (ev != NULL && ev->app != NULL);

  side = ev->side != NULL ? ev->side : "";
  what = ev->what != NULL ? ev->what : "";
  app = find_app (s, ev->app);
  for (guint i = 0; i < app->events->len && count == NULL; i++)
    {
      AppEventCount *c = app->events->pdata[i];

      if (strcmp (c->side, side) == 0 && strcmp (c->what, what) == 0)
        count = c;
    }
  if (count == NULL)
    {
      count = g_new0 (AppEventCount, 1);
      count->side = g_strdup (side);
      count->what = g_strdup (what);
      count->first_ns = at_ns;
      g_ptr_array_add (app->events, count);
    }
  count->count++;
  count->bytes += ev->bytes;
  count->last_ns = at_ns;

  if (ev->conn != NULL && !g_hash_table_contains (s->conn_app, ev->conn))
    g_hash_table_insert (s->conn_app, g_strdup (ev->conn),
                         g_strdup (ev->app));
}

void
summary_record (const SimTraceRecord *rec, void *data)
{
  Summary *s = data;

  if (rec->kind == &tcp_trace_conn)
    summary_add_conn (s, rec->body);
  else if (rec->kind == &app_trace_event)
    summary_add_app_event (s, rec->at_ns, rec->body);
}

guint
summary_n_conns (const Summary *s)
{
  g_return_val_if_fail (s != NULL, 0);
  return s->conns->len;
}

double
summary_goodput_bps (const TcpConnStats *stats)
{
  SimTime span_ns = stats->last_delivery_ns - stats->open_ns;

  if (stats->bytes_received == 0 || span_ns <= 0)
    return -1.0;
  return (double) stats->bytes_received * 8.0 * 1e9 / (double) span_ns;
}

void
summary_format_rate (double bps, char buf[SUMMARY_STR_BYTES])
{
  static const char *const units[] = {
    "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s",
  };
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  guint unit = 0;
  double value;
  const char *format;

  if (!(bps >= 0.0) || !isfinite (bps))
    {
      g_strlcpy (buf, "-", SUMMARY_STR_BYTES);
      return;
    }
  /* Round to three significant digits first, so that 999.7 bit/s moves
   * up to "1.00 kbit/s" instead of printing as "1000 bit/s". */
  value = bps;
  for (;;)
    {
      if (value < 9.995)
        format = "%.2f";
      else if (value < 99.95)
        format = "%.1f";
      else
        format = "%.0f";
      if (value < 999.5 || unit == G_N_ELEMENTS (units) - 1)
        break;
      value /= 1000.0;
      unit++;
    }
  /* A bit is whole: plain bit/s never shows decimals. */
  if (unit == 0)
    format = "%.0f";
  g_ascii_formatd (num, sizeof num, format, value);
  g_snprintf (buf, SUMMARY_STR_BYTES, "%s %s", num, units[unit]);
}

void
summary_format_duration (SimTime ns, char buf[SUMMARY_STR_BYTES])
{
  static const struct {
    const char *name;
    gint64 ns;
  } units[] = {
    { "s", 1000000000 }, { "ms", 1000000 }, { "us", 1000 },
  };

  if (ns < 0)
    {
      g_strlcpy (buf, "-", SUMMARY_STR_BYTES);
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (ns < units[i].ns)
        continue;
      g_snprintf (buf, SUMMARY_STR_BYTES,
                  "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT " %s",
                  ns / units[i].ns, ns % units[i].ns * 1000 / units[i].ns,
                  units[i].name);
      return;
    }
  g_snprintf (buf, SUMMARY_STR_BYTES, "%" G_GINT64_FORMAT " ns", ns);
}

static SimTime
conn_duration_ns (const TcpConnStats *st, SimTime end_ns)
{
  SimTime until = st->closed ? st->closed_ns : end_ns;

  return until >= st->open_ns ? until - st->open_ns : -1;
}

static char *
final_state_text (const TcpConnStats *st)
{
  if (st->closed && st->close_reason != TCP_CLOSE_NORMAL)
    return g_strdup_printf ("%s (%s)", tcp_state_name (st->final_state),
                            tcp_close_reason_name (st->close_reason));
  return g_strdup (tcp_state_name (st->final_state));
}

/* A text table: columns sized to their widest cell, two blanks apart. */
typedef enum {
  ALIGN_LEFT,
  ALIGN_RIGHT,
} Align;

typedef struct {
  const char *title;
  Align align;
} Column;

static const Column columns[] = {
  { "connection", ALIGN_LEFT },
  { "host", ALIGN_LEFT },
  { "sent B", ALIGN_RIGHT },
  { "recv B", ALIGN_RIGHT },
  { "duration", ALIGN_RIGHT },
  { "goodput", ALIGN_RIGHT },
  { "segs out/in", ALIGN_RIGHT },
  { "rexmit", ALIGN_RIGHT },
  { "rto", ALIGN_RIGHT },
  { "fast", ALIGN_RIGHT },
  { "state", ALIGN_LEFT },
};
#define N_COLUMNS G_N_ELEMENTS (columns)

static const char legend[] =
  "sent/recv: application bytes; goodput: bytes received x 8 / (last "
  "delivery - open);\nrexmit: segments retransmitted; rto: retransmission "
  "timeouts; fast: fast retransmits\n";

static void
add_row (GPtrArray *rows, char **cells)
{
  g_ptr_array_add (rows, cells);
}

static char **
conn_row (const TcpConnStats *st, SimTime end_ns)
{
  char duration[SUMMARY_STR_BYTES];
  char rate[SUMMARY_STR_BYTES];
  char **cells = g_new0 (char *, N_COLUMNS + 1);

  summary_format_duration (conn_duration_ns (st, end_ns), duration);
  summary_format_rate (summary_goodput_bps (st), rate);
  cells[0] = g_strdup (st->name);
  cells[1] = g_strdup (st->host);
  cells[2] = g_strdup_printf ("%" G_GUINT64_FORMAT, st->bytes_sent);
  cells[3] = g_strdup_printf ("%" G_GUINT64_FORMAT, st->bytes_received);
  cells[4] = g_strdup (duration);
  cells[5] = g_strdup (rate);
  cells[6] = g_strdup_printf ("%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
                              st->segs_sent, st->segs_received);
  cells[7] = g_strdup_printf ("%" G_GUINT64_FORMAT, st->retransmits);
  cells[8] = g_strdup_printf ("%" G_GUINT64_FORMAT, st->timeouts);
  cells[9] = g_strdup_printf ("%" G_GUINT64_FORMAT, st->fast_retransmits);
  cells[10] = final_state_text (st);
  return cells;
}

typedef struct {
  guint n_conns;
  guint64 bytes_sent;
  guint64 bytes_received;
  guint64 segs_sent;
  guint64 segs_received;
  guint64 retransmits;
  guint64 timeouts;
  guint64 fast_retransmits;
} Totals;

static void
sum_totals (const Summary *s, Totals *t)
{
  memset (t, 0, sizeof *t);
  for (guint i = 0; i < s->conns->len; i++)
    {
      const TcpConnStats *st = &((ConnEntry *) s->conns->pdata[i])->stats;

      t->n_conns++;
      t->bytes_sent += st->bytes_sent;
      t->bytes_received += st->bytes_received;
      t->segs_sent += st->segs_sent;
      t->segs_received += st->segs_received;
      t->retransmits += st->retransmits;
      t->timeouts += st->timeouts;
      t->fast_retransmits += st->fast_retransmits;
    }
}

static char **
totals_row (const Totals *t)
{
  char **cells = g_new0 (char *, N_COLUMNS + 1);

  cells[0] = g_strdup_printf ("total, %u endpoints", t->n_conns);
  cells[1] = g_strdup ("");
  cells[2] = g_strdup_printf ("%" G_GUINT64_FORMAT, t->bytes_sent);
  cells[3] = g_strdup_printf ("%" G_GUINT64_FORMAT, t->bytes_received);
  cells[4] = g_strdup ("");
  cells[5] = g_strdup ("");
  cells[6] = g_strdup_printf ("%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
                              t->segs_sent, t->segs_received);
  cells[7] = g_strdup_printf ("%" G_GUINT64_FORMAT, t->retransmits);
  cells[8] = g_strdup_printf ("%" G_GUINT64_FORMAT, t->timeouts);
  cells[9] = g_strdup_printf ("%" G_GUINT64_FORMAT, t->fast_retransmits);
  cells[10] = g_strdup ("");
  return cells;
}

static void
append_row (GString *out, char *const *cells, const guint *widths)
{
  gsize start = out->len;

  for (guint col = 0; col < N_COLUMNS; col++)
    {
      guint pad = widths[col] - (guint) g_utf8_strlen (cells[col], -1);

      if (col > 0)
        g_string_append (out, "  ");
      if (columns[col].align == ALIGN_RIGHT)
        g_string_append_printf (out, "%*s", (int) pad, "");
      g_string_append (out, cells[col]);
      if (columns[col].align == ALIGN_LEFT)
        g_string_append_printf (out, "%*s", (int) pad, "");
    }
  while (out->len > start && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

char *
summary_format_table (const Summary *s, SimTime end_ns, guint max_rows)
{
  g_autoptr (GPtrArray) rows = NULL;
  guint widths[N_COLUMNS];
  guint n_shown;
  GString *out;
  Totals totals;

  g_return_val_if_fail (s != NULL, NULL);

  if (s->conns->len == 0)
    return g_strdup ("");
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  n_shown = max_rows == 0 ? s->conns->len : MIN (max_rows, s->conns->len);
  for (guint i = 0; i < n_shown; i++)
    add_row (rows, conn_row (&((ConnEntry *) s->conns->pdata[i])->stats,
                             end_ns));
  sum_totals (s, &totals);
  if (s->conns->len > 1)
    add_row (rows, totals_row (&totals));

  for (guint col = 0; col < N_COLUMNS; col++)
    {
      widths[col] = (guint) strlen (columns[col].title);
      for (guint r = 0; r < rows->len; r++)
        {
          char **cells = rows->pdata[r];

          widths[col] = MAX (widths[col],
                             (guint) g_utf8_strlen (cells[col], -1));
        }
    }

  out = g_string_new (NULL);
  {
    char *titles[N_COLUMNS];

    for (guint col = 0; col < N_COLUMNS; col++)
      titles[col] = (char *) columns[col].title;
    append_row (out, titles, widths);
  }
  for (guint r = 0; r < n_shown; r++)
    append_row (out, rows->pdata[r], widths);
  if (n_shown < s->conns->len)
    g_string_append_printf (out, "%s %u more endpoints in summary.json\n",
                            "\xe2\x80\xa6", s->conns->len - n_shown);
  if (s->conns->len > 1)
    append_row (out, rows->pdata[rows->len - 1], widths);
  g_string_append (out, legend);
  return g_string_free (out, FALSE);
}

static void
add_time_or_null (JsonBuilder *b, const char *key, SimTime t_ns)
{
  json_builder_set_member_name (b, key);
  if (t_ns < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, t_ns);
}

static void
add_uint (JsonBuilder *b, const char *key, guint64 value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, (gint64) MIN (value, (guint64) G_MAXINT64));
}

static void
add_string_or_null (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  if (value == NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, value);
}

static void
build_conn (const Summary *s, JsonBuilder *b, const TcpConnStats *st,
            SimTime end_ns)
{
  double goodput = summary_goodput_bps (st);

  json_builder_begin_object (b);
  add_string_or_null (b, "conn", st->name);
  add_string_or_null (b, "host", st->host);
  add_string_or_null (b, "app", g_hash_table_lookup (s->conn_app, st->name));
  json_builder_set_member_name (b, "active_open");
  json_builder_add_boolean_value (b, st->active_open);
  add_time_or_null (b, "open_ns", st->open_ns);
  add_time_or_null (b, "established_ns", st->established_ns);
  add_time_or_null (b, "closed_ns", st->closed ? st->closed_ns : -1);
  add_time_or_null (b, "last_delivery_ns",
                    st->bytes_received > 0 ? st->last_delivery_ns : -1);
  add_time_or_null (b, "duration_ns", conn_duration_ns (st, end_ns));
  add_uint (b, "bytes_sent", st->bytes_sent);
  add_uint (b, "bytes_acked", st->bytes_acked);
  add_uint (b, "bytes_received", st->bytes_received);
  json_builder_set_member_name (b, "goodput_bps");
  /* Whole bits per second: exact enough, and printed the same way on
   * every machine, which a double need not be. */
  if (goodput < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, (gint64) floor (goodput));
  add_uint (b, "segs_sent", st->segs_sent);
  add_uint (b, "segs_received", st->segs_received);
  add_uint (b, "data_segs_sent", st->data_segs_sent);
  add_uint (b, "retransmits", st->retransmits);
  add_uint (b, "retransmit_bytes", st->retransmit_bytes);
  add_uint (b, "timeouts", st->timeouts);
  add_uint (b, "fast_retransmits", st->fast_retransmits);
  add_uint (b, "dup_acks_received", st->dup_acks_received);
  add_uint (b, "drops_checksum", st->drops_checksum);
  add_uint (b, "drops_out_of_window", st->drops_out_of_window);
  add_string_or_null (b, "final_state", tcp_state_name (st->final_state));
  add_string_or_null (b, "close_reason",
                      st->closed ? tcp_close_reason_name (st->close_reason)
                                 : NULL);
  json_builder_set_member_name (b, "closed");
  json_builder_add_boolean_value (b, st->closed);
  json_builder_end_object (b);
}

static void
build_totals (JsonBuilder *b, const Totals *t)
{
  json_builder_begin_object (b);
  add_uint (b, "endpoints", t->n_conns);
  add_uint (b, "bytes_sent", t->bytes_sent);
  add_uint (b, "bytes_received", t->bytes_received);
  add_uint (b, "segs_sent", t->segs_sent);
  add_uint (b, "segs_received", t->segs_received);
  add_uint (b, "retransmits", t->retransmits);
  add_uint (b, "timeouts", t->timeouts);
  add_uint (b, "fast_retransmits", t->fast_retransmits);
  json_builder_end_object (b);
}

static void
build_app (JsonBuilder *b, const AppEntry *app)
{
  json_builder_begin_object (b);
  add_string_or_null (b, "app", app->name);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = 0; i < app->events->len; i++)
    {
      const AppEventCount *c = app->events->pdata[i];

      json_builder_begin_object (b);
      add_string_or_null (b, "side", c->side);
      add_string_or_null (b, "what", c->what);
      add_uint (b, "count", c->count);
      add_uint (b, "bytes", c->bytes);
      add_time_or_null (b, "first_ns", c->first_ns);
      add_time_or_null (b, "last_ns", c->last_ns);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

JsonNode *
summary_to_json (const Summary *s, SimTime end_ns)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  Totals totals;

  g_return_val_if_fail (s != NULL, NULL);

  sum_totals (s, &totals);
  json_builder_begin_object (b);
  add_time_or_null (b, "end_ns", end_ns);
  json_builder_set_member_name (b, "connections");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->conns->len; i++)
    build_conn (s, b, &((ConnEntry *) s->conns->pdata[i])->stats, end_ns);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "totals");
  build_totals (b, &totals);
  json_builder_set_member_name (b, "apps");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->apps->len; i++)
    build_app (b, s->apps->pdata[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
summary_write_json (const Summary *s, SimTime end_ns, const char *path,
                    GError **error)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *with_newline = NULL;

  g_return_val_if_fail (s != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  root = summary_to_json (s, end_ns);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  text = json_generator_to_data (gen, NULL);
  with_newline = g_strconcat (text, "\n", NULL);
  return g_file_set_contents (path, with_newline, -1, error);
}

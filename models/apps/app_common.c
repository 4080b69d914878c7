/* app_common.c: the App component, the payload pattern and app traces. */
#include "models/apps/app_private.h"

#include "models/host.h"

#include <string.h>

const char *const app_closer_names[] = { "client", "server", "both", NULL };

static void
app_to_json (const void *body, GString *out)
{
  const AppTraceEvent *e = body;

  sim_json_append_string (out, "app", e->app);
  sim_json_append_string (out, "side", e->side);
  sim_json_append_string (out, "what", e->what);
  if (e->conn != NULL)
    sim_json_append_string (out, "conn", e->conn);
  sim_json_append_uint (out, "bytes", e->bytes);
}

const SimTraceKind app_trace_event = { "app.event", app_to_json };

static void
app_component_start (void *self, SimWorld *world)
{
  App *app = self;

  (void) world;
  if (app->start != NULL)
    app->start (app);
}

static void
app_component_free (void *self)
{
  App *app = self;

  if (app->free_priv != NULL)
    app->free_priv (app);
  g_free (app->name);
  g_free (app);
}

static const SimComponentOps app_component_ops = {
  "app", app_component_start, NULL, app_component_free,
};

App *
app__new (Network *net, const char *name, void (*start) (App *app),
          void (*free_priv) (App *app), void *priv)
{
  App *app = g_new0 (App, 1);

  app->net = net;
  app->name = g_strdup (name);
  app->start = start;
  app->free_priv = free_priv;
  app->priv = priv;
  app->stats.first_start_ns = -1;
  app->stats.last_done_ns = -1;
  sim_world_add_component (network_world (net), &app_component_ops, app);
  return app;
}

const char *
app_name (const App *app)
{
  return app->name;
}

const AppStats *
app_stats (const App *app)
{
  return &app->stats;
}

#define TABLE_TAIL_BYTES 65536u

const guint8 *
app_payload_table (void)
{
  static guint8 *table;

  if (g_once_init_enter (&table))
    {
      guint8 *t = g_malloc (APP_PAYLOAD_PERIOD_BYTES + TABLE_TAIL_BYTES);
      guint64 x = G_GUINT64_CONSTANT (0x853c49e6748fea9b);

      /* A fixed xorshift sequence: the pattern is part of the output
       * format (captures show it), so it never depends on a seed. */
      for (guint i = 0; i < APP_PAYLOAD_PERIOD_BYTES; i++)
        {
          x ^= x << 13;
          x ^= x >> 7;
          x ^= x << 17;
          t[i] = (guint8) (x >> 32);
        }
      /* Byte by byte, not memcpy: the tail is longer than the period, so
       * its last bytes repeat bytes of the tail itself. */
      for (guint i = 0; i < TABLE_TAIL_BYTES; i++)
        t[APP_PAYLOAD_PERIOD_BYTES + i] = t[i];
      g_once_init_leave (&table, t);
    }
  return table;
}

void
app_payload_fill (guint64 offset, guint8 *buf, gsize len_bytes)
{
  const guint8 *t = app_payload_table ();

  while (len_bytes > 0)
    {
      gsize start = (gsize) (offset % APP_PAYLOAD_PERIOD_BYTES);
      gsize n = MIN (len_bytes, (gsize) TABLE_TAIL_BYTES);

      memcpy (buf, t + start, n);
      buf += n;
      offset += n;
      len_bytes -= n;
    }
}

guint64
app_payload_mismatches (guint64 offset, const guint8 *buf, gsize len_bytes)
{
  const guint8 *t = app_payload_table ();
  guint64 bad = 0;

  while (len_bytes > 0)
    {
      gsize start = (gsize) (offset % APP_PAYLOAD_PERIOD_BYTES);
      gsize n = MIN (len_bytes, (gsize) TABLE_TAIL_BYTES);

      /* The common case is a match, found by one memcmp. */
      if (memcmp (buf, t + start, n) != 0)
        for (gsize i = 0; i < n; i++)
          bad += buf[i] != t[start + i];
      buf += n;
      offset += n;
      len_bytes -= n;
    }
  return bad;
}

void
app__write_pattern (TcpEndpoint *ep, guint64 *offset, guint64 total_bytes)
{
  const guint8 *t = app_payload_table ();

  /* The table holds any 64 KiB run of the stream contiguously, so TCP
   * copies straight from it. */
  while (*offset < total_bytes)
    {
      gsize start = (gsize) (*offset % APP_PAYLOAD_PERIOD_BYTES);
      gsize n = (gsize) MIN ((guint64) TABLE_TAIL_BYTES,
                             total_bytes - *offset);
      gsize written = tcp_write (ep, t + start, n);

      *offset += written;
      if (written < n)
        return;
    }
}

typedef struct {
  guint64 offset;
  guint64 mismatches;
} VerifyState;

static void
verify_piece (const guint8 *bytes, gsize len_bytes, void *data)
{
  VerifyState *v = data;

  v->mismatches += app_payload_mismatches (v->offset, bytes, len_bytes);
  v->offset += len_bytes;
}

guint64
app__read_verify (App *app, TcpEndpoint *ep, guint64 *offset)
{
  VerifyState v = { *offset, 0 };
  guint64 n;

  /* Checked where TCP holds the bytes: no copy. */
  n = tcp_read_with (ep, G_MAXSIZE, verify_piece, &v);
  *offset += n;
  app->stats.bytes_corrupt += v.mismatches;
  app->stats.bytes_received += n;
  return n;
}

TcpEndpoint *
app__listen_and_arm (App *app, Node *server, guint16 port,
                     const TcpParams *params, const TcpCallbacks *callbacks,
                     SimTimer *start_timer, SimTime start_ns)
{
  g_autoptr (GError) error = NULL;
  TcpEndpoint *listener = tcp_listen (host_tcp (server), port, params,
                                      callbacks, app, &error);

  if (listener == NULL)
    {
      g_warning ("app %s: %s", app->name, error->message);
      return NULL;
    }
  sim_timer_start (network_scheduler (app->net), start_timer,
                   MAX (start_ns, network_now (app->net)));
  return listener;
}

void
app__trace (App *app, const char *side, const char *what, TcpEndpoint *ep,
            guint64 bytes)
{
  SimTraceBus *bus = network_trace (app->net);
  AppTraceEvent e;

  if (!sim_trace_on (bus))
    return;
  e.app = app->name;
  e.side = side;
  e.what = what;
  e.conn = ep ? tcp_endpoint_name (ep) : NULL;
  e.bytes = bytes;
  sim_trace_emit (bus, network_now (app->net), &app_trace_event, &e);
}

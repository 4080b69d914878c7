/* scn_runtime.c: the scenario's timeline and triggers, in a running
 * world.
 *
 * A world component made by build_world() when the file has `at` or
 * `when` statements.  What can be handed to the models while building is
 * handed to them then: link changes and link up/down to the link's own
 * timeline (link_schedule_change(), link_schedule_up()), crafted
 * segments to network_inject_segment(), timed drop windows to the link's
 * rules.  The rest needs the run: starting and stopping apps, closing
 * and aborting connections, rules that match segments from a time on,
 * and every trigger.
 *
 * Triggers watch the trace bus for tcp.state records.  The runtime is
 * part of the scenario, subscribed whatever tracers the command line
 * asks for, so the run is the same with or without them; and the
 * callback never acts on the models itself: it schedules the action with
 * sim_scheduler_call_at(), at the record's time plus the trigger's wait,
 * so that the model that emitted the record finishes its own work first.
 * The same records keep a registry of live connections, which is how
 * `close APP.SIDE` finds its endpoints and how a trigger's bare `close`
 * knows its connection is still there (an endpoint is freed after it
 * reaches CLOSED; the registry forgets it at that record, and a serial
 * number tells a new endpoint at a reused address from the old one).
 *
 * Call order: scn__runtime_new() (build: link timeline, injections;
 * subscribe) -> runtime_start() (world start: schedule the `at` actions
 * that need the run) -> on_record() per trace record -> fire_at() and
 * fire_trigger() -> act() -> runtime_free() with the world.
 */
#include "scenarios/scn_private.h"

#include <string.h>

typedef struct {
  ScnActionKind kind;
  ScnAppModel *app;             /* (nullable) START STOP CLOSE ABORT */
  gint side;                    /* CLOSE ABORT: -1, the trigger's own */
  Link *link;
  LinkDirParams values[2];
  guint64 fields[2];
  LinkDir dir;
  LinkDropRule rule;
  SimTime for_ns;
  Node *from;
  InjectSegment seg;
} RtAction;

typedef struct {
  SimTime at_ns;
  RtAction act;
} RtAt;

typedef struct {
  Node *host;                   /* (nullable) the subject, or ... */
  ScnAppModel *app;             /* ... one side of an app */
  guint side;
  TcpState state;
  SimTime wait_ns;
  RtAction act;
} RtWhen;

/* A live connection, as the trace records tell it. */
typedef struct {
  const TcpEndpoint *ep;
  guint64 serial;
  Node *node;
  guint16 local_port;
  Ipv4Addr remote_addr;
  guint16 remote_port;
} RtConn;

/* A trigger that has fired and waits for its time. */
typedef struct {
  guint when;
  const TcpEndpoint *ep;
  guint64 serial;
  gboolean used;
} RtFiring;

struct ScnRuntime {
  Network *net;
  GPtrArray *models;            /* (element-type ScnAppModel) owned */
  GArray *ats;                  /* (element-type RtAt) need the run */
  GArray *whens;                /* (element-type RtWhen) */
  GHashTable *conns;            /* TcpEndpoint -> GList link in order */
  GQueue order;                 /* (element-type RtConn) creation order */
  guint64 next_serial;
  GArray *firings;              /* (element-type RtFiring) slots */
  GArray *free_firings;         /* (element-type guint) free slots */
};

/* ------------------------------------------------------------------ */
/* Connections                                                         */

/* "a.b.c.d:p>e.f.g.h:q" -> the remote address and port. */
static gboolean
parse_remote (const char *conn, Ipv4Addr *addr, guint16 *port)
{
  const char *gt = strchr (conn, '>');
  const char *colon;
  g_autofree char *text = NULL;
  guint64 p;

  if (gt == NULL || (colon = strrchr (gt, ':')) == NULL)
    return FALSE;
  text = g_strndup (gt + 1, (gsize) (colon - gt - 1));
  if (!ipv4_addr_parse (text, addr))
    return FALSE;
  p = g_ascii_strtoull (colon + 1, NULL, 10);
  *port = (guint16) p;
  return p > 0 && p <= 65535;
}

static RtConn *
conn_lookup (ScnRuntime *rt, const TcpEndpoint *ep)
{
  GList *link = g_hash_table_lookup (rt->conns, ep);

  return link != NULL ? link->data : NULL;
}

static void
conn_forget (ScnRuntime *rt, const TcpEndpoint *ep)
{
  GList *link = g_hash_table_lookup (rt->conns, ep);

  if (link == NULL)
    return;
  g_hash_table_remove (rt->conns, ep);
  g_free (link->data);
  g_queue_delete_link (&rt->order, link);
}

static RtConn *
conn_note (ScnRuntime *rt, const TcpTraceState *e)
{
  RtConn *conn = conn_lookup (rt, e->ep);

  if (conn != NULL)
    return conn;
  conn = g_new0 (RtConn, 1);
  if (!parse_remote (e->conn, &conn->remote_addr, &conn->remote_port))
    {
      g_free (conn);
      return NULL;              /* a listener: no remote end */
    }
  conn->ep = e->ep;
  conn->serial = ++rt->next_serial;
  conn->node = tcp_endpoint_node (e->ep);
  conn->local_port = tcp_endpoint_local_port (e->ep);
  g_queue_push_tail (&rt->order, conn);
  g_hash_table_insert (rt->conns, (gpointer) e->ep, rt->order.tail);
  return conn;
}

static gboolean
conn_is_side (const RtConn *conn, const ScnAppModel *m, guint side)
{
  if (side == SCN_SIDE_ACTIVE)
    return m->node[0] != NULL && conn->node == m->node[0]
           && conn->remote_addr == node_addr (m->node[1])
           && conn->remote_port == m->port;
  return conn->node == m->node[1] && conn->local_port == m->port;
}

/* The endpoint may be acted on: it is the same live connection. */
static gboolean
conn_alive (ScnRuntime *rt, const TcpEndpoint *ep, guint64 serial)
{
  RtConn *conn = conn_lookup (rt, ep);

  return conn != NULL && conn->serial == serial;
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

static void
close_or_abort (ScnRuntime *rt, ScnActionKind kind, const TcpEndpoint *ep,
                guint64 serial)
{
  /* The registry holds the endpoints the records named; the stack owns
   * them and frees them only after their CLOSED record, which removes
   * them here first, so a live entry is a live endpoint. */
  TcpEndpoint *live = (TcpEndpoint *) ep;

  if (!conn_alive (rt, ep, serial))
    return;
  if (kind == SCN_ACT_CLOSE)
    tcp_close (live);
  else
    tcp_abort (live);
}

static void
act (ScnRuntime *rt, const RtAction *a, const TcpEndpoint *ep,
     guint64 serial)
{
  SimTime now_ns = network_now (rt->net);

  switch (a->kind)
    {
    case SCN_ACT_START:
      if (a->app->app == NULL)
        {
          g_autoptr (GError) err = NULL;

          if (!scn__app_model_create (a->app, rt->net, &err))
            g_warning ("app %s: %s", a->app->name, err->message);
        }
      else if (a->app->kind == SCN_APP_KIND_ONOFF)
        app_onoff_set_running (a->app->app, TRUE);
      else if (a->app->kind == SCN_APP_KIND_SINK)
        app_sink_set_reading (a->app->app, TRUE);
      break;
    case SCN_ACT_STOP:
      if (a->app->app != NULL && a->app->kind == SCN_APP_KIND_ONOFF)
        app_onoff_set_running (a->app->app, FALSE);
      else if (a->app->app != NULL)
        app_sink_set_reading (a->app->app, FALSE);
      break;
    case SCN_ACT_CLOSE:
    case SCN_ACT_ABORT:
      if (a->side < 0)
        close_or_abort (rt, a->kind, ep, serial);
      else
        {
          /* A snapshot first: closing changes the registry. */
          g_autoptr (GArray) targets = g_array_new (FALSE, FALSE,
                                                    sizeof (RtConn));

          for (GList *l = rt->order.head; l != NULL; l = l->next)
            {
              RtConn *conn = l->data;

              if (conn_is_side (conn, a->app, (guint) a->side))
                g_array_append_val (targets, *conn);
            }
          for (guint i = 0; i < targets->len; i++)
            {
              RtConn *conn = &g_array_index (targets, RtConn, i);

              close_or_abort (rt, a->kind, conn->ep, conn->serial);
            }
        }
      break;
    case SCN_ACT_LINK_UP:
    case SCN_ACT_LINK_DOWN:
      link_schedule_up (a->link, now_ns, a->kind == SCN_ACT_LINK_UP);
      break;
    case SCN_ACT_LINK_SET:
      for (guint d = 0; d < 2; d++)
        if (a->fields[d] != 0)
          link_schedule_change (a->link, now_ns, (LinkDir) d, &a->values[d],
                                a->fields[d]);
      break;
    case SCN_ACT_RULE:
      {
        LinkDropRule rule = a->rule;

        if (a->for_ns > 0)
          {
            rule.from_ns = now_ns;
            rule.until_ns = now_ns + a->for_ns;
          }
        link_add_drop_rule (a->link, a->dir, &rule);
      }
      break;
    case SCN_ACT_INJECT:
      network_inject_segment (rt->net, a->from, &a->seg, now_ns);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
fire_at (void *data, void *arg)
{
  ScnRuntime *rt = data;
  const RtAt *at = &g_array_index (rt->ats, RtAt, GPOINTER_TO_UINT (arg));

  act (rt, &at->act, NULL, 0);
}

static void
fire_trigger (void *data, void *arg)
{
  ScnRuntime *rt = data;
  guint slot = GPOINTER_TO_UINT (arg);
  RtFiring f = g_array_index (rt->firings, RtFiring, slot);

  g_array_index (rt->firings, RtFiring, slot).used = FALSE;
  g_array_append_val (rt->free_firings, slot);
  act (rt, &g_array_index (rt->whens, RtWhen, f.when).act, f.ep, f.serial);
}

static gboolean
when_matches (const RtWhen *w, const TcpTraceState *e, const RtConn *conn)
{
  if (w->state != e->to)
    return FALSE;
  if (w->host != NULL)
    return strcmp (node_name (w->host), e->host) == 0;
  return conn != NULL && conn_is_side (conn, w->app, w->side);
}

static void
on_record (const SimTraceRecord *rec, void *data)
{
  ScnRuntime *rt = data;
  const TcpTraceState *e;
  RtConn *conn;
  guint64 serial;

  if (rec->kind != &tcp_trace_state)
    return;
  e = rec->body;
  conn = conn_note (rt, e);
  serial = conn != NULL ? conn->serial : 0;
  for (guint i = 0; i < rt->whens->len; i++)
    {
      const RtWhen *w = &g_array_index (rt->whens, RtWhen, i);
      RtFiring f = { i, e->ep, serial, TRUE };
      guint slot;

      if (!when_matches (w, e, conn))
        continue;
      if (rt->free_firings->len > 0)
        {
          slot = g_array_index (rt->free_firings, guint,
                                rt->free_firings->len - 1);
          g_array_set_size (rt->free_firings, rt->free_firings->len - 1);
          g_array_index (rt->firings, RtFiring, slot) = f;
        }
      else
        {
          slot = rt->firings->len;
          g_array_append_val (rt->firings, f);
        }
      /* Never act inside the callback: the model that emitted the record
       * is in the middle of its own work. */
      sim_scheduler_call_at (network_scheduler (rt->net),
                             rec->at_ns + w->wait_ns, fire_trigger, rt,
                             GUINT_TO_POINTER (slot));
    }
  if (e->to == TCP_STATE_CLOSED)
    conn_forget (rt, e->ep);
}

/* ------------------------------------------------------------------ */
/* The component                                                       */

static void
runtime_start (void *self, SimWorld *world)
{
  ScnRuntime *rt = self;

  (void) world;
  for (guint i = 0; i < rt->ats->len; i++)
    sim_scheduler_call_at (network_scheduler (rt->net),
                           g_array_index (rt->ats, RtAt, i).at_ns, fire_at,
                           rt, GUINT_TO_POINTER (i));
}

static void
runtime_free (void *self)
{
  ScnRuntime *rt = self;

  g_ptr_array_unref (rt->models);
  g_array_unref (rt->ats);
  g_array_unref (rt->whens);
  g_hash_table_unref (rt->conns);
  g_queue_clear_full (&rt->order, g_free);
  g_array_unref (rt->firings);
  g_array_unref (rt->free_firings);
  g_free (rt);
}

static const SimComponentOps runtime_ops = {
  "scenario", runtime_start, NULL, runtime_free,
};

static void
action_from_spec (const ScnAction *a, RtAction *out)
{
  memset (out, 0, sizeof *out);
  out->kind = a->kind;
  out->app = a->app != NULL ? a->app->model : NULL;
  out->side = a->side;
  out->link = a->link != NULL ? a->link->link : NULL;
  out->values[0] = a->values[0];
  out->values[1] = a->values[1];
  out->fields[0] = a->fields[0];
  out->fields[1] = a->fields[1];
  out->dir = a->dir;
  out->rule = a->rule;
  out->for_ns = a->for_ns;
  out->from = a->from != NULL ? a->from->node : NULL;
  out->seg = a->seg;
  if (a->to != NULL)
    out->seg.dst = a->to->addr;
}

ScnRuntime *
scn__runtime_new (ScnChecker *c, Network *net, GPtrArray *models)
{
  ScnRuntime *rt;

  if (c->ats->len == 0 && c->whens->len == 0)
    {
      g_ptr_array_unref (models);
      return NULL;
    }
  rt = g_new0 (ScnRuntime, 1);
  rt->net = net;
  rt->models = models;
  rt->ats = g_array_new (FALSE, TRUE, sizeof (RtAt));
  rt->whens = g_array_new (FALSE, TRUE, sizeof (RtWhen));
  rt->conns = g_hash_table_new (NULL, NULL);
  g_queue_init (&rt->order);
  rt->firings = g_array_new (FALSE, TRUE, sizeof (RtFiring));
  rt->free_firings = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < c->ats->len; i++)
    {
      const ScnAtSpec *spec = g_ptr_array_index (c->ats, i);
      RtAt at = { spec->at_ns, { 0 } };

      action_from_spec (&spec->action, &at.act);
      switch (at.act.kind)
        {
        case SCN_ACT_LINK_UP:
        case SCN_ACT_LINK_DOWN:
          link_schedule_up (at.act.link, at.at_ns,
                            at.act.kind == SCN_ACT_LINK_UP);
          break;
        case SCN_ACT_LINK_SET:
          for (guint d = 0; d < 2; d++)
            if (at.act.fields[d] != 0)
              link_schedule_change (at.act.link, at.at_ns, (LinkDir) d,
                                    &at.act.values[d], at.act.fields[d]);
          break;
        case SCN_ACT_INJECT:
          network_inject_segment (net, at.act.from, &at.act.seg, at.at_ns);
          break;
        case SCN_ACT_RULE:
          if (at.act.for_ns > 0)
            {
              LinkDropRule rule = at.act.rule;

              rule.from_ns = at.at_ns;
              rule.until_ns = at.at_ns + at.act.for_ns;
              link_add_drop_rule (at.act.link, at.act.dir, &rule);
              break;
            }
          g_array_append_val (rt->ats, at);
          break;
        case SCN_ACT_START:
          /* A bulk or reqresp app starts at this time by its own config
           * (scn__check_timeline_starts()). */
          if (spec->action.app->start_at_build)
            break;
          G_GNUC_FALLTHROUGH;
        case SCN_ACT_STOP:
        case SCN_ACT_CLOSE:
        case SCN_ACT_ABORT:
          g_array_append_val (rt->ats, at);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  for (guint i = 0; i < c->whens->len; i++)
    {
      const ScnWhenSpec *spec = g_ptr_array_index (c->whens, i);
      RtWhen w = { 0 };

      w.host = spec->host != NULL ? spec->host->node : NULL;
      w.app = spec->app != NULL ? spec->app->model : NULL;
      w.side = spec->side;
      w.state = spec->state;
      w.wait_ns = spec->wait_ns;
      action_from_spec (&spec->action, &w.act);
      g_array_append_val (rt->whens, w);
    }
  sim_world_add_component (network_world (net), &runtime_ops, rt);
  /* Triggers need the records, and so does closing a connection (the
   * registry); link changes alone leave the bus as the tracers set it. */
  {
    gboolean need_records = rt->whens->len > 0;

    for (guint i = 0; i < rt->ats->len; i++)
      {
        ScnActionKind k = g_array_index (rt->ats, RtAt, i).act.kind;

        need_records = need_records || k == SCN_ACT_CLOSE
                       || k == SCN_ACT_ABORT;
      }
    if (need_records)
      sim_trace_subscribe (network_trace (net), on_record, rt);
  }
  return rt;
}

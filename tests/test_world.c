/* test_world.c: the world's component lifecycle and its random streams.
 *
 * Components record their hook calls in one shared log, so order across
 * components is visible: start and finish in creation order, free in
 * reverse creation order.
 */
#include "sim/world.h"

typedef struct {
  GString *log;
  char name;
  SimTimer timer;               /* armed by start(), to give the run events */
  SimWorld *world;
  guint fired;
} Comp;

static void
comp_fired (SimTimer *timer, void *data)
{
  Comp *c = data;

  c->fired++;
  g_string_append_printf (c->log, "fire%c@%" G_GINT64_FORMAT " ", c->name,
                          sim_world_now (c->world));
}

static Comp *
comp_new (GString *log, char name)
{
  Comp *c = g_new0 (Comp, 1);

  c->log = log;
  c->name = name;
  sim_timer_init (&c->timer, comp_fired, c);
  return c;
}

static void
comp_start (void *self, SimWorld *world)
{
  Comp *c = self;

  c->world = world;
  g_string_append_printf (c->log, "start%c ", c->name);
  /* Later components fire earlier, so event order is not creation order. */
  sim_timer_start (sim_world_scheduler (world), &c->timer,
                   SIM_MS ('z' - c->name));
}

static void
comp_finish (void *self, SimWorld *world)
{
  Comp *c = self;

  g_assert_true (c->world == world);
  g_string_append_printf (c->log, "finish%c ", c->name);
}

static void
comp_free (void *self)
{
  Comp *c = self;

  g_string_append_printf (c->log, "free%c ", c->name);
  if (c->world != NULL)
    sim_timer_clear (sim_world_scheduler (c->world), &c->timer);
  g_free (c);
}

static const SimComponentOps comp_ops = {
  "test-comp", comp_start, comp_finish, comp_free,
};

static void
test_lifecycle_order (void)
{
  g_autoptr (GString) log = g_string_new (NULL);
  SimWorld *world = sim_world_new (1);
  guint64 ran;

  sim_world_add_component (world, &comp_ops, comp_new (log, 'a'));
  sim_world_add_component (world, &comp_ops, comp_new (log, 'b'));
  sim_world_add_component (world, &comp_ops, comp_new (log, 'c'));
  g_assert_cmpstr (log->str, ==, "");   /* nothing starts before the run */

  ran = sim_world_run (world, SIM_S (1));
  g_assert_cmpuint (ran, ==, 3);
  g_assert_cmpstr (log->str, ==,
                   "starta startb startc "
                   "firec@23000000 fireb@24000000 firea@25000000 "
                   "finisha finishb finishc ");
  g_string_truncate (log, 0);
  sim_world_free (world);
  g_assert_cmpstr (log->str, ==, "freec freeb freea ");
}

static void
test_free_without_run (void)
{
  g_autoptr (GString) log = g_string_new (NULL);
  SimWorld *world = sim_world_new (1);

  sim_world_add_component (world, &comp_ops, comp_new (log, 'a'));
  sim_world_add_component (world, &comp_ops, comp_new (log, 'b'));
  sim_world_free (world);
  g_assert_cmpstr (log->str, ==, "freeb freea ");
  sim_world_free (NULL);
}

/* A component whose hooks are all NULL is legal: the world skips them. */
static void
test_null_hooks (void)
{
  static const SimComponentOps none = { "none", NULL, NULL, NULL };
  g_autoptr (GString) log = g_string_new (NULL);
  int dummy = 0;
  SimWorld *world = sim_world_new (1);

  sim_world_add_component (world, &comp_ops, comp_new (log, 'a'));
  sim_world_add_component (world, &none, &dummy);
  sim_world_add_component (world, &comp_ops, comp_new (log, 'b'));
  g_assert_cmpuint (sim_world_run (world, SIM_S (1)), ==, 2);
  sim_world_free (world);
  g_assert_cmpstr (log->str, ==,
                   "starta startb fireb@24000000 firea@25000000 "
                   "finisha finishb freeb freea ");
}

/* A start hook that adds another component: the new one is started
 * exactly once, after the components created before it. */
typedef struct {
  GString *log;
} Spawner;

static void
spawner_start (void *self, SimWorld *world)
{
  Spawner *s = self;

  g_string_append (s->log, "startS ");
  sim_world_add_component (world, &comp_ops, comp_new (s->log, 'n'));
}

static void
spawner_free (void *self)
{
  Spawner *s = self;

  g_string_append (s->log, "freeS ");
  g_free (s);
}

static const SimComponentOps spawner_ops = {
  "spawner", spawner_start, NULL, spawner_free,
};

static void
test_add_during_start (void)
{
  g_autoptr (GString) log = g_string_new (NULL);
  SimWorld *world = sim_world_new (1);
  Spawner *s = g_new0 (Spawner, 1);

  s->log = log;
  sim_world_add_component (world, &spawner_ops, s);
  sim_world_add_component (world, &comp_ops, comp_new (log, 'a'));
  g_assert_cmpuint (sim_world_run (world, SIM_S (1)), ==, 2);
  sim_world_free (world);
  g_assert_cmpstr (log->str, ==,
                   "startS starta startn "
                   "firen@12000000 firea@25000000 "
                   "finisha finishn freen freea freeS ");
}

/* A component added while the world runs starts at once and is finished
 * and freed with the others. */
static void
add_late (void *data, void *arg)
{
  SimWorld *world = data;

  sim_world_add_component (world, &comp_ops, comp_new (arg, 'x'));
}

static void
test_add_during_run (void)
{
  g_autoptr (GString) log = g_string_new (NULL);
  SimWorld *world = sim_world_new (1);

  sim_world_add_component (world, &comp_ops, comp_new (log, 'a'));
  sim_scheduler_call_at (sim_world_scheduler (world), SIM_MS (1), add_late,
                         world, log);
  g_assert_cmpuint (sim_world_run (world, SIM_S (1)), ==, 3);
  sim_world_free (world);
  g_assert_cmpstr (log->str, ==,
                   "starta startx firex@2000000 firea@25000000 "
                   "finisha finishx freex freea ");
}

static void
stop_world (void *data, void *arg)
{
  sim_world_stop (data);
}

static void
test_run_and_stop (void)
{
  g_autoptr (GString) log = g_string_new (NULL);
  g_autoptr (SimWorld) world = sim_world_new (99);

  g_assert_cmpuint (sim_world_seed (world), ==, 99);
  g_assert_nonnull (sim_world_trace (world));
  g_assert_false (sim_trace_on (sim_world_trace (world)));
  sim_world_add_component (world, &comp_ops, comp_new (log, 'a'));
  sim_world_add_component (world, &comp_ops, comp_new (log, 'y'));
  sim_scheduler_call_at (sim_world_scheduler (world), SIM_MS (10), stop_world,
                         world, NULL);
  /* y fires at 1 ms, the stop at 10 ms; a (at 25 ms) never does.  Finish
   * hooks still run. */
  g_assert_cmpuint (sim_world_run (world, SIM_S (1)), ==, 2);
  g_assert_cmpint (sim_world_now (world), ==, SIM_MS (10));
  g_assert_cmpstr (log->str, ==,
                   "starta starty firey@1000000 finisha finishy ");
}

static void
test_rng_streams (void)
{
  g_autoptr (SimWorld) world = sim_world_new (2024);
  g_autoptr (SimWorld) twin = sim_world_new (2024);
  g_autoptr (SimWorld) other = sim_world_new (2025);
  SimRng *a = sim_world_rng (world, "link/ab/loss");
  SimRng *b;
  SimRng ref;
  g_autofree char *name = g_strdup ("link/ab/loss");

  /* Same name, same stream object: state carries across lookups. */
  g_assert_true (sim_world_rng (world, "link/ab/loss") == a);
  g_assert_true (sim_world_rng (world, name) == a);
  b = sim_world_rng (world, "link/ba/loss");
  g_assert_true (b != a);
  g_assert_true (sim_world_rng (world, "link/ba/loss") == b);

  /* The stream is the one sim_rng_seed() gives for (run seed, name), and
   * a stream created midway shifts nothing in it. */
  sim_rng_seed (&ref, 2024, "link/ab/loss");
  for (guint i = 0; i < 1000; i++)
    {
      if (i == 500)
        sim_world_rng (world, "host/new/iss");
      g_assert_cmphex (sim_rng_next_u64 (sim_world_rng (world, name)), ==,
                       sim_rng_next_u64 (&ref));
    }

  /* Same seed, same streams in another world; another seed differs. */
  sim_rng_seed (&ref, 2024, "link/ba/loss");
  g_assert_cmphex (sim_rng_next_u64 (sim_world_rng (twin, "link/ba/loss")),
                   ==, sim_rng_next_u64 (&ref));
  g_assert_cmphex (sim_rng_next_u64 (sim_world_rng (other, "link/ba/loss")),
                   !=, sim_rng_next_u64 (sim_world_rng (twin, "link/ba/loss")));
}

/* Teardown is not simulation: a component that emits while it is freed
 * reaches no tracer, since tracers may already be gone. */
static const SimTraceKind teardown_kind = { "test.teardown", NULL };

typedef struct {
  SimWorld *world;
} Talker;

static void
talker_free (void *self)
{
  Talker *t = self;
  SimTraceBus *bus = sim_world_trace (t->world);

  g_assert_false (sim_trace_on (bus));
  sim_trace_emit (bus, sim_world_now (t->world), &teardown_kind, NULL);
  g_free (t);
}

static const SimComponentOps talker_ops = { "talker", NULL, NULL, talker_free };

static void
count_record (const SimTraceRecord *rec, void *data)
{
  guint *n = data;

  (*n)++;
}

static void
test_no_trace_during_teardown (void)
{
  SimWorld *world = sim_world_new (1);
  Talker *t = g_new0 (Talker, 1);
  guint n_records = 0;

  t->world = world;
  sim_world_add_component (world, &talker_ops, t);
  sim_trace_subscribe (sim_world_trace (world), count_record, &n_records);
  sim_trace_emit (sim_world_trace (world), 0, &teardown_kind, NULL);
  g_assert_cmpuint (n_records, ==, 1);
  sim_world_free (world);
  g_assert_cmpuint (n_records, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/lifecycle-order", test_lifecycle_order);
  g_test_add_func ("/world/free-without-run", test_free_without_run);
  g_test_add_func ("/world/null-hooks", test_null_hooks);
  g_test_add_func ("/world/add-during-start", test_add_during_start);
  g_test_add_func ("/world/add-during-run", test_add_during_run);
  g_test_add_func ("/world/run-and-stop", test_run_and_stop);
  g_test_add_func ("/world/rng-streams", test_rng_streams);
  g_test_add_func ("/world/no-trace-during-teardown",
                   test_no_trace_during_teardown);
  return g_test_run ();
}

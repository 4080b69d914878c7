/* world.c: the container a run happens in; see world.h for call order. */
#include "sim/world.h"

typedef struct {
  const SimComponentOps *ops;
  void *self;
} Component;

struct SimWorld {
  guint64 run_seed;
  SimScheduler *sched;
  SimTraceBus trace;
  GHashTable *rngs;             /* name -> SimRng*, owned */
  GArray *components;           /* (element-type Component), creation order */
  gboolean started;
};

SimWorld *
sim_world_new (guint64 run_seed)
{
  SimWorld *world = g_new0 (SimWorld, 1);

  world->run_seed = run_seed;
  world->sched = sim_scheduler_new ();
  sim_trace_bus_init (&world->trace);
  world->rngs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       g_free);
  world->components = g_array_new (FALSE, FALSE, sizeof (Component));
  return world;
}

void
sim_world_free (SimWorld *world)
{
  if (world == NULL)
    return;
  /* Tearing down is not simulation: nobody hears what components say
   * while they are freed, and tracers may already be gone. */
  sim_trace_bus_clear (&world->trace);
  for (guint i = world->components->len; i > 0; i--)
    {
      Component *c = &g_array_index (world->components, Component, i - 1);

      if (c->ops->free != NULL)
        c->ops->free (c->self);
    }
  g_array_unref (world->components);
  g_hash_table_unref (world->rngs);
  sim_scheduler_free (world->sched);
  g_free (world);
}

guint64
sim_world_seed (const SimWorld *world)
{
  return world->run_seed;
}

SimScheduler *
sim_world_scheduler (SimWorld *world)
{
  return world->sched;
}

SimTraceBus *
sim_world_trace (SimWorld *world)
{
  return &world->trace;
}

SimTime
sim_world_now (const SimWorld *world)
{
  return sim_scheduler_now (world->sched);
}

SimRng *
sim_world_rng (SimWorld *world, const char *name)
{
  SimRng *rng = g_hash_table_lookup (world->rngs, name);

  if (rng == NULL)
    {
      rng = g_new (SimRng, 1);
      sim_rng_seed (rng, world->run_seed, name);
      g_hash_table_insert (world->rngs, g_strdup (name), rng);
    }
  return rng;
}

void
sim_world_add_component (SimWorld *world, const SimComponentOps *ops,
                         void *self)
{
  Component c = { ops, self };

  g_return_if_fail (ops != NULL);
  g_array_append_val (world->components, c);
  if (world->started && ops->start != NULL)
    ops->start (self, world);
}

guint64
sim_world_run (SimWorld *world, SimTime end_ns)
{
  guint64 ran;

  /* Index, not pointer: a start hook may add components, and this loop
   * starts them.  started is set only afterwards, or
   * sim_world_add_component() would start them a second time. */
  for (guint i = 0; i < world->components->len; i++)
    {
      Component c = g_array_index (world->components, Component, i);

      if (c.ops->start != NULL)
        c.ops->start (c.self, world);
    }
  world->started = TRUE;
  ran = sim_scheduler_run_until (world->sched, end_ns);
  for (guint i = 0; i < world->components->len; i++)
    {
      Component c = g_array_index (world->components, Component, i);

      if (c.ops->finish != NULL)
        c.ops->finish (c.self, world);
    }
  return ran;
}

void
sim_world_stop (SimWorld *world)
{
  sim_scheduler_stop (world->sched);
}

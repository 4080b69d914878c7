/* world.h: SimWorld owns the scheduler, the random streams, the trace bus
 * and every component that a scenario or a test adds to it.
 *
 * Call order: sim_world_new() -> sim_world_add_component()... ->
 * sim_trace_subscribe() (tracers) -> sim_world_run() -> sim_world_free().
 */
#pragma once

#include "sim/clock.h"
#include "sim/component.h"
#include "sim/rng.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

G_BEGIN_DECLS

/* Returns: (transfer full): an empty world whose streams derive from
 * @run_seed. */
SimWorld *sim_world_new (guint64 run_seed);
/* Unsubscribes every tracer first, then frees the components in reverse
 * creation order: nothing is traced during teardown. */
void sim_world_free (SimWorld *world);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimWorld, sim_world_free)

guint64 sim_world_seed (const SimWorld *world);
/* Returns: (transfer none): the world's scheduler. */
SimScheduler *sim_world_scheduler (SimWorld *world);
/* Returns: (transfer none): the world's trace bus. */
SimTraceBus *sim_world_trace (SimWorld *world);
SimTime sim_world_now (const SimWorld *world);

/* Returns: (transfer none): the stream named @name, created on first use
 * and owned by the world.  The same name always returns the same stream. */
SimRng *sim_world_rng (SimWorld *world, const char *name);

/* Adds @self with @ops; the world frees it with ops->free. */
void sim_world_add_component (SimWorld *world, const SimComponentOps *ops,
                              void *self);

/* Starts every component, runs the scheduler until @end_ns (or until
 * sim_world_stop()), then finishes every component.  Returns the number of
 * events run. */
guint64 sim_world_run (SimWorld *world, SimTime end_ns);
/* Ends the run after the current event. */
void sim_world_stop (SimWorld *world);

G_END_DECLS

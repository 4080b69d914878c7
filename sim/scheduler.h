/* scheduler.h: the discrete-event scheduler.
 *
 * Events run in (at_ns, seq) order, where seq is taken when an event is
 * scheduled, so events at the same instant run first-in first-out.
 *
 * A SimTimer is embedded in its owner and re-armed in place.  Re-arming a
 * timer to a later time does not touch the heap: the timer stays where it
 * was and is moved only when its old slot comes up (lazy re-arm), which is
 * what a TCP retransmission timer restarted on every ACK needs.  The seq
 * taken at re-arm time is kept, so the order of events is exactly the one
 * an eager re-arm would give.  Stopping is lazy in the same way.
 */
#pragma once

#include "sim/clock.h"
#include "sim/heap.h"

G_BEGIN_DECLS

typedef struct SimScheduler SimScheduler;
typedef struct SimTimer SimTimer;

typedef void (*SimTimerFn) (SimTimer *timer, void *data);
typedef void (*SimCallFn) (void *data, void *arg);

struct SimTimer {
  SimHeapNode node;             /* private: the timer's place in the heap */
  SimTime deadline_ns;          /* private: when it fires, if armed */
  guint64 deadline_seq;         /* private */
  SimTimerFn fn;
  void *data;
  gboolean armed;               /* private: use sim_timer_is_armed() */
};

/* Returns: (transfer full): an empty scheduler at time 0. */
SimScheduler *sim_scheduler_new (void);
void sim_scheduler_free (SimScheduler *sched);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimScheduler, sim_scheduler_free)

SimTime sim_scheduler_now (const SimScheduler *sched);
/* Number of callbacks run so far (timers and one-shot calls). */
guint64 sim_scheduler_events_run (const SimScheduler *sched);
/* Number of events waiting (stale heap slots of lazily moved timers
 * included). */
guint sim_scheduler_pending (const SimScheduler *sched);

/* Runs events until none is left at or before @end_ns, or until
 * sim_scheduler_stop() is called.  When events remain after @end_ns the
 * clock is left at @end_ns.  Returns the number of events run. */
guint64 sim_scheduler_run_until (SimScheduler *sched, SimTime end_ns);
/* Makes the running sim_scheduler_run_until() return after the current
 * event. */
void sim_scheduler_stop (SimScheduler *sched);
gboolean sim_scheduler_stopped (const SimScheduler *sched);

void sim_timer_init (SimTimer *timer, SimTimerFn fn, void *data);
/* Arms @timer to fire at @at_ns (>= now), replacing any earlier deadline. */
void sim_timer_start (SimScheduler *sched, SimTimer *timer, SimTime at_ns);
/* Disarms @timer; harmless when it is not armed. */
void sim_timer_stop (SimScheduler *sched, SimTimer *timer);
/* Disarms @timer and unlinks it from the heap; call before freeing the
 * memory the timer lives in. */
void sim_timer_clear (SimScheduler *sched, SimTimer *timer);

static inline gboolean
sim_timer_is_armed (const SimTimer *timer)
{
  return timer->armed;
}

/* Returns: the deadline of an armed timer, else SIM_TIME_NEVER. */
static inline SimTime
sim_timer_deadline (const SimTimer *timer)
{
  return timer->armed ? timer->deadline_ns : SIM_TIME_NEVER;
}

/* Calls @fn (@data) after every @every_events events that run, between
 * two events, for progress displays.  It is not an event: it takes no
 * sequence number and changes nothing about the order of events.  @fn
 * NULL turns it off. */
void sim_scheduler_set_progress (SimScheduler *sched, guint64 every_events,
                                 void (*fn) (void *data), void *data);

/* Schedules a one-shot call of @fn (@data, @arg) at @at_ns (>= now).  The
 * event object comes from a free list, so this allocates only while the
 * number of pending calls grows past its previous peak. */
void sim_scheduler_call_at (SimScheduler *sched, SimTime at_ns,
                            SimCallFn fn, void *data, void *arg);

G_END_DECLS

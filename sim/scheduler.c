/* scheduler.c: run_until() pops the earliest heap node; a node whose timer
 * was re-armed later (lazily) is pushed back at its real deadline, a node
 * whose timer was stopped is dropped, anything else fires.
 *
 * One-shot calls are SimTimers inside pooled SimCall blocks.
 */
#include "sim/scheduler.h"

typedef struct SimCall SimCall;
struct SimCall {
  SimTimer timer;
  SimCallFn fn;
  void *data;
  void *arg;
  SimCall *next_free;
};

#define CALLS_PER_CHUNK 256u

struct SimScheduler {
  SimHeap heap;
  SimTime now_ns;
  guint64 next_seq;
  guint64 events_run;
  gboolean stop_requested;
  SimCall *free_calls;
  GPtrArray *call_chunks;       /* (element-type SimCall[]) */
  void (*progress_fn) (void *data);
  void *progress_data;
  guint64 progress_every;
  guint64 progress_countdown;
};

SimScheduler *
sim_scheduler_new (void)
{
  SimScheduler *sched = g_new0 (SimScheduler, 1);

  sim_heap_init (&sched->heap);
  sched->call_chunks = g_ptr_array_new_with_free_func (g_free);
  return sched;
}

void
sim_scheduler_free (SimScheduler *sched)
{
  if (sched == NULL)
    return;
  sim_heap_clear (&sched->heap);
  g_ptr_array_unref (sched->call_chunks);
  g_free (sched);
}

SimTime
sim_scheduler_now (const SimScheduler *sched)
{
  return sched->now_ns;
}

guint64
sim_scheduler_events_run (const SimScheduler *sched)
{
  return sched->events_run;
}

guint
sim_scheduler_pending (const SimScheduler *sched)
{
  return sim_heap_len (&sched->heap);
}

void
sim_scheduler_stop (SimScheduler *sched)
{
  sched->stop_requested = TRUE;
}

gboolean
sim_scheduler_stopped (const SimScheduler *sched)
{
  return sched->stop_requested;
}

void
sim_timer_init (SimTimer *timer, SimTimerFn fn, void *data)
{
  timer->node.at_ns = 0;
  timer->node.seq = 0;
  timer->node.slot = 0;
  timer->deadline_ns = SIM_TIME_NEVER;
  timer->deadline_seq = 0;
  timer->fn = fn;
  timer->data = data;
  timer->armed = FALSE;
}

void
sim_timer_start (SimScheduler *sched, SimTimer *timer, SimTime at_ns)
{
  g_return_if_fail (at_ns >= sched->now_ns);

  timer->deadline_ns = at_ns;
  timer->deadline_seq = sched->next_seq++;
  timer->armed = TRUE;
  if (!sim_heap_node_linked (&timer->node))
    {
      timer->node.at_ns = at_ns;
      timer->node.seq = timer->deadline_seq;
      sim_heap_push (&sched->heap, &timer->node);
    }
  else if (at_ns < timer->node.at_ns)
    {
      timer->node.at_ns = at_ns;
      timer->node.seq = timer->deadline_seq;
      sim_heap_update (&sched->heap, &timer->node);
    }
  /* Otherwise the node stays early; run_until() moves it when it surfaces. */
}

void
sim_timer_stop (SimScheduler *sched, SimTimer *timer)
{
  (void) sched;
  timer->armed = FALSE;
  timer->deadline_ns = SIM_TIME_NEVER;
}

void
sim_timer_clear (SimScheduler *sched, SimTimer *timer)
{
  timer->armed = FALSE;
  timer->deadline_ns = SIM_TIME_NEVER;
  if (sim_heap_node_linked (&timer->node))
    sim_heap_remove (&sched->heap, &timer->node);
}

static void
call_fire (SimTimer *timer, void *data)
{
  SimScheduler *sched = data;
  SimCall *call = (SimCall *) timer;    /* timer is the first member */
  SimCallFn fn = call->fn;
  void *call_data = call->data;
  void *arg = call->arg;

  call->next_free = sched->free_calls;
  sched->free_calls = call;
  fn (call_data, arg);
}

void
sim_scheduler_call_at (SimScheduler *sched, SimTime at_ns, SimCallFn fn,
                       void *data, void *arg)
{
  SimCall *call;

  g_return_if_fail (at_ns >= sched->now_ns);
  if (sched->free_calls == NULL)
    {
      SimCall *chunk = g_new (SimCall, CALLS_PER_CHUNK);

      g_ptr_array_add (sched->call_chunks, chunk);
      for (guint i = 0; i < CALLS_PER_CHUNK; i++)
        {
          chunk[i].next_free = sched->free_calls;
          sched->free_calls = &chunk[i];
        }
    }
  call = sched->free_calls;
  sched->free_calls = call->next_free;
  sim_timer_init (&call->timer, call_fire, sched);
  call->fn = fn;
  call->data = data;
  call->arg = arg;
  sim_timer_start (sched, &call->timer, at_ns);
}

void
sim_scheduler_set_progress (SimScheduler *sched, guint64 every_events,
                            void (*fn) (void *data), void *data)
{
  sched->progress_fn = fn;
  sched->progress_data = data;
  sched->progress_every = MAX (every_events, (guint64) 1);
  sched->progress_countdown = sched->progress_every;
}

guint64
sim_scheduler_run_until (SimScheduler *sched, SimTime end_ns)
{
  guint64 ran = 0;

  sched->stop_requested = FALSE;
  for (;;)
    {
      SimHeapNode *node = sim_heap_peek (&sched->heap);
      SimTimer *timer;

      if (node == NULL)
        break;
      if (node->at_ns > end_ns)
        {
          sched->now_ns = MAX (sched->now_ns, end_ns);
          break;
        }
      /* SIM_TIME_NEVER means never, even in a run to the end of time; only
       * never-events are left, so stop without moving the clock there. */
      if (node->at_ns == SIM_TIME_NEVER)
        break;
      sim_heap_pop (&sched->heap);
      timer = (SimTimer *) node;        /* node is the first member */
      if (!timer->armed)
        continue;
      if (timer->deadline_ns != node->at_ns
          || timer->deadline_seq != node->seq)
        {
          node->at_ns = timer->deadline_ns;
          node->seq = timer->deadline_seq;
          sim_heap_push (&sched->heap, node);
          continue;
        }
      sched->now_ns = node->at_ns;
      timer->armed = FALSE;
      timer->deadline_ns = SIM_TIME_NEVER;
      ran++;
      sched->events_run++;
      timer->fn (timer, timer->data);
      if (sched->stop_requested)
        break;
      if (G_UNLIKELY (sched->progress_fn != NULL)
          && --sched->progress_countdown == 0)
        {
          sched->progress_countdown = sched->progress_every;
          sched->progress_fn (sched->progress_data);
        }
    }
  return ran;
}

/* test_scheduler.c: event order, timers, one-shot calls and run_until().
 *
 * The small cases follow libuv's test/test-timer.c (timer_order,
 * timer_huge_timeout): same-instant ties run first-in first-out, a timer
 * stopped by an earlier callback does not fire, lazy re-arms keep the order
 * an eager re-arm would give, and SIM_TIME_NEVER never comes.  The stress
 * case runs a million random events with re-arms and cancels mixed in and
 * checks every one against a GTree holding what should be pending.
 */
#include "sim/rng.h"
#include "sim/scheduler.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#define N_TIMERS 8
#define MAX_LOG 200000

typedef struct Fixture Fixture;

typedef struct {
  SimTimer timer;
  guint id;
  Fixture *f;
  /* Optional action run after the firing is logged. */
  void (*hook) (Fixture *f, guint id);
} TestTimer;

struct Fixture {
  SimScheduler *sched;
  TestTimer timers[N_TIMERS];
  /* Preallocated, so logging does not disturb the allocation test. */
  guint *log_ids;
  SimTime *log_times_ns;
  guint n_log;
};

static void
log_event (Fixture *f, guint id)
{
  g_assert_cmpuint (f->n_log, <, MAX_LOG);
  f->log_ids[f->n_log] = id;
  f->log_times_ns[f->n_log] = sim_scheduler_now (f->sched);
  f->n_log++;
}

static void
timer_fired (SimTimer *timer, void *data)
{
  TestTimer *t = data;

  g_assert_true (timer == &t->timer);
  /* A timer is disarmed before its callback runs, so it may re-arm. */
  g_assert_false (sim_timer_is_armed (timer));
  log_event (t->f, t->id);
  if (t->hook != NULL)
    t->hook (t->f, t->id);
}

/* One-shot calls log 1000 + their arg, to tell them from timers. */
static void
call_fired (void *data, void *arg)
{
  log_event (data, 1000 + GPOINTER_TO_UINT (arg));
}

static void
fixture_setup (Fixture *f, gconstpointer user_data)
{
  f->sched = sim_scheduler_new ();
  for (guint i = 0; i < N_TIMERS; i++)
    {
      f->timers[i].id = i;
      f->timers[i].f = f;
      f->timers[i].hook = NULL;
      sim_timer_init (&f->timers[i].timer, timer_fired, &f->timers[i]);
    }
  f->log_ids = g_new (guint, MAX_LOG);
  f->log_times_ns = g_new (SimTime, MAX_LOG);
  f->n_log = 0;
}

static void
fixture_teardown (Fixture *f, gconstpointer user_data)
{
  for (guint i = 0; i < N_TIMERS; i++)
    sim_timer_clear (f->sched, &f->timers[i].timer);
  sim_scheduler_free (f->sched);
  g_free (f->log_ids);
  g_free (f->log_times_ns);
}

static void
start (Fixture *f, guint id, SimTime at_ns)
{
  sim_timer_start (f->sched, &f->timers[id].timer, at_ns);
}

/* Asserts the log holds exactly these (id, time) pairs. */
static void
assert_log (Fixture *f, guint n, const guint *ids, const SimTime *times_ns)
{
  g_assert_cmpuint (f->n_log, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (f->log_ids[i], ==, ids[i]);
      g_assert_cmpint (f->log_times_ns[i], ==, times_ns[i]);
    }
}

#define ASSERT_LOG(f, ids, times)                                       \
  G_STMT_START {                                                        \
    G_STATIC_ASSERT (G_N_ELEMENTS (ids) == G_N_ELEMENTS (times));       \
    assert_log ((f), G_N_ELEMENTS (ids), (ids), (times));               \
  } G_STMT_END

static void
test_empty (Fixture *f, gconstpointer user_data)
{
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, 0);
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_S (1)), ==, 0);
  /* Nothing pending: the clock does not jump to the end. */
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, 0);
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 0);
  g_assert_cmpuint (sim_scheduler_events_run (f->sched), ==, 0);
  g_assert_false (sim_timer_is_armed (&f->timers[0].timer));
  g_assert_cmpint (sim_timer_deadline (&f->timers[0].timer), ==,
                   SIM_TIME_NEVER);
}

/* Many events at one instant run in scheduling order, timers and calls
 * interleaved. */
static void
test_fifo_ties (Fixture *f, gconstpointer user_data)
{
  guint expect_n = 0;
  guint expect_ids[1000 + N_TIMERS];

  for (guint i = 0; i < 1000; i++)
    {
      sim_scheduler_call_at (f->sched, SIM_MS (5), call_fired, f,
                             GUINT_TO_POINTER (i));
      expect_ids[expect_n++] = 1000 + i;
      if (i % 125 == 7)
        {
          guint id = i / 125;

          start (f, id, SIM_MS (5));
          expect_ids[expect_n++] = id;
        }
    }
  /* Earlier events scheduled last still run first. */
  sim_scheduler_call_at (f->sched, SIM_MS (4), call_fired, f,
                         GUINT_TO_POINTER (5000));

  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==,
                    expect_n + 1);
  g_assert_cmpuint (f->n_log, ==, expect_n + 1);
  g_assert_cmpuint (f->log_ids[0], ==, 6000);
  g_assert_cmpint (f->log_times_ns[0], ==, SIM_MS (4));
  for (guint i = 0; i < expect_n; i++)
    {
      g_assert_cmpuint (f->log_ids[i + 1], ==, expect_ids[i]);
      g_assert_cmpint (f->log_times_ns[i + 1], ==, SIM_MS (5));
    }
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, SIM_MS (5));
  g_assert_cmpuint (sim_scheduler_events_run (f->sched), ==, expect_n + 1);
}

/* An event scheduled for "now" from inside a callback runs after the
 * events already waiting at that instant, in the same run. */
static void
schedule_now_hook (Fixture *f, guint id)
{
  sim_scheduler_call_at (f->sched, sim_scheduler_now (f->sched), call_fired,
                         f, GUINT_TO_POINTER (id));
}

static void
test_schedule_now_in_callback (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 0, 1, 1000, 2 };
  static const SimTime times[] = { 10, 10, 10, 20 };

  f->timers[0].hook = schedule_now_hook;
  start (f, 0, 10);
  start (f, 1, 10);
  start (f, 2, 20);
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, 20), ==, 4);
  ASSERT_LOG (f, ids, times);
}

static void
stop_1_and_2_hook (Fixture *f, guint id)
{
  sim_timer_stop (f->sched, &f->timers[1].timer);
  sim_timer_stop (f->sched, &f->timers[2].timer);
  /* Stopping a timer that is not armed is harmless, self included. */
  sim_timer_stop (f->sched, &f->timers[id].timer);
  sim_timer_stop (f->sched, &f->timers[5].timer);
}

static void
test_cancel_in_callback (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 0, 3 };
  static const SimTime times[] = { 10, 30 };

  f->timers[0].hook = stop_1_and_2_hook;
  start (f, 0, 10);
  start (f, 1, 10);                     /* same instant, after 0 */
  start (f, 2, 20);
  start (f, 3, 30);
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 2);
  ASSERT_LOG (f, ids, times);
  g_assert_false (sim_timer_is_armed (&f->timers[1].timer));
  g_assert_false (sim_timer_is_armed (&f->timers[2].timer));
  g_assert_cmpint (sim_timer_deadline (&f->timers[1].timer), ==,
                   SIM_TIME_NEVER);
  /* Stale slots of stopped timers are gone once their time has passed. */
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 0);
}

/* A timer stopped and restarted at the same instant takes a new place in
 * the queue: after everything scheduled before the restart. */
static void
restart_1_hook (Fixture *f, guint id)
{
  sim_timer_stop (f->sched, &f->timers[1].timer);
  start (f, 1, 10);
}

static void
test_cancel_restart_in_callback (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 0, 2, 1 };
  static const SimTime times[] = { 10, 10, 10 };

  f->timers[0].hook = restart_1_hook;
  start (f, 0, 10);
  start (f, 1, 10);
  start (f, 2, 10);
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, 10), ==, 3);
  ASSERT_LOG (f, ids, times);
}

static void
test_rearm_later (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 1, 2, 0, 3 };
  static const SimTime times[] = { 15, 20, 20, 50 };

  start (f, 0, 10);
  start (f, 1, 15);
  start (f, 2, 20);
  start (f, 0, 20);                     /* later: after 2, which is older */
  g_assert_cmpint (sim_timer_deadline (&f->timers[0].timer), ==, 20);
  g_assert_true (sim_timer_is_armed (&f->timers[0].timer));

  /* Pushed later several times before its old slot comes up: fires once,
   * at the last deadline. */
  start (f, 3, 12);
  start (f, 3, 30);
  start (f, 3, 40);
  start (f, 3, 50);
  g_assert_cmpint (sim_timer_deadline (&f->timers[3].timer), ==, 50);

  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 4);
  ASSERT_LOG (f, ids, times);
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 0);
}

/* Re-armed to the same instant as events scheduled in between, the timer
 * goes after them, lazily moved or not. */
static void
test_rearm_same_time (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 1, 0, 3, 4, 2 };
  static const SimTime times[] = { 10, 10, 20, 20, 20 };

  start (f, 0, 10);
  start (f, 1, 10);
  start (f, 0, 10);                     /* same deadline, new seq */

  start (f, 2, 5);
  start (f, 3, 20);
  sim_scheduler_call_at (f->sched, 20, call_fired, f, GUINT_TO_POINTER (2));
  start (f, 2, 20);                     /* lazily moved from 5 to 20 */
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 5);
  /* The call logs as 1002; map it to 4 to keep the table small. */
  g_assert_cmpuint (f->log_ids[3], ==, 1002);
  f->log_ids[3] = 4;
  ASSERT_LOG (f, ids, times);
}

static void
test_rearm_earlier (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 0, 2, 1 };
  static const SimTime times[] = { 20, 30, 50 };

  start (f, 0, 100);
  start (f, 1, 50);
  start (f, 0, 20);                     /* earlier: moves up in the heap */

  /* Later (lazy, stays at 60), then earlier than the slot it sits in. */
  start (f, 2, 60);
  start (f, 2, 100);
  start (f, 2, 30);
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 3);
  ASSERT_LOG (f, ids, times);
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 0);
}

/* A stopped timer whose stale slot is still in the heap, restarted later
 * than that slot, fires once at the new time. */
static void
test_restart_stopped (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 1, 0 };
  static const SimTime times[] = { 20, 30 };

  start (f, 0, 10);
  sim_timer_stop (f->sched, &f->timers[0].timer);
  g_assert_false (sim_timer_is_armed (&f->timers[0].timer));
  start (f, 1, 20);
  start (f, 0, 30);
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 2);
  ASSERT_LOG (f, ids, times);
}

static void
periodic_hook (Fixture *f, guint id)
{
  if (f->n_log < 5)
    start (f, id, sim_scheduler_now (f->sched) + 10);
}

static void
test_rearm_in_own_callback (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 0, 0, 0, 0, 0 };
  static const SimTime times[] = { 10, 20, 30, 40, 50 };

  f->timers[0].hook = periodic_hook;
  start (f, 0, 10);
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 5);
  ASSERT_LOG (f, ids, times);
  g_assert_false (sim_timer_is_armed (&f->timers[0].timer));
}

/* SIM_TIME_NEVER means never, even for a run to the end of time; a
 * deadline one nanosecond short of it is an ordinary deadline. */
static void
test_never (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 2, 1 };
  static const SimTime times[] = { SIM_S (2000), G_MAXINT64 - 1 };

  start (f, 0, SIM_TIME_NEVER);
  start (f, 1, G_MAXINT64 - 1);
  start (f, 2, SIM_TIME_NEVER);
  start (f, 2, SIM_S (2000));           /* from never to a real time */
  sim_scheduler_call_at (f->sched, SIM_TIME_NEVER, call_fired, f,
                         GUINT_TO_POINTER (7));

  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_S (1000)), ==, 0);
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, SIM_S (1000));

  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 2);
  ASSERT_LOG (f, ids, times);
  g_assert_true (sim_timer_is_armed (&f->timers[0].timer));
  g_assert_cmpint (sim_timer_deadline (&f->timers[0].timer), ==,
                   SIM_TIME_NEVER);
  /* The clock stays at the last event; it never reaches "never". */
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, G_MAXINT64 - 1);

  /* Running again changes nothing. */
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 0);
  g_assert_cmpuint (f->n_log, ==, 2);
}

static void
test_run_until_boundaries (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 0, 1, 1001, 2 };
  static const SimTime times[] = { 10, 20, 20, 21 };

  f->timers[1].hook = schedule_now_hook;   /* a call at exactly the end */
  start (f, 0, 10);
  start (f, 1, 20);
  start (f, 2, 21);

  /* An event exactly at the end runs, and so does one it schedules for
   * that same instant. */
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, 20), ==, 3);
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, 20);
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, 20), ==, 0);
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, 20);

  /* Events remain after the end: the clock is left at the end. */
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, 20), ==, 0);
  start (f, 3, SIM_MS (1));
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, 500), ==, 1);
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, 500);
  g_assert_cmpuint (f->n_log, ==, 4);

  /* An end before now does not move the clock backwards. */
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, 100), ==, 0);
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, 500);
  ASSERT_LOG (f, ids, times);

  /* Nothing left after the last event: the clock stays at that event. */
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_S (5)), ==, 1);
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, SIM_MS (1));
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 0);
}

static void
stop_sched_hook (Fixture *f, guint id)
{
  sim_scheduler_stop (f->sched);
  g_assert_true (sim_scheduler_stopped (f->sched));
}

static void
test_stop (Fixture *f, gconstpointer user_data)
{
  f->timers[2].hook = stop_sched_hook;
  for (guint i = 0; i < 5; i++)
    start (f, i, (SimTime) (i + 1) * 10);
  /* Another event at the stopping instant: it waits for the next run. */
  sim_scheduler_call_at (f->sched, 30, call_fired, f, GUINT_TO_POINTER (0));

  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 3);
  g_assert_true (sim_scheduler_stopped (f->sched));
  g_assert_cmpint (sim_scheduler_now (f->sched), ==, 30);
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 3);
  g_assert_cmpuint (f->n_log, ==, 3);

  /* The next run picks up where the last one stopped. */
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 3);
  g_assert_false (sim_scheduler_stopped (f->sched));
  {
    static const guint ids[] = { 0, 1, 2, 1000, 3, 4 };
    static const SimTime times[] = { 10, 20, 30, 30, 40, 50 };

    ASSERT_LOG (f, ids, times);
  }
  g_assert_cmpuint (sim_scheduler_events_run (f->sched), ==, 6);
}

static void
test_timer_clear (Fixture *f, gconstpointer user_data)
{
  static const guint ids[] = { 1 };
  static const SimTime times[] = { 20 };
  SimTimer *heap_timer = g_new (SimTimer, 1);

  /* A timer in memory about to be freed: clear unlinks it at once. */
  sim_timer_init (heap_timer, timer_fired, &f->timers[7]);
  sim_timer_start (f->sched, heap_timer, 10);
  sim_timer_start (f->sched, heap_timer, 40);      /* lazy: slot at 10 */
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 1);
  sim_timer_clear (f->sched, heap_timer);
  g_assert_false (sim_timer_is_armed (heap_timer));
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 0);
  g_free (heap_timer);

  start (f, 0, 10);
  start (f, 1, 20);
  sim_timer_stop (f->sched, &f->timers[0].timer);
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 2);
  sim_timer_clear (f->sched, &f->timers[0].timer);
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 1);
  sim_timer_clear (f->sched, &f->timers[0].timer);  /* twice is harmless */

  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==, 1);
  ASSERT_LOG (f, ids, times);
}

static void
test_start_in_past (Fixture *f, gconstpointer user_data)
{
  start (f, 0, 100);
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, 100), ==, 1);

  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*at_ns*now*");
  start (f, 1, 99);
  g_test_assert_expected_messages ();
  g_assert_false (sim_timer_is_armed (&f->timers[1].timer));

  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*at_ns*now*");
  sim_scheduler_call_at (f->sched, 50, call_fired, f, NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 0);
}

/* Each call schedules the next one from inside its callback, so the block
 * it just gave back is reused at once. */
static void
chain_call (void *data, void *arg)
{
  Fixture *f = data;
  guint n = GPOINTER_TO_UINT (arg);

  log_event (f, n);
  if (n + 1 < 100000)
    sim_scheduler_call_at (f->sched, sim_scheduler_now (f->sched) + n % 3,
                           chain_call, f, GUINT_TO_POINTER (n + 1));
}

static gsize
malloc_in_use_bytes (void)
{
#ifdef __GLIBC__
  return mallinfo2 ().uordblks;
#else
  return 0;
#endif
}

static void
test_call_pool (Fixture *f, gconstpointer user_data)
{
  SimTime t_ns = 0;
  gsize warm_bytes = 0;
  SimRng rng;

  sim_scheduler_call_at (f->sched, 0, chain_call, f, GUINT_TO_POINTER (0));
  g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER), ==,
                    100000);
  for (guint i = 0; i < 100000; i++)
    {
      g_assert_cmpuint (f->log_ids[i], ==, i);
      g_assert_cmpint (f->log_times_ns[i], ==, t_ns);
      t_ns += i % 3;
    }

  /* Bursts of 3000 pending calls (more than one chunk of the pool): every
   * call fires once with its own argument, and after the first burst the
   * pool and the heap have grown enough that nothing more is allocated. */
  sim_rng_seed (&rng, 3, "test/scheduler/pool");
  for (guint round = 0; round < 5; round++)
    {
      SimTime base_ns = sim_scheduler_now (f->sched);
      guint seen[3000] = { 0 };

      f->n_log = 0;
      for (guint i = 0; i < 3000; i++)
        sim_scheduler_call_at (f->sched,
                               base_ns + 1 + (SimTime) sim_rng_below (&rng, 50),
                               call_fired, f, GUINT_TO_POINTER (i));
      g_assert_cmpuint (sim_scheduler_pending (f->sched), ==, 3000);
      g_assert_cmpuint (sim_scheduler_run_until (f->sched, SIM_TIME_NEVER),
                        ==, 3000);
      g_assert_cmpuint (f->n_log, ==, 3000);
      for (guint i = 0; i < 3000; i++)
        {
          guint arg = f->log_ids[i] - 1000;

          g_assert_cmpuint (arg, <, 3000);
          seen[arg]++;
          if (i > 0)
            g_assert_cmpint (f->log_times_ns[i], >=, f->log_times_ns[i - 1]);
        }
      for (guint i = 0; i < 3000; i++)
        g_assert_cmpuint (seen[i], ==, 1);
      if (round == 0)
        warm_bytes = malloc_in_use_bytes ();
      else
        g_assert_cmpuint (malloc_in_use_bytes (), ==, warm_bytes);
    }
  g_assert_cmpuint (sim_scheduler_events_run (f->sched), ==, 100000 + 5 * 3000);
}

/* The stress test.  Every pending event is also a key in a GTree ordered
 * by (at_ns, seq); seq is counted here exactly as the scheduler counts it,
 * one per start or call.  Each firing must be the tree's first key. */

typedef struct {
  SimTime at_ns;
  guint64 seq;
} StressKey;

typedef struct Stress Stress;

typedef struct {
  SimTimer timer;
  StressKey key;
  gboolean in_ref;
  Stress *st;
} StressTimer;

struct Stress {
  SimScheduler *sched;
  SimRng rng;
  GTree *ref;
  StressTimer *timers;
  guint n_timers;
  guint64 next_seq;
  guint64 fired;
  guint64 target;
  StressKey last;
  guint64 n_rearm_later;
  guint64 n_rearm_earlier;
  guint64 n_rearm_same;
  guint64 n_stops;
  guint64 n_calls;
  guint64 n_ties;
};

static gint
stress_key_cmp (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const StressKey *x = a;
  const StressKey *y = b;

  if (x->at_ns != y->at_ns)
    return x->at_ns < y->at_ns ? -1 : 1;
  if (x->seq != y->seq)
    return x->seq < y->seq ? -1 : 1;
  return 0;
}

static SimTime
stress_delay_ns (Stress *st)
{
  switch (sim_rng_below (&st->rng, 4))
    {
    case 0:
      return 0;
    case 1:
      return (SimTime) sim_rng_below (&st->rng, 100);
    case 2:
      return (SimTime) sim_rng_below (&st->rng, 10000);
    case 3:
      return (SimTime) sim_rng_below (&st->rng, 1000000);
    default:
      g_assert_not_reached ();
    }
}

static void
stress_check_fired (Stress *st, StressKey *key)
{
  GTreeNode *first = g_tree_node_first (st->ref);

  g_assert_nonnull (first);
  g_assert_true (g_tree_node_key (first) == key);
  g_assert_cmpint (sim_scheduler_now (st->sched), ==, key->at_ns);
  g_assert_cmpint (stress_key_cmp (&st->last, key, NULL), <, 0);
  if (st->last.at_ns == key->at_ns)
    st->n_ties++;
  st->last = *key;
  g_tree_remove (st->ref, key);
  st->fired++;
}

static void
stress_start (Stress *st, StressTimer *t, SimTime at_ns)
{
  if (t->in_ref)
    {
      if (at_ns > t->key.at_ns)
        st->n_rearm_later++;
      else if (at_ns < t->key.at_ns)
        st->n_rearm_earlier++;
      else
        st->n_rearm_same++;
      g_tree_remove (st->ref, &t->key);
    }
  t->key.at_ns = at_ns;
  t->key.seq = st->next_seq++;
  sim_timer_start (st->sched, &t->timer, at_ns);
  g_tree_insert (st->ref, &t->key, t);
  t->in_ref = TRUE;
}

static void
stress_stop (Stress *st, StressTimer *t)
{
  if (t->in_ref)
    {
      g_tree_remove (st->ref, &t->key);
      st->n_stops++;
    }
  t->in_ref = FALSE;
  sim_timer_stop (st->sched, &t->timer);
}

static void stress_call_fired (void *data, void *arg);

static void
stress_call (Stress *st, SimTime at_ns)
{
  StressKey *key = g_new (StressKey, 1);

  key->at_ns = at_ns;
  key->seq = st->next_seq++;
  sim_scheduler_call_at (st->sched, at_ns, stress_call_fired, st, key);
  g_tree_insert (st->ref, key, NULL);
  st->n_calls++;
}

static void
stress_after_fire (Stress *st, StressTimer *self)
{
  SimTime now_ns = sim_scheduler_now (st->sched);
  StressTimer *other;

  if (st->fired >= st->target)
    return;
  /* Replace the event that just fired, so the pending count stays put. */
  if (self != NULL && sim_rng_below (&st->rng, 4) != 0)
    stress_start (st, self, now_ns + stress_delay_ns (st));
  else
    stress_call (st, now_ns + stress_delay_ns (st));

  /* Then act on some other timer: re-arm it (later, earlier or at the
   * same time as before) or stop it. */
  other = &st->timers[sim_rng_below (&st->rng, st->n_timers)];
  switch (sim_rng_below (&st->rng, 8))
    {
    case 0:
      stress_stop (st, other);
      break;
    case 1:
    case 2:
      stress_start (st, other, now_ns + stress_delay_ns (st));
      break;
    case 3:
      if (other->in_ref)
        stress_start (st, other, other->key.at_ns);
      break;
    default:
      break;
    }
}

static void
stress_timer_fired (SimTimer *timer, void *data)
{
  StressTimer *t = data;
  Stress *st = t->st;

  g_assert_true (t->in_ref);
  stress_check_fired (st, &t->key);
  t->in_ref = FALSE;
  stress_after_fire (st, t);
}

static void
stress_call_fired (void *data, void *arg)
{
  Stress *st = data;
  StressKey *key = arg;

  stress_check_fired (st, key);
  g_free (key);
  stress_after_fire (st, NULL);
}

static void
test_stress (void)
{
  Stress st = { 0 };
  guint64 ran;

  st.sched = sim_scheduler_new ();
  sim_rng_seed (&st.rng, 20240601, "test/scheduler/stress");
  st.ref = g_tree_new_full (stress_key_cmp, NULL, NULL, NULL);
  st.n_timers = 1000;
  st.timers = g_new0 (StressTimer, st.n_timers);
  st.target = 1000000;
  st.last.at_ns = -1;

  for (guint i = 0; i < st.n_timers; i++)
    {
      st.timers[i].st = &st;
      sim_timer_init (&st.timers[i].timer, stress_timer_fired, &st.timers[i]);
      stress_start (&st, &st.timers[i], stress_delay_ns (&st));
      stress_call (&st, stress_delay_ns (&st));
    }

  ran = sim_scheduler_run_until (st.sched, SIM_TIME_NEVER);

  g_assert_cmpuint (st.fired, >=, st.target);
  g_assert_cmpuint (ran, ==, st.fired);
  g_assert_cmpuint (sim_scheduler_events_run (st.sched), ==, st.fired);
  g_assert_cmpint (g_tree_nnodes (st.ref), ==, 0);
  g_assert_cmpuint (sim_scheduler_pending (st.sched), ==, 0);
  for (guint i = 0; i < st.n_timers; i++)
    g_assert_false (sim_timer_is_armed (&st.timers[i].timer));
  /* Every path was taken often, not just once. */
  g_assert_cmpuint (st.n_rearm_later, >, 10000);
  g_assert_cmpuint (st.n_rearm_earlier, >, 10000);
  g_assert_cmpuint (st.n_rearm_same, >, 10000);
  g_assert_cmpuint (st.n_stops, >, 10000);
  g_assert_cmpuint (st.n_calls, >, 100000);
  g_assert_cmpuint (st.n_ties, >, 10000);
  g_test_message ("fired %" G_GUINT64_FORMAT ", later %" G_GUINT64_FORMAT
                  ", earlier %" G_GUINT64_FORMAT ", same %" G_GUINT64_FORMAT
                  ", stops %" G_GUINT64_FORMAT ", calls %" G_GUINT64_FORMAT
                  ", ties %" G_GUINT64_FORMAT, st.fired, st.n_rearm_later,
                  st.n_rearm_earlier, st.n_rearm_same, st.n_stops, st.n_calls,
                  st.n_ties);

  for (guint i = 0; i < st.n_timers; i++)
    sim_timer_clear (st.sched, &st.timers[i].timer);
  g_free (st.timers);
  g_tree_unref (st.ref);
  sim_scheduler_free (st.sched);
}

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

/* The progress hook runs every N events, between events, and leaves the
 * order and count of events exactly as without it. */
typedef struct {
  GArray *order;
  guint progress_calls;
  guint64 events_at_calls_sum;
  SimScheduler *sched;
} ProgressRun;

static void
progress_record (SimTimer *timer, void *data)
{
  ProgressRun *pr = data;
  g_array_append_val (pr->order, timer->node.seq);
}

static void
progress_hook (void *data)
{
  ProgressRun *pr = data;

  pr->progress_calls++;
  pr->events_at_calls_sum += sim_scheduler_events_run (pr->sched);
}

static void
run_progress_case (gboolean hooked, GArray *order, guint *calls)
{
  g_autoptr (SimScheduler) sched = sim_scheduler_new ();
  SimTimer timers[100];
  ProgressRun pr = { order, 0, 0, sched };

  for (guint i = 0; i < G_N_ELEMENTS (timers); i++)
    {
      sim_timer_init (&timers[i], progress_record, &pr);
      sim_timer_start (sched, &timers[i], SIM_NS ((i * 7919) % 37));
    }
  if (hooked)
    sim_scheduler_set_progress (sched, 10, progress_hook, &pr);
  g_assert_cmpuint (sim_scheduler_run_until (sched, SIM_TIME_NEVER), ==, 100);
  *calls = pr.progress_calls;
  if (hooked)
    /* Called after events 10, 20, ... 100. */
    g_assert_cmpuint (pr.events_at_calls_sum, ==, 550);
}

static void
test_progress_hook (void)
{
  g_autoptr (GArray) plain = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr (GArray) hooked = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint calls_plain;
  guint calls_hooked;

  run_progress_case (FALSE, plain, &calls_plain);
  run_progress_case (TRUE, hooked, &calls_hooked);
  g_assert_cmpuint (calls_plain, ==, 0);
  g_assert_cmpuint (calls_hooked, ==, 10);
  g_assert_cmpmem (plain->data, plain->len * sizeof (guint64), hooked->data,
                   hooked->len * sizeof (guint64));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/scheduler/empty", test_empty);
  ADD ("/scheduler/fifo-ties", test_fifo_ties);
  ADD ("/scheduler/schedule-now-in-callback", test_schedule_now_in_callback);
  ADD ("/scheduler/cancel-in-callback", test_cancel_in_callback);
  ADD ("/scheduler/cancel-restart-in-callback",
       test_cancel_restart_in_callback);
  ADD ("/scheduler/rearm/later", test_rearm_later);
  ADD ("/scheduler/rearm/same-time", test_rearm_same_time);
  ADD ("/scheduler/rearm/earlier", test_rearm_earlier);
  ADD ("/scheduler/rearm/stopped", test_restart_stopped);
  ADD ("/scheduler/rearm/own-callback", test_rearm_in_own_callback);
  ADD ("/scheduler/never", test_never);
  ADD ("/scheduler/run-until-boundaries", test_run_until_boundaries);
  ADD ("/scheduler/stop", test_stop);
  ADD ("/scheduler/timer-clear", test_timer_clear);
  ADD ("/scheduler/start-in-past", test_start_in_past);
  ADD ("/scheduler/call-pool", test_call_pool);
  g_test_add_func ("/scheduler/stress", test_stress);
  g_test_add_func ("/scheduler/progress-hook", test_progress_hook);
  return g_test_run ();
}

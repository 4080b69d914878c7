/* bench_scheduler.c: a micro-benchmark of the event scheduler.
 *
 * The load imitates a busy simulation without any model code:
 *   - TIMERS timers, each re-armed from its own callback a little later
 *     (the steady churn of per-connection timers);
 *   - on every firing, another random timer restarted (a retransmission
 *     timer pushed back on each ACK; mostly later, so the lazy re-arm path
 *     is the one exercised);
 *   - on one firing in four, a one-shot call (a packet arrival).
 * It runs until EVENTS callbacks have run and prints wall time, events,
 * events per second and peak RSS.
 *
 * Usage: bench-scheduler [EVENTS] [TIMERS] [SEED]
 * (defaults 10000000, 1000 and 1).  Measure in a release build; see
 * bench/meson.build.  The heap holds about TIMERS * 1.07 events, so TIMERS
 * sets how deep each heap operation goes.
 */
#include "sim/rng.h"
#include "sim/scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

typedef struct Bench Bench;

typedef struct {
  SimTimer timer;
  Bench *bench;
} BenchTimer;

struct Bench {
  SimScheduler *sched;
  SimRng rng;
  BenchTimer *timers;
  guint64 n_timers;
  guint64 target_events;
  guint64 n_events;
  guint64 n_timer_fires;
  guint64 n_calls;
  guint64 n_restarts;
};

static void
bench_count (Bench *b)
{
  if (++b->n_events >= b->target_events)
    sim_scheduler_stop (b->sched);
}

static void
call_fired (void *data, void *arg)
{
  bench_count (data);
}

static void
timer_fired (SimTimer *timer, void *data)
{
  BenchTimer *t = data;
  Bench *b = t->bench;
  SimTime now_ns = sim_scheduler_now (b->sched);
  /* One draw feeds every choice, so the generator's cost stays small next
   * to the scheduler's. */
  guint64 r = sim_rng_next_u64 (&b->rng);
  BenchTimer *other = &b->timers[(r >> 32) % b->n_timers];

  b->n_timer_fires++;
  bench_count (b);

  /* Delays up to 65 us, and ties when two land on the same nanosecond. */
  sim_timer_start (b->sched, timer, now_ns + 1 + (SimTime) (r & 0xffff));
  sim_timer_start (b->sched, &other->timer,
                   now_ns + 1 + (SimTime) ((r >> 16) & 0x1ffff));
  b->n_restarts++;
  if (((r >> 60) & 3) == 0)
    {
      sim_scheduler_call_at (b->sched,
                             now_ns + (SimTime) ((r >> 34) & 0x7fff),
                             call_fired, b, NULL);
      b->n_calls++;
    }
}

static gboolean
parse_arg (const char *text, const char *what, guint64 min, guint64 *out)
{
  g_autoptr (GError) error = NULL;

  if (!g_ascii_string_to_unsigned (text, 10, min, G_MAXUINT64, out, &error))
    {
      fprintf (stderr, "bench-scheduler: %s: %s\n", what, error->message);
      return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  Bench b = { 0 };
  guint64 seed = 1;
  gint64 t0_us;
  gint64 t1_us;
  double wall_s;
  double cpu_s;
  struct rusage ru;

  b.target_events = 10000000;
  b.n_timers = 1000;
  if (argc > 4
      || (argc > 1 && !parse_arg (argv[1], "EVENTS", 1, &b.target_events))
      || (argc > 2 && !parse_arg (argv[2], "TIMERS", 1, &b.n_timers))
      || (argc > 3 && !parse_arg (argv[3], "SEED", 0, &seed)))
    {
      fprintf (stderr, "usage: bench-scheduler [EVENTS] [TIMERS] [SEED]\n");
      return 2;
    }

  b.sched = sim_scheduler_new ();
  sim_rng_seed (&b.rng, seed, "bench/scheduler");
  b.timers = g_new0 (BenchTimer, b.n_timers);
  for (guint64 i = 0; i < b.n_timers; i++)
    {
      b.timers[i].bench = &b;
      sim_timer_init (&b.timers[i].timer, timer_fired, &b.timers[i]);
      sim_timer_start (b.sched, &b.timers[i].timer,
                       (SimTime) sim_rng_below (&b.rng, 65536));
    }

  /* Wall-clock time is read only here, to report speed; it never reaches
   * the simulation. */
  t0_us = g_get_monotonic_time ();
  sim_scheduler_run_until (b.sched, SIM_TIME_NEVER);
  t1_us = g_get_monotonic_time ();
  wall_s = (double) (t1_us - t0_us) / 1e6;
  getrusage (RUSAGE_SELF, &ru);
  cpu_s = (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
          + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;

  printf ("events:        %" G_GUINT64_FORMAT "\n", b.n_events);
  printf ("timers:        %" G_GUINT64_FORMAT "\n", b.n_timers);
  printf ("timer fires:   %" G_GUINT64_FORMAT "\n", b.n_timer_fires);
  printf ("restarts:      %" G_GUINT64_FORMAT "\n", b.n_restarts);
  printf ("one-shot calls scheduled: %" G_GUINT64_FORMAT "\n", b.n_calls);
  printf ("pending at end: %u\n", sim_scheduler_pending (b.sched));
  printf ("simulated time: %.6f s\n",
          (double) sim_scheduler_now (b.sched) / 1e9);
  printf ("wall time:     %.3f s\n", wall_s);
  printf ("events/s:      %.0f (%.1f M)\n", (double) b.n_events / wall_s,
          (double) b.n_events / wall_s / 1e6);
  /* CPU time too: on a shared machine it varies less than wall time.  It
   * includes the set-up, which is small next to the run. */
  printf ("cpu time:      %.3f s (%.1f M events per cpu-second)\n", cpu_s,
          (double) b.n_events / cpu_s / 1e6);
  /* Linux reports ru_maxrss in KiB. */
  printf ("peak RSS:      %ld KiB (%.1f MiB)\n", ru.ru_maxrss,
          (double) ru.ru_maxrss / 1024.0);

  for (guint64 i = 0; i < b.n_timers; i++)
    sim_timer_clear (b.sched, &b.timers[i].timer);
  g_free (b.timers);
  sim_scheduler_free (b.sched);
  return 0;
}

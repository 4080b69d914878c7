/* clock.h: simulated time, an integer count of nanoseconds since t = 0.
 *
 * Time is converted to and from text only at the edges (scenario files,
 * the command line, printed output); inside the simulator it is always a
 * SimTime, so event order never depends on floating-point rounding.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint64 SimTime;                 /* ns since t=0; ~292 years */

#define SIM_TIME_NEVER G_MAXINT64

#define SIM_NS(x) ((SimTime) (x))
#define SIM_US(x) ((SimTime) (x) * G_GINT64_CONSTANT (1000))
#define SIM_MS(x) ((SimTime) (x) * G_GINT64_CONSTANT (1000000))
#define SIM_S(x)  ((SimTime) (x) * G_GINT64_CONSTANT (1000000000))

/* Buffer large enough for any sim_time_format_buf() result. */
#define SIM_TIME_FORMAT_BYTES 32

#define SIM_CLOCK_ERROR (sim_clock_error_quark ())
GQuark sim_clock_error_quark (void);

typedef enum {
  SIM_CLOCK_ERROR_SYNTAX,
  SIM_CLOCK_ERROR_UNIT,
  SIM_CLOCK_ERROR_RANGE,
  SIM_CLOCK_ERROR_PRECISION,
} SimClockError;

/* Parses a duration such as "1.5ms", "10 s", "250us", "42ns" or "2min"
 * exactly, digit by digit, never through a double.  A bare number without
 * a unit is an error: every quantity carries its unit.  Negative values
 * are rejected.  Sets @error on a syntax error, an unknown unit, a value
 * that overflows or one finer than a nanosecond. */
gboolean sim_time_parse (const char *text, SimTime *out_ns, GError **error);

/* Formats @t_ns as whole seconds plus nine digits ("1.500000000"). */
void sim_time_format_buf (SimTime t_ns, char buf[SIM_TIME_FORMAT_BYTES]);

/* Returns: (transfer full): the same text as sim_time_format_buf(). */
char *sim_time_format (SimTime t_ns);

/* Formats @t_ns with the largest unit that keeps it exact and short:
 * "10ms", "1.5s", "200us", "0s".  Used in diagrams and summaries. */
void sim_time_format_short (SimTime t_ns, char buf[SIM_TIME_FORMAT_BYTES]);

G_END_DECLS

/* test_clock.c: exact parsing and formatting of SimTime.
 *
 * The parse vectors are the ones a scenario author writes ("1.5ms",
 * "0.1s"); the point of parsing digit by digit is that they come out exact,
 * so every expected value is an integer literal, never a computed double.
 */
#include "sim/clock.h"
#include "sim/rng.h"

#include <string.h>

typedef struct {
  const char *text;
  SimTime ns;
} ParseOk;

static const ParseOk parse_ok[] = {
  { "1.5ms", G_GINT64_CONSTANT (1500000) },
  { "0.1s", G_GINT64_CONSTANT (100000000) },
  { "10 s", G_GINT64_CONSTANT (10000000000) },
  { "42ns", 42 },
  { "2min", G_GINT64_CONSTANT (120000000000) },
  { "250us", G_GINT64_CONSTANT (250000) },
  { "1h", G_GINT64_CONSTANT (3600000000000) },
  { "1.25h", G_GINT64_CONSTANT (4500000000000) },
  { "0.5min", G_GINT64_CONSTANT (30000000000) },
  { "0s", 0 },
  { "0ns", 0 },
  { "0.000ms", 0 },
  { "  7ms", G_GINT64_CONSTANT (7000000) },
  { "0.000000001s", 1 },
  { "0.001us", 1 },
  { "1.000000000000000000000000s", G_GINT64_CONSTANT (1000000000) },
  { "123.456789ms", G_GINT64_CONSTANT (123456789) },
  /* Exact although the fraction has more digits than the unit has
   * factors of ten: 5e-11 min is 3 ns, 2.5e-12 h is 9 ns. */
  { "0.00000000005min", 3 },
  { "0.0000000000025h", 9 },
  { "9223372036854775807ns", G_MAXINT64 },
  { "9223372036.854775807s", G_MAXINT64 },
  { "2562047h", G_GINT64_CONSTANT (9223369200000000000) },
};

typedef struct {
  const char *text;
  SimClockError code;
} ParseBad;

static const ParseBad parse_bad[] = {
  { "", SIM_CLOCK_ERROR_SYNTAX },
  { "   ", SIM_CLOCK_ERROR_SYNTAX },
  { "ms", SIM_CLOCK_ERROR_SYNTAX },
  { ".", SIM_CLOCK_ERROR_SYNTAX },
  { "10", SIM_CLOCK_ERROR_UNIT },
  { "1.5", SIM_CLOCK_ERROR_UNIT },
  { "10 parsecs", SIM_CLOCK_ERROR_UNIT },
  { "10msec", SIM_CLOCK_ERROR_UNIT },
  { "10MS", SIM_CLOCK_ERROR_UNIT },
  { "1e3ms", SIM_CLOCK_ERROR_UNIT },
  { "-1s", SIM_CLOCK_ERROR_RANGE },
  { " -0ms", SIM_CLOCK_ERROR_RANGE },
  { "0.5ns", SIM_CLOCK_ERROR_PRECISION },
  { "0.0000000001s", SIM_CLOCK_ERROR_PRECISION },
  { "0.00000000001min", SIM_CLOCK_ERROR_PRECISION },
  { "1.0000000000000000001s", SIM_CLOCK_ERROR_PRECISION },
  { "9223372036854775808ns", SIM_CLOCK_ERROR_RANGE },
  { "99999999999999999999ns", SIM_CLOCK_ERROR_RANGE },
  { "9223372036.854775808s", SIM_CLOCK_ERROR_RANGE },
  { "2562048h", SIM_CLOCK_ERROR_RANGE },
  { "100000000000000000000000000h", SIM_CLOCK_ERROR_RANGE },
};

typedef struct {
  SimTime ns;
  const char *text;
} FormatCase;

static const FormatCase format_cases[] = {
  { 0, "0.000000000" },
  { 1, "0.000000001" },
  { G_GINT64_CONSTANT (1500000), "0.001500000" },
  { G_GINT64_CONSTANT (1500000000), "1.500000000" },
  { G_GINT64_CONSTANT (60000000000), "60.000000000" },
  { G_MAXINT64, "9223372036.854775807" },
  { -1, "-0.000000001" },
  { G_GINT64_CONSTANT (-1500000000), "-1.500000000" },
  { G_MININT64, "-9223372036.854775808" },
};

static const FormatCase format_short_cases[] = {
  { 0, "0s" },
  { 42, "42ns" },
  { 999, "999ns" },
  { 1000, "1us" },
  { 1500, "1.5us" },
  { 1001, "1.001us" },
  { G_GINT64_CONSTANT (200000), "200us" },
  { G_GINT64_CONSTANT (1234567), "1234.567us" },
  { G_GINT64_CONSTANT (1250000), "1.25ms" },
  { G_GINT64_CONSTANT (10000000), "10ms" },
  { G_GINT64_CONSTANT (1500000000), "1.5s" },
  { G_GINT64_CONSTANT (1001000000), "1.001s" },
  { G_GINT64_CONSTANT (1000001000), "1000.001ms" },
  { G_GINT64_CONSTANT (1000000001), "1000000.001us" },
  { G_GINT64_CONSTANT (60000000000), "60s" },
  { -5, "-5ns" },
};

static void
test_parse_ok (gconstpointer data)
{
  const ParseOk *c = data;
  g_autoptr (GError) error = NULL;
  SimTime t_ns = -1;

  g_assert_true (sim_time_parse (c->text, &t_ns, &error));
  g_assert_no_error (error);
  g_assert_cmpint (t_ns, ==, c->ns);
}

static void
test_parse_bad (gconstpointer data)
{
  const ParseBad *c = data;
  g_autoptr (GError) error = NULL;
  SimTime t_ns = 0;

  g_assert_false (sim_time_parse (c->text, &t_ns, &error));
  g_assert_error (error, SIM_CLOCK_ERROR, (gint) c->code);
  /* The message quotes what the user wrote so it can be found. */
  g_assert_nonnull (strstr (error->message, c->text));
}

static void
test_parse_null_error (void)
{
  SimTime t_ns = 0;

  /* Callers that do not want the message may pass NULL. */
  g_assert_false (sim_time_parse ("10", &t_ns, NULL));
  g_assert_true (sim_time_parse ("10us", &t_ns, NULL));
  g_assert_cmpint (t_ns, ==, 10000);
}

static void
test_format (gconstpointer data)
{
  const FormatCase *c = data;
  char buf[SIM_TIME_FORMAT_BYTES];
  g_autofree char *dup = NULL;

  sim_time_format_buf (c->ns, buf);
  g_assert_cmpstr (buf, ==, c->text);
  dup = sim_time_format (c->ns);
  g_assert_cmpstr (dup, ==, c->text);
}

static void
test_format_short (gconstpointer data)
{
  const FormatCase *c = data;
  char buf[SIM_TIME_FORMAT_BYTES];

  sim_time_format_short (c->ns, buf);
  g_assert_cmpstr (buf, ==, c->text);
}

/* Whatever the formatters print, the parser must read back exactly. */
static void
test_round_trip (void)
{
  SimRng rng;

  sim_rng_seed (&rng, 7, "test/clock/round-trip");
  for (guint i = 0; i < 100000; i++)
    {
      /* Mix magnitudes so every unit of format_short is exercised. */
      guint shift = (guint) sim_rng_below (&rng, 63);
      SimTime t_ns = (SimTime) (sim_rng_next_u64 (&rng) >> (1 + shift));
      char buf[SIM_TIME_FORMAT_BYTES];
      g_autofree char *with_unit = NULL;
      SimTime back_ns = -1;

      if (i % 3 == 0)
        t_ns -= t_ns % 1000000;         /* a whole number of ms */
      sim_time_format_short (t_ns, buf);
      g_assert_true (sim_time_parse (buf, &back_ns, NULL));
      g_assert_cmpint (back_ns, ==, t_ns);

      sim_time_format_buf (t_ns, buf);
      with_unit = g_strconcat (buf, "s", NULL);
      g_assert_true (sim_time_parse (with_unit, &back_ns, NULL));
      g_assert_cmpint (back_ns, ==, t_ns);
    }
}

static void
test_macros (void)
{
  g_assert_cmpint (SIM_NS (7), ==, 7);
  g_assert_cmpint (SIM_US (7), ==, 7000);
  g_assert_cmpint (SIM_MS (7), ==, 7000000);
  g_assert_cmpint (SIM_S (7), ==, G_GINT64_CONSTANT (7000000000));
  /* No int overflow in the macro: 3000 s does not fit in 32 bits of ns. */
  g_assert_cmpint (SIM_S (3000), ==, G_GINT64_CONSTANT (3000000000000));
  g_assert_cmpint (SIM_TIME_NEVER, ==, G_MAXINT64);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (parse_ok); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/clock/parse/ok/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &parse_ok[i], test_parse_ok);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (parse_bad); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/clock/parse/bad/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &parse_bad[i], test_parse_bad);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/clock/format/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &format_cases[i], test_format);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (format_short_cases); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/clock/format-short/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &format_short_cases[i], test_format_short);
    }
  g_test_add_func ("/clock/parse/null-error", test_parse_null_error);
  g_test_add_func ("/clock/round-trip", test_round_trip);
  g_test_add_func ("/clock/macros", test_macros);
  return g_test_run ();
}

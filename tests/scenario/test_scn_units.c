/* test_scn_units.c: exact parsing of sizes, rates, probabilities, times,
 * counts, booleans, addresses and names (scenarios/scn_units.c).
 *
 * Each table row is one vector: the text, whether it parses, the exact
 * value, and for failures the exact message.  Paths:
 * /scenario/units/<kind>/<index>.
 */
#include <string.h>

#include "scenarios/scn_units.h"

typedef struct {
  const char *text;
  guint64 value;                /* when message is NULL */
  const char *message;          /* NULL: must parse */
} U64Vector;

static const U64Vector size_vectors[] = {
  { "0B", 0, NULL },
  { "159B", 159, NULL },
  { "1KB", 1000, NULL },
  { "1KiB", 1024, NULL },
  { "1.5KB", 1500, NULL },
  { "0.5KiB", 512, NULL },
  { "100MB", G_GUINT64_CONSTANT (100000000), NULL },
  { "1MiB", G_GUINT64_CONSTANT (1048576), NULL },
  { "1GiB", G_GUINT64_CONSTANT (1073741824), NULL },
  { "2GB", G_GUINT64_CONSTANT (2000000000), NULL },
  { "1.500000000000000000000000KB", 1500, NULL },
  { "0.001KB", 1, NULL },
  { ".5KB", 500, NULL },
  { "10 KB", 10000, NULL },
  { "16777216GiB", G_GUINT64_CONSTANT (18014398509481984), NULL },
  { "159", 0, "size '159' needs a unit (B, KB, KiB, MB, MiB, GB or GiB)" },
  { "1.5B", 0, "size '1.5B' is not a whole number of B" },
  { "0.0001KB", 0, "size '0.0001KB' is not a whole number of B" },
  { "5kb", 0, "unknown size unit 'kb' in '5kb' (did you mean 'KB'?): "
    "expected B, KB, KiB, MB, MiB, GB or GiB" },
  { "5 bytes", 0, "unknown size unit 'bytes' in '5 bytes': expected B, KB, "
    "KiB, MB, MiB, GB or GiB" },
  { "-1B", 0, "a size cannot be negative: '-1B'" },
  { "", 0, "expected a size such as 159B or 1.5MB, got ''" },
  { "B", 0, "expected a size such as 159B or 1.5MB, got 'B'" },
  { ".", 0, "expected a size such as 159B or 1.5MB, got '.'" },
  { "18446744073709551616B", 0, "size '18446744073709551616B' is too large" },
  { "17179869184GiB", 0, "size '17179869184GiB' is too large" },
  { "0.00000000000000000001KB", 0,
    "size '0.00000000000000000001KB' has too many digits" },
  { "1e3B", 0, "unknown size unit 'e3B' in '1e3B': expected B, KB, KiB, MB, "
    "MiB, GB or GiB" },
};

static const U64Vector rate_vectors[] = {
  { "10Mbps", G_GUINT64_CONSTANT (10000000), NULL },
  { "1.5Mbps", G_GUINT64_CONSTANT (1500000), NULL },
  { "64kbps", 64000, NULL },
  { "1Gbps", G_GUINT64_CONSTANT (1000000000), NULL },
  { "9600bps", 9600, NULL },
  { "0bps", 0, NULL },
  { "0.000000001Gbps", 1, NULL },
  { "10", 0, "rate '10' needs a unit (bps, kbps, Mbps or Gbps)" },
  { "10mbps", 0, "unknown rate unit 'mbps' in '10mbps' (did you mean "
    "'Mbps'?): expected bps, kbps, Mbps or Gbps" },
  { "10MB", 0, "unknown rate unit 'MB' in '10MB': expected bps, kbps, Mbps "
    "or Gbps" },
  { "0.5bps", 0, "rate '0.5bps' is not a whole number of bps" },
  { "-3Mbps", 0, "a rate cannot be negative: '-3Mbps'" },
  { "fast", 0, "expected a rate such as 10Mbps, got 'fast'" },
};

static const U64Vector count_vectors[] = {
  { "0", 0, NULL },
  { "42", 42, NULL },
  { "18446744073709551615", G_MAXUINT64, NULL },
  { "18446744073709551616", 0, "number '18446744073709551616' is too large" },
  { "", 0, "expected a whole number, got ''" },
  { "1.0", 0, "expected a whole number, got '1.0'" },
  { "-1", 0, "expected a whole number, got '-1' (negative numbers are not "
    "allowed)" },
  { "10s", 0, "expected a whole number, got '10s'" },
  { "0x10", 0, "expected a whole number, got '0x10'" },
};

static const U64Vector time_vectors[] = {
  { "0s", 0, NULL },
  { "5ms", G_GUINT64_CONSTANT (5000000), NULL },
  { "1.5ms", G_GUINT64_CONSTANT (1500000), NULL },
  { "0.1s", G_GUINT64_CONSTANT (100000000), NULL },
  { "250us", G_GUINT64_CONSTANT (250000), NULL },
  { "42ns", 42, NULL },
  { "2min", G_GUINT64_CONSTANT (120000000000), NULL },
  { "5", 0, "duration '5' needs a unit (ns, us, ms, s, min or h)" },
  { "5sec", 0, "unknown time unit 'sec' in '5sec': expected ns, us, ms, s, "
    "min or h" },
  { "5mS", 0, "unknown time unit 'mS' in '5mS' (did you mean 'ms'?): "
    "expected ns, us, ms, s, min or h" },
  { "-5ms", 0, "a duration cannot be negative: '-5ms'" },
  { "0.5ns", 0, "duration '0.5ns' is finer than one nanosecond" },
  { "soon", 0, "expected a duration such as 10ms, got 'soon'" },
  { "\x01\x02ms", 0, "expected a duration such as 10ms, got '\\x01\\x02ms'" },
};

typedef enum {
  KIND_SIZE,
  KIND_RATE,
  KIND_COUNT,
  KIND_TIME,
} U64Kind;

typedef struct {
  U64Kind kind;
  const U64Vector *v;
} U64Case;

static gboolean
parse_u64 (U64Kind kind, const char *text, guint64 *out, GError **error)
{
  switch (kind)
    {
    case KIND_SIZE:
      return scn_parse_size (text, out, error);
    case KIND_RATE:
      return scn_parse_rate (text, out, error);
    case KIND_COUNT:
      return scn_parse_count (text, out, error);
    case KIND_TIME:
      {
        SimTime t = -1;

        if (!scn_parse_time (text, &t, error))
          return FALSE;
        *out = (guint64) t;
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

static void
test_u64 (gconstpointer data)
{
  const U64Case *c = data;
  g_autoptr (GError) err = NULL;
  guint64 value = G_GUINT64_CONSTANT (0xdeadbeef);
  gboolean ok = parse_u64 (c->kind, c->v->text, &value, &err);

  if (c->v->message == NULL)
    {
      g_assert_no_error (err);
      g_assert_true (ok);
      g_assert_cmpuint (value, ==, c->v->value);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (err, SCN_ERROR, err->code);
      g_assert_cmpstr (err->message, ==, c->v->message);
      /* A failed parse leaves the output alone. */
      g_assert_cmpuint (value, ==, G_GUINT64_CONSTANT (0xdeadbeef));
    }
}

typedef struct {
  const char *text;
  double value;
  const char *message;
} ProbVector;

static const ProbVector prob_vectors[] = {
  { "0", 0.0, NULL },
  { "0%", 0.0, NULL },
  { "1%", 0.01, NULL },
  { "0.01", 0.01, NULL },
  { "0.5%", 0.005, NULL },
  { "100%", 1.0, NULL },
  { "1", 1.0, NULL },
  { "1.0", 1.0, NULL },
  { "0.1", 0.1, NULL },
  { "33.3%", 0.333, NULL },
  { "0.000001", 1e-6, NULL },
  { "101%", 0.0, "probability '101%' is above 100%" },
  { "1.5", 0.0, "probability '1.5' is above 1 (write a percentage as 1.5%)" },
  { "-1%", 0.0, "a probability cannot be negative: '-1%'" },
  { "1 %", 0.01, NULL },
  { "1pct", 0.0, "expected a probability such as 1% or 0.01, got '1pct'" },
  { "half", 0.0, "expected a probability such as 1% or 0.01, got 'half'" },
  { "0.12345678901234567890123", 0.0,
    "probability '0.12345678901234567890123' has too many digits" },
};

static void
test_prob (gconstpointer data)
{
  const ProbVector *v = data;
  g_autoptr (GError) err = NULL;
  double p = -1.0;
  gboolean ok = scn_parse_prob (v->text, &p, &err);

  if (v->message == NULL)
    {
      g_assert_no_error (err);
      g_assert_true (ok);
      /* Exact: the parse must give the same double as the C literal. */
      g_assert_cmpmem (&p, sizeof p, &v->value, sizeof v->value);
    }
  else
    {
      g_assert_false (ok);
      g_assert_cmpstr (err->message, ==, v->message);
    }
}

static void
test_bool (void)
{
  static const char *const yes[] = { "on", "yes", "true", "ON", "Yes" };
  static const char *const no[] = { "off", "no", "false", "OFF" };
  g_autoptr (GError) err = NULL;
  gboolean b;

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      b = FALSE;
      g_assert_true (scn_parse_bool (yes[i], &b, NULL));
      g_assert_true (b);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (no); i++)
    {
      b = TRUE;
      g_assert_true (scn_parse_bool (no[i], &b, NULL));
      g_assert_false (b);
    }
  g_assert_false (scn_parse_bool ("1", &b, &err));
  g_assert_cmpstr (err->message, ==,
                   "expected on/off, yes/no or true/false, got '1'");
}

static void
test_ipv4 (void)
{
  static const char *const bad[] = {
    "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "1..2.3", "a.b.c.d",
    "0001.2.3.4", "1.2.3.-4",
  };
  guint32 a = 0;
  g_autoptr (GError) err = NULL;

  g_assert_true (scn_parse_ipv4 ("172.16.17.94", &a, NULL));
  g_assert_cmphex (a, ==, 0xac10115e);
  g_assert_true (scn_parse_ipv4 ("0.0.0.0", &a, NULL));
  g_assert_cmphex (a, ==, 0);
  g_assert_true (scn_parse_ipv4 ("255.255.255.255", &a, NULL));
  g_assert_cmphex (a, ==, 0xffffffff);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_error (&err);
      g_assert_false (scn_parse_ipv4 (bad[i], &a, &err));
      g_assert_true (g_str_has_prefix (err->message,
                                       "expected an IPv4 address such as "
                                       "10.0.0.1, got '"));
    }
}

static void
test_port (void)
{
  guint16 port = 0;
  g_autoptr (GError) err = NULL;

  g_assert_true (scn_parse_port ("8080", &port, NULL));
  g_assert_cmpuint (port, ==, 8080);
  g_assert_true (scn_parse_port ("1", &port, NULL));
  g_assert_true (scn_parse_port ("65535", &port, NULL));
  g_assert_cmpuint (port, ==, 65535);
  g_assert_false (scn_parse_port ("0", &port, &err));
  g_assert_cmpstr (err->message, ==,
                   "expected a port from 1 to 65535, got '0'");
  g_clear_error (&err);
  g_assert_false (scn_parse_port ("65536", &port, &err));
  g_assert_cmpstr (err->message, ==,
                   "expected a port from 1 to 65535, got '65536'");
}

static void
test_names (void)
{
  g_autofree char *long_name = g_strnfill (SCN_NAME_MAX_BYTES, 'a');
  g_autofree char *too_long = g_strnfill (SCN_NAME_MAX_BYTES + 1, 'a');

  g_assert_true (scn_is_name ("client"));
  g_assert_true (scn_is_name ("_x"));
  g_assert_true (scn_is_name ("h-1_b"));
  g_assert_true (scn_is_name (long_name));
  g_assert_false (scn_is_name (too_long));
  g_assert_false (scn_is_name (""));
  g_assert_false (scn_is_name ("1host"));
  g_assert_false (scn_is_name ("a.b"));
  g_assert_false (scn_is_name ("a>b"));
  g_assert_false (scn_is_name ("a:b"));
  g_assert_false (scn_is_name ("-a"));
}

static void
test_format (void)
{
  static const struct {
    guint64 bytes;
    const char *text;
  } sizes[] = {
    { 0, "0B" }, { 1460, "1460B" }, { 1000, "1KB" }, { 1024, "1KiB" },
    { 1500000, "1500KB" }, { 1048576, "1MiB" }, { 1073741824, "1GiB" },
    { 65535, "65535B" },
  };
  char buf[SCN_FORMAT_BYTES];

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint64 back = 0;

      scn_format_size (sizes[i].bytes, buf);
      g_assert_cmpstr (buf, ==, sizes[i].text);
      /* What is printed parses back to the same value. */
      g_assert_true (scn_parse_size (buf, &back, NULL));
      g_assert_cmpuint (back, ==, sizes[i].bytes);
    }
  scn_format_rate (G_GUINT64_CONSTANT (10000000), buf);
  g_assert_cmpstr (buf, ==, "10Mbps");
  scn_format_rate (1500, buf);
  g_assert_cmpstr (buf, ==, "1500bps");
  scn_format_rate (G_GUINT64_CONSTANT (1000000000000), buf);
  g_assert_cmpstr (buf, ==, "1000Gbps");
}

static void
add_u64_cases (const char *kind_name, U64Kind kind, const U64Vector *v,
               gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      U64Case *c = g_new (U64Case, 1);
      g_autofree char *path = g_strdup_printf ("/scenario/units/%s/%02"
                                               G_GSIZE_FORMAT, kind_name, i);

      c->kind = kind;
      c->v = &v[i];
      g_test_add_data_func_full (path, c, test_u64, g_free);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_u64_cases ("size", KIND_SIZE, size_vectors,
                 G_N_ELEMENTS (size_vectors));
  add_u64_cases ("rate", KIND_RATE, rate_vectors,
                 G_N_ELEMENTS (rate_vectors));
  add_u64_cases ("count", KIND_COUNT, count_vectors,
                 G_N_ELEMENTS (count_vectors));
  add_u64_cases ("time", KIND_TIME, time_vectors,
                 G_N_ELEMENTS (time_vectors));
  for (gsize i = 0; i < G_N_ELEMENTS (prob_vectors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scenario/units/prob/%02"
                                               G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &prob_vectors[i], test_prob);
    }
  g_test_add_func ("/scenario/units/bool", test_bool);
  g_test_add_func ("/scenario/units/ipv4", test_ipv4);
  g_test_add_func ("/scenario/units/port", test_port);
  g_test_add_func ("/scenario/units/names", test_names);
  g_test_add_func ("/scenario/units/format", test_format);
  return g_test_run ();
}

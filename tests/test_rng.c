/* test_rng.c: the named random streams.
 *
 * The generator and the seeding are fixed in-tree so that a scenario gives
 * the same losses on every machine.  The vectors below were computed once,
 * with an independent implementation of FNV-1a, splitmix64 and
 * xoshiro256** written from the published algorithms, and are hard-coded
 * here: any change to the algorithm or the seeding fails this test.
 */
#include "sim/rng.h"

#include <math.h>
#include <string.h>

typedef struct {
  guint64 run_seed;
  const char *name;
  guint64 state[4];             /* after seeding */
  guint64 out[4];               /* first four outputs */
} RngVector;

static const RngVector vectors[] = {
  { 0, "",
    { G_GUINT64_CONSTANT (0xf0536bc01d3ae9d2),
      G_GUINT64_CONSTANT (0xce7625007a6751a1),
      G_GUINT64_CONSTANT (0x935058b0a51a2dbf),
      G_GUINT64_CONSTANT (0x007b64b6e6cdd26f) },
    { G_GUINT64_CONSTANT (0x62408ac214aca6a4),
      G_GUINT64_CONSTANT (0xca78e9134aaa6fb9),
      G_GUINT64_CONSTANT (0x9a1fb3cbedc01f59),
      G_GUINT64_CONSTANT (0x717a6c32834e8bd6) } },
  { 1, "link/l1/loss",
    { G_GUINT64_CONSTANT (0xc54fb5e93bce0c7b),
      G_GUINT64_CONSTANT (0x3194e4cdf0789c94),
      G_GUINT64_CONSTANT (0xe35174b118864dfe),
      G_GUINT64_CONSTANT (0x70bf313f5daead25) },
    { G_GUINT64_CONSTANT (0x961c19a299c30653),
      G_GUINT64_CONSTANT (0xa44dab0fcb6e008a),
      G_GUINT64_CONSTANT (0x704d75dfe22ec4ef),
      G_GUINT64_CONSTANT (0x3773611aa32dd8cf) } },
  { 42, "host/a/iss",
    { G_GUINT64_CONSTANT (0x420d6791019012cc),
      G_GUINT64_CONSTANT (0xcbbeeda1e76e8a7a),
      G_GUINT64_CONSTANT (0x0dee2b3f19b1d5f2),
      G_GUINT64_CONSTANT (0xf6f67a0f6de836e1) },
    { G_GUINT64_CONSTANT (0x47e2bad7372bbd65),
      G_GUINT64_CONSTANT (0x3aa7e7f0784a7c9a),
      G_GUINT64_CONSTANT (0xbe916e18512df54f),
      G_GUINT64_CONSTANT (0xb3bb344cf2aa201a) } },
  { G_MAXUINT64, "x",
    { G_GUINT64_CONSTANT (0x3731b2ced1ab6e88),
      G_GUINT64_CONSTANT (0x3b0d1c3dfcee7a08),
      G_GUINT64_CONSTANT (0x1e81d374762eb096),
      G_GUINT64_CONSTANT (0x85913c78cbdc9b11) },
    { G_GUINT64_CONSTANT (0xa6fb72baf5b9b4ab),
      G_GUINT64_CONSTANT (0xa7886588f5ebf09e),
      G_GUINT64_CONSTANT (0x49fee5f42315f5b3),
      G_GUINT64_CONSTANT (0x41b81541a024f994) } },
};

static void
test_vector (gconstpointer data)
{
  const RngVector *v = data;
  SimRng rng;

  sim_rng_seed (&rng, v->run_seed, v->name);
  for (guint i = 0; i < 4; i++)
    g_assert_cmphex (rng.s[i], ==, v->state[i]);
  for (guint i = 0; i < 4; i++)
    g_assert_cmphex (sim_rng_next_u64 (&rng), ==, v->out[i]);
}

/* xoshiro256** by itself, from a hand-set state: the reference output of
 * Blackman and Vigna's next() for s = {1, 2, 3, 4}. */
static void
test_xoshiro_reference (void)
{
  SimRng rng = { .s = { 1, 2, 3, 4 } };

  g_assert_cmpuint (sim_rng_next_u64 (&rng), ==, 11520);        /* 0x2d00 */
  g_assert_cmpuint (sim_rng_next_u64 (&rng), ==, 0);
  g_assert_cmpuint (sim_rng_next_u64 (&rng), ==, 1509978240);
  g_assert_cmpuint (sim_rng_next_u64 (&rng), ==,
                    G_GUINT64_CONSTANT (1215971899390074240));
}

/* Published FNV-1a 64-bit vectors. */
static void
test_hash_name (void)
{
  g_assert_cmphex (sim_rng_hash_name (""), ==,
                   G_GUINT64_CONSTANT (0xcbf29ce484222325));
  g_assert_cmphex (sim_rng_hash_name ("a"), ==,
                   G_GUINT64_CONSTANT (0xaf63dc4c8601ec8c));
  g_assert_cmphex (sim_rng_hash_name ("foobar"), ==,
                   G_GUINT64_CONSTANT (0x85944171f73967e8));
}

/* The derived draws are fixed functions of next_u64(). */
static void
test_derived_draws (void)
{
  SimRng a;
  SimRng b;

  sim_rng_seed (&a, 9, "test/rng/derived");
  b = a;
  for (guint i = 0; i < 1000; i++)
    {
      guint64 raw = sim_rng_next_u64 (&b);
      double u = sim_rng_uniform (&a);

      /* u * 2^53 is an integer below 2^53, so the comparison is exact. */
      g_assert_cmpuint ((guint64) (u * 9007199254740992.0), ==, raw >> 11);
    }
  /* bernoulli() draws exactly once, whatever p is. */
  for (guint i = 0; i < 100; i++)
    {
      static const double ps[] = { -1.0, 0.0, 0.3, 1.0, 2.0 };

      sim_rng_bernoulli (&a, ps[i % G_N_ELEMENTS (ps)]);
      sim_rng_next_u64 (&b);
      g_assert_cmpmem (a.s, sizeof a.s, b.s, sizeof b.s);
    }
  /* below() of a power of two never rejects: one draw, the low bits. */
  for (guint i = 0; i < 100; i++)
    g_assert_cmpuint (sim_rng_below (&a, 1024), ==,
                      sim_rng_next_u64 (&b) % 1024);
}

static void
test_streams (void)
{
  SimRng a1;
  SimRng a2;
  SimRng b;
  SimRng a_other_seed;
  guint same_b = 0;
  guint same_seed = 0;

  sim_rng_seed (&a1, 5, "link/ab/loss");
  sim_rng_seed (&b, 5, "link/ba/loss");
  /* Seeding another stream in between changes nothing for the first. */
  sim_rng_seed (&a2, 5, "link/ab/loss");
  sim_rng_seed (&a_other_seed, 6, "link/ab/loss");
  for (guint i = 0; i < 10000; i++)
    {
      guint64 x = sim_rng_next_u64 (&a1);

      g_assert_cmphex (x, ==, sim_rng_next_u64 (&a2));
      same_b += x == sim_rng_next_u64 (&b);
      same_seed += x == sim_rng_next_u64 (&a_other_seed);
    }
  g_assert_cmpuint (same_b, ==, 0);
  g_assert_cmpuint (same_seed, ==, 0);

  /* Names that differ in one character, and consecutive seeds, start far
   * apart: about half the bits of the first output differ. */
  for (guint i = 0; i < 64; i++)
    {
      g_autofree char *n1 = g_strdup_printf ("host/h%u/iss", i);
      g_autofree char *n2 = g_strdup_printf ("host/h%u/iss", i + 1);
      SimRng r1;
      SimRng r2;
      SimRng r3;
      guint bits12;
      guint bits13;

      sim_rng_seed (&r1, i, n1);
      sim_rng_seed (&r2, i, n2);
      sim_rng_seed (&r3, i + 1, n1);
      bits12 = (guint) __builtin_popcountll (sim_rng_next_u64 (&r1)
                                             ^ sim_rng_next_u64 (&r2));
      sim_rng_seed (&r1, i, n1);
      bits13 = (guint) __builtin_popcountll (sim_rng_next_u64 (&r1)
                                             ^ sim_rng_next_u64 (&r3));
      g_assert_cmpuint (bits12, >, 10);
      g_assert_cmpuint (bits12, <, 54);
      g_assert_cmpuint (bits13, >, 10);
      g_assert_cmpuint (bits13, <, 54);
    }
}

static void
test_uniform (void)
{
  enum { N = 1000000 };
  SimRng rng;
  double sum = 0.0;
  double lo = 1.0;
  double hi = 0.0;
  guint deciles[10] = { 0 };

  sim_rng_seed (&rng, 11, "test/rng/uniform");
  for (guint i = 0; i < N; i++)
    {
      double u = sim_rng_uniform (&rng);

      g_assert_cmpfloat (u, >=, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      sum += u;
      lo = MIN (lo, u);
      hi = MAX (hi, u);
      deciles[(guint) (u * 10.0)]++;
    }
  /* Mean 1/2, variance 1/12: within five standard errors. */
  g_assert_cmpfloat (fabs (sum / N - 0.5), <, 5.0 * sqrt (1.0 / 12.0 / N));
  g_assert_cmpfloat (lo, <, 1e-4);
  g_assert_cmpfloat (hi, >, 1.0 - 1e-4);
  for (guint d = 0; d < 10; d++)
    g_assert_cmpfloat (fabs (deciles[d] - N / 10.0), <,
                       5.0 * sqrt (N * 0.1 * 0.9));
}

static void
test_below (void)
{
  static const guint64 bounds[] = {
    1, 2, 3, 7, 10, 1000, G_GUINT64_CONSTANT (0x100000001),
    G_GUINT64_CONSTANT (0x8000000000000001), G_MAXUINT64,
  };
  SimRng rng;

  sim_rng_seed (&rng, 12, "test/rng/below");
  for (gsize b = 0; b < G_N_ELEMENTS (bounds); b++)
    {
      guint64 bound = bounds[b];
      guint64 top = 0;
      double sum = 0.0;

      for (guint i = 0; i < 100000; i++)
        {
          guint64 r = sim_rng_below (&rng, bound);

          g_assert_cmpuint (r, <, bound);
          top = MAX (top, r);
          sum += (double) r;
        }
      if (bound == 1)
        g_assert_cmpuint (top, ==, 0);
      else
        {
          /* Uniform on [0, bound): mean (bound-1)/2, sd about bound/sqrt(12)
           * per draw; the largest value seen is near the top. */
          double mean = ((double) bound - 1.0) / 2.0;
          double se = (double) bound / sqrt (12.0 * 100000.0);

          g_assert_cmpfloat (fabs (sum / 100000.0 - mean), <, 5.0 * se);
          if (bound <= 1000)
            g_assert_cmpuint (top, ==, bound - 1);
          else
            g_assert_cmpfloat ((double) top, >, 0.99 * (double) bound);
        }
    }

  /* Every face of a die, each within five sigma of n/6. */
  {
    guint faces[6] = { 0 };

    for (guint i = 0; i < 600000; i++)
      faces[sim_rng_below (&rng, 6)]++;
    for (guint f = 0; f < 6; f++)
      g_assert_cmpfloat (fabs (faces[f] - 100000.0), <,
                         5.0 * sqrt (600000.0 / 6.0 * 5.0 / 6.0));
  }

  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*bound > 0*");
  g_assert_cmpuint (sim_rng_below (&rng, 0), ==, 0);
  g_test_assert_expected_messages ();
}

static void
test_bernoulli (void)
{
  static const double ps[] = { 0.001, 0.01, 0.1, 0.5, 0.9 };
  enum { N = 1000000 };
  SimRng rng;

  sim_rng_seed (&rng, 13, "test/rng/bernoulli");
  for (gsize k = 0; k < G_N_ELEMENTS (ps); k++)
    {
      double p = ps[k];
      guint hits = 0;

      for (guint i = 0; i < N; i++)
        hits += sim_rng_bernoulli (&rng, p) ? 1 : 0;
      g_assert_cmpfloat (fabs (hits - N * p), <, 5.0 * sqrt (N * p * (1 - p)));
    }

  /* The ends, and values outside [0, 1], are exact. */
  for (guint i = 0; i < 100000; i++)
    {
      g_assert_false (sim_rng_bernoulli (&rng, 0.0));
      g_assert_false (sim_rng_bernoulli (&rng, -0.5));
      g_assert_true (sim_rng_bernoulli (&rng, 1.0));
      g_assert_true (sim_rng_bernoulli (&rng, 1.5));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/rng/vector/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &vectors[i], test_vector);
    }
  g_test_add_func ("/rng/xoshiro-reference", test_xoshiro_reference);
  g_test_add_func ("/rng/hash-name", test_hash_name);
  g_test_add_func ("/rng/derived-draws", test_derived_draws);
  g_test_add_func ("/rng/streams", test_streams);
  g_test_add_func ("/rng/uniform", test_uniform);
  g_test_add_func ("/rng/below", test_below);
  g_test_add_func ("/rng/bernoulli", test_bernoulli);
  return g_test_run ();
}

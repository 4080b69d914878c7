/* rng.c: xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64.
 *
 * Hand-written instead of GRand because GRand's algorithm (MT19937) and
 * seeding are GLib's to change, and streams must stay identical across
 * machines; it is also several times faster on the loss-model hot path.
 */
#include "sim/rng.h"

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

guint64
sim_rng_hash_name (const char *name)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const guchar *p = (const guchar *) name; *p; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return h;
}

void
sim_rng_seed (SimRng *rng, guint64 run_seed, const char *stream_name)
{
  guint64 state = run_seed ^ rotl (sim_rng_hash_name (stream_name), 17);

  /* Mix the run seed once more so that seeds 1 and 2 with the same name
   * do not start from neighbouring splitmix states. */
  state = splitmix64 (&state) ^ sim_rng_hash_name (stream_name);
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
}

guint64
sim_rng_next_u64 (SimRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

double
sim_rng_uniform (SimRng *rng)
{
  return (double) (sim_rng_next_u64 (rng) >> 11) * 0x1.0p-53;
}

guint64
sim_rng_below (SimRng *rng, guint64 bound)
{
  guint64 threshold;
  guint64 r;

  g_return_val_if_fail (bound > 0, 0);
  /* Reject the few values that would make some results more likely. */
  threshold = (-bound) % bound;
  do
    r = sim_rng_next_u64 (rng);
  while (r < threshold);
  return r % bound;
}

gboolean
sim_rng_bernoulli (SimRng *rng, double p)
{
  double u = sim_rng_uniform (rng);

  return u < p;
}

/* loss_bernoulli.c: independent losses, each packet lost with the same
 * probability.  One draw per packet, as link.c has always made it, so
 * seeds keep their losses. */
#include "models/loss.h"

static void
bernoulli_reset (LossState *state)
{
  state->bad = FALSE;
}

static gboolean
bernoulli_lose (LossState *state, const LossConfig *config, SimRng *rng)
{
  (void) state;
  return sim_rng_bernoulli (rng, config->prob);
}

static gboolean
bernoulli_inactive (const LossConfig *config)
{
  return !(config->prob > 0);
}

const LossOps loss_bernoulli_ops = {
  "bernoulli", 1, bernoulli_reset, bernoulli_lose, bernoulli_inactive,
};

const char *const loss_model_names[] = {
  [LOSS_MODEL_BERNOULLI] = "bernoulli",
  [LOSS_MODEL_GILBERT] = "gilbert",
  NULL,
};

const LossOps *
loss_ops_of_kind (LossModelKind kind)
{
  switch (kind)
    {
    case LOSS_MODEL_BERNOULLI:
      return &loss_bernoulli_ops;
    case LOSS_MODEL_GILBERT:
      return &loss_gilbert_ops;
    case LOSS_N_MODELS:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

/* loss_gilbert.c: the Gilbert-Elliott channel, a two-state Markov chain
 * stepped once per packet (Hasslinger and Hohlfeld, MMB 2008).
 *
 * Per packet: the loss is decided in the current state (probability 1 - k
 * when good, 1 - h when bad), then the state moves (good -> bad with
 * probability p, bad -> good with r).  The chain starts in the good state.
 * Both numbers are drawn for every packet, so the losses of a run depend
 * only on the packet's index and the seed, and a larger loss probability
 * in a state only adds losses.
 *
 * With h = 0 and k = 1 (simple Gilbert) the loss rate is p / (p + r) and
 * a burst of losses lasts 1 / r packets on average (geometric).
 */
#include "models/loss.h"

static void
gilbert_reset (LossState *state)
{
  state->bad = FALSE;
}

static gboolean
gilbert_lose (LossState *state, const LossConfig *config, SimRng *rng)
{
  const LossGilbertParams *g = &config->gilbert;
  double u_loss = sim_rng_uniform (rng);
  double u_move = sim_rng_uniform (rng);
  gboolean lost = u_loss < (state->bad ? g->bad_loss_prob
                                       : g->good_loss_prob);

  if (state->bad)
    state->bad = !(u_move < g->r);
  else
    state->bad = u_move < g->p;
  return lost;
}

static gboolean
gilbert_inactive (const LossConfig *config)
{
  const LossGilbertParams *g = &config->gilbert;

  return !(g->good_loss_prob > 0) && !(g->bad_loss_prob > 0);
}

const LossOps loss_gilbert_ops = {
  "gilbert", 2, gilbert_reset, gilbert_lose, gilbert_inactive,
};

double
loss_gilbert_mean_loss (const LossGilbertParams *g)
{
  if (!(g->p + g->r > 0))
    return g->good_loss_prob;
  return (g->r * g->good_loss_prob + g->p * g->bad_loss_prob) / (g->p + g->r);
}

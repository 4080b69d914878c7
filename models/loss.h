/* loss.h: what a link direction does to the packets it carries, by chance
 * or by script: random loss models and scripted fault rules.
 *
 * Random loss models sit behind LossOps (loss_bernoulli.c for independent
 * losses, loss_gilbert.c for the two-state Gilbert-Elliott channel).  Each
 * draws from the direction's own stream, the same number of times for
 * every packet whatever the outcome, so that a sweep over a loss rate uses
 * common random numbers: raising the rate only adds losses.
 *
 * Scripted rules (loss_script.c) pick packets by their index in the
 * direction, the time they enter, or a match on their TCP fields, and drop,
 * corrupt, duplicate or hold back the first K of them (or all).
 *
 * Call order, per packet entering a link: loss_script_apply() (the first
 * rule that matches acts) -> LossOps.lose() (always drawn).
 */
#pragma once

#include "models/network.h"

G_BEGIN_DECLS

typedef enum {
  LOSS_MODEL_BERNOULLI = 0,
  LOSS_MODEL_GILBERT,
  LOSS_N_MODELS
} LossModelKind;

/* "bernoulli", "gilbert", NULL-terminated; indexed by LossModelKind. */
extern const char *const loss_model_names[];

/* Gilbert-Elliott (Gilbert 1960, Elliott 1963), with the parameters of
 * Hasslinger and Hohlfeld, "The Gilbert-Elliott Model for Packet Loss in
 * Real Time Services on the Internet", MMB 2008: p = P(good -> bad) and
 * r = P(bad -> good) per packet, and a loss probability in each state,
 * 1 - k in the good state and 1 - h in the bad one.  Simple Gilbert is
 * good_loss_prob = 0, bad_loss_prob = 1. */
typedef struct {
  double p;                     /* P(good -> bad) */
  double r;                     /* P(bad -> good) */
  double good_loss_prob;        /* 1 - k */
  double bad_loss_prob;         /* 1 - h */
} LossGilbertParams;

typedef struct {
  LossModelKind kind;
  double prob;                  /* Bernoulli */
  LossGilbertParams gilbert;
} LossConfig;

typedef struct {
  gboolean bad;                 /* Gilbert-Elliott: in the bad state */
} LossState;

typedef struct {
  const char *name;
  /* Draws per packet while the model is active (for documentation and
   * the tests that count them). */
  guint draws_per_pkt;
  void (*reset) (LossState *state);
  /* TRUE when the next packet is lost.  Draws exactly draws_per_pkt
   * numbers from @rng. */
  gboolean (*lose) (LossState *state, const LossConfig *config,
                    SimRng *rng);
  /* TRUE when the model, so configured, never loses a packet in any
   * state: the link then skips it and draws nothing. */
  gboolean (*inactive) (const LossConfig *config);
} LossOps;

extern const LossOps loss_bernoulli_ops;
extern const LossOps loss_gilbert_ops;

/* Returns: (transfer none): the ops of @kind. */
const LossOps *loss_ops_of_kind (LossModelKind kind);

/* Gilbert-Elliott, stationary: the long-run loss rate
 * (r (1 - k) + p (1 - h)) / (p + r). */
double loss_gilbert_mean_loss (const LossGilbertParams *params);

/* Scripted rules. */
typedef enum {
  LINK_DROP_NTH,                /* packets nth..nth_last entering the
                                 * direction (1-based) */
  LINK_DROP_MATCH,              /* TCP segments matching the fields set */
  LINK_DROP_TIME,               /* packets entering in [from_ns, until_ns) */
} LinkDropKind;

typedef enum {
  LINK_RULE_DROP = 0,           /* lost on the wire ("script") */
  LINK_RULE_CORRUPT,            /* corrupt_bits bits flipped */
  LINK_RULE_DUPLICATE,          /* an extra copy right after it */
  LINK_RULE_HOLD,               /* held back by hold_ns or hold_pkts */
} LinkRuleAction;

typedef struct LinkDropRule {
  LinkDropKind kind;
  guint64 nth;                  /* NTH: 1-based */
  guint8 flags_mask;            /* MATCH: (flags & mask) == value */
  guint8 flags_value;
  gboolean match_seq;           /* MATCH: relative seq equals rel_seq */
  guint32 rel_seq;
  gboolean match_len;           /* MATCH: payload length */
  guint32 len_bytes;
  guint32 count;                /* matches to act on; 0: every match */
  /* Fields added after the first version; zero keeps the old meaning. */
  guint64 nth_last;             /* NTH: last index of a range; 0: nth */
  SimTime from_ns;              /* TIME: window start, inclusive */
  SimTime until_ns;             /* TIME: window end, exclusive; 0: never */
  LinkRuleAction action;
  guint32 corrupt_bits;         /* CORRUPT: 0 means 1 */
  SimTime hold_ns;              /* HOLD: extra delay (with hold_pkts: the
                                 * longest hold) */
  guint32 hold_pkts;            /* HOLD: until this many later packets
                                 * have gone ahead */
} LinkDropRule;

typedef struct LossScript LossScript;

/* Returns: (transfer full): a script with no rules. */
LossScript *loss_script_new (void);
void loss_script_free (LossScript *script);
void loss_script_add (LossScript *script, const LinkDropRule *rule);
guint loss_script_n_rules (const LossScript *script);

/* Applies the rules to @pkt, the @index-th packet (1-based) offered to
 * the direction, entering at @now_ns.  The first rule that matches and
 * has matches left counts the match and acts.
 * Returns: (transfer none) (nullable): that rule, or NULL. */
const LinkDropRule *loss_script_apply (LossScript *script, Network *net,
                                       const Packet *pkt, guint64 index,
                                       SimTime now_ns);

G_END_DECLS

/* loss_script.c: scripted fault rules of a link direction.
 *
 * Tests and lessons must lose a chosen segment, not a random one (ns-3's
 * TcpGeneralTest error models do the same): a rule picks packets by index,
 * by the time they enter, or by their TCP flags, relative sequence number
 * and payload length, and acts on the first K matches.
 *
 * Call order: loss_script_new() -> loss_script_add()... ->
 * loss_script_apply() for each packet entering the direction, in order.
 * Rules are tried in the order they were added; the first that matches
 * (and has matches left) acts, so overlapping rules never both act.
 */
#include "models/loss.h"

#include "models/tcp/tcp_wire.h"
#include "models/wire.h"

typedef struct {
  LinkDropRule rule;
  guint32 matched;
} RuleState;

struct LossScript {
  GArray *rules;                /* (element-type RuleState) */
};

LossScript *
loss_script_new (void)
{
  LossScript *script = g_new0 (LossScript, 1);

  script->rules = g_array_new (FALSE, FALSE, sizeof (RuleState));
  return script;
}

void
loss_script_free (LossScript *script)
{
  if (script == NULL)
    return;
  g_array_unref (script->rules);
  g_free (script);
}

void
loss_script_add (LossScript *script, const LinkDropRule *rule)
{
  RuleState s = { *rule, 0 };

  g_return_if_fail (rule->kind != LINK_DROP_NTH || rule->nth > 0);
  g_array_append_val (script->rules, s);
}

guint
loss_script_n_rules (const LossScript *script)
{
  return script->rules->len;
}

static gboolean
tcp_matches (const LinkDropRule *r, Network *net, const Packet *pkt)
{
  const guint8 *p = packet_cbytes (pkt);
  guint ihl;
  guint tcp_hdr_bytes;
  guint32 payload_bytes;

  if (pkt->len_bytes < IPV4_HEADER_BYTES || p[9] != IPV4_PROTO_TCP)
    return FALSE;
  ihl = (guint) (p[0] & 0x0f) * 4;
  if (pkt->len_bytes < ihl + TCP_HEADER_BYTES)
    return FALSE;
  if ((p[ihl + 13] & r->flags_mask) != r->flags_value)
    return FALSE;
  tcp_hdr_bytes = (guint) (p[ihl + 12] >> 4) * 4;
  payload_bytes = pkt->len_bytes - ihl - tcp_hdr_bytes;
  if (r->match_len && payload_bytes != r->len_bytes)
    return FALSE;
  if (r->match_seq
      && network_flow_relative (net, wire_get32 (p + 12), wire_get16 (p + ihl),
                                wire_get32 (p + 16),
                                wire_get16 (p + ihl + 2),
                                wire_get32 (p + ihl + 4)) != r->rel_seq)
    return FALSE;
  return TRUE;
}

static gboolean
rule_matches (const LinkDropRule *r, Network *net, const Packet *pkt,
              guint64 index, SimTime now_ns)
{
  switch (r->kind)
    {
    case LINK_DROP_NTH:
      return index >= r->nth && index <= MAX (r->nth, r->nth_last);
    case LINK_DROP_MATCH:
      return tcp_matches (r, net, pkt);
    case LINK_DROP_TIME:
      return now_ns >= r->from_ns && (r->until_ns == 0 || now_ns < r->until_ns);
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

const LinkDropRule *
loss_script_apply (LossScript *script, Network *net, const Packet *pkt,
                   guint64 index, SimTime now_ns)
{
  for (guint i = 0; i < script->rules->len; i++)
    {
      RuleState *s = &g_array_index (script->rules, RuleState, i);

      if (s->rule.count > 0 && s->matched >= s->rule.count)
        continue;
      if (rule_matches (&s->rule, net, pkt, index, now_ns))
        {
          s->matched++;
          return &s->rule;
        }
    }
  return NULL;
}

/* test_seqdiag_text.c: the terminal sequence diagram, from hand-built
 * models: the tutorial's exchange (golden, Unicode and ASCII), lost
 * segments, elision of long exchanges, labels, and the model's own
 * reckoning of retransmissions and window scaling. */
#include <string.h>

#include "models/tcp/tcp.h"
#include "plots/seqdiag_text.h"
#include "plots_test.h"

static char *
render (const SeqDiag *diag, gboolean ascii, guint max_segments)
{
  SeqDiagTextOptions options = { ascii, max_segments };

  return seqdiag_text_render (diag, &options);
}

static guint
count_substr (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL;
       p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_seed_unicode (void)
{
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_seed_events,
                                                 test_seed_n_events);
  g_autofree char *text = render (diag, FALSE, 40);

  test_assert_golden ("seed-diagram.txt", text);
}

static void
test_seed_ascii (void)
{
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_seed_events,
                                                 test_seed_n_events);
  g_autofree char *text = render (diag, TRUE, 40);

  test_assert_golden ("seed-diagram.ascii.txt", text);
  for (const char *p = text; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
}

/* What the textbook figure must show, independent of layout details. */
static void
test_seed_content (void)
{
  static const char *const labels[] = {
    "SYN seq=0 win=65535 mss=1460",
    "SYN,ACK seq=0 ack=1 win=65535 mss=1460",
    "ACK seq=1 ack=1 win=65535",
    "PSH,ACK seq=1 ack=1 len=159 win=65535",
    "PSH,ACK seq=1 ack=160 len=111 win=65535",
    "ACK seq=160 ack=112 win=65535",
    "FIN,ACK seq=160 ack=112 win=65535",
    "ACK seq=112 ack=161 win=65535",
    "FIN,ACK seq=112 ack=161 win=65535",
    "ACK seq=161 ack=113 win=65535",
  };
  static const char *const states[] = {
    "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "CLOSE_WAIT",
    "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT", "CLOSED", "LISTEN",
  };
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_seed_events,
                                                 test_seed_n_events);
  g_autofree char *text = render (diag, FALSE, 0);
  const char *at = text;

  /* Labels appear once each, in order. */
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *needle = g_strconcat (" ", labels[i], " ", NULL);
      const char *found = strstr (at, needle);

      g_assert_nonnull (found);
      at = found + strlen (needle);
    }
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    g_assert_nonnull (strstr (text, states[i]));
  g_assert_cmpuint (count_substr (text, "\xe2\x96\xb6"), ==, 6);  /* ▶ */
  g_assert_cmpuint (count_substr (text, "\xe2\x97\x80"), ==, 4);  /* ◀ */
  g_assert_nonnull (strstr (text, "client"));
  g_assert_nonnull (strstr (text, "172.16.17.94:49152"));
  g_assert_nonnull (strstr (text, "172.16.17.95:8080"));
  g_assert_null (strstr (text, "lost"));
  g_assert_null (strstr (text, "rexmit"));
  /* The 2MSL wait ends a minute later, still in seconds. */
  g_assert_nonnull (strstr (text, "60.060280"));
}

#define MS(x) SIM_MS (x)
#define SEG(t, side, fl, seq, ack, len, arr) \
  { (t), FALSE, (side), NULL, NULL, (fl), (seq), (ack), (len), 0, (arr), \
    -1, NULL }
#define STATE(t, side, f, to) \
  { (t), TRUE, (side), (f), (to), 0, 0, 0, 0, 0, -1, -1, NULL }

static void
test_drop (void)
{
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_drop_events,
                                                 test_drop_n_events);
  g_autofree char *text = render (diag, FALSE, 40);
  g_autofree char *ascii = render (diag, TRUE, 40);

  test_assert_golden ("drop-diagram.txt", text);
  test_assert_golden ("drop-diagram.ascii.txt", ascii);
  g_assert_cmpuint (count_substr (text, "\xe2\x9c\x95 lost (loss)"), ==, 1);
  g_assert_cmpuint (count_substr (text, "lost (queue) \xe2\x9c\x95"), ==, 1);
  g_assert_cmpuint (count_substr (text, "(rexmit)"), ==, 2);
  g_assert_cmpuint (count_substr (ascii, "X lost (loss)"), ==, 1);
  g_assert_cmpuint (count_substr (ascii, "lost (queue) X"), ==, 1);
}

/* The lost arrow stops half-way: nothing is drawn between its text and
 * the receiving lifeline. */
static void
test_drop_half_way (void)
{
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_drop_events,
                                                 test_drop_n_events);
  g_autofree char *ascii = render (diag, TRUE, 0);
  g_auto (GStrv) lines = g_strsplit (ascii, "\n", -1);
  guint checked = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *x = strstr (lines[i], "X lost (loss)");
      const char *q = strstr (lines[i], "lost (queue) X");

      if (x != NULL)
        {
          /* "|-----X lost (loss)      |": a start, dashes, then blanks up
           * to the server lifeline. */
          const char *rest = x + strlen ("X lost (loss)");

          g_assert_cmpuint (strspn (rest, " "), ==, strlen (rest) - 1);
          g_assert_cmpint (rest[strlen (rest) - 1], ==, '|');
          g_assert_cmpint (x[-1], ==, '-');
          checked++;
        }
      if (q != NULL)
        {
          g_assert_cmpint (q[strlen ("lost (queue) X")], ==, '-');
          g_assert_cmpint (q[-1], ==, ' ');
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 2);
}

/* A bulk transfer of 100 data segments, each ACKed, between handshake
 * and close: 2 + 200 + 4 = 206 segments in all. */
static SeqDiag *
build_long (void)
{
  g_autoptr (GArray) events = g_array_new (FALSE, TRUE, sizeof (TestEvent));
  SimTime t = 0;
  guint32 seq = 1;

#define ADD(...) do { TestEvent e_ = __VA_ARGS__; \
                      g_array_append_val (events, e_); } while (0)
  ADD (STATE (0, SEQDIAG_CLIENT, "CLOSED", "SYN_SENT"));
  ADD (SEG (0, SEQDIAG_CLIENT, TCP_SYN, 0, 0, 0, MS (1)));
  ADD (STATE (MS (1), SEQDIAG_SERVER, "LISTEN", "SYN_RECEIVED"));
  ADD (SEG (MS (1), SEQDIAG_SERVER, TCP_SYN | TCP_ACK, 0, 1, 0, MS (2)));
  ADD (STATE (MS (2), SEQDIAG_CLIENT, "SYN_SENT", "ESTABLISHED"));
  t = MS (2);
  for (guint i = 0; i < 100; i++)
    {
      ADD (SEG (t, SEQDIAG_CLIENT, TCP_ACK, seq, 1, 1000, t + MS (1)));
      if (i == 0)
        ADD (STATE (t + MS (1), SEQDIAG_SERVER, "SYN_RECEIVED",
                    "ESTABLISHED"));
      seq += 1000;
      ADD (SEG (t + MS (1), SEQDIAG_SERVER, TCP_ACK, 1, seq, 0, t + MS (2)));
      t += MS (2);
    }
  ADD (STATE (t, SEQDIAG_CLIENT, "ESTABLISHED", "FIN_WAIT_1"));
  ADD (SEG (t, SEQDIAG_CLIENT, TCP_FIN | TCP_ACK, seq, 1, 0, t + MS (1)));
  ADD (STATE (t + MS (1), SEQDIAG_SERVER, "ESTABLISHED", "CLOSE_WAIT"));
  ADD (SEG (t + MS (1), SEQDIAG_SERVER, TCP_ACK, 1, seq + 1, 0, t + MS (2)));
  ADD (STATE (t + MS (1), SEQDIAG_SERVER, "CLOSE_WAIT", "LAST_ACK"));
  ADD (SEG (t + MS (1), SEQDIAG_SERVER, TCP_FIN | TCP_ACK, 1, seq + 1, 0,
            t + MS (2)));
  ADD (STATE (t + MS (2), SEQDIAG_CLIENT, "FIN_WAIT_1", "FIN_WAIT_2"));
  ADD (STATE (t + MS (2), SEQDIAG_CLIENT, "FIN_WAIT_2", "TIME_WAIT"));
  ADD (SEG (t + MS (2), SEQDIAG_CLIENT, TCP_ACK, seq + 1, 2, 0, t + MS (3)));
  ADD (STATE (t + MS (3), SEQDIAG_SERVER, "LAST_ACK", "CLOSED"));
#undef ADD
  return test_seqdiag_build ((const TestEvent *) (void *) events->data,
                             events->len);
}

static guint
count_arrows (const char *text)
{
  return count_substr (text, "\xe2\x96\xb6") + count_substr (text,
                                                             "\xe2\x97\x80");
}

static void
test_elision (void)
{
  g_autoptr (SeqDiag) diag = build_long ();
  g_autofree char *text = render (diag, FALSE, 10);
  g_autofree char *all = render (diag, FALSE, 0);
  g_autofree char *ascii = render (diag, TRUE, 10);

  g_assert_cmpuint (seqdiag_n_segments (diag), ==, 206);
  test_assert_golden ("elision-diagram.txt", text);
  g_assert_cmpuint (count_arrows (text), ==, 10);
  g_assert_cmpuint (count_arrows (all), ==, 206);
  g_assert_cmpuint (count_substr (text, "\xe2\x80\xa6 196 segments "
                                  "\xe2\x80\xa6"), ==, 1);
  g_assert_cmpuint (count_substr (ascii, "... 196 segments ..."), ==, 1);
  /* The first half is the handshake and the first data; the last part
   * is the close. */
  g_assert_nonnull (strstr (text, "SYN seq=0"));
  g_assert_nonnull (strstr (text, "FIN,ACK seq=100001 ack=1"));
  g_assert_nonnull (strstr (text, "ACK seq=100002 ack=2"));
  g_assert_null (strstr (text, "seq=50001"));
}

/* State changes out of sight: the row after the elision says where both
 * ends stand. */
static void
test_elision_states (void)
{
  g_autoptr (SeqDiag) diag = build_long ();
  g_autofree char *text = render (diag, TRUE, 4);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint i;

  for (i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "... 202 segments ...") != NULL)
      break;
  g_assert_nonnull (lines[i]);
  g_assert_nonnull (lines[i + 1]);
  g_assert_true (g_regex_match_simple ("^ +FIN_WAIT_1 +CLOSE_WAIT$",
                                       lines[i + 1], 0, 0));
  /* Without hidden states there is no such row. */
  {
    g_autofree char *ten = render (diag, TRUE, 10);

    g_assert_true (g_regex_match_simple ("\\.\\.\\. 196 segments \\.\\.\\. +:\n"
                                         "0\\.201000 ", ten,
                                         G_REGEX_MULTILINE, 0));
  }
}

static void
test_elision_limits (void)
{
  g_autoptr (SeqDiag) diag = build_long ();

  /* Exactly at the limit: nothing elided. */
  for (guint max = 1; max <= 8; max++)
    {
      g_autofree char *text = render (diag, TRUE, max);

      g_assert_cmpuint (count_substr (text, "->|") + count_substr (text,
                                                                   "|<-"),
                        ==, max);
      g_assert_cmpuint (count_substr (text, " segments ..."), ==, 1);
    }
  {
    g_autofree char *text = render (diag, TRUE, 206);

    g_assert_null (strstr (text, " segments ..."));
  }
  {
    g_autofree char *text = render (diag, TRUE, 205);

    g_assert_nonnull (strstr (text, "... 1 segment ..."));
  }
}

static void
test_empty (void)
{
  g_autoptr (SeqDiag) diag = seqdiag_new ();
  g_autofree char *text = render (diag, FALSE, 40);

  g_assert_cmpstr (text, ==, "");
}

static void
test_deterministic (void)
{
  g_autoptr (SeqDiag) a = test_seqdiag_build (test_seed_events,
                                              test_seed_n_events);
  g_autoptr (SeqDiag) b = test_seqdiag_build (test_seed_events,
                                              test_seed_n_events);
  g_autofree char *ta = render (a, FALSE, 40);
  g_autofree char *tb = render (b, FALSE, 40);
  g_autofree char *ta2 = render (a, FALSE, 40);

  g_assert_cmpstr (ta, ==, tb);
  g_assert_cmpstr (ta, ==, ta2);
}

typedef struct {
  const char *name;
  SeqDiagSegment seg;
  const char *label;
} LabelCase;

static const LabelCase label_cases[] = {
  { "syn-options", { .flags = TCP_SYN, .win_bytes = 64240,
      .mss_bytes = 1460, .wscale = 7, .sack_perm = TRUE,
      .timestamps = TRUE },
    "SYN seq=0 win=64240 mss=1460 wscale=7 sack_perm ts" },
  { "data", { .flags = TCP_PSH | TCP_ACK, .rel_seq = 1, .rel_ack = 1,
      .len_bytes = 159, .win_bytes = 65535, .wscale = -1 },
    "PSH,ACK seq=1 ack=1 len=159 win=65535" },
  { "rst", { .flags = TCP_RST, .rel_seq = 5, .rel_ack = 9, .wscale = -1 },
    "RST seq=5 win=0" },
  { "rexmit", { .flags = TCP_FIN | TCP_PSH | TCP_ACK, .rel_seq = 1,
      .rel_ack = 1, .len_bytes = 10, .win_bytes = 1000, .wscale = -1,
      .retransmit = TRUE },
    "FIN,PSH,ACK seq=1 ack=1 len=10 win=1000 (rexmit)" },
  { "no-flags", { .flags = 0, .rel_seq = 7, .wscale = -1 },
    "<none> seq=7 win=0" },
};

static void
test_label (gconstpointer data)
{
  const LabelCase *c = data;
  g_autofree char *label = seqdiag_text_segment_label (&c->seg);

  g_assert_cmpstr (label, ==, c->label);
}

/* The model marks a segment that covers sequence space already sent, and
 * scales windows only once both SYNs carried the option. */
static void
test_model_reckoning (void)
{
  g_autoptr (SeqDiag) diag = seqdiag_new ();
  static const struct {
    SeqDiagSide from;
    guint8 flags;
    guint32 seq;
    guint32 len;
    guint16 win;
    gint8 wscale;
    gboolean rexmit;
    guint64 win_bytes;
  } steps[] = {
    { SEQDIAG_CLIENT, TCP_SYN, 0, 0, 65535, 7, FALSE, 65535 },
    { SEQDIAG_CLIENT, TCP_SYN, 0, 0, 65535, 7, TRUE, 65535 },
    { SEQDIAG_SERVER, TCP_SYN | TCP_ACK, 0, 0, 65535, 2, FALSE, 65535 },
    { SEQDIAG_CLIENT, TCP_ACK, 1, 0, 512, -1, FALSE, 512 << 7 },
    { SEQDIAG_CLIENT, TCP_ACK, 1, 100, 512, -1, FALSE, 512 << 7 },
    { SEQDIAG_SERVER, TCP_ACK, 1, 0, 1000, -1, FALSE, 1000 << 2 },
    { SEQDIAG_CLIENT, TCP_ACK, 1, 100, 512, -1, TRUE, 512 << 7 },
    { SEQDIAG_CLIENT, TCP_ACK, 51, 100, 512, -1, TRUE, 512 << 7 },
    { SEQDIAG_CLIENT, TCP_ACK, 151, 100, 512, -1, FALSE, 512 << 7 },
    /* A pure ACK never counts as a retransmission. */
    { SEQDIAG_CLIENT, TCP_ACK, 1, 0, 512, -1, FALSE, 512 << 7 },
    { SEQDIAG_CLIENT, TCP_FIN | TCP_ACK, 251, 0, 512, -1, FALSE, 512 << 7 },
    { SEQDIAG_CLIENT, TCP_FIN | TCP_ACK, 251, 0, 512, -1, TRUE, 512 << 7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      SeqDiagSegment s = { 0 };
      const SeqDiagEvent *ev;

      s.from = steps[i].from;
      s.uid = i;
      s.flags = steps[i].flags;
      s.rel_seq = steps[i].seq;
      s.len_bytes = steps[i].len;
      s.win = steps[i].win;
      s.wscale = steps[i].wscale;
      seqdiag_add_segment (diag, i, &s);
      ev = seqdiag_event (diag, i);
      g_assert_cmpint (ev->seg.retransmit, ==, steps[i].rexmit);
      g_assert_cmpuint (ev->seg.win_bytes, ==, steps[i].win_bytes);
      g_assert_cmpint (ev->seg.fate, ==, SEQDIAG_FATE_IN_FLIGHT);
    }
  g_assert_true (seqdiag_segment_arrived (diag, 3, 100));
  g_assert_false (seqdiag_segment_arrived (diag, 3, 200));
  g_assert_true (seqdiag_segment_dropped (diag, 4, 100, "loss"));
  g_assert_false (seqdiag_segment_in_flight (diag, 4));
  g_assert_true (seqdiag_segment_in_flight (diag, 5));
  g_assert_cmpstr (seqdiag_event (diag, 4)->seg.drop_reason, ==, "loss");
  g_assert_cmpint (seqdiag_event (diag, 3)->seg.end_ns, ==, 100);
}

static void
test_format_time (void)
{
  static const struct {
    SimTime t_ns;
    const char *text;
  } cases[] = {
    { 0, "0.000000" },
    { 999, "0.000000" },
    { 1000, "0.000001" },
    { SIM_MS (10) + 127200, "0.010127" },
    { SIM_S (60) + SIM_MS (60), "60.060000" },
    { SIM_S (12345), "12345.000000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[SEQDIAG_TIME_STR_BYTES];

      seqdiag_format_time (cases[i].t_ns, buf);
      g_assert_cmpstr (buf, ==, cases[i].text);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plots/seqdiag/text/seed", test_seed_unicode);
  g_test_add_func ("/plots/seqdiag/text/seed-ascii", test_seed_ascii);
  g_test_add_func ("/plots/seqdiag/text/seed-content", test_seed_content);
  g_test_add_func ("/plots/seqdiag/text/drop", test_drop);
  g_test_add_func ("/plots/seqdiag/text/drop-half-way", test_drop_half_way);
  g_test_add_func ("/plots/seqdiag/text/elision", test_elision);
  g_test_add_func ("/plots/seqdiag/text/elision-states",
                   test_elision_states);
  g_test_add_func ("/plots/seqdiag/text/elision-limits",
                   test_elision_limits);
  g_test_add_func ("/plots/seqdiag/text/empty", test_empty);
  g_test_add_func ("/plots/seqdiag/text/deterministic", test_deterministic);
  for (guint i = 0; i < G_N_ELEMENTS (label_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/plots/seqdiag/label/%s",
                                               label_cases[i].name);

      g_test_add_data_func (path, &label_cases[i], test_label);
    }
  g_test_add_func ("/plots/seqdiag/model/reckoning", test_model_reckoning);
  g_test_add_func ("/plots/seqdiag/model/format-time", test_format_time);
  return g_test_run ();
}

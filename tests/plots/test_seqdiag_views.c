/* test_seqdiag_views.c: the SVG and Mermaid sequence diagrams, from the
 * hand-built models the terminal diagram's tests use: the tutorial's
 * exchange and the lost-segment exchange (golden files), a long transfer
 * (elision), well-formed XML, no text drawn over another, and the same
 * bytes on every render.  Paths: /plots/seqdiag/svg/..., /mermaid/... */
#include <stdio.h>
#include <string.h>

#include "models/tcp/tcp.h"
#include "plots/seqdiag_mermaid.h"
#include "plots/seqdiag_svg.h"
#include "plots_test.h"

static char *
render_svg (const SeqDiag *diag, guint max_segments, gboolean standalone)
{
  SeqDiagSvgOptions options = { max_segments, standalone };

  return seqdiag_svg_render (diag, &options);
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

#define MS(x) SIM_MS (x)
#define SEG(t, side, fl, seq, ack, len, arr) \
  { (t), FALSE, (side), NULL, NULL, (fl), (seq), (ack), (len), 0, (arr), \
    -1, NULL }
#define STATE(t, side, f, to) \
  { (t), TRUE, (side), (f), (to), 0, 0, 0, 0, 0, -1, -1, NULL }

/* A bulk transfer of 100 data segments, each ACKed, between handshake and
 * close: 2 + 200 + 4 = 206 segments, as in test_seqdiag_text.c. */
static SeqDiag *
build_long (void)
{
  g_autoptr (GArray) events = g_array_new (FALSE, TRUE, sizeof (TestEvent));
  SimTime t;
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

/* The text boxes of an SVG, read back with GMarkup, which also proves the
 * document well-formed XML. */
typedef struct {
  double cx, cy;                /* a corner: the baseline start */
  double ux, uy;                /* reading direction */
  double len;                   /* along it */
  double up;                    /* ascent above the baseline */
  double down;                  /* descent below it */
  char *text;
} TextBox;

typedef struct {
  GArray *boxes;                /* TextBox */
  GArray *font_px;              /* double: the font-size stack */
  GArray *mono;                 /* gboolean: monospace stack */
  gboolean in_text;
  gboolean in_title;
  TextBox cur;
  char *anchor;
  double x, y;
  double m[6];
  gboolean have_m;
  GString *chars;
  guint n_elements;
} SvgScan;

static const char *
attr (const char **names, const char **values, const char *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (names[i], name) == 0)
      return values[i];
  return NULL;
}

static void
scan_start (GMarkupParseContext *ctx, const char *element,
            const char **names, const char **values, gpointer data,
            GError **error)
{
  SvgScan *s = data;
  const char *size = attr (names, values, "font-size");
  const char *family = attr (names, values, "font-family");
  double font_px = g_array_index (s->font_px, double, s->font_px->len - 1);
  gboolean mono = g_array_index (s->mono, gboolean, s->mono->len - 1);

  s->n_elements++;
  if (size != NULL)
    font_px = g_ascii_strtod (size, NULL);
  if (family != NULL)
    mono = strstr (family, "Mono") != NULL;
  g_array_append_val (s->font_px, font_px);
  g_array_append_val (s->mono, mono);
  if (strcmp (element, "title") == 0)
    s->in_title = TRUE;
  if (strcmp (element, "text") != 0)
    return;
  {
    const char *x = attr (names, values, "x");
    const char *y = attr (names, values, "y");
    const char *transform = attr (names, values, "transform");

    s->in_text = TRUE;
    g_free (s->anchor);
    s->anchor = g_strdup (attr (names, values, "text-anchor"));
    s->x = x != NULL ? g_ascii_strtod (x, NULL) : 0;
    s->y = y != NULL ? g_ascii_strtod (y, NULL) : 0;
    s->have_m = transform != NULL;
    if (s->have_m)
      {
        g_assert_true (g_str_has_prefix (transform, "matrix("));
        g_assert_cmpint (sscanf (transform + strlen ("matrix("),
                                 "%lf %lf %lf %lf %lf %lf", &s->m[0],
                                 &s->m[1], &s->m[2], &s->m[3], &s->m[4],
                                 &s->m[5]), ==, 6);
      }
    g_string_truncate (s->chars, 0);
  }
}

static void
scan_text (GMarkupParseContext *ctx, const char *text, gsize len,
           gpointer data, GError **error)
{
  SvgScan *s = data;

  if (s->in_text)
    g_string_append_len (s->chars, text, (gssize) len);
}

static void
scan_end (GMarkupParseContext *ctx, const char *element, gpointer data,
          GError **error)
{
  SvgScan *s = data;
  double font_px = g_array_index (s->font_px, double, s->font_px->len - 1);
  gboolean mono = g_array_index (s->mono, gboolean, s->mono->len - 1);

  g_array_set_size (s->font_px, s->font_px->len - 1);
  g_array_set_size (s->mono, s->mono->len - 1);
  if (strcmp (element, "title") == 0)
    s->in_title = FALSE;
  if (strcmp (element, "text") == 0)
    {
      TextBox b = { 0 };
      double len = (double) g_utf8_strlen (s->chars->str, -1) * font_px
                   * (mono ? 0.6 : 0.62);
      double start = 0;

      if (g_strcmp0 (s->anchor, "end") == 0)
        start = -len;
      else if (g_strcmp0 (s->anchor, "middle") == 0)
        start = -len / 2;
      b.ux = s->have_m ? s->m[0] : 1;
      b.uy = s->have_m ? s->m[1] : 0;
      b.cx = (s->have_m ? s->m[4] : s->x) + start * b.ux;
      b.cy = (s->have_m ? s->m[5] : s->y) + start * b.uy;
      b.len = len;
      /* DejaVu's capitals reach 0.73 em; digits and letters without
       * descenders stay on the baseline. */
      b.up = 0.73 * font_px;
      b.down = 0.2 * font_px;
      b.text = g_strdup (s->chars->str);
      g_array_append_val (s->boxes, b);
      s->in_text = FALSE;
    }
}

static void
text_box_clear (gpointer p)
{
  g_free (((TextBox *) p)->text);
}

static GArray *
scan_svg (const char *svg, guint *n_elements)
{
  static const GMarkupParser parser = {
    scan_start, scan_end, scan_text, NULL, NULL,
  };
  SvgScan s = { 0 };
  double root_px = 12;
  gboolean root_mono = FALSE;
  g_autoptr (GMarkupParseContext) ctx = NULL;
  g_autoptr (GError) error = NULL;

  s.boxes = g_array_new (FALSE, TRUE, sizeof (TextBox));
  g_array_set_clear_func (s.boxes, text_box_clear);
  s.font_px = g_array_new (FALSE, FALSE, sizeof (double));
  s.mono = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_array_append_val (s.font_px, root_px);
  g_array_append_val (s.mono, root_mono);
  s.chars = g_string_new (NULL);
  ctx = g_markup_parse_context_new (&parser, G_MARKUP_DEFAULT_FLAGS, &s,
                                    NULL);
  /* GMarkup does not take the XML declaration. */
  if (g_str_has_prefix (svg, "<?xml"))
    svg = strchr (svg, '\n') + 1;
  g_markup_parse_context_parse (ctx, svg, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (ctx, &error);
  g_assert_no_error (error);
  g_array_unref (s.font_px);
  g_array_unref (s.mono);
  g_string_free (s.chars, TRUE);
  g_free (s.anchor);
  if (n_elements != NULL)
    *n_elements = s.n_elements;
  return s.boxes;
}

/* The four corners of @b, for a separating-axis test. */
static void
box_corners (const TextBox *b, double xs[4], double ys[4])
{
  double nx = -b->uy;                   /* down, relative to the text */
  double ny = b->ux;

  xs[0] = b->cx - b->up * nx;
  ys[0] = b->cy - b->up * ny;
  xs[1] = xs[0] + b->len * b->ux;
  ys[1] = ys[0] + b->len * b->uy;
  xs[2] = b->cx + b->down * nx + b->len * b->ux;
  ys[2] = b->cy + b->down * ny + b->len * b->uy;
  xs[3] = b->cx + b->down * nx;
  ys[3] = b->cy + b->down * ny;
}

static gboolean
separated_on (double ax, double ay, const double xa[4], const double ya[4],
              const double xb[4], const double yb[4])
{
  double amin = G_MAXDOUBLE, amax = -G_MAXDOUBLE;
  double bmin = G_MAXDOUBLE, bmax = -G_MAXDOUBLE;

  for (guint i = 0; i < 4; i++)
    {
      double pa = xa[i] * ax + ya[i] * ay;
      double pb = xb[i] * ax + yb[i] * ay;

      amin = MIN (amin, pa);
      amax = MAX (amax, pa);
      bmin = MIN (bmin, pb);
      bmax = MAX (bmax, pb);
    }
  return amax <= bmin || bmax <= amin;
}

static gboolean
boxes_overlap (const TextBox *a, const TextBox *b)
{
  double xa[4], ya[4], xb[4], yb[4];

  box_corners (a, xa, ya);
  box_corners (b, xb, yb);
  return !(separated_on (a->ux, a->uy, xa, ya, xb, yb)
           || separated_on (-a->uy, a->ux, xa, ya, xb, yb)
           || separated_on (b->ux, b->uy, xa, ya, xb, yb)
           || separated_on (-b->uy, b->ux, xa, ya, xb, yb));
}

static void
assert_no_text_overlaps (const char *svg)
{
  g_autoptr (GArray) boxes = scan_svg (svg, NULL);

  g_assert_cmpuint (boxes->len, >, 0);
  for (guint i = 0; i < boxes->len; i++)
    for (guint j = i + 1; j < boxes->len; j++)
      {
        const TextBox *a = &g_array_index (boxes, TextBox, i);
        const TextBox *b = &g_array_index (boxes, TextBox, j);

        if (boxes_overlap (a, b))
          g_error ("text '%s' overlaps '%s'", a->text, b->text);
      }
}

static void
test_svg_seed (void)
{
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_seed_events,
                                                 test_seed_n_events);
  g_autofree char *svg = render_svg (diag, 40, TRUE);

  test_assert_golden ("seed-diagram.svg", svg);
  assert_no_text_overlaps (svg);
}

/* What the textbook figure must show, whatever its layout. */
static void
test_svg_seed_content (void)
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
  static const char *const texts[] = {
    "client", "server", "172.16.17.94:49152", "172.16.17.95:8080",
    "CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
    "FIN_WAIT_1", "CLOSE_WAIT", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT",
    "time (s)", "0.000000", "0.010000", "60.060280",
  };
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_seed_events,
                                                 test_seed_n_events);
  g_autofree char *svg = render_svg (diag, 0, FALSE);
  g_autoptr (GArray) boxes = scan_svg (svg, NULL);
  guint next = 0;

  g_assert_true (g_str_has_prefix (svg, "<svg "));
  for (guint i = 0; i < boxes->len && next < G_N_ELEMENTS (labels); i++)
    if (strcmp (g_array_index (boxes, TextBox, i).text, labels[next]) == 0)
      next++;
  g_assert_cmpuint (next, ==, G_N_ELEMENTS (labels));
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < boxes->len && !found; j++)
        found = strcmp (g_array_index (boxes, TextBox, j).text,
                        texts[i]) == 0;
      if (!found)
        g_error ("no text '%s'", texts[i]);
    }
  /* Ten arrowheads and no cross; the 60 s wait is shortened and marked. */
  g_assert_cmpuint (count_substr (svg, "<polygon "), ==, 10);
  g_assert_null (strstr (svg, "lost"));
  g_assert_nonnull (strstr (svg, "Double strokes mark shortened gaps"));
  /* Six client labels read along rightward arrows, four server labels
   * along leftward ones, anchored at their senders. */
  g_assert_cmpuint (count_substr (svg, "text-anchor=\"end\">"), >=, 4);
}

/* Time runs down: every arrow ends lower than it starts. */
static void
test_svg_slant (void)
{
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_seed_events,
                                                 test_seed_n_events);
  g_autofree char *svg = render_svg (diag, 0, FALSE);
  g_autoptr (GRegex) re = g_regex_new ("<line x1=\"([0-9.]+)\" "
                                       "y1=\"([0-9.]+)\" x2=\"([0-9.]+)\" "
                                       "y2=\"([0-9.]+)\"/>\n<polygon",
                                       G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT,
                                       NULL);
  g_autoptr (GMatchInfo) m = NULL;
  guint n = 0;

  g_regex_match (re, svg, G_REGEX_MATCH_DEFAULT, &m);
  while (g_match_info_matches (m))
    {
      g_autofree char *y1 = g_match_info_fetch (m, 2);
      g_autofree char *y2 = g_match_info_fetch (m, 4);

      g_assert_cmpfloat (g_ascii_strtod (y2, NULL), >,
                         g_ascii_strtod (y1, NULL) + 10);
      n++;
      g_match_info_next (m, NULL);
    }
  g_assert_cmpuint (n, ==, 10);
}

static void
test_svg_drop (void)
{
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_drop_events,
                                                 test_drop_n_events);
  g_autofree char *svg = render_svg (diag, 40, TRUE);

  test_assert_golden ("drop-diagram.svg", svg);
  assert_no_text_overlaps (svg);
  g_assert_cmpuint (count_substr (svg, ">lost (loss)<"), ==, 1);
  g_assert_cmpuint (count_substr (svg, ">lost (queue)<"), ==, 1);
  g_assert_cmpuint (count_substr (svg, "(rexmit)<"), ==, 2);
  /* Five arrows arrive; the two lost ones end in a cross, no head. */
  g_assert_cmpuint (count_substr (svg, "<polygon "), ==, 5);
  g_assert_cmpuint (count_substr (svg, "stroke-width=\"2.4\""), ==, 4);
}

static void
test_svg_elision (void)
{
  g_autoptr (SeqDiag) diag = build_long ();
  g_autofree char *svg = render_svg (diag, 10, TRUE);
  g_autofree char *all = render_svg (diag, 0, TRUE);
  g_autofree char *four = render_svg (diag, 4, TRUE);

  test_assert_golden ("elision-diagram.svg", svg);
  assert_no_text_overlaps (svg);
  assert_no_text_overlaps (four);
  assert_no_text_overlaps (all);
  g_assert_cmpuint (count_substr (svg, "<polygon "), ==, 10);
  g_assert_cmpuint (count_substr (all, "<polygon "), ==, 206);
  g_assert_cmpuint (count_substr (svg, ">… 196 segments …<"), ==, 1);
  g_assert_cmpuint (count_substr (svg, "stroke-dasharray=\"3 3\""), ==, 2);
  g_assert_nonnull (strstr (svg, ">FIN,ACK seq=100001 ack=1 win=65535<"));
  g_assert_null (strstr (svg, "seq=50001"));
  /* States changed out of sight are given after the band. */
  g_assert_nonnull (strstr (four, ">FIN_WAIT_1<"));
  g_assert_nonnull (strstr (four, ">CLOSE_WAIT<"));
  g_assert_nonnull (strstr (four, ">… 202 segments …<"));
}

static void
test_svg_empty (void)
{
  g_autoptr (SeqDiag) diag = seqdiag_new ();
  g_autofree char *svg = render_svg (diag, 40, TRUE);

  g_assert_cmpstr (svg, ==, "");
}

/* Host names come from the scenario: they are escaped, and a model with
 * a segment still in flight is drawn with a dashed arrow. */
static void
test_svg_escaping_in_flight (void)
{
  g_autoptr (SeqDiag) diag = seqdiag_new ();
  SeqDiagSegment s = { 0 };
  g_autofree char *svg = NULL;
  g_autofree char *mmd = NULL;

  seqdiag_set_end (diag, SEQDIAG_CLIENT, "a<b>&\"c;#", 0x0a000001, 1);
  seqdiag_set_end (diag, SEQDIAG_SERVER, "srv", 0x0a000002, 2);
  s.from = SEQDIAG_CLIENT;
  s.uid = 1;
  s.flags = TCP_SYN;
  s.win = 1000;
  s.wscale = -1;
  seqdiag_add_segment (diag, 0, &s);
  svg = render_svg (diag, 0, TRUE);
  assert_no_text_overlaps (svg);
  g_assert_nonnull (strstr (svg, "a&lt;b&gt;&amp;&quot;c;#"));
  g_assert_nonnull (strstr (svg, "stroke-dasharray=\"5 4\""));
  mmd = seqdiag_mermaid_render (diag, 0);
  g_assert_nonnull (strstr (mmd, "participant C as a<b>&\"c#59;#35; "
                                 "10.0.0.1:1\n"));
  g_assert_nonnull (strstr (mmd, "    C-)S: SYN seq=0 win=1000\n"));
  g_assert_nonnull (strstr (mmd, "still in flight"));
}

static void
test_svg_deterministic (void)
{
  g_autoptr (SeqDiag) a = test_seqdiag_build (test_drop_events,
                                              test_drop_n_events);
  g_autoptr (SeqDiag) b = test_seqdiag_build (test_drop_events,
                                              test_drop_n_events);
  g_autofree char *sa = render_svg (a, 40, TRUE);
  g_autofree char *sb = render_svg (b, 40, TRUE);
  g_autofree char *sa2 = render_svg (a, 40, TRUE);
  g_autofree char *inline_svg = render_svg (a, 40, FALSE);

  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpstr (sa, ==, sa2);
  g_assert_true (g_str_has_prefix (sa, "<?xml version=\"1.0\" "
                                       "encoding=\"UTF-8\"?>\n<svg "));
  g_assert_cmpstr (strchr (sa, '\n') + 1, ==, inline_svg);
  /* Nothing that would clash with a page it is inlined into. */
  g_assert_null (strstr (sa, " id="));
  g_assert_null (strstr (sa, "<style"));
  g_assert_null (strstr (sa, "<script"));
}

static void
test_mermaid_seed (void)
{
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_seed_events,
                                                 test_seed_n_events);
  g_autofree char *mmd = seqdiag_mermaid_render (diag, 40);

  test_assert_golden ("seed-diagram.mmd", mmd);
  g_assert_true (g_str_has_prefix (mmd, "sequenceDiagram\n"));
  g_assert_nonnull (strstr (mmd, "    participant C as client "
                                 "172.16.17.94:49152\n"));
  g_assert_nonnull (strstr (mmd, "    C->>S: SYN seq=0 win=65535 "
                                 "mss=1460\n"));
  g_assert_nonnull (strstr (mmd, "    S->>C: SYN,ACK seq=0 ack=1 "
                                 "win=65535 mss=1460\n"));
  g_assert_nonnull (strstr (mmd, "    Note right of S: SYN_RECEIVED\n"));
  g_assert_nonnull (strstr (mmd, "    Note left of C: TIME_WAIT\n"));
  g_assert_cmpuint (count_substr (mmd, "C->>S: "), ==, 6);
  g_assert_cmpuint (count_substr (mmd, "S->>C: "), ==, 4);
  g_assert_null (strstr (mmd, "-x"));
}

static void
test_mermaid_drop (void)
{
  g_autoptr (SeqDiag) diag = test_seqdiag_build (test_drop_events,
                                                 test_drop_n_events);
  g_autofree char *mmd = seqdiag_mermaid_render (diag, 40);

  test_assert_golden ("drop-diagram.mmd", mmd);
  g_assert_nonnull (strstr (mmd, "    C-xS: PSH,ACK seq=1 ack=1 len=159 "
                                 "win=65535 (lost: loss)\n"));
  g_assert_nonnull (strstr (mmd, "    S-xC: PSH,ACK seq=1 ack=160 len=111 "
                                 "win=65535 (lost: queue)\n"));
  g_assert_cmpuint (count_substr (mmd, "(rexmit)"), ==, 2);
}

static void
test_mermaid_elision (void)
{
  g_autoptr (SeqDiag) diag = build_long ();
  g_autofree char *mmd = seqdiag_mermaid_render (diag, 10);
  g_autofree char *four = seqdiag_mermaid_render (diag, 4);
  g_autofree char *all = seqdiag_mermaid_render (diag, 0);

  g_assert_cmpuint (count_substr (mmd, "->>"), ==, 10);
  g_assert_cmpuint (count_substr (all, "->>"), ==, 206);
  g_assert_nonnull (strstr (mmd, "    Note over C,S: … 196 segments …\n"
                                 "    autonumber 202\n"));
  g_assert_nonnull (strstr (four, "    Note over C,S: … 202 segments …\n"
                                  "    autonumber 205\n"
                                  "    Note left of C: FIN_WAIT_1\n"
                                  "    Note right of S: CLOSE_WAIT\n"));
  g_assert_null (strstr (mmd, "seq=50001"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plots/seqdiag/svg/seed", test_svg_seed);
  g_test_add_func ("/plots/seqdiag/svg/seed-content", test_svg_seed_content);
  g_test_add_func ("/plots/seqdiag/svg/slant", test_svg_slant);
  g_test_add_func ("/plots/seqdiag/svg/drop", test_svg_drop);
  g_test_add_func ("/plots/seqdiag/svg/elision", test_svg_elision);
  g_test_add_func ("/plots/seqdiag/svg/empty", test_svg_empty);
  g_test_add_func ("/plots/seqdiag/svg/escaping-in-flight",
                   test_svg_escaping_in_flight);
  g_test_add_func ("/plots/seqdiag/svg/deterministic",
                   test_svg_deterministic);
  g_test_add_func ("/plots/seqdiag/mermaid/seed", test_mermaid_seed);
  g_test_add_func ("/plots/seqdiag/mermaid/drop", test_mermaid_drop);
  g_test_add_func ("/plots/seqdiag/mermaid/elision", test_mermaid_elision);
  return g_test_run ();
}

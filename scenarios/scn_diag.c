/* scn_diag.c: error collection, sorting and joining; typo hints.
 *
 * scn_diag_add() formats one message and keeps it with its position;
 * scn_diag_propagate() sorts (file messages by line and column, then the
 * --set messages in command-line order) and joins them.  scn_suggest()
 * ranks candidates by optimal-string-alignment distance, which counts a
 * swap of two neighbouring letters ("hsot") as one edit.
 */
#include "scenarios/scn_diag.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (scn-error-quark, scn_error)

typedef struct {
  ScnErrorCode code;
  gboolean in_file;             /* FALSE: a --set item */
  guint line;
  guint col;
  guint seq;                    /* insertion order breaks ties */
  char *text;                   /* the whole line, location included */
} ScnDiagMsg;

struct ScnDiag {
  GArray *msgs;                 /* ScnDiagMsg */
  guint max_errors;
  guint n_errors;               /* including those not kept */
};

static void
scn_diag_msg_clear (gpointer p)
{
  ScnDiagMsg *m = p;

  g_free (m->text);
}

ScnDiag *
scn_diag_new (guint max_errors)
{
  ScnDiag *diag = g_new0 (ScnDiag, 1);

  diag->msgs = g_array_new (FALSE, TRUE, sizeof (ScnDiagMsg));
  g_array_set_clear_func (diag->msgs, scn_diag_msg_clear);
  diag->max_errors = MAX (max_errors, 1u);
  return diag;
}

void
scn_diag_free (ScnDiag *diag)
{
  if (diag == NULL)
    return;
  g_array_unref (diag->msgs);
  g_free (diag);
}

static void
scn_diag_add_text (ScnDiag *diag, const ScnLoc *loc, ScnErrorCode code,
                   const char *message)
{
  ScnDiagMsg m = { 0 };

  diag->n_errors++;
  if (diag->msgs->len >= diag->max_errors)
    return;
  m.code = code;
  m.in_file = loc->line != 0;
  m.line = loc->line;
  m.col = loc->col;
  m.seq = diag->msgs->len;
  if (loc->line != 0)
    m.text = g_strdup_printf ("%s:%u:%u: %s", loc->file, loc->line,
                              loc->col, message);
  else
    m.text = g_strdup_printf ("%s: %s", loc->file, message);
  g_array_append_val (diag->msgs, m);
}

void
scn_diag_add (ScnDiag *diag, const ScnLoc *loc, ScnErrorCode code,
              const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (diag != NULL);
  g_return_if_fail (loc != NULL && loc->file != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  scn_diag_add_text (diag, loc, code, message);
}

void
scn_diag_add_error (ScnDiag *diag, const ScnLoc *loc, ScnErrorCode code,
                    const char *prefix, const GError *error)
{
  g_return_if_fail (error != NULL);

  if (prefix != NULL)
    scn_diag_add (diag, loc, code, "%s: %s", prefix, error->message);
  else
    scn_diag_add (diag, loc, code, "%s", error->message);
}

guint
scn_diag_count (const ScnDiag *diag)
{
  return diag->n_errors;
}

static int
scn_diag_msg_compare (gconstpointer pa, gconstpointer pb)
{
  const ScnDiagMsg *a = pa;
  const ScnDiagMsg *b = pb;

  /* File messages first, in reading order; then the --set ones. */
  if (a->in_file != b->in_file)
    return a->in_file ? -1 : 1;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  if (a->col != b->col)
    return a->col < b->col ? -1 : 1;
  return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

gboolean
scn_diag_propagate (const ScnDiag *diag, GError **error)
{
  g_autoptr (GString) all = NULL;
  g_autofree ScnDiagMsg *sorted = NULL;
  guint n;

  g_return_val_if_fail (diag != NULL, FALSE);

  n = diag->msgs->len;
  if (n == 0)
    return TRUE;
  sorted = g_memdup2 (diag->msgs->data, n * sizeof (ScnDiagMsg));
  qsort (sorted, n, sizeof (ScnDiagMsg), scn_diag_msg_compare);
  all = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (all, '\n');
      g_string_append (all, sorted[i].text);
    }
  if (diag->n_errors > n)
    g_string_append_printf (all, "\ntoo many errors: %u more not shown",
                            diag->n_errors - n);
  g_set_error_literal (error, SCN_ERROR, sorted[0].code, all->str);
  return FALSE;
}

gsize
scn_edit_distance (const char *a, const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  g_autofree gsize *rows = g_new (gsize, 3 * (lb + 1));
  gsize *prev2 = rows;
  gsize *prev = rows + (lb + 1);
  gsize *cur = rows + 2 * (lb + 1);

  for (gsize j = 0; j <= lb; j++)
    prev[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      gsize *tmp;

      cur[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          gsize cost = a[i - 1] == b[j - 1] ? 0 : 1;
          gsize best = MIN (prev[j] + 1, cur[j - 1] + 1);

          best = MIN (best, prev[j - 1] + cost);
          if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
            best = MIN (best, prev2[j - 2] + 1);
          cur[j] = best;
        }
      tmp = prev2;
      prev2 = prev;
      prev = cur;
      cur = tmp;
    }
  return prev[lb];
}

/* Words longer than this are not typos of a keyword; skipping them keeps
 * a megabyte-long token from costing a quadratic comparison. */
#define SCN_SUGGEST_MAX_BYTES 128u

const char *
scn_suggest (const char *word, const char *const *candidates,
             gssize n_candidates)
{
  const char *best = NULL;
  gsize best_d = G_MAXSIZE;
  gsize len = strlen (word);
  gsize limit;

  if (len == 0 || len > SCN_SUGGEST_MAX_BYTES)
    return NULL;
  /* A difference of case alone is the likeliest slip ("mbps", "kb"). */
  for (gsize i = 0; n_candidates < 0 ? candidates[i] != NULL
                                     : i < (gsize) n_candidates; i++)
    if (g_ascii_strcasecmp (word, candidates[i]) == 0
        && strcmp (word, candidates[i]) != 0)
      return candidates[i];
  /* About one edit per four letters: "hots" -> "host", but "x" suggests
   * nothing. */
  limit = MAX ((gsize) 1, (len + 2) / 4);
  for (gsize i = 0; n_candidates < 0 ? candidates[i] != NULL
                                     : i < (gsize) n_candidates; i++)
    {
      gsize d;

      if (strlen (candidates[i]) > SCN_SUGGEST_MAX_BYTES)
        continue;
      d = scn_edit_distance (word, candidates[i]);
      if (d < best_d)
        {
          best_d = d;
          best = candidates[i];
        }
    }
  if (best == NULL || best_d == 0 || best_d > limit || best_d >= len)
    return NULL;
  return best;
}

char *
scn_hint (const char *word, const char *const *candidates,
          gssize n_candidates)
{
  const char *s = scn_suggest (word, candidates, n_candidates);

  if (s == NULL)
    return g_strdup ("");
  return g_strdup_printf (" (did you mean '%s'?)", s);
}

char *
scn_quote (const char *text, gsize max_chars)
{
  GString *out = g_string_new (NULL);
  gsize n = 0;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++, n++)
    {
      if (n >= max_chars)
        {
          g_string_append (out, "...");
          break;
        }
      if (*p >= 0x20 && *p < 0x7f)
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "\\x%02X", *p);
    }
  return g_string_free (out, FALSE);
}

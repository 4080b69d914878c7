/* test_heap.c: the intrusive 4-ary min-heap.
 *
 * Small hand-built cases pin push/pop order, removal from the middle and
 * key changes in both directions; a long run of random operations is then
 * checked step by step against a GTree holding the same keys, and the heap
 * invariant (each node's slot, parent not after child) is walked as it goes.
 */
#include "sim/heap.h"
#include "sim/rng.h"

typedef struct {
  SimHeapNode node;             /* first member: the heap hands back nodes */
  guint id;
} Item;

static void
item_set (Item *item, SimTime at_ns, guint64 seq)
{
  item->node.at_ns = at_ns;
  item->node.seq = seq;
}

/* Walks the whole array: every node knows its slot and no child sorts
 * before its parent. */
static void
assert_heap_valid (const SimHeap *heap)
{
  for (guint i = 0; i < heap->len; i++)
    {
      g_assert_cmpuint (sim_heap_nth (heap, i)->slot, ==, i + 1);
      if (i > 0)
        g_assert_false (sim_heap_node_before (sim_heap_nth (heap, i),
                                              sim_heap_nth (heap, (i - 1) / 4)));
    }
}

static void
test_empty (void)
{
  SimHeap heap;

  sim_heap_init (&heap);
  g_assert_null (sim_heap_peek (&heap));
  g_assert_null (sim_heap_pop (&heap));
  g_assert_cmpuint (sim_heap_len (&heap), ==, 0);
  sim_heap_clear (&heap);
}

static void
test_push_pop_order (void)
{
  /* Times with duplicates, pushed out of order; ties go by seq. */
  static const SimTime times_ns[] = { 50, 10, 30, 10, 70, 0, 30, 10, 90, 20 };
  /* Expected pop order as indices into times_ns[] (seq = index). */
  static const guint order[] = { 5, 1, 3, 7, 9, 2, 6, 0, 4, 8 };
  Item items[G_N_ELEMENTS (times_ns)];
  SimHeap heap;

  sim_heap_init (&heap);
  for (guint i = 0; i < G_N_ELEMENTS (times_ns); i++)
    {
      items[i] = (Item) { .id = i };
      item_set (&items[i], times_ns[i], i);
      sim_heap_push (&heap, &items[i].node);
      g_assert_true (sim_heap_node_linked (&items[i].node));
      assert_heap_valid (&heap);
    }
  g_assert_cmpuint (sim_heap_len (&heap), ==, G_N_ELEMENTS (times_ns));
  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    {
      Item *top = (Item *) sim_heap_peek (&heap);
      Item *popped = (Item *) sim_heap_pop (&heap);

      g_assert_true (top == popped);
      g_assert_cmpuint (popped->id, ==, order[k]);
      g_assert_false (sim_heap_node_linked (&popped->node));
      assert_heap_valid (&heap);
    }
  g_assert_null (sim_heap_pop (&heap));
  sim_heap_clear (&heap);
}

static void
test_remove_middle (void)
{
  Item items[100];
  SimHeap heap;
  Item *last;

  sim_heap_init (&heap);
  /* Push in reverse so the array is far from sorted. */
  for (guint i = 100; i > 0; i--)
    {
      items[i - 1] = (Item) { .id = i - 1 };
      item_set (&items[i - 1], (SimTime) (i - 1) * 10, i - 1);
      sim_heap_push (&heap, &items[i - 1].node);
    }
  /* Remove every third item, and the last slot, wherever they sit. */
  for (guint i = 1; i < 100; i += 3)
    {
      sim_heap_remove (&heap, &items[i].node);
      g_assert_false (sim_heap_node_linked (&items[i].node));
      assert_heap_valid (&heap);
    }
  last = (Item *) sim_heap_nth (&heap, heap.len - 1);
  sim_heap_remove (&heap, &last->node);
  assert_heap_valid (&heap);
  g_assert_cmpuint (sim_heap_len (&heap), ==, 100 - 33 - 1);

  /* The survivors come out in order; the removed ones never do. */
  for (guint i = 0; i < 100; i++)
    {
      Item *it;

      if (i % 3 == 1 || &items[i] == last)
        continue;
      it = (Item *) sim_heap_pop (&heap);
      g_assert_nonnull (it);
      g_assert_cmpuint (it->id, ==, i);
    }
  g_assert_null (sim_heap_pop (&heap));
  sim_heap_clear (&heap);
}

static void
test_update (void)
{
  Item items[64];
  SimHeap heap;
  Item *top;

  sim_heap_init (&heap);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      items[i] = (Item) { .id = i };
      item_set (&items[i], 1000 + (SimTime) i * 10, i);
      sim_heap_push (&heap, &items[i].node);
    }

  /* Down: the current minimum moves to the very end. */
  item_set (&items[0], 5000, 100);
  sim_heap_update (&heap, &items[0].node);
  assert_heap_valid (&heap);
  top = (Item *) sim_heap_peek (&heap);
  g_assert_cmpuint (top->id, ==, 1);

  /* Up: a leaf becomes the minimum. */
  item_set (&items[63], 1, 101);
  sim_heap_update (&heap, &items[63].node);
  assert_heap_valid (&heap);
  top = (Item *) sim_heap_peek (&heap);
  g_assert_cmpuint (top->id, ==, 63);

  /* Same time as another node: seq decides. */
  item_set (&items[40], 1, 50);
  sim_heap_update (&heap, &items[40].node);
  assert_heap_valid (&heap);
  top = (Item *) sim_heap_peek (&heap);
  g_assert_cmpuint (top->id, ==, 40);

  /* An update that keeps the key must leave a valid heap too. */
  sim_heap_update (&heap, &items[20].node);
  assert_heap_valid (&heap);

  g_assert_cmpuint (((Item *) sim_heap_pop (&heap))->id, ==, 40);
  g_assert_cmpuint (((Item *) sim_heap_pop (&heap))->id, ==, 63);
  for (guint i = 1; i < 63; i++)
    if (i != 40)
      g_assert_cmpuint (((Item *) sim_heap_pop (&heap))->id, ==, i);
  g_assert_cmpuint (((Item *) sim_heap_pop (&heap))->id, ==, 0);
  g_assert_null (sim_heap_pop (&heap));
  sim_heap_clear (&heap);
}

static void
test_clear_unlinks (void)
{
  Item items[300];
  SimHeap heap;

  sim_heap_init (&heap);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      items[i] = (Item) { .id = i };
      item_set (&items[i], (SimTime) (i * 7919 % 300), i);
      sim_heap_push (&heap, &items[i].node);
    }
  sim_heap_clear (&heap);
  g_assert_cmpuint (sim_heap_len (&heap), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    g_assert_false (sim_heap_node_linked (&items[i].node));
  /* A cleared heap is an empty heap, ready for reuse. */
  sim_heap_push (&heap, &items[5].node);
  g_assert_true (sim_heap_peek (&heap) == &items[5].node);
  sim_heap_clear (&heap);
}

static gint
node_cmp (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const SimHeapNode *x = a;
  const SimHeapNode *y = b;

  if (sim_heap_node_before (x, y))
    return -1;
  if (sim_heap_node_before (y, x))
    return 1;
  return 0;
}

/* Random push/pop/remove/update mixed, against a GTree of the same nodes.
 * The tree is ordered by the same (at_ns, seq) key, so its first node is
 * what the heap must return. */
static void
test_random_ops (void)
{
  enum { N_ITEMS = 2000, N_OPS = 300000 };
  g_autofree Item *items = g_new0 (Item, N_ITEMS);
  g_autoptr (GTree) ref = g_tree_new_full (node_cmp, NULL, NULL, NULL);
  SimHeap heap;
  SimRng rng;
  guint64 next_seq = 0;
  guint pops = 0;

  sim_rng_seed (&rng, 1, "test/heap/random");
  sim_heap_init (&heap);
  for (guint i = 0; i < N_ITEMS; i++)
    items[i].id = i;

  for (guint op = 0; op < N_OPS; op++)
    {
      Item *it = &items[sim_rng_below (&rng, N_ITEMS)];
      /* A narrow time range makes ties common, so seq is exercised. */
      SimTime at_ns = (SimTime) sim_rng_below (&rng, 500);

      switch (sim_rng_below (&rng, 4))
        {
        case 0:
          if (!sim_heap_node_linked (&it->node))
            {
              item_set (it, at_ns, next_seq++);
              sim_heap_push (&heap, &it->node);
              g_tree_insert (ref, &it->node, it);
            }
          break;
        case 1:
          {
            GTreeNode *first = g_tree_node_first (ref);
            SimHeapNode *got = sim_heap_pop (&heap);

            if (first == NULL)
              g_assert_null (got);
            else
              {
                g_assert_true (got == g_tree_node_key (first));
                g_tree_remove (ref, got);
                pops++;
              }
          }
          break;
        case 2:
          if (sim_heap_node_linked (&it->node))
            {
              g_tree_remove (ref, &it->node);
              sim_heap_remove (&heap, &it->node);
            }
          break;
        case 3:
          if (sim_heap_node_linked (&it->node))
            {
              g_tree_remove (ref, &it->node);
              item_set (it, at_ns, next_seq++);
              sim_heap_update (&heap, &it->node);
              g_tree_insert (ref, &it->node, it);
            }
          break;
        default:
          g_assert_not_reached ();
        }
      g_assert_cmpuint (sim_heap_len (&heap), ==, (guint) g_tree_nnodes (ref));
      if (op % 1024 == 0)
        assert_heap_valid (&heap);
    }
  assert_heap_valid (&heap);
  g_assert_cmpuint (pops, >, N_OPS / 8);

  /* Drain: the remainder comes out in exactly the tree's order. */
  for (GTreeNode *n = g_tree_node_first (ref); n != NULL;
       n = g_tree_node_next (n))
    g_assert_true (sim_heap_pop (&heap) == g_tree_node_key (n));
  g_assert_null (sim_heap_pop (&heap));
  sim_heap_clear (&heap);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/heap/empty", test_empty);
  g_test_add_func ("/heap/push-pop-order", test_push_pop_order);
  g_test_add_func ("/heap/remove-middle", test_remove_middle);
  g_test_add_func ("/heap/update", test_update);
  g_test_add_func ("/heap/clear-unlinks", test_clear_unlinks);
  g_test_add_func ("/heap/random-ops", test_random_ops);
  return g_test_run ();
}

/* component.h: how a model joins a world.
 *
 * The world calls start() on every component in creation order when a run
 * begins, finish() in creation order when it ends, and free() in reverse
 * creation order when the world is freed.  Any hook may be NULL.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct SimWorld SimWorld;

typedef struct {
  const char *name;
  void (*start) (void *self, SimWorld *world);
  void (*finish) (void *self, SimWorld *world);
  void (*free) (void *self);
} SimComponentOps;

G_END_DECLS

/* cmd_drill.h: tcpsim drill, run packetdrill scripts against the TCP
 * model (cmd_drill.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int cli_cmd_drill (int argc, char **argv);

G_END_DECLS

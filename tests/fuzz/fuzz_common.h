/* fuzz_common.h: what the libFuzzer targets and their corpus replay test
 * share.
 *
 * Each target file defines LLVMFuzzerTestOneInput() and nothing else with
 * external linkage, so one file serves both libFuzzer (fuzz-scn, ...) and
 * replay_main.c.  The replay test links the three targets at once; the
 * #defines below, set per target by meson, rename each entry point so the
 * names do not clash there.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

/* The entry points as replay_main.c sees them. */
int fuzz_scn_one_input (const uint8_t *data, size_t size);
int fuzz_drill_one_input (const uint8_t *data, size_t size);
int fuzz_tcp_input_one_input (const uint8_t *data, size_t size);

/* The entry point of this target, under whichever name meson chose. */
int FUZZ_ENTRY (const uint8_t *data, size_t size);

/*
 * What every libFuzzer target of t/fuzz shares: the entry point that
 * libFuzzer calls, and CHECK(), which stops the run with GG_BUG (an
 * abort libFuzzer reports with the input) when an invariant fails.
 */
#ifndef GG_FUZZ_H
#define GG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			GG_BUG("invariant failed: %s", #cond);                 \
	} while (0)

#endif

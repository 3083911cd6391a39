/*
 * Between the pack loader (pack.c) and the validator (pack-parse.c);
 * not part of the library's interface.
 */
#ifndef GG_PACK_INTERNAL_H
#define GG_PACK_INTERNAL_H

#include "pack.h"

/* A pack file is at most this large. */
#define MAX_PACK_BYTES (1024 * 1024)

/*
 * Parse and validate `len` bytes named `source` into `pk`, whose name
 * (the file's base name) is set.  0, or GG_EINVALID with
 * "<source>:<line>:<col>: <problem>" in gg_error_last(); on error `pk`
 * may hold part of the pack, which the caller clears.
 */
int gg_pack__parse(struct gg_pack *pk, const char *source, const char *data,
		   size_t len);

#endif

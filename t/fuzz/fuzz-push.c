/*
 * libFuzzer target for push.c, the first code that touches the bytes git
 * feeds a hook: one stdin line with gg_push_parse_line(), and the whole
 * input as a stream with gg_push_read().  Build with
 * `../configure --enable-fuzzing CC=clang`, then for example
 *   ./t/fuzz/fuzz-push -max_total_time=300 corpus ../t/fuzz/corpus-push
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "push.h"
#include "fuzz.h"
#include "banned.h"

static int hex_zero(const char *h)
{
	return strspn(h, "0") == strlen(h);
}

/* What every successfully parsed update promises. */
static void check_update(const struct gg_update *u)
{
	size_t olen = strlen(u->old_hex), i;

	CHECK(olen == 40 || olen == 64);
	CHECK(strlen(u->new_hex) == olen);
	CHECK(strspn(u->old_hex, "0123456789abcdef") == olen);
	CHECK(strspn(u->new_hex, "0123456789abcdef") == olen);
	CHECK(u->ref && *u->ref);
	for (i = 0; u->ref[i]; i++)
		CHECK((unsigned char)u->ref[i] >= 0x20 && u->ref[i] != 0x7f);
	CHECK(u->kind == (hex_zero(u->old_hex) ? hex_zero(u->new_hex)
						       ? GG_UPDATE_NOOP
						       : GG_UPDATE_CREATE
				 : hex_zero(u->new_hex) ? GG_UPDATE_DELETE
							: GG_UPDATE_MODIFY));
	if (!strncmp(u->ref, "refs/heads/", 11))
		CHECK(u->ref_class == GG_REF_BRANCH);
	else if (!strncmp(u->ref, "refs/tags/", 10))
		CHECK(u->ref_class == GG_REF_TAG);
	else
		CHECK(u->ref_class == GG_REF_OTHER);
	CHECK(!!gg_ref_branch_name(u->ref) == (u->ref_class == GG_REF_BRANCH));
	CHECK(*gg_update_kind_name(u->kind));
}

static void one_line(const char *data, size_t size)
{
	struct gg_update u;
	int err = gg_push_parse_line(&u, data, size);

	if (!err) {
		check_update(&u);
		/* the argv form of the same update parses the same way */
		{
			struct gg_update v;

			CHECK(gg_push_parse_args(&v, u.ref, u.old_hex,
						 u.new_hex) == 0);
			CHECK(v.kind == u.kind && !strcmp(v.ref, u.ref));
			gg_update_release(&v);
		}
		gg_update_release(&u);
	} else {
		CHECK(err == GG_EINVALID);
	}
}

static void stream(const char *data, size_t size)
{
	struct gg_push push = GG_PUSH_INIT;
	FILE *f;
	size_t i;
	int err;

	if (!size)
		return;
	f = fmemopen((void *)(uintptr_t)data, size, "r");
	if (!f)
		return;
	err = gg_push_read(&push, f);
	CHECK(err == 0 || err == GG_EINVALID || err == GG_ELIMIT);
	for (i = 0; i < push.nr; i++)
		check_update(&push.updates[i]);
	gg_push_release(&push);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one_line((const char *)data, size);
	stream((const char *)data, size);
	return 0;
}

/*
 * Parsing of the hooks' input: stdin lines and update-hook arguments.
 * This is the first code that touches untrusted bytes, so it validates
 * everything and has a fuzz target (t/fuzz/fuzz-push.c).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "push.h"
#include "xalloc.h"
#include "banned.h"

static enum gg_ref_class classify(const char *ref)
{
	if (!strncmp(ref, "refs/heads/", 11))
		return GG_REF_BRANCH;
	if (!strncmp(ref, "refs/tags/", 10))
		return GG_REF_TAG;
	return GG_REF_OTHER;
}

static int valid_ref(const char *ref, size_t len)
{
	size_t i;

	if (!len)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)ref[i];

		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	return 1;
}

static int fill(struct gg_update *out, const char *old_hex, size_t olen,
		const char *new_hex, size_t nlen, const char *ref, size_t rlen)
{
	int oz, nz;

	if (!gg_oid_is_hex(old_hex, olen) || !gg_oid_is_hex(new_hex, nlen)) {
		gg_error_set(
			"object ids must be 40 or 64 lowercase hex digits");
		return GG_EINVALID;
	}
	if (olen != nlen) {
		gg_error_set("old and new object ids differ in length");
		return GG_EINVALID;
	}
	if (!valid_ref(ref, rlen)) {
		gg_error_set("ref name is empty or has control characters");
		return GG_EINVALID;
	}
	memcpy(out->old_hex, old_hex, olen);
	out->old_hex[olen] = '\0';
	memcpy(out->new_hex, new_hex, nlen);
	out->new_hex[nlen] = '\0';
	out->ref = gg_xstrndup(ref, rlen);
	out->ref_class = classify(out->ref);
	oz = gg_oid_hex_is_zero(out->old_hex);
	nz = gg_oid_hex_is_zero(out->new_hex);
	if (oz && nz)
		out->kind = GG_UPDATE_NOOP;
	else if (oz)
		out->kind = GG_UPDATE_CREATE;
	else if (nz)
		out->kind = GG_UPDATE_DELETE;
	else
		out->kind = GG_UPDATE_MODIFY;
	return 0;
}

int gg_push_parse_line(struct gg_update *out, const char *line, size_t len)
{
	const char *sp1, *sp2, *end = line + len;

	memset(out, 0, sizeof(*out));
	if (len && line[len - 1] == '\n')
		end--;
	sp1 = memchr(line, ' ', (size_t)(end - line));
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1)) : NULL;
	if (!sp2) {
		gg_error_set("expected '<old> <new> <ref>'");
		return GG_EINVALID;
	}
	return fill(out, line, (size_t)(sp1 - line), sp1 + 1,
		    (size_t)(sp2 - sp1 - 1), sp2 + 1, (size_t)(end - sp2 - 1));
}

int gg_push_parse_args(struct gg_update *out, const char *ref,
		       const char *old_hex, const char *new_hex)
{
	memset(out, 0, sizeof(*out));
	return fill(out, old_hex, strlen(old_hex), new_hex, strlen(new_hex),
		    ref, strlen(ref));
}

void gg_push_add(struct gg_push *push, struct gg_update *u)
{
	GG_ALLOC_GROW(push->updates, push->nr + 1, push->alloc);
	push->updates[push->nr++] = *u;
	u->ref = NULL;
}

int gg_push_read(struct gg_push *out, FILE *in)
{
	struct gg_buf line = GG_BUF_INIT;
	size_t lineno = 0;
	int err = 0, c;

	gg_buf_init(&line, GG_PUSH_MAX_LINE);
	for (;;) {
		struct gg_update u;

		gg_buf_reset(&line);
		while ((c = getc(in)) != EOF && c != '\n') {
			if ((err = gg_buf_addch(&line, c)) < 0) {
				gg_error_set("line %zu: longer than %d bytes",
					     lineno + 1, GG_PUSH_MAX_LINE);
				goto out;
			}
		}
		if (c == EOF && ferror(in)) {
			gg_error_set("reading the ref updates failed");
			err = GG_ERROR;
			goto out;
		}
		if (c == EOF && !line.len)
			break;
		lineno++;
		if (out->nr >= GG_PUSH_MAX_UPDATES) {
			gg_error_set("more than %d ref updates",
				     GG_PUSH_MAX_UPDATES);
			err = GG_ELIMIT;
			goto out;
		}
		if ((err = gg_push_parse_line(&u, line.buf, line.len)) < 0) {
			gg_error_prefix("line %zu", lineno);
			goto out;
		}
		gg_push_add(out, &u);
		if (c == EOF)
			break;
	}
out:
	gg_buf_release(&line);
	return err;
}

void gg_update_release(struct gg_update *u)
{
	free(u->ref);
	u->ref = NULL;
}

void gg_push_release(struct gg_push *push)
{
	size_t i;

	for (i = 0; i < push->nr; i++)
		gg_update_release(&push->updates[i]);
	free(push->updates);
	push->updates = NULL;
	push->nr = push->alloc = 0;
}

const char *gg_ref_branch_name(const char *ref)
{
	return strncmp(ref, "refs/heads/", 11) ? NULL : ref + 11;
}

const char *gg_update_kind_name(enum gg_update_kind kind)
{
	switch (kind) {
	case GG_UPDATE_MODIFY: return "update";
	case GG_UPDATE_CREATE: return "create";
	case GG_UPDATE_DELETE: return "delete";
	case GG_UPDATE_NOOP: return "delete-missing";
	}
	GG_BUG("unknown update kind %d", (int)kind);
}

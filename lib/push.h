/*
 * The ref updates of one push, as the hooks receive them.
 *
 * pre-receive and post-receive read lines "<old> SP <new> SP <ref> LF"
 * on stdin; update gets "<ref> <old> <new>" as argv.  Ids are 40 (SHA-1)
 * or 64 (SHA-256) lowercase hex digits; an all-zero old id is a create,
 * an all-zero new id a delete, and both zero is the delete of a ref that
 * does not exist (git passes it to pre-receive and update only).
 */
#ifndef GG_PUSH_H
#define GG_PUSH_H

#include <stddef.h>
#include <stdio.h>

#include "oid.h"

/* The largest stdin line and the most updates one push may carry. */
#define GG_PUSH_MAX_LINE 8192
#define GG_PUSH_MAX_UPDATES 1000000

enum gg_update_kind {
	GG_UPDATE_MODIFY, /* old and new are both set */
	GG_UPDATE_CREATE, /* old is zero */
	GG_UPDATE_DELETE, /* new is zero */
	GG_UPDATE_NOOP	  /* both zero: delete of a missing ref */
};

enum gg_ref_class {
	GG_REF_BRANCH, /* refs/heads/ */
	GG_REF_TAG,    /* refs/tags/ */
	GG_REF_OTHER   /* notes, refs/for/ (proc-receive), anything else */
};

struct gg_update {
	char old_hex[GG_OID_HEXSZ_MAX + 1];
	char new_hex[GG_OID_HEXSZ_MAX + 1];
	char *ref; /* owned */
	enum gg_update_kind kind;
	enum gg_ref_class ref_class;
};

struct gg_push {
	struct gg_update *updates;
	size_t nr;
	size_t alloc;
};

#define GG_PUSH_INIT                                                           \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/*
 * Parse one stdin line (without or with its trailing LF) into `out`.
 * On success `out->ref` is owned by the caller (gg_update_release()).
 * 0, or GG_EINVALID with a message that quotes nothing of the input
 * beyond its length (the caller escapes and prints the line itself).
 */
int gg_push_parse_line(struct gg_update *out, const char *line, size_t len);

/* Build an update from the update hook's argv order. 0 or GG_EINVALID. */
int gg_push_parse_args(struct gg_update *out, const char *ref,
		       const char *old_hex, const char *new_hex);

/*
 * Read every line of `in` into `out` (caller storage, GG_PUSH_INIT).
 * 0, or GG_EINVALID (a malformed line: "line N: ..."), GG_ELIMIT (a line
 * longer than GG_PUSH_MAX_LINE or more than GG_PUSH_MAX_UPDATES lines)
 * or GG_ERROR (read failure).  Empty input is a valid, empty push.
 */
int gg_push_read(struct gg_push *out, FILE *in);

/* Append a parsed update; takes ownership of `u->ref`. */
void gg_push_add(struct gg_push *push, struct gg_update *u);

void gg_update_release(struct gg_update *u);
void gg_push_release(struct gg_push *push);

/* The branch name of a refs/heads/ ref ("main"), else NULL.  Borrowed. */
const char *gg_ref_branch_name(const char *ref);

/* A word for the kind: "create", "delete", "update", "delete-missing". */
const char *gg_update_kind_name(enum gg_update_kind kind);

#endif

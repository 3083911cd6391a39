/*
 * Reading audit logs: lines of at most GG_AUDITLOG_MAX_LINE bytes from
 * a file descriptor, each parsed as JSON through the YAML loader and
 * typed into a struct gg_audit_run.  Lines that are not audit events
 * are counted and described, never fatal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auditlog.h"
#include "context.h"
#include "xalloc.h"
#include "yamlload.h"
#include "banned.h"

/* An event nests three deep (run, findings, finding); JSON has no
 * aliases, so the node budgets only guard against hostile lines. */
static const struct gg_yaml_limits line_limits = { 16, 1000000, 1000000, 2 };

void gg_auditlog_init(struct gg_auditlog *log)
{
	memset(log, 0, sizeof(*log));
	gg_arena_init(&log->arena);
	gg_strvec_init(&log->logs);
	gg_strvec_init(&log->warnings);
}

void gg_auditlog_release(struct gg_auditlog *log)
{
	gg_arena_release(&log->arena);
	free(log->runs);
	gg_strvec_release(&log->logs);
	gg_strvec_release(&log->warnings);
	gg_auditlog_init(log);
}

/* --- JSON to YAML -------------------------------------------------------- */

static int hex4(unsigned *out, const char *s)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Copy the escape sequence at `s` (s[0] is the backslash); a surrogate
 * pair becomes one \U escape.  Returns the bytes consumed. */
static size_t copy_escape(struct gg_buf *out, const char *s, size_t len,
			  int *err)
{
	unsigned hi, lo;

	if (len >= 12 && s[1] == 'u' && !hex4(&hi, s + 2) && hi >= 0xd800 &&
	    hi < 0xdc00 && s[6] == '\\' && s[7] == 'u' && !hex4(&lo, s + 8) &&
	    lo >= 0xdc00 && lo < 0xe000) {
		*err = gg_buf_addf(out, "\\U%08x",
				   0x10000 + ((hi - 0xd800) << 10) +
					   (lo - 0xdc00));
		return 12;
	}
	len = len < 2 ? len : 2;
	*err = gg_buf_add(out, s, len);
	return len;
}

int gg_auditlog_yaml_safe(struct gg_buf *out, const char *s, size_t len)
{
	size_t i = 0;
	int in_string = 0, err = 0;

	while (i < len && !err) {
		unsigned char c = (unsigned char)s[i];

		if (in_string && c == '\\') {
			i += copy_escape(out, s + i, len - i, &err);
		} else if (in_string && c == 0xc2 && i + 1 < len &&
			   (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] < 0xa0) {
			err = gg_buf_addf(out, "\\u00%02x",
					  (unsigned char)s[i + 1]);
			i += 2;
		} else {
			if (c == '"')
				in_string = !in_string;
			err = gg_buf_addch(out, c);
			i++;
		}
	}
	return err;
}

/* --- typing the event ---------------------------------------------------- */

enum ftype { F_STR, F_INT, F_BOOL };

struct field {
	const char *key;
	enum ftype type;
	size_t off;
};

#define RUN(key, type)                                                         \
	{                                                                      \
#key, type, offsetof(struct gg_audit_run, key)                 \
	}
static const struct field run_fields[] = { RUN(version, F_STR),
					   RUN(id, F_STR),
					   RUN(repository, F_STR),
					   RUN(pusher, F_STR),
					   RUN(pusher_source, F_STR),
					   RUN(platform, F_STR),
					   RUN(hook, F_STR),
					   RUN(via, F_STR),
					   RUN(decision, F_STR),
					   RUN(error, F_STR),
					   RUN(refs_total, F_INT),
					   RUN(refs_checked, F_INT),
					   RUN(files_changed, F_INT),
					   RUN(timed_out, F_BOOL),
					   RUN(duration_ms, F_INT),
					   RUN(blocking, F_INT),
					   RUN(warnings, F_INT),
					   RUN(waived, F_INT),
					   RUN(break_glass_reason, F_STR),
					   RUN(break_glass_granted, F_BOOL),
					   { NULL, F_STR, 0 } };
#undef RUN

#define FND(key, type)                                                         \
	{                                                                      \
#key, type, offsetof(struct gg_audit_finding, key)             \
	}
static const struct field finding_fields[] = {
	FND(rule, F_STR),   FND(severity, F_STR),  FND(ref, F_STR),
	FND(commit, F_STR), FND(path, F_STR),	   FND(line, F_INT),
	FND(target, F_STR), FND(message, F_STR),   FND(hint, F_STR),
	FND(waiver, F_STR), FND(waived_by, F_STR), { NULL, F_STR, 0 }
};
#undef FND

static const struct field ref_fields[] = {
	{ "ref", F_STR, offsetof(struct gg_audit_ref, ref) },
	{ "old", F_STR, offsetof(struct gg_audit_ref, old) },
	{ "new", F_STR, offsetof(struct gg_audit_ref, new_id) },
	{ "kind", F_STR, offsetof(struct gg_audit_ref, kind) },
	{ NULL, F_STR, 0 }
};

/* A string value copied into the arena; NULL for null.  A NUL inside
 * would cut the text short wherever it is shown, so it is refused. */
static int read_str(const char **out, struct gg_arena *a,
		    const struct gg_ynode *n, const char *key)
{
	if (gg_ynode_is_null(n))
		return 0;
	if (n->kind != GG_YSCALAR) {
		gg_error_set("'%s' is not a string", key);
		return GG_EINVALID;
	}
	if (memchr(n->u.scalar.s, '\0', n->u.scalar.len)) {
		gg_error_set("'%s' holds a NUL character", key);
		return GG_EINVALID;
	}
	*out = gg_arena_strndup(a, n->u.scalar.s, n->u.scalar.len);
	return 0;
}

static int read_fields(void *base, struct gg_arena *a,
		       const struct gg_ynode *map, const struct field *fields)
{
	const struct field *fd;
	int err = 0;

	for (fd = fields; fd->key && !err; fd++) {
		const struct gg_ynode *n = gg_ynode_get(map, fd->key);
		char *p = (char *)base + fd->off;

		if (fd->type == F_STR) {
			err = read_str((const char **)(void *)p, a, n, fd->key);
			continue;
		}
		if (gg_ynode_is_null(n))
			continue;
		err = fd->type == F_INT
			      ? gg_ynode_int((long long *)(void *)p, n)
			      : gg_ynode_bool((int *)(void *)p, n);
		if (err < 0) {
			gg_error_set("'%s' is not %s", fd->key,
				     fd->type == F_INT ? "a number"
						       : "true or false");
			err = GG_EINVALID;
		}
	}
	return err;
}

/* The sequence `key` of `map`, or NULL when it is absent or null;
 * GG_EINVALID when it is something else. */
static int get_seq(const struct gg_ynode **out, const struct gg_ynode *map,
		   const char *key)
{
	const struct gg_ynode *n = gg_ynode_get(map, key);

	*out = NULL;
	if (gg_ynode_is_null(n))
		return 0;
	if (!gg_ynode_is_seq(n)) {
		gg_error_set("'%s' is not a list", key);
		return GG_EINVALID;
	}
	*out = n;
	return 0;
}

static int read_strings(const char ***out, size_t *nr, struct gg_arena *a,
			const struct gg_ynode *map, const char *key)
{
	const struct gg_ynode *seq;
	size_t i;
	int err = get_seq(&seq, map, key);

	if (err < 0 || !seq)
		return err;
	*nr = gg_ynode_count(seq);
	*out = gg_arena_alloc(a, gg_st_mult(*nr, sizeof(**out)));
	for (i = 0; i < *nr && !err; i++) {
		err = read_str(&(*out)[i], a, gg_ynode_item(seq, i), key);
		if (!err && !(*out)[i]) {
			gg_error_set("'%s' holds a null", key);
			err = GG_EINVALID;
		}
	}
	return err;
}

/*
 * The list of objects `key` (`nr` items of `size` bytes, each read with
 * `fields`), allocated from the arena; NULL when there is none or on
 * error (`*err`).
 */
static void *read_objects(int *err, size_t *nr, size_t size, struct gg_arena *a,
			  const struct gg_ynode *map, const char *key,
			  const struct field *fields)
{
	const struct gg_ynode *seq;
	char *items;
	size_t i;

	if ((*err = get_seq(&seq, map, key)) < 0 || !seq)
		return NULL;
	*nr = gg_ynode_count(seq);
	items = gg_arena_alloc(a, gg_st_mult(*nr, size));
	for (i = 0; i < *nr; i++) {
		const struct gg_ynode *item = gg_ynode_item(seq, i);

		if (!gg_ynode_is_map(item)) {
			gg_error_set("'%s' holds an item that is not an object",
				     key);
			*err = GG_EINVALID;
			return NULL;
		}
		if ((*err = read_fields(items + i * size, a, item, fields)) <
		    0) {
			gg_error_prefix("'%s' item %zu", key, i + 1);
			return NULL;
		}
	}
	return items;
}

static int read_lists(struct gg_audit_run *run, struct gg_arena *a,
		      const struct gg_ynode *root)
{
	int err = 0;

	run->refs = read_objects(&err, &run->nrefs, sizeof(*run->refs), a, root,
				 "refs", ref_fields);
	if (!err)
		run->findings = read_objects(&err, &run->nfindings,
					     sizeof(*run->findings), a, root,
					     "findings", finding_fields);
	if (!err)
		err = read_strings(&run->push_options, &run->npush_options, a,
				   root, "push_options");
	if (!err)
		err = read_strings(&run->remarks, &run->nremarks, a, root,
				   "remarks");
	if (!err)
		err = read_strings(&run->notes, &run->nnotes, a, root, "notes");
	return err;
}

static int read_run(struct gg_audit_run *run, struct gg_arena *a,
		    const struct gg_ynode *root)
{
	const struct gg_ynode *t = gg_ynode_get(root, "time");
	const char *when = NULL;
	int err = read_str(&when, a, t, "time");

	if (err < 0 || (err = read_fields(run, a, root, run_fields)) < 0 ||
	    (err = read_lists(run, a, root)) < 0)
		return err;
	if (!when || !run->decision) {
		gg_error_set("not an audit event: no '%s'",
			     when ? "decision" : "time");
		return GG_EINVALID;
	}
	if (gg_time_parse(&run->time, when) < 0) {
		gg_error_set("'time' is not an ISO 8601 time");
		return GG_EINVALID;
	}
	return 0;
}

static int parse_json(struct gg_yfile **out, const char *s, size_t len)
{
	struct gg_buf safe = GG_BUF_INIT;
	struct gg_ymark at = { 0, 0 };
	int err;

	gg_auditlog_yaml_safe(&safe, s, len);
	err = gg_yaml_parse(out, &at, safe.buf, safe.len, &line_limits);
	gg_buf_release(&safe);
	if (err == GG_ELIMIT)
		gg_error_prefix("refused");
	else if (err < 0 && at.line == 1 && at.col)
		gg_error_prefix("not JSON at column %u", at.col);
	else if (err < 0 && at.line > 1)
		gg_error_prefix("not JSON at the end of the line");
	else if (err < 0)
		gg_error_prefix("not JSON");
	if (!err &&
	    ((*out)->ndocs != 1 || !gg_ynode_is_map((*out)->docs[0].root) ||
	     s[len - 1] != '}')) {
		gg_error_set("not a JSON object");
		gg_yaml_free(*out);
		*out = NULL;
		err = GG_EINVALID;
	}
	return err < 0 ? GG_EINVALID : 0;
}

int gg_audit_run_parse(struct gg_audit_run **out, struct gg_arena *arena,
		       const char *line, size_t len)
{
	struct gg_yfile *file = NULL;
	struct gg_audit_run *run;
	int err;

	*out = NULL;
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
		       line[len - 1] == '\t'))
		len--;
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	if (!len) {
		gg_error_set("empty line");
		return GG_EINVALID;
	}
	if (*line != '{') {
		gg_error_set("not a JSON object");
		return GG_EINVALID;
	}
	if ((err = parse_json(&file, line, len)) < 0)
		return err;
	if (gg_ynode_get(file->docs[0].root, "type")) {
		gg_yaml_free(file);
		return 1;
	}
	run = gg_arena_alloc(arena, sizeof(*run));
	err = read_run(run, arena, file->docs[0].root);
	gg_yaml_free(file);
	if (err < 0)
		return err;
	*out = run;
	return 0;
}

/* --- lines --------------------------------------------------------------- */

struct reader {
	int fd;
	char buf[65536];
	size_t pos, len;
};

/*
 * The next line into `line` (without its newline).  1 and a line, 0 at
 * the end, or GG_ERROR.  A line past the buffer's limit is consumed but
 * left empty, with `*too_long` set; `*newline` says whether it ended in
 * one (the last line of a log that was cut short does not).
 */
static int next_line(struct reader *r, struct gg_buf *line, int *too_long,
		     int *newline)
{
	int started = 0;

	gg_buf_reset(line);
	*too_long = *newline = 0;
	for (;;) {
		const char *nl;
		size_t n;

		if (r->pos == r->len) {
			ssize_t got = read(r->fd, r->buf, sizeof(r->buf));

			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				return GG_ERROR;
			if (!got)
				return started;
			r->pos = 0;
			r->len = (size_t)got;
		}
		started = 1;
		nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
		n = nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
		if (!*too_long && gg_buf_add(line, r->buf + r->pos, n) < 0) {
			*too_long = 1;
			gg_buf_release(line);
		}
		r->pos += n + !!nl;
		if (nl) {
			*newline = 1;
			return 1;
		}
	}
}

static void unreadable(struct gg_auditlog *log, const char *name, size_t lineno,
		       const char *problem)
{
	if (log->unreadable++ < GG_AUDITLOG_MAX_WARNINGS)
		gg_strvec_push_take(
			&log->warnings,
			gg_xasprintf("%s:%zu: %s", name, lineno, problem));
}

static void take_line(struct gg_auditlog *log, const char *name, size_t lineno,
		      const struct gg_buf *line, int newline)
{
	struct gg_audit_run *run;
	int err = gg_audit_run_parse(&run, &log->arena, line->buf, line->len);

	if (err > 0) {
		log->records++;
		return;
	}
	if (err < 0) {
		char *why = newline ? gg_xstrdup(gg_error_last())
				    : gg_xasprintf("cut short (no newline at "
						   "the end of the log): %s",
						   gg_error_last());

		unreadable(log, name, lineno, why);
		free(why);
		return;
	}
	run->log = name;
	run->lineno = lineno;
	run->seq = log->nr;
	GG_ALLOC_GROW(log->runs, log->nr + 1, log->alloc);
	log->runs[log->nr++] = run;
}

int gg_auditlog_read_fd(struct gg_auditlog *log, int fd, const char *name)
{
	struct reader *r = gg_xcalloc(1, sizeof(*r));
	struct gg_buf line;
	size_t lineno = 0;
	int too_long, newline, got;

	r->fd = fd;
	gg_buf_init(&line, GG_AUDITLOG_MAX_LINE);
	name = gg_arena_strdup(&log->arena, name);
	gg_strvec_push(&log->logs, name);
	while ((got = next_line(r, &line, &too_long, &newline)) > 0) {
		log->lines++;
		lineno++;
		if (too_long)
			unreadable(log, name, lineno,
				   "refused: the line is longer than 8 MiB");
		else
			take_line(log, name, lineno, &line, newline);
	}
	if (got < 0)
		gg_error_set("cannot read '%s': %s", name, strerror(errno));
	gg_buf_release(&line);
	free(r);
	return got < 0 ? GG_ERROR : 0;
}

int gg_auditlog_read_file(struct gg_auditlog *log, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0) {
		err = errno == ENOENT ? GG_ENOTFOUND : GG_ERROR;
		gg_error_set("cannot open audit log '%s': %s", path,
			     strerror(errno));
		return err;
	}
	err = gg_auditlog_read_fd(log, fd, path);
	close(fd);
	return err;
}

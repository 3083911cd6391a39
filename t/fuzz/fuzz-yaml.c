/*
 * libFuzzer target for yamlload.c: gg_yaml_parse() on arbitrary bytes
 * (with the default limits and with tiny ones, so that every limit path
 * runs), then a walk of the result through the readers a check uses:
 * gg_ynode_get / _path / _str / _text / _bool / _int / _double.  Build
 * with `../configure --enable-fuzzing CC=clang`, then for example
 *   ./t/fuzz/fuzz-yaml -max_total_time=300 corpus ../t/fuzz/corpus-yaml
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "yamlload.h"
#include "fuzz.h"
#include "banned.h"

/* Aliases share nodes, so an expanded walk could visit a million; the
 * walk stops after this many visits to keep each input fast. */
#define WALK_BUDGET 20000

static const char *const probes[] = { "apiVersion",
				      "kind",
				      "metadata",
				      "spec",
				      "<<",
				      "",
				      "metadata.name",
				      "spec.syncPolicy.automated.prune",
				      "spec.source.path",
				      "a.b.c.d.e.f.g.h",
				      NULL };

static void read_scalar(const struct gg_ynode *n)
{
	long long i;
	double d;
	int b, err;

	CHECK(n->u.scalar.s && n->u.scalar.s[n->u.scalar.len] == '\0');
	CHECK(gg_ynode_str(n) == n->u.scalar.s);
	CHECK(gg_ynode_count(n) == 0 && !gg_ynode_item(n, 0));
	CHECK(!gg_ynode_get(n, "a"));
	err = gg_ynode_bool(&b, n);
	CHECK(err == 0 || err == GG_EINVALID || err == GG_ENOTFOUND);
	CHECK(err || b == 0 || b == 1);
	err = gg_ynode_int(&i, n);
	CHECK(err == 0 || err == GG_EINVALID || err == GG_ENOTFOUND);
	err = gg_ynode_double(&d, n);
	CHECK(err == 0 || err == GG_EINVALID || err == GG_ENOTFOUND);
	if (gg_ynode_text(n))
		CHECK(!gg_ynode_is_null(n) && n->u.scalar.len);
}

/* The last pair whose key is exactly `key` (no merges). */
static const struct gg_ynode *last_value(const struct gg_ynode *map,
					 const char *key, size_t len)
{
	size_t i;

	for (i = map->u.map.nr; i-- > 0;) {
		const struct gg_ynode *k = map->u.map.pairs[i].key;

		if (k->kind == GG_YSCALAR && k->u.scalar.len == len &&
		    !memcmp(k->u.scalar.s, key, len))
			return map->u.map.pairs[i].value;
	}
	return NULL;
}

static void walk(const struct gg_ynode *n, size_t *budget);

static void read_map(const struct gg_ynode *n, size_t *budget)
{
	size_t i;

	CHECK(gg_ynode_is_map(n) && gg_ynode_count(n) == n->u.map.nr);
	for (i = 0; i < n->u.map.nr && *budget; i++) {
		const struct gg_ynode *k = n->u.map.pairs[i].key;

		CHECK(k && n->u.map.pairs[i].value);
		/* an explicit key wins over merges; repeated keys: the last */
		if (k->kind == GG_YSCALAR &&
		    strlen(k->u.scalar.s) == k->u.scalar.len)
			CHECK(gg_ynode_get(n, k->u.scalar.s) ==
			      last_value(n, k->u.scalar.s, k->u.scalar.len));
		walk(k, budget);
		walk(n->u.map.pairs[i].value, budget);
	}
	for (i = 0; probes[i]; i++) {
		const struct gg_ynode *v = gg_ynode_path(n, probes[i]);

		if (v)
			CHECK(v->line >= 1 && v->col >= 1);
		(void)gg_ynode_get(n, probes[i]);
	}
}

static void walk(const struct gg_ynode *n, size_t *budget)
{
	size_t i;

	if (!*budget)
		return;
	(*budget)--;
	CHECK(n->line >= 1 && n->col >= 1 && n->size >= 1);
	(void)gg_ynode_is_null(n);
	switch (n->kind) {
	case GG_YSCALAR: read_scalar(n); break;
	case GG_YMAP: read_map(n, budget); break;
	case GG_YSEQ:
		CHECK(gg_ynode_is_seq(n) && gg_ynode_count(n) == n->u.seq.nr);
		CHECK(!gg_ynode_item(n, n->u.seq.nr));
		for (i = 0; i < n->u.seq.nr && *budget; i++) {
			CHECK(gg_ynode_item(n, i) == n->u.seq.items[i]);
			walk(n->u.seq.items[i], budget);
		}
		break;
	default: GG_BUG("bad node kind %d", (int)n->kind);
	}
}

static void parse(const char *data, size_t size,
		  const struct gg_yaml_limits *lim)
{
	struct gg_yfile *f = NULL;
	struct gg_ymark at = { 0, 0 };
	size_t i, budget = WALK_BUDGET;
	int err = gg_yaml_parse(&f, &at, data, size, lim);

	if (err) {
		CHECK(err == GG_EINVALID || err == GG_ELIMIT);
		CHECK(!f);
		CHECK(*gg_error_last());
		return;
	}
	if (lim)
		CHECK(f->ndocs <= lim->max_docs);
	for (i = 0; i < f->ndocs; i++) {
		const struct gg_ynode *r = f->docs[i].root;

		CHECK(f->docs[i].line >= 1);
		if (!r)
			continue;
		if (lim)
			CHECK(r->size <= lim->max_expanded);
		walk(r, &budget);
	}
	gg_yaml_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct gg_yaml_limits tiny = { 4, 64, 128, 3 };

	parse((const char *)data, size, NULL);
	parse((const char *)data, size, &tiny);
	return 0;
}

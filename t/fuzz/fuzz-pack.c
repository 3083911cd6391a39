/*
 * libFuzzer target for rule packs (pack-parse.c, pack-match.c): the
 * input is loaded as pack "fuzz"; an error must name the file, and a
 * pack that loads is run over a fixed set of objects with every message
 * and hint formatted.  The same bytes are parsed as a field path and
 * walked.  Build with `../configure --enable-fuzzing CC=clang`, then
 *   ./t/fuzz/fuzz-pack -max_total_time=300 corpus ../t/fuzz/corpus-pack
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "pack.h"
#include "xalloc.h"
#include "yamlload.h"
#include "fuzz.h"
#include "banned.h"

/* Objects every loaded rule is run over. */
static const char objects[] =
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
	"spec:\n  template:\n    spec:\n      hostNetwork: true\n"
	"      containers:\n        - {name: a, image: nginx, "
	"securityContext: {privileged: true}}\n        - {name: b}\n"
	"      volumes: [{hostPath: {path: /}}]\n"
	"---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, "
	"annotations: {a.b/c: 'true'}}\ntype: x\ndata: {k: v}\n";

struct seen {
	const struct gg_pack_rule *rule;
	const struct gg_ynode *root;
	size_t n;
};

static int format_hit(const struct gg_fhit *hit, void *payload)
{
	struct seen *s = payload;
	struct gg_pack_vars v = { "web", "ns", "Deployment", "apps/v1",
				  hit->path, NULL, "a.yaml", "prod" };
	struct gg_buf b = GG_BUF_INIT;

	CHECK(hit->path);
	if (hit->node && hit->node->kind == GG_YSCALAR)
		v.value = hit->node->u.scalar.s;
	gg_pack_format(&b, s->rule->message, &v);
	if (s->rule->hint)
		gg_pack_format(&b, s->rule->hint, &v);
	gg_buf_release(&b);
	return ++s->n > 1000;
}

static void run_rules(const struct gg_pack *pk)
{
	struct gg_yfile *f = NULL;
	size_t r, d;
	int limited = 0;

	if (gg_yaml_parse(&f, NULL, objects, sizeof(objects) - 1, NULL) < 0)
		GG_BUG("objects: %s", gg_error_last());
	for (r = 0; r < pk->nrules; r++) {
		const struct gg_pack_rule *rule = &pk->rules[r];

		CHECK(!strncmp(rule->id, "fuzz/", 5));
		CHECK(rule->nexamples > 0);
		for (d = 0; d < f->ndocs; d++) {
			struct seen s = { rule, f->docs[d].root, 0 };

			(void)gg_pack_rule_kinds(rule, "apps/v1", "Deployment");
			gg_pack_rule_fire(rule, s.root, format_hit, &s,
					  &limited);
		}
	}
	gg_yaml_free(f);
}

static int count_hit(const struct gg_fhit *hit, void *payload)
{
	CHECK(hit->path && (hit->node || hit->near || !*(int *)payload));
	return 0;
}

/* The input as a field path, walked over the objects. */
static void walk_path(const uint8_t *data, size_t size)
{
	char *text = gg_xstrndup((const char *)data, size);
	struct gg_yfile *f = NULL;
	struct gg_fpath fp;
	int root = 1;

	if (gg_fpath_parse(&fp, text) == 0) {
		CHECK(fp.nr > 0 && fp.nr <= 33);
		if (gg_yaml_parse(&f, NULL, objects, sizeof(objects) - 1,
				  NULL) == 0)
			gg_fpath_walk(&fp, f->docs[0].root, count_hit, &root);
		gg_yaml_free(f);
	}
	gg_fpath_release(&fp);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gg_packs *ps = gg_packs_new();
	int err;

	err = gg_packs_load_buffer(ps, "fuzz", "fuzz.yaml", (const char *)data,
				   size);
	CHECK(err == 0 || err == GG_EINVALID);
	CHECK(ps->nr == 1);
	if (err) {
		CHECK(!strncmp(gg_error_last(), "fuzz.yaml", 9));
		CHECK(ps->v[0]->error && !ps->v[0]->nrules);
	} else {
		CHECK(!ps->v[0]->error && ps->v[0]->nrules > 0);
		CHECK(gg_packs_rule(ps, ps->v[0]->rules[0].id));
		run_rules(ps->v[0]);
	}
	gg_packs_free(ps);
	walk_path(data, size);
	return 0;
}

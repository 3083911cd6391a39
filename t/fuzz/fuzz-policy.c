/*
 * libFuzzer target for the policy loader (policy.c, policy-load.c,
 * policy-sections.c, and the glob and cron parsers they call): arbitrary
 * bytes as a policy file, validated and then loaded as a system layer
 * and as an in-repo layer over a fixed system policy.  Build with
 * `../configure --enable-fuzzing CC=clang`, then for example
 *   ./t/fuzz/fuzz-policy -max_total_time=300 corpus ../t/fuzz/corpus-policy
 */
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "policy.h"
#include "fuzz.h"
#include "banned.h"

static const char base[] =
	"version: 1\n"
	"environments:\n"
	"  - {name: dev, paths: ['envs/dev/**']}\n"
	"  - {name: prod, paths: ['envs/prod/**'], protected: true}\n"
	"promoters: [bot]\n"
	"break_glass: {users: [oncall], min_reason_length: 12}\n"
	"rules: {yaml/invalid: block}\n";

/* 1 if environment `name` exists and is not protected. */
static int unprotected(const struct gg_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nenvs; i++)
		if (!strcmp(p->envs[i].name, name))
			return !(p->envs[i].protect == 1 ||
				 (p->envs[i].protect < 0 &&
				  i + 1 == p->nenvs));
	return 0;
}

static void load(const char *data, size_t size, int valid,
		 enum gg_policy_layer layer)
{
	struct gg_policy p;
	size_t sources, notes;
	int err;

	gg_policy_init(&p);
	if (layer != GG_LAYER_SYSTEM &&
	    gg_policy_load(&p, GG_LAYER_SYSTEM, "base.yaml", base,
			   sizeof(base) - 1) < 0)
		GG_BUG("base policy: %s", gg_error_last());
	sources = p.sources.nr;
	notes = p.notes.nr;
	err = gg_policy_load(&p, layer, "fuzz.yaml", data, size);
	CHECK(err == valid);
	if (err) {
		CHECK(!strncmp(gg_error_last(), "fuzz.yaml", 9));
		CHECK(p.sources.nr == sources && p.notes.nr == notes);
	} else {
		CHECK(p.sources.nr == sources + 1);
	}
	if (layer == GG_LAYER_IN_REPO) {
		/* tighten only: nothing the base allowed may get looser */
		CHECK(gg_policy_severity(&p, "yaml/invalid") == GG_SEV_BLOCK);
		CHECK(p.break_glass_min_reason >= 12);
		CHECK(p.promoters.nr <= 1 && p.break_glass_users.nr <= 1);
		CHECK(!p.audit.log && !p.audit.webhook_url);
		CHECK(!p.limits.on_error_accept && !p.limits.on_timeout_accept);
		CHECK(!p.allow_loosen.nr && !p.identity_env.nr);
		CHECK(!unprotected(&p, "prod"));
	}
	gg_policy_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int valid = gg_policy_validate("fuzz.yaml", s, size);

	CHECK(valid == 0 || valid == GG_EINVALID);
	if (valid)
		CHECK(!strncmp(gg_error_last(), "fuzz.yaml", 9));
	load(s, size, valid, GG_LAYER_SYSTEM);
	load(s, size, valid, GG_LAYER_IN_REPO);
	return 0;
}

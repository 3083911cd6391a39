/*
 * The sections of a policy file that say things about paths,
 * `environments` and `owners`, and how a later layer merges into what
 * the layers below set: environments by name, owners by layer, so that
 * a later layer only tightens unless allow_loosen names the section.
 */
#include <stdlib.h>
#include <string.h>

#include "policy-internal.h"
#include "xalloc.h"
#include "banned.h"

#define NOT_ALLOWED "'environments' is not in the system policy's allow_loosen"

static int env_entry(struct gg_policy_loader *ld, const struct gg_ynode *e,
		     struct gg_policy_env *out)
{
	static const char *const keys[] = { "name", "paths", "branch",
					    "protected", NULL };
	const struct gg_ynode *v;
	const char *s;
	int err;

	memset(out, 0, sizeof(*out));
	gg_strvec_init(&out->paths);
	out->protect = -1;
	if ((err = gg_policy__want_map(ld, e, "environments[]")) < 0 ||
	    (err = gg_policy__check_keys(ld, e, "environments[]", keys)) < 0)
		return err;
	if ((err = gg_policy__str(ld, gg_ynode_get(e, "name"),
				  "environments[].name", &s)) < 0)
		return err;
	out->name = gg_xstrdup(s);
	if (!(v = gg_ynode_get(e, "paths")) && !gg_ynode_get(e, "branch"))
		return gg_policy__bad(
			ld, e, "environment '%s' needs 'paths' or 'branch'", s);
	if (v && (err = gg_policy__globs(ld, v, "environments[].paths",
					 &out->paths)) < 0)
		return err;
	v = gg_ynode_get(e, "branch");
	if (v) {
		if ((err = gg_policy__str(ld, v, "environments[].branch", &s)) <
		    0)
			return err;
		out->branch = gg_xstrdup(s);
	}
	if ((v = gg_ynode_get(e, "protected")) &&
	    (err = gg_policy__bool(ld, v, "environments[].protected",
				   &out->protect)) < 0)
		return err;
	return 0;
}

static void env_release(struct gg_policy_env *e)
{
	free(e->name);
	free(e->branch);
	free(e->layers);
	gg_policy__free_globs(e->globs, e->paths.nr);
	gg_strvec_release(&e->paths);
}

/* Add the globs of `add` that `e` lacks, as globs of layer `layer`. */
static void env_add_globs(struct gg_policy_env *e, const struct gg_strvec *add,
			  enum gg_policy_layer layer)
{
	size_t i, old = e->paths.nr;

	gg_policy__free_globs(e->globs, old);
	for (i = 0; i < add->nr; i++)
		if (gg_strvec_find(&e->paths, add->v[i]) < 0)
			gg_strvec_push(&e->paths, add->v[i]);
	e->globs = gg_policy__compile_globs(&e->paths);
	e->layers = gg_xrealloc(
		e->layers, gg_st_mult(e->paths.nr + 1, sizeof(*e->layers)));
	for (i = old; i < e->paths.nr; i++)
		e->layers[i] = layer;
}

/* A freshly parsed entry: compile its globs as globs of `layer`. */
static void env_finish(struct gg_policy_env *e, enum gg_policy_layer layer)
{
	struct gg_strvec paths = e->paths;

	gg_strvec_init(&e->paths);
	env_add_globs(e, &paths, layer);
	gg_strvec_release(&paths);
}

static void set_envs(struct gg_policy *p, struct gg_policy_env *envs, size_t n)
{
	size_t j;

	for (j = 0; j < p->nenvs; j++)
		env_release(&p->envs[j]);
	free(p->envs);
	p->envs = envs;
	p->nenvs = n;
	p->envs_set = 1;
}

static long env_index(const struct gg_policy *p, const char *name)
{
	size_t j;

	for (j = 0; j < p->nenvs; j++)
		if (!strcmp(p->envs[j].name, name))
			return (long)j;
	return -1;
}

/* Entry `e` (parsed into `add`) of a later layer names environment `old`
 * of a layer below: it may add globs and protect it, nothing else. */
static void merge_known(struct gg_policy_loader *ld, const struct gg_ynode *e,
			struct gg_policy_env *old,
			const struct gg_policy_env *add)
{
	if (add->paths.nr)
		env_add_globs(old, &add->paths, ld->layer);
	if (add->branch && (!old->branch || strcmp(old->branch, add->branch)))
		gg_policy__note(ld, gg_ynode_get(e, "branch"),
				"ignored branch '%s' of environment '%s': "
				"only the layer that defines an environment "
				"sets its branch, and " NOT_ALLOWED,
				add->branch, add->name);
	if (add->protect == 1)
		old->protect = 1;
	else if (!add->protect && old->protect == 1)
		gg_policy__note(
			ld, gg_ynode_get(e, "protected"),
			"environment '%s' stays protected: " NOT_ALLOWED,
			add->name);
}

/* Entry `e` (parsed into `add`) of a later layer is a new environment:
 * 1 if it is kept, below those of the layers below. */
static int keep_new(struct gg_policy_loader *ld, const struct gg_ynode *e,
		    struct gg_policy_env *add, int after_known)
{
	if (add->branch) {
		gg_policy__note(ld, gg_ynode_get(e, "branch"),
				"ignored branch '%s' of environment '%s': "
				"only the system policy adds environments with "
				"a branch, unless " NOT_ALLOWED,
				add->branch, add->name);
		free(add->branch);
		add->branch = NULL;
	}
	if (!add->paths.nr) {
		gg_policy__note(ld, e,
				"ignored environment '%s': without its branch "
				"it has no paths",
				add->name);
		return 0;
	}
	if (after_known)
		gg_policy__note(
			ld, e,
			"environment '%s' is placed below '%s': a later "
			"layer adds environments below those of the "
			"layers below, not between or above them",
			add->name, ld->p->envs[0].name);
	return 1;
}

/*
 * Merge the entries of a later layer that may not loosen: by name, the
 * environments below keep their globs, branch, protection and order; new
 * ones become the lowest tiers, in the order the layer gives.  Takes the
 * new entries it keeps out of `add`; the caller releases the rest.
 */
static void merge_envs(struct gg_policy_loader *ld, const struct gg_ynode *v,
		       struct gg_policy_env *add, size_t n)
{
	struct gg_policy *p = ld->p;
	struct gg_policy_env *envs;
	size_t i, j, m = 0;
	long k, last = -1;
	int reordered = 0;

	/* the top tier's default protection must survive new tiers */
	for (j = 0; j < p->nenvs; j++)
		if (p->envs[j].protect < 0)
			p->envs[j].protect = j + 1 == p->nenvs;
	envs = gg_xcalloc(n + p->nenvs + 1, sizeof(*envs));
	for (i = 0; i < n; i++) {
		const struct gg_ynode *e = gg_ynode_item(v, i);

		k = env_index(p, add[i].name);
		if (k >= 0) {
			merge_known(ld, e, &p->envs[k], &add[i]);
			if (k < last && !reordered++)
				gg_policy__note(
					ld, e,
					"the environments of the layers "
					"below keep their order: " NOT_ALLOWED);
			last = k > last ? k : last;
		} else if (keep_new(ld, e, &add[i], last >= 0)) {
			env_finish(&add[i], ld->layer);
			envs[m++] = add[i];
			memset(&add[i], 0, sizeof(add[i]));
			gg_strvec_init(&add[i].paths);
		}
	}
	memcpy(envs + m, p->envs, gg_st_mult(p->nenvs, sizeof(*envs)));
	m += p->nenvs;
	free(p->envs);
	p->envs = envs;
	p->nenvs = m;
}

int gg_policy__sec_environments(struct gg_policy_loader *ld,
				const struct gg_ynode *v)
{
	struct gg_policy_env *envs;
	size_t i, j, n = gg_ynode_count(v);
	int err = 0;

	if (!gg_ynode_is_seq(v))
		return gg_policy__bad(
			ld, v,
			"'environments' must be a list, lowest tier first");
	envs = gg_xcalloc(n + 1, sizeof(*envs));
	for (i = 0; i < n && !err; i++) {
		err = env_entry(ld, v->u.seq.items[i], &envs[i]);
		for (j = 0; !err && j < i; j++)
			if (!strcmp(envs[i].name, envs[j].name))
				err = gg_policy__bad(
					ld, v->u.seq.items[i],
					"environment '%s' is defined twice",
					envs[i].name);
	}
	if (err || !ld->apply)
		goto out;
	if (gg_policy__may_loosen(ld, "environments") ||
	    (!ld->p->envs_set && ld->layer != GG_LAYER_IN_REPO)) {
		/* the list replaces the one below, or the recognition */
		for (i = 0; i < n; i++)
			env_finish(&envs[i], ld->layer);
		set_envs(ld->p, envs, n);
		ld->p->envs_layer = ld->layer;
		return 0;
	}
	if (!ld->p->envs_set)
		gg_policy__note(ld, v,
				"ignored 'environments': the in-repo policy "
				"may not replace the built-in recognition of "
				"environments, and " NOT_ALLOWED);
	else
		merge_envs(ld, v, envs, n);
out:
	for (i = 0; i < n; i++)
		env_release(&envs[i]);
	free(envs);
	return err;
}

/* --- owners --------------------------------------------------------------- */

static int owner_entry(struct gg_policy_loader *ld, const struct gg_ynode *e,
		       struct gg_policy_owner *o)
{
	static const char *const keys[] = { "paths", "users", NULL };
	int err;

	if ((err = gg_policy__want_map(ld, e, "owners[]")) < 0 ||
	    (err = gg_policy__check_keys(ld, e, "owners[]", keys)) < 0)
		return err;
	if (!gg_ynode_get(e, "paths") || !gg_ynode_get(e, "users"))
		return gg_policy__bad(
			ld, e, "each of 'owners' needs 'paths' and 'users'");
	if ((err = gg_policy__globs(ld, gg_ynode_get(e, "paths"),
				    "owners[].paths", &o->paths)) < 0)
		return err;
	return gg_policy__strs(ld, gg_ynode_get(e, "users"), "owners[].users",
			       &o->users);
}

/*
 * Entries are added, each with its layer: for a path, the entries of the
 * earliest layer that has a matching one decide (gg_policy_owners_of()),
 * so a later layer names owners only where no layer below does, unless
 * allow_loosen lets its entries count with any layer's.
 */
int gg_policy__sec_owners(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	size_t i, n = gg_ynode_count(v);
	int err = 0;

	if (!gg_ynode_is_seq(v))
		return gg_policy__bad(ld, v, "'owners' must be a list");
	for (i = 0; i < n && !err; i++) {
		struct gg_policy_owner o;

		memset(&o, 0, sizeof(o));
		gg_strvec_init(&o.paths);
		gg_strvec_init(&o.users);
		err = owner_entry(ld, v->u.seq.items[i], &o);
		if (!err && ld->apply) {
			o.globs = gg_policy__compile_globs(&o.paths);
			o.layer = ld->layer > GG_LAYER_SYSTEM &&
						  gg_policy__may_loosen(
							  ld, "owners")
					  ? GG_LAYER_ANY
					  : (int)ld->layer;
			ld->p->owners = gg_xrealloc(
				ld->p->owners,
				gg_st_mult(ld->p->nowners + 1, sizeof(o)));
			ld->p->owners[ld->p->nowners++] = o;
			continue;
		}
		gg_strvec_release(&o.paths);
		gg_strvec_release(&o.users);
	}
	return err;
}

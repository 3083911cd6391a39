/*
 * appset/generator-shrink: an ApplicationSet that generates fewer
 * Applications after the push (a directory or generator file gone, a
 * list element removed, a path glob narrowed) deletes the missing ones,
 * and their finalizer deletes what they deployed (gitops-semantics.md
 * 2.3; Argo CD issues #9227, applicationset#254).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "glob.h"
#include "xalloc.h"
#include "banned.h"

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_rule_info rules[] = {
	{ "appset/generator-shrink", GG_SEV_CONFIRM,
	  "makes an ApplicationSet generator yield fewer apps (directories "
	  "removed, list elements removed, files no longer matched)",
	  "An ApplicationSet generates fewer Applications after the push "
	  "than before: a directory that a git directory generator matched "
	  "is gone or renamed, a file that a git files generator read is "
	  "gone or no longer matched, a list element is removed, a path "
	  "glob is narrowed, or a matrix or merge of those shrinks.  When "
	  "generation succeeds with fewer items, the ApplicationSet "
	  "controller deletes the Applications it no longer generates, and "
	  "their resources finalizer, which generated Applications get "
	  "unless the template sets finalizers or "
	  "syncPolicy.preserveResourcesOnDeletion is true, deletes every "
	  "resource they deployed; a renamed directory or element deletes "
	  "its Application and creates a new one.  The message names the "
	  "Applications that go.  An ApplicationSet is expanded only when "
	  "the push changes its manifest or a path its generator globs "
	  "read.  Its manifest is taken as pushed (the app that deploys it, "
	  "or whoever applies it by hand, applies it); one deleted from Git "
	  "stays live unless an app that tracks the ref prunes it.  Git "
	  "generators over this repository that follow the pushed ref read "
	  "the trees before and after the push; the others read the tree "
	  "before it on both sides.  Nothing fires when the ApplicationSet "
	  "would not delete (a syncPolicy.applicationsSync of create-only or "
	  "create-update, or generated Applications without the resources "
	  "finalizer), when a generator file no longer parses (Argo CD then "
	  "fails the generation and deletes nothing), or when an app that "
	  "tracks the ref prunes the ApplicationSet itself "
	  "(app/cascade-delete's).  Cluster, SCM, pull "
	  "request and plugin generators cannot be expanded from Git and "
	  "are not judged.  Confirm with the path of the ApplicationSet's "
	  "manifest.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

/* One ApplicationSet, before and after the push. */
struct set {
	const char *name, *ns;
	const struct gg_object *old_o, *new_o;
	const char *old_path, *new_path;
};

struct sets {
	struct set *v;
	size_t nr, alloc;
};

static struct set *find_set(struct sets *s, const struct gg_object *o)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		if (!strcmp(s->v[i].name, o->name) &&
		    !strcmp(s->v[i].ns, o->namespace_ ? o->namespace_ : ""))
			return &s->v[i];
	GG_ALLOC_GROW(s->v, s->nr + 1, s->alloc);
	memset(&s->v[s->nr], 0, sizeof(s->v[s->nr]));
	s->v[s->nr].name = o->name;
	s->v[s->nr].ns = o->namespace_ ? o->namespace_ : "";
	return &s->v[s->nr++];
}

/* side: 0 old, 1 new, 2 both (the default branch's definitions) */
static int add_sets(struct sets *s, struct gg_session *sess,
		    const struct gg_defs *defs, int side)
{
	size_t i, j;
	int err;

	for (i = 0; i < defs->nfiles; i++) {
		const struct gg_def_file *f = &defs->files[i];
		const struct gg_objects *objs;

		if (!(f->kinds & GG_DEF_APPSET))
			continue;
		if ((err = gg_model_get(&objs, sess->manifests, &f->blob,
					f->path)) < 0)
			return err;
		for (j = 0; objs && j < objs->nr; j++) {
			const struct gg_object *o = &objs->v[j];
			struct set *set;

			if (o->kind != GG_KIND_APPLICATIONSET || !o->name)
				continue;
			set = find_set(s, o);
			if (side == 2 && (set->old_o || set->new_o))
				continue; /* this ref defines its own */
			if (side != 1) {
				set->old_o = o;
				set->old_path = f->path;
			}
			if (side != 0) {
				set->new_o = o;
				set->new_path = f->path;
			}
		}
	}
	return 0;
}

/* --- which ApplicationSets the push can affect ---------------------------- */

/* Does `path`, or a directory above it, match glob `g`? */
static int path_matches(const struct gg_glob *g, const char *path)
{
	char *copy = gg_xstrdup(path), *slash;
	int hit;

	hit = gg_glob_match(g, copy);
	while (!hit && (slash = strrchr(copy, '/'))) {
		*slash = '\0';
		hit = gg_glob_match(g, copy);
	}
	free(copy);
	return hit;
}

/* Does generator glob `glob` read a changed path?  Compiled once for
 * all the changed files; an invalid glob reads nothing. */
static int glob_reads(const char *glob, const struct gg_refchange *rc)
{
	struct gg_glob g;
	size_t i;
	int hit = 0;

	while (*glob == '/' || (glob[0] == '.' && glob[1] == '/'))
		glob += *glob == '/' ? 1 : 2;
	if (gg_glob_compile(&g, glob) < 0)
		return 0;
	for (i = 0; i < rc->nfiles && !hit; i++)
		hit = path_matches(&g, rc->files[i].path);
	gg_glob_release(&g);
	return hit;
}

static int generator_reads(const struct gg_generator *g,
			   const struct gg_refchange *rc, int depth)
{
	size_t i;

	if (depth > 8)
		return 0;
	for (i = 0; i < g->npaths; i++)
		if (glob_reads(g->paths[i].path, rc))
			return 1;
	for (i = 0; i < g->nchildren; i++)
		if (generator_reads(&g->children[i], rc, depth + 1))
			return 1;
	return 0;
}

static int affected(const struct set *set, const struct gg_refchange *rc)
{
	const struct gg_argo_appset *a = &set->old_o->u.appset;
	size_t j;

	if ((set->old_path && gg_refchange_find(rc, set->old_path)) ||
	    (set->new_path && gg_refchange_find(rc, set->new_path)))
		return 1;
	for (j = 0; j < a->ngenerators; j++)
		if (generator_reads(&a->generators[j], rc, 0))
			return 1;
	return 0;
}

/* Does an app that tracks the ref deploy `path` in `idx`? */
static int deployed(const struct gg_appindex *idx, const char *path,
		    const char *ref, const char *dflt)
{
	size_t *owners = NULL, n = 0, alloc = 0, i;
	int hit = 0;

	if (!path)
		return 0;
	gg_appindex_owners(idx, path, &owners, &n, &alloc);
	for (i = 0; i < n && !hit; i++)
		hit = gg_app_tracks(&idx->apps[owners[i]], ref, dflt);
	free(owners);
	return hit;
}

/*
 * The definition that is live after the push, or NULL.  A manifest as
 * pushed is applied, by the app that deploys it or by whoever applies
 * it by hand; one deleted from Git stays live unless an app that
 * tracks the ref prunes it, which is app/cascade-delete's.
 */
static const struct gg_object *live_after(const struct set *set,
					  const struct gg_refapps *ra,
					  const char *ref, const char *dflt)
{
	if (set->new_o)
		return set->new_o;
	if (deployed(ra->before, set->old_path, ref, dflt))
		return NULL;
	return set->old_o;
}

/* --- judging -------------------------------------------------------------- */

static int deletes_apps(const struct gg_argo_appset *a)
{
	const char *policy = a->applications_sync;

	return gg_argo_appset_cascades(a) &&
	       (!policy || !strcmp(policy, "sync") ||
		!strcmp(policy, "create-delete"));
}

static void gone_names(struct gg_buf *b, size_t *ngone,
		       const struct gg_strvec *before,
		       const struct gg_strvec *after)
{
	size_t i;

	*ngone = 0;
	for (i = 0; i < before->nr; i++) {
		if (gg_strvec_find(after, before->v[i]) >= 0)
			continue;
		if (++*ngone <= 5)
			gg_buf_addf(b, "%s%s", *ngone > 1 ? ", " : "",
				    before->v[i]);
	}
	if (*ngone > 5)
		gg_buf_adds(b, ", ...");
}

static void report(struct gg_check_run *run, const struct set *set,
		   const struct gg_object *live,
		   const struct gg_appset_names *before,
		   const struct gg_appset_names *after)
{
	const char *path = set->new_path && live == set->new_o ? set->new_path
							       : set->old_path;
	struct gg_report_spec spec = {
		"appset/generator-shrink",
		path,
		live->line,
		NULL,
		NULL,
		"to keep their resources, first set spec.syncPolicy."
		"preserveResourcesOnDeletion: true in a push of its own and "
		"let it sync; a renamed directory or element deletes and "
		"re-creates its Application",
		GG_SEV_OFF
	};
	struct gg_buf names = GG_BUF_INIT;
	size_t ngone;

	gone_names(&names, &ngone, &before->names, &after->names);
	if (!ngone)
		goto out;
	if (!deletes_apps(&live->u.appset)) {
		gg_check_note(run,
			      "ApplicationSet '%s' no longer generates %s; it "
			      "deletes no resources of them",
			      set->name, names.buf);
		goto out;
	}
	gg_check_report(run, &spec,
			"ApplicationSet '%s' would no longer generate %zu of "
			"its %zu Applications (%s); Argo CD deletes %s, and "
			"the resources finalizer deletes every resource %s "
			"deployed",
			set->name, ngone, before->names.nr, names.buf,
			ngone == 1 ? "it" : "them", ngone == 1 ? "it" : "they");
out:
	gg_buf_release(&names);
}

static void judge(struct gg_check_run *run, const struct gg_refapps *ra,
		  const struct set *set, const struct gg_object *live)
{
	struct gg_session *s = run->s;
	struct gg_appset_names before, after;
	struct gg_index_input in;

	memset(&in, 0, sizeof(in));
	in.repo = s->repo;
	in.manifests = s->manifests;
	in.policy = &s->policy;
	in.repo_name = s->ctx.repo_name;
	in.default_branch = gg_session_default_branch(s);
	/* generators that do not follow the ref read the old tree on both
	 * sides: only what the push changes can differ */
	gg_appset_names(&before, &in, set->old_o, &ra->old_tree, &ra->old_tree,
			run->update->ref);
	gg_appset_names(&after, &in, live, &ra->new_tree, &ra->old_tree,
			run->update->ref);
	if (after.errors)
		gg_check_note(run,
			      "ApplicationSet '%s': a generator file does not "
			      "parse after the push; Argo CD fails the "
			      "generation and deletes nothing",
			      set->name);
	else
		report(run, set, live, &before, &after);
	gg_appset_names_release(&before);
	gg_appset_names_release(&after);
}

static int run(struct gg_check_run *run)
{
	const char *ref = run->update->ref;
	const char *dflt = gg_session_default_branch(run->s);
	const struct gg_refapps *ra;
	const struct gg_defs *ddefs = NULL;
	const struct gg_appindex *didx;
	struct sets sets = { NULL, 0, 0 };
	size_t i;
	int err;

	if (!run->change->has_old || !run->change->has_new)
		return 0;
	if ((err = gg_check_apps(run, &ra)) < 0)
		return err;
	/* the same definitions, directories and index: no set shrinks */
	if (gg_refapps_unchanged(ra))
		return 0;
	if ((err = add_sets(&sets, run->s, ra->old_defs, 0)) < 0 ||
	    (err = add_sets(&sets, run->s, ra->new_defs, 1)) < 0)
		goto out;
	if (!(run->s->default_ref && !strcmp(ref, run->s->default_ref)) &&
	    ((err = gg_session_default_index(run->s, &didx, &ddefs)) < 0 ||
	     (err = add_sets(&sets, run->s, ddefs, 2)) < 0))
		goto out;
	for (i = 0; i < sets.nr; i++) {
		const struct set *set = &sets.v[i];
		const struct gg_object *live;

		if (!set->old_o || !affected(set, run->change))
			continue;
		live = live_after(set, ra, ref, dflt);
		if (live)
			judge(run, ra, set, live);
	}
out:
	free(sets.v);
	return err;
}

const struct gg_check_kind gg_check_appset = { "appset", rules, run };

/*
 * protect/annotation-removed: a protective annotation dropped from an
 * object that its app still deploys, or dropped by one commit of a push
 * whose later commit deletes the object (gitops-semantics.md 1.6, 4.1;
 * Helm's resource-policy keep, which Argo CD honours since 2.7).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "deletion-internal.h"
#include "banned.h"

#define MAX_COMMITS 64 /* commits of a push searched for a drop */

static const struct {
	unsigned bit;
	const char *text;  /* as written in the manifest */
	const char *token; /* what a kustomization naming it contains */
} marks[] = {
	{ GG_PROTECT_PRUNE_FALSE, "Prune=false", "Prune=false" },
	{ GG_PROTECT_PRUNE_CONFIRM, "Prune=confirm", "Prune=confirm" },
	{ GG_PROTECT_DELETE_FALSE, "Delete=false", "Delete=false" },
	{ GG_PROTECT_DELETE_CONFIRM, "Delete=confirm", "Delete=confirm" },
	{ GG_PROTECT_FLUX_PRUNE, "kustomize.toolkit.fluxcd.io/prune: disabled",
	  "kustomize.toolkit.fluxcd.io/prune" },
	{ GG_PROTECT_HELM_KEEP, "helm.sh/resource-policy: keep",
	  "helm.sh/resource-policy" },
};

#define NMARKS (sizeof(marks) / sizeof(*marks))

/* The protections that mean something to the app's controller. */
static unsigned relevant(const struct gg_app *app)
{
	if (app->controller == GG_CTRL_FLUX)
		return GG_PROTECT_FLUX_PRUNE | GG_PROTECT_HELM_KEEP;
	return GG_PROTECT_PRUNE_FALSE | GG_PROTECT_PRUNE_CONFIRM |
	       GG_PROTECT_DELETE_FALSE | GG_PROTECT_DELETE_CONFIRM |
	       GG_PROTECT_HELM_KEEP;
}

static void mark_names(struct gg_buf *b, unsigned bits)
{
	size_t i, n = 0;

	for (i = 0; i < NMARKS; i++)
		if (bits & marks[i].bit)
			gg_buf_addf(b, "%s%s", n++ ? ", " : "", marks[i].text);
}

/* What the controller may now do that the protection prevented. */
static const char *fate(unsigned bits)
{
	if (bits & (GG_PROTECT_PRUNE_FALSE | GG_PROTECT_PRUNE_CONFIRM))
		return "Argo CD prunes it as soon as it leaves Git";
	if (bits & GG_PROTECT_FLUX_PRUNE)
		return "Flux deletes it as soon as it leaves Git or its "
		       "Kustomization is deleted";
	if (bits & (GG_PROTECT_DELETE_FALSE | GG_PROTECT_DELETE_CONFIRM))
		return "deleting the Application now deletes it";
	return "uninstalling or pruning now deletes it";
}

/* Does blob `oid` mention one of the tokens of `bits`?  Unreadable
 * counts as yes: it may. */
static int blob_mentions(struct gg_deletion *d, const struct gg_oid *oid,
			 unsigned bits)
{
	const struct gg_manifest *m;
	size_t i;

	if (gg_manifests_get(&m, d->run->s->manifests, oid) < 0 || !m->data)
		return 1;
	for (i = 0; i < NMARKS; i++)
		if ((bits & marks[i].bit) && strstr(m->data, marks[i].token))
			return 1;
	return 0;
}

/* A kustomization the app reaches, or a file it names (patches),
 * mentions the protection: it may be applied there, which the render
 * does not do. */
static int kustomize_mentions(struct gg_deletion *d, const char *dir,
			      unsigned bits, struct gg_strvec *seen)
{
	const struct gg_kfile *k = gg_defs_kfile(d->ra->new_defs, dir);
	struct gg_tree_entry e;
	size_t i;

	if (!k || gg_strvec_find(seen, dir) >= 0 || seen->nr > 64)
		return 0;
	gg_strvec_push(seen, dir);
	if (blob_mentions(d, &k->blob, bits))
		return 1;
	for (i = 0; i < k->nothers; i++)
		if (!gg_repo_tree_lookup(&e, d->run->s->repo, &d->ra->new_tree,
					 k->others[i]) &&
		    e.kind == GG_ENTRY_BLOB && blob_mentions(d, &e.oid, bits))
			return 1;
	for (i = 0; i < k->nresources; i++)
		if (kustomize_mentions(d, k->resources[i], bits, seen))
			return 1;
	return 0;
}

static void report_dropped(struct gg_deletion *d, const struct gg_del_pair *p,
			   const struct gg_robj *now, unsigned lost)
{
	struct gg_report_spec spec = {
		"protect/annotation-removed",
		now->path,
		now->line,
		NULL,
		NULL,
		"keep the protection for as long as the object must survive "
		"leaving Git",
		GG_SEV_OFF
	};
	struct gg_buf names = GG_BUF_INIT;

	mark_names(&names, lost);
	gg_check_report(d->run, &spec,
			"drops %s from %s '%s', which app '%s' still deploys; "
			"%s",
			names.buf, now->kind, now->name, p->after.name,
			fate(lost));
	gg_buf_release(&names);
}

static void judge_kept(struct gg_deletion *d, const struct gg_del_pair *p,
		       const struct gg_robj *was, const struct gg_robj *now)
{
	struct gg_strvec seen = GG_STRVEC_INIT;
	unsigned lost = was->protect & ~now->protect & relevant(&p->after);
	int maybe;

	if (!lost)
		return;
	maybe = p->after.tool == GG_TOOL_KUSTOMIZE &&
		kustomize_mentions(d, p->after.root, lost, &seen);
	gg_strvec_release(&seen);
	if (maybe)
		gg_check_note(d->run,
			      "%s '%s' loses a protection in its manifest, "
			      "but a kustomization of app '%s' names it",
			      now->kind, now->name, p->after.name);
	else
		report_dropped(d, p, now, lost);
}

/* --- dropped, then deleted, within one push ------------------------------- */

/* The object of `tree` at `was`'s path with its kind and raw name. */
static int find_raw(const struct gg_object **out, struct gg_deletion *d,
		    const struct gg_oid *tree, const char *path,
		    const struct gg_object *raw)
{
	const struct gg_objects *objs;
	struct gg_tree_entry e;
	size_t i;
	int err;

	*out = NULL;
	err = gg_repo_tree_lookup(&e, d->run->s->repo, tree, path);
	if (err == GG_ENOTFOUND || (!err && e.kind != GG_ENTRY_BLOB))
		return 0;
	if (err < 0 ||
	    (err = gg_model_get(&objs, d->run->s->manifests, &e.oid, path)) < 0)
		return err;
	for (i = 0; objs && i < objs->nr; i++) {
		const struct gg_object *o = &objs->v[i];

		if (o->kind_name && raw->kind_name && o->name && raw->name &&
		    !strcmp(o->kind_name, raw->kind_name) &&
		    !strcmp(o->name, raw->name))
			*out = o;
	}
	return 0;
}

static void report_interim(struct gg_deletion *d, const struct gg_del_pair *p,
			   const struct gg_robj *was, unsigned lost,
			   const struct gg_oid *commit)
{
	struct gg_report_spec spec = {
		"protect/annotation-removed",
		was->path,
		0,
		NULL,
		NULL,
		"delete the object without dropping its protection first: "
		"the live object then keeps it",
		GG_SEV_OFF
	};
	struct gg_buf names = GG_BUF_INIT;
	char hex[GG_OID_HEXSZ + 1];

	gg_oid_to_hex(hex, commit);
	hex[12] = '\0';
	spec.commit = hex;
	mark_names(&names, lost);
	gg_check_report(d->run, &spec,
			"commit %s drops %s from %s '%s' of app '%s', and a "
			"later commit deletes it; %s if a controller syncs "
			"that commit",
			hex, names.buf, was->kind, was->name, p->after.name,
			fate(lost));
	gg_buf_release(&names);
}

static int judge_deleted(struct gg_deletion *d, const struct gg_del_pair *p,
			 const struct gg_robj *was)
{
	const struct gg_refchange *rc = d->run->change;
	unsigned mask = was->protect & relevant(&p->after);
	const struct gg_object *raw, *mid;
	struct gg_oid tree;
	size_t i;
	int err;

	if (!mask ||
	    (err = gg_del__object(&raw, d, &d->ra->old_tree, was)) < 0 || !raw)
		return mask ? err : 0;
	/* commits are listed children first; the first is the new tip */
	for (i = 1; i < rc->ncommits && i < MAX_COMMITS; i++) {
		if ((err = gg_repo_commit_tree(&tree, d->run->s->repo,
					       &rc->commits[i])) < 0 ||
		    (err = find_raw(&mid, d, &tree, was->path, raw)) < 0)
			return err;
		if (mid && (mask & ~mid->protect)) {
			report_interim(d, p, was, mask & ~mid->protect,
				       &rc->commits[i]);
			return 0;
		}
	}
	return 0;
}

static int judge_pair(struct gg_deletion *d, const struct gg_del_pair *p)
{
	size_t i;
	int err = 0;

	if (!p->judgeable)
		return 0;
	for (i = 0; i < p->old.nr && !err; i++) {
		const struct gg_robj *was = &p->old.v[i], *now;

		if (!was->protect || !gg_del__counts(&p->old, i))
			continue;
		now = gg_rendered_find(&p->new_, was->id);
		if (now)
			judge_kept(d, p, was, now);
		else
			err = judge_deleted(d, p, was);
	}
	return err;
}

int gg_del__protect(struct gg_deletion *d)
{
	size_t i;
	int err = 0;

	for (i = 0; i < d->nr && !err; i++)
		err = judge_pair(d, &d->v[i]);
	return err;
}

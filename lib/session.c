/*
 * Opening a session: context, repository, default branch, policy layers
 * (defaults < system < repository config < in-repo file at the pre-push
 * tip of the default branch).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "push.h"
#include "session.h"
#include "xalloc.h"
#include "banned.h"

const char *gg_session_default_branch(const struct gg_session *s)
{
	return s->default_ref ? gg_ref_branch_name(s->default_ref) : NULL;
}

struct only_branch {
	char *name;
	size_t n;
};

static int count_branch(const char *ref, const struct gg_oid *oid,
			void *payload)
{
	struct only_branch *ob = payload;

	(void)oid;
	if (!ob->n++)
		ob->name = gg_xstrdup(ref);
	return 0;
}

/*
 * HEAD names a branch that does not exist (init.defaultBranch=master,
 * then main was pushed): take main, else master, else the only branch,
 * and say so, since git would check that branch out for nobody.
 */
static int fallback_default(struct gg_session *s)
{
	static const char *const names[] = { "refs/heads/main",
					     "refs/heads/master", NULL };
	struct only_branch ob = { NULL, 0 };
	const char *pick = NULL;
	struct gg_oid tip;
	size_t i;
	int err;

	for (i = 0; names[i] && !pick; i++)
		if (gg_repo_ref_commit(&tip, s->repo, names[i]) == 0)
			pick = names[i];
	if (!pick) {
		err = gg_repo_foreach_ref(s->repo, "refs/heads/*", count_branch,
					  &ob);
		if (err < 0 || ob.n != 1) {
			free(ob.name);
			return err < 0 ? err
				       : 0; /* no branch yet, or no telling */
		}
		pick = ob.name;
	}
	gg_strvec_push_take(
		&s->remarks,
		gg_xasprintf(
			"HEAD names '%s', which does not exist; '%s' is taken as the "
			"default branch (set HEAD: git symbolic-ref HEAD %s)",
			s->default_ref, pick, pick));
	free(s->default_ref);
	free(s->default_tip_source);
	s->default_ref = gg_xstrdup(pick);
	s->default_tip_source = gg_xstrdup(pick);
	free(ob.name);
	err = gg_repo_ref_commit(&s->default_tip, s->repo,
				 s->default_tip_source);
	s->has_default_tip = err == 0;
	return err;
}

/*
 * A bare repository's HEAD names its default branch.  In a clone the
 * server's default is origin/HEAD: its name is mapped back to
 * refs/heads/<x> and the tip is read from refs/remotes/origin/<x>.
 * `wanted` (check --default-branch) overrides both.
 */
static int find_default(struct gg_session *s, const char *wanted)
{
	char *target = NULL;
	const char *remote_prefix = "refs/remotes/origin/";
	int err = 0;

	if (wanted) {
		s->default_ref = strncmp(wanted, "refs/", 5)
					 ? gg_xasprintf("refs/heads/%s", wanted)
					 : gg_xstrdup(wanted);
	} else if (!gg_repo_is_bare(s->repo) &&
		   gg_repo_symref_target(&target, s->repo,
					 "refs/remotes/origin/HEAD") == 0 &&
		   !strncmp(target, remote_prefix, strlen(remote_prefix))) {
		s->default_ref = gg_xasprintf("refs/heads/%s",
					      target + strlen(remote_prefix));
		s->default_tip_source = target;
		target = NULL;
	} else {
		err = gg_repo_symref_target(&target, s->repo, "HEAD");
		if (err < 0)
			goto out; /* detached or missing HEAD: no default */
		s->default_ref = target;
		target = NULL;
	}
	if (!s->default_tip_source && !gg_repo_is_bare(s->repo) &&
	    gg_ref_branch_name(s->default_ref)) {
		char *r = gg_xasprintf("%s%s", remote_prefix,
				       gg_ref_branch_name(s->default_ref));
		struct gg_oid tip;

		if (gg_repo_ref_commit(&tip, s->repo, r) == 0)
			s->default_tip_source = r;
		else
			free(r);
	}
	if (!s->default_tip_source)
		s->default_tip_source = gg_xstrdup(s->default_ref);
	err = gg_repo_ref_commit(&s->default_tip, s->repo,
				 s->default_tip_source);
	if (err == 0)
		s->has_default_tip = 1;
	else if (err == GG_ENOTFOUND && !wanted)
		err = fallback_default(s);
out:
	free(target);
	/* an empty repository or a detached HEAD has no default tip yet */
	return err == GG_ENOTFOUND ? 0 : err;
}

/*
 * In a clone (gitops-guard check), the repository's name is the server's:
 * the last segment of remote.origin.url, not the work tree's directory.
 */
static void name_from_remote(struct gg_session *s)
{
	char *url = NULL, *end, *start;

	if (gg_repo_is_bare(s->repo) ||
	    gg_repo_config_string(&url, s->repo, "remote.origin.url") < 0)
		return;
	end = url + strlen(url);
	while (end > url && end[-1] == '/')
		*--end = '\0';
	if (end - url > 4 && !strcmp(end - 4, ".git"))
		*(end -= 4) = '\0';
	start = end;
	while (start > url && start[-1] != '/' && start[-1] != ':')
		start--;
	if (*start) {
		free(s->ctx.repo_name);
		s->ctx.repo_name = gg_xstrdup(start);
	}
	free(url);
}

static int load_in_repo(struct gg_session *s)
{
	struct gg_tree_entry e;
	struct gg_oid tree;
	struct gg_buf b = GG_BUF_INIT;
	int err;

	if (!s->has_default_tip)
		return 0;
	if ((err = gg_repo_commit_tree(&tree, s->repo, &s->default_tip)) < 0)
		return err;
	err = gg_repo_tree_lookup(&e, s->repo, &tree, GG_POLICY_IN_REPO_PATH);
	if (err == GG_ENOTFOUND)
		return 0;
	if (err < 0)
		return err;
	s->in_repo_policy = gg_xasprintf("%s:%s",
					 gg_session_default_branch(s)
						 ? gg_session_default_branch(s)
						 : s->default_ref,
					 GG_POLICY_IN_REPO_PATH);
	if (e.kind != GG_ENTRY_BLOB) {
		gg_error_set("%s: not a regular file", s->in_repo_policy);
		return GG_EINVALID;
	}
	gg_buf_init(&b, 1024 * 1024);
	if ((err = gg_repo_blob_read(&b, s->repo, &e.oid)) == 0)
		err = gg_policy_load(&s->policy, GG_LAYER_IN_REPO,
				     s->in_repo_policy, b.buf, b.len);
	else if (err == GG_ELIMIT)
		gg_error_prefix("%s", s->in_repo_policy);
	gg_buf_release(&b);
	if (err == GG_EINVALID || err == GG_ELIMIT) {
		/* judged per push: only a push that repairs it may pass */
		s->in_repo_error = gg_xstrdup(gg_error_last());
		err = 0;
	}
	return err;
}

static int load_policy(struct gg_session *s, const struct gg_session_opts *opts)
{
	char *repo_file = NULL;
	int err;

	if (opts->policy_file)
		return gg_policy_load_file(&s->policy, GG_LAYER_SYSTEM,
					   opts->policy_file) < 0
			       ? GG_EINVALID
			       : load_in_repo(s);
	if ((err = gg_policy_load_system(&s->policy)) < 0)
		return err;
	err = gg_repo_config_string(&repo_file, s->repo, "gitops-guard.policy");
	if (err == 0) {
		err = gg_policy_load_file(&s->policy, GG_LAYER_REPO_CONFIG,
					  repo_file);
		free(repo_file);
		if (err < 0)
			return err;
	} else if (err != GG_ENOTFOUND) {
		return err;
	}
	return load_in_repo(s);
}

/* A line naming the contents of a policy file, or its absence. */
static void policy_file_id(struct gg_buf *b, const char *what, const char *path)
{
	struct gg_oid oid;
	char hex[GG_OID_HEXSZ + 1];

	if (path && gg_repo_hash_file(&oid, path) == 0) {
		gg_oid_to_hex(hex, &oid);
		gg_buf_addf(b, "%s %s\n", what, hex);
	} else {
		gg_buf_addf(b, "%s -\n", what);
	}
}

/*
 * What the app indexes of this session depend on besides their trees,
 * for their cache keys: the program (a rebuilt one may resolve apps
 * differently) and every layer of the policy, by contents.
 */
static void index_extra(struct gg_session *s)
{
	struct gg_buf b = GG_BUF_INIT;
	struct gg_tree_entry e;
	struct stat st;
	char exe[4096], hex[GG_OID_HEXSZ + 1];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	gg_buf_addf(&b, "program %s", PACKAGE_VERSION);
	if (n > 0) {
		exe[n] = '\0';
		if (stat(exe, &st) == 0)
			gg_buf_addf(&b, " %s %ld %ld %lld %lld", exe,
				    (long)st.st_dev, (long)st.st_ino,
				    (long long)st.st_size,
				    (long long)st.st_mtime);
	}
	gg_buf_addch(&b, '\n');
	/* every file loaded, the system policy's drop-ins included */
	for (i = 0; i < s->policy.sources.nr; i++)
		policy_file_id(&b, "policy", s->policy.sources.v[i]);
	if (s->has_default_tip &&
	    gg_repo_tree_lookup(&e, s->repo, &s->default_tree,
				GG_POLICY_IN_REPO_PATH) == 0) {
		gg_oid_to_hex(hex, &e.oid);
		gg_buf_addf(&b, "in-repo %s\n", hex);
	}
	s->index_extra = gg_buf_detach(&b, NULL);
}

int gg_session_index(struct gg_appindex **out, struct gg_session *s,
		     const struct gg_index_input *in,
		     const struct gg_oid *shapes)
{
	struct gg_oid key;
	int err;

	gg_appindex_key(&key, in, shapes, s->index_extra);
	if (gg_appindex_load(out, s->cache_dir, &key) == 0)
		return 0;
	if ((err = gg_appindex_build(out, in)) < 0)
		return err;
	gg_appindex_save(*out, s->cache_dir, &key);
	return 0;
}

int gg_session_open(struct gg_session *s, const struct gg_session_opts *opts)
{
	int err;

	memset(s, 0, sizeof(*s));
	gg_strvec_init(&s->remarks);
	gg_policy_init(&s->policy);
	gg_policy_load_packs(&s->policy);
	err = gg_context_init(&s->ctx, opts->hook, opts->git_dir,
			      gg_context_getenv, NULL);
	if (err < 0)
		return err;
	err = gg_repo_open(&s->repo, s->ctx.git_dir, s->ctx.quarantine,
			   (opts->readonly ? GG_REPO_READONLY : 0) |
				   (opts->search ? GG_REPO_SEARCH : 0));
	if (err < 0)
		return err;
	if ((err = find_default(s, opts->default_ref)) < 0)
		return err;
	name_from_remote(s);
	if ((err = load_policy(s, opts)) < 0)
		return err;
	gg_context_set_identity(&s->ctx, &s->policy.identity_env,
				gg_context_getenv, NULL);
	gg_context_set_deadline(&s->ctx, s->policy.limits.deadline_ms);
	s->manifests = gg_manifests_new(
		s->repo, (size_t)s->policy.limits.max_blob_bytes);
	/*
	 * What is cached depends on the blob limit (a larger file is not
	 * read): another limit caches apart.
	 */
	if (s->policy.limits.max_blob_bytes == GG_DEFAULT_MAX_BLOB_BYTES)
		s->cache_dir = gg_xasprintf("%sgitops-guard/cache",
					    gg_repo_path(s->repo));
	else
		s->cache_dir = gg_xasprintf(
			"%sgitops-guard/cache-max-blob-%lld",
			gg_repo_path(s->repo),
			s->policy.limits.max_blob_bytes);
	if (s->has_default_tip &&
	    (err = gg_repo_commit_tree(&s->default_tree, s->repo,
				       &s->default_tip)) < 0)
		return err;
	index_extra(s);
	return 0;
}

int gg_session_default_index(struct gg_session *s,
			     const struct gg_appindex **idx,
			     const struct gg_defs **defs)
{
	struct gg_index_input in;
	struct gg_oid shape;
	int err = 0;

	memset(&shape, 0, sizeof(shape));
	if (!s->default_index) {
		if (s->has_default_tip)
			err = gg_defs_for_tree(
				&s->default_defs, s->repo, &s->default_tree,
				NULL, s->cache_dir,
				(size_t)s->policy.limits.max_blob_bytes);
		else
			s->default_defs = gg_defs_empty();
		if (err < 0)
			return err;
		memset(&in, 0, sizeof(in));
		in.repo = s->repo;
		in.manifests = s->manifests;
		in.layers[0].defs = s->default_defs;
		in.layers[0].tree =
			s->has_default_tip ? &s->default_tree : NULL;
		in.nlayers = 1;
		in.content = s->default_defs;
		in.policy = &s->policy;
		in.repo_name = s->ctx.repo_name;
		in.default_branch = gg_session_default_branch(s);
		if (s->has_default_tip)
			gg_appindex_shape(&shape, s->cache_dir,
					  &s->default_tree);
		if ((err = gg_session_index(&s->default_index, s, &in,
					    &shape)) < 0)
			return err;
	}
	*idx = s->default_index;
	if (defs)
		*defs = s->default_defs;
	return 0;
}

void gg_session_release(struct gg_session *s)
{
	gg_appindex_free(s->default_index);
	gg_defs_free(s->default_defs);
	free(s->cache_dir);
	free(s->index_extra);
	gg_manifests_free(s->manifests);
	gg_policy_release(&s->policy);
	gg_repo_free(s->repo);
	gg_context_release(&s->ctx);
	free(s->default_ref);
	free(s->default_tip_source);
	free(s->in_repo_policy);
	free(s->in_repo_error);
	gg_strvec_release(&s->remarks);
	memset(s, 0, sizeof(*s));
}

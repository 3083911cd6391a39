/*
 * libgit2 behind gitops-guard's repository interface: quarantine-aware
 * opening, refs, commits, trees, blobs, a change-sized tree diff, notes.
 * The only file that includes git2.h.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include "repo.h"
#include "xalloc.h"
#include "banned.h"

struct gg_repo {
	git_repository *git;
	unsigned flags;
};

/* Copy libgit2's last message into our error slot; map its codes. */
static int from_git(int code, const char *what)
{
	const git_error *e = git_error_last();

	gg_error_set("%s: %s", what,
		     e && e->message ? e->message : "unknown error");
	if (code == GIT_ENOTFOUND)
		return GG_ENOTFOUND;
	if (code == GIT_EINVALIDSPEC || code == GIT_EINVALID ||
	    code == GIT_EAMBIGUOUS)
		return GG_EINVALID;
	return GG_ERROR;
}

static void to_git(git_oid *out, const struct gg_oid *in)
{
	memcpy(out->id, in->id, GG_OID_RAWSZ);
}

static void from_git_oid(struct gg_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, GG_OID_RAWSZ);
}

/*
 * libgit2 built with mbedTLS (Debian's and Ubuntu's 1.5) parses the
 * whole system CA bundle in git_libgit2_init(): 55M instructions, 5 to
 * 10 ms, more than the rest of a small push's check, although nothing
 * here speaks TLS through libgit2.  mbedTLS has no setting against it,
 * so this file defines mbedTLS's function itself (the dynamic linker
 * prefers the program's definition to the library's): while
 * gg_repo_global_init() runs git_libgit2_init() it declines to read the
 * bundle, which leaves libgit2's own TLS with no trusted certificate
 * (it fails closed if it is ever used); at any other time it calls
 * mbedTLS's function, so other users of mbedTLS in the process see no
 * difference.  A libgit2 built with OpenSSL never calls it, and a
 * static mbedTLS's definition wins over this weak one.
 */
#if defined(__GNUC__) || defined(__clang__)
#define GG_WEAK __attribute__((weak))
#else
#define GG_WEAK
#endif

static int skip_ca_bundle;

int mbedtls_x509_crt_parse_file(void *chain, const char *path);

GG_WEAK int mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	static int (*real)(void *, const char *);

	if (skip_ca_bundle)
		return -0x2900; /* MBEDTLS_ERR_X509_FILE_IO_ERROR */
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, __func__);
	return real ? real(chain, path) : -0x2900;
}

int gg_repo_global_init(void)
{
	int err;

	skip_ca_bundle = 1;
	err = git_libgit2_init();
	skip_ca_bundle = 0;
	if (err < 0)
		return from_git(-1, "cannot initialise libgit2");
	/*
	 * Hooks may run under another uid than the repository owner (GHES
	 * sandboxes, platform users); libgit2 1.5 knows no safe.directory=*.
	 */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	/*
	 * Trees larger than 4 KiB are not cached by default, so every path
	 * lookup below a big directory (apps/ with thousands of entries)
	 * would parse it again: cache trees up to 4 MiB.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
			 (size_t)4 * 1024 * 1024);
	/*
	 * libgit2 hashes every object it reads again to check its id (a
	 * tenth of the initial push).  Git itself computed those ids from
	 * the contents when it received the objects and never checks them
	 * on reading (only fsck does): read as git reads.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	return 0;
}

void gg_repo_global_shutdown(void)
{
	git_libgit2_shutdown();
}

/* Add a backend to `odb`, which then owns it; free it on failure. */
static int add_backend(git_odb *odb, git_odb_backend *b, int priority)
{
	int err = git_odb_add_backend(odb, b, priority);

	if (err < 0)
		b->free(b);
	return err;
}

/* The alternates of the object directory `objects`, as git reads them
 * (relative paths are relative to `objects`). */
static int add_alternates(git_odb *odb, const char *objects)
{
	char *path = gg_xasprintf("%s/info/alternates", objects), *line = NULL;
	FILE *f = fopen(path, "r");
	size_t alloc = 0;
	ssize_t n;
	int err = 0;

	while (f && err >= 0 && (n = getline(&line, &alloc, f)) > 0) {
		char *alt;

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		alt = line[0] == '/' ? gg_xstrdup(line)
				     : gg_xasprintf("%s/%s", objects, line);
		err = git_odb_add_disk_alternate(odb, alt);
		free(alt);
	}
	if (f)
		fclose(f);
	free(line);
	free(path);
	return err;
}

/*
 * The object store of a hook: the repository's objects and their
 * alternates, as git_repository_odb() sets them up, plus the quarantine
 * as an alternate -- but without the repository's commit-graph.
 * libgit2 1.5 attaches the commit-graph of the first directory added
 * with git_odb_add_disk_alternate(), and the first walk hashes that
 * whole file (SHA-1 with collision detection) before using it: a cost
 * that grows with the history (2 ms for 6,000 commits, 40 ms for
 * 100,000) while the walks of a push visit its new commits only.  So
 * the quarantine, which has none, is added first, and the repository's
 * own directory through plain backends at the priorities libgit2 gives
 * them.
 */
static int quarantine_odb(git_repository *git, const char *quarantine)
{
	git_odb *odb = NULL;
	git_odb_backend *loose = NULL, *packed = NULL;
	git_buf objects = { NULL, 0, 0 };
	int err;

	if ((err = git_repository_item_path(&objects, git,
					    GIT_REPOSITORY_ITEM_OBJECTS)) < 0 ||
	    (err = git_odb_new(&odb)) < 0 ||
	    (err = git_odb_add_disk_alternate(odb, quarantine)) < 0 ||
	    (err = git_odb_backend_loose(&loose, objects.ptr, -1, 0, 0, 0)) <
		    0 ||
	    (err = add_backend(odb, loose, 2)) < 0 ||
	    (err = git_odb_backend_pack(&packed, objects.ptr)) < 0 ||
	    (err = add_backend(odb, packed, 1)) < 0 ||
	    (err = add_alternates(odb, objects.ptr)) < 0)
		err = from_git(err, "cannot add the quarantine directory");
	else
		git_repository_set_odb(git, odb);
	git_odb_free(odb);
	git_buf_dispose(&objects);
	return err < 0 ? err : 0;
}

int gg_repo_open(struct gg_repo **out, const char *git_dir,
		 const char *quarantine, unsigned flags)
{
	git_repository *git = NULL;
	int err;

	*out = NULL;
	err = git_repository_open_bare(&git, git_dir);
	if (err < 0) {
		/* a work tree or a .git directory of one */
		err = git_repository_open_ext(
			&git, git_dir,
			(flags & GG_REPO_SEARCH)
				? 0
				: GIT_REPOSITORY_OPEN_NO_SEARCH,
			NULL);
	}
	if (err < 0) {
		err = from_git(err, "cannot open repository");
		goto out;
	}
	if (quarantine && (err = quarantine_odb(git, quarantine)) < 0)
		goto out;
	*out = gg_xcalloc(1, sizeof(**out));
	(*out)->git = git;
	(*out)->flags = flags;
	git = NULL;
out:
	git_repository_free(git);
	return err < 0 ? err : 0;
}

void gg_repo_free(struct gg_repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	free(repo);
}

const char *gg_repo_path(struct gg_repo *repo)
{
	return git_repository_path(repo->git);
}

int gg_repo_is_bare(struct gg_repo *repo)
{
	return git_repository_is_bare(repo->git);
}

int gg_repo_symref_target(char **out, struct gg_repo *repo, const char *name)
{
	git_reference *head = NULL;
	const char *target;
	int err;

	*out = NULL;
	if ((err = git_reference_lookup(&head, repo->git, name)) < 0)
		return from_git(err, name);
	target = git_reference_symbolic_target(head);
	if (!target) {
		gg_error_set("'%s' is not a symbolic ref", name);
		err = GG_ENOTFOUND;
	} else {
		*out = gg_xstrdup(target);
	}
	git_reference_free(head);
	return err < 0 ? err : 0;
}

int gg_repo_peel_commit(struct gg_oid *out, struct gg_repo *repo,
			const struct gg_oid *oid)
{
	git_object *obj = NULL, *peeled = NULL;
	git_oid id;
	int err;

	to_git(&id, oid);
	if ((err = git_object_lookup(&obj, repo->git, &id, GIT_OBJECT_ANY)) <
	    0) {
		err = from_git(err, "cannot read object");
		goto out;
	}
	if ((err = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) < 0) {
		gg_error_set("object is not a commit");
		err = GG_EINVALID;
		goto out;
	}
	from_git_oid(out, git_object_id(peeled));
out:
	git_object_free(peeled);
	git_object_free(obj);
	return err < 0 ? err : 0;
}

int gg_repo_ref_commit(struct gg_oid *out, struct gg_repo *repo,
		       const char *refname)
{
	git_oid id;
	struct gg_oid oid;
	int err;

	if ((err = git_reference_name_to_id(&id, repo->git, refname)) < 0)
		return from_git(err, "cannot resolve ref");
	from_git_oid(&oid, &id);
	return gg_repo_peel_commit(out, repo, &oid);
}

int gg_repo_revparse_commit(struct gg_oid *out, struct gg_repo *repo,
			    const char *spec)
{
	git_object *obj = NULL;
	struct gg_oid oid;
	int err;

	if ((err = git_revparse_single(&obj, repo->git, spec)) < 0)
		return from_git(err, "unknown revision");
	from_git_oid(&oid, git_object_id(obj));
	git_object_free(obj);
	return gg_repo_peel_commit(out, repo, &oid);
}

int gg_repo_has_object(struct gg_repo *repo, const struct gg_oid *oid)
{
	git_odb *odb = NULL;
	git_oid id;
	int r = 0;

	to_git(&id, oid);
	if (git_repository_odb(&odb, repo->git) == 0)
		r = git_odb_exists(odb, &id);
	git_odb_free(odb);
	return r;
}

static char *signature(const git_signature *sig)
{
	if (!sig)
		return gg_xstrdup("");
	return gg_xasprintf("%s <%s>", sig->name ? sig->name : "",
			    sig->email ? sig->email : "");
}

int gg_repo_commit_info(struct gg_commit_info *out, struct gg_repo *repo,
			const struct gg_oid *commit)
{
	git_commit *c = NULL;
	git_oid id;
	const char *msg;
	int err;

	memset(out, 0, sizeof(*out));
	to_git(&id, commit);
	if ((err = git_commit_lookup(&c, repo->git, &id)) < 0)
		return from_git(err, "cannot read commit");
	out->oid = *commit;
	from_git_oid(&out->tree, git_commit_tree_id(c));
	out->nparents = git_commit_parentcount(c);
	if (out->nparents)
		from_git_oid(&out->first_parent, git_commit_parent_id(c, 0));
	msg = git_commit_message_raw(c);
	out->message = gg_xstrdup(msg ? msg : "");
	out->author = signature(git_commit_author(c));
	out->committer = signature(git_commit_committer(c));
	out->time = (long long)git_commit_time(c);
	git_commit_free(c);
	return 0;
}

void gg_commit_info_release(struct gg_commit_info *ci)
{
	free(ci->message);
	free(ci->author);
	free(ci->committer);
	memset(ci, 0, sizeof(*ci));
}

int gg_repo_commit_tree(struct gg_oid *out, struct gg_repo *repo,
			const struct gg_oid *commit)
{
	git_commit *c = NULL;
	git_oid id;
	int err;

	to_git(&id, commit);
	if ((err = git_commit_lookup(&c, repo->git, &id)) < 0)
		return from_git(err, "cannot read commit");
	from_git_oid(out, git_commit_tree_id(c));
	git_commit_free(c);
	return 0;
}

int gg_repo_commit_parents(struct gg_oid *out, size_t max, struct gg_repo *repo,
			   const struct gg_oid *commit)
{
	git_commit *c = NULL;
	git_oid id;
	unsigned int i, n;
	int err;

	to_git(&id, commit);
	if ((err = git_commit_lookup(&c, repo->git, &id)) < 0)
		return from_git(err, "cannot read commit");
	n = git_commit_parentcount(c);
	for (i = 0; i < n && i < max; i++)
		from_git_oid(&out[i], git_commit_parent_id(c, i));
	git_commit_free(c);
	return (int)n;
}

int gg_repo_walk(struct gg_repo *repo, const struct gg_oid *tip,
		 const struct gg_oid *hide, size_t nhide, int first_parent,
		 size_t limit, gg_repo_commit_cb cb, void *payload)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t i, count = 0;
	int err;

	if ((err = git_revwalk_new(&walk, repo->git)) < 0) {
		err = from_git(err, "cannot walk history");
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL);
	if (first_parent)
		git_revwalk_simplify_first_parent(walk);
	to_git(&id, tip);
	if ((err = git_revwalk_push(walk, &id)) < 0) {
		err = from_git(err, "cannot walk history");
		goto out;
	}
	for (i = 0; i < nhide; i++) {
		if (gg_oid_is_zero(&hide[i]))
			continue;
		to_git(&id, &hide[i]);
		if ((err = git_revwalk_hide(walk, &id)) < 0) {
			err = from_git(err, "cannot walk history");
			goto out;
		}
	}
	while ((err = git_revwalk_next(&id, walk)) == 0) {
		struct gg_oid c;

		if (limit && count++ >= limit) {
			gg_error_set("more than %zu new commits", limit);
			err = GG_ELIMIT;
			goto out;
		}
		from_git_oid(&c, &id);
		if ((err = cb(&c, payload)) != 0)
			goto out;
	}
	if (err == GIT_ITEROVER)
		err = 0;
	else
		err = from_git(err, "cannot walk history");
out:
	git_revwalk_free(walk);
	return err;
}

int gg_repo_merge_base(struct gg_oid *out, struct gg_repo *repo,
		       const struct gg_oid *a, const struct gg_oid *b)
{
	git_oid ga, gb, base;
	int err;

	to_git(&ga, a);
	to_git(&gb, b);
	if ((err = git_merge_base(&base, repo->git, &ga, &gb)) < 0)
		return from_git(err, "no merge base");
	from_git_oid(out, &base);
	return 0;
}

int gg_repo_merge_bases(struct gg_oid *out, size_t max, struct gg_repo *repo,
			const struct gg_oid *a, const struct gg_oid *b)
{
	git_oidarray bases = { NULL, 0 };
	git_oid ga, gb;
	size_t i;
	int err;

	to_git(&ga, a);
	to_git(&gb, b);
	if ((err = git_merge_bases(&bases, repo->git, &ga, &gb)) < 0)
		return from_git(err, "no merge base");
	for (i = 0; i < bases.count && i < max; i++)
		from_git_oid(&out[i], &bases.ids[i]);
	git_oidarray_dispose(&bases);
	return (int)i;
}

/* One side of a file merge: the blob or bytes of `t`, or an empty file. */
static int merge_input(git_merge_file_input *in, git_blob **blob,
		       struct gg_repo *repo, const struct gg_merge_text *t,
		       size_t limit)
{
	git_oid id;
	size_t size;
	int err;

	git_merge_file_input_init(in, GIT_MERGE_FILE_INPUT_VERSION);
	in->ptr = "";
	in->mode = GIT_FILEMODE_BLOB;
	if (!t)
		return 0;
	if (!t->oid) {
		if (t->len > limit) {
			gg_error_set("merged text of %zu bytes exceeds the "
				     "limit of %zu",
				     t->len, limit);
			return GG_ELIMIT;
		}
		in->ptr = t->ptr ? t->ptr : "";
		in->size = t->len;
		return 0;
	}
	/* the size from the object header: a large blob is not read */
	if ((err = gg_repo_blob_size(&size, repo, t->oid)) < 0)
		return err;
	if (size > limit) {
		gg_error_set("blob of %zu bytes exceeds the limit of %zu", size,
			     limit);
		return GG_ELIMIT;
	}
	to_git(&id, t->oid);
	if ((err = git_blob_lookup(blob, repo->git, &id)) < 0)
		return from_git(err, "cannot read blob");
	in->ptr = git_blob_rawcontent(*blob);
	in->size = (size_t)git_blob_rawsize(*blob);
	return 0;
}

int gg_repo_merge_text(struct gg_oid *out, struct gg_buf *bytes,
		       struct gg_repo *repo, const struct gg_merge_text *base,
		       const struct gg_merge_text *ours,
		       const struct gg_merge_text *theirs,
		       enum gg_merge_favor favor, size_t limit)
{
	git_merge_file_input in[3];
	git_merge_file_options opts;
	git_blob *blobs[3] = { NULL, NULL, NULL };
	git_merge_file_result res;
	git_oid id;
	int err, i;

	memset(&res, 0, sizeof(res));
	if ((err = merge_input(&in[0], &blobs[0], repo, base, limit)) < 0 ||
	    (err = merge_input(&in[1], &blobs[1], repo, ours, limit)) < 0 ||
	    (err = merge_input(&in[2], &blobs[2], repo, theirs, limit)) < 0)
		goto out;
	git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION);
	opts.favor = favor == GG_MERGE_FAVOR_OURS ? GIT_MERGE_FILE_FAVOR_OURS
		     : favor == GG_MERGE_FAVOR_THEIRS
			     ? GIT_MERGE_FILE_FAVOR_THEIRS
			     : GIT_MERGE_FILE_FAVOR_NORMAL;
	if ((err = git_merge_file(&res, &in[0], &in[1], &in[2], &opts)) < 0) {
		err = from_git(err, "cannot merge file");
		goto out;
	}
	err = 1; /* a conflict, or a binary side */
	if (res.automergeable) {
		if (git_odb_hash(&id, res.ptr ? res.ptr : "", res.len,
				 GIT_OBJECT_BLOB) < 0)
			GG_BUG("cannot hash %zu bytes", res.len);
		from_git_oid(out, &id);
		err = 0;
		if (bytes) {
			gg_buf_reset(bytes);
			if (gg_buf_add(bytes, res.ptr ? res.ptr : "", res.len) <
			    0) {
				gg_error_set("merged text of %zu bytes does "
					     "not fit",
					     res.len);
				err = GG_ELIMIT;
			}
		}
	}
out:
	git_merge_file_result_free(&res);
	for (i = 0; i < 3; i++)
		git_blob_free(blobs[i]);
	return err;
}

int gg_repo_is_ancestor(struct gg_repo *repo, const struct gg_oid *ancestor,
			const struct gg_oid *commit)
{
	git_oid ga, gc;
	int r;

	if (!gg_oid_cmp(ancestor, commit))
		return 1;
	to_git(&ga, ancestor);
	to_git(&gc, commit);
	r = git_graph_descendant_of(repo->git, &gc, &ga);
	return r < 0 ? from_git(r, "cannot compare history") : r;
}

static enum gg_entry_kind kind_of(git_filemode_t mode)
{
	switch (mode) {
	case GIT_FILEMODE_TREE: return GG_ENTRY_TREE;
	case GIT_FILEMODE_LINK: return GG_ENTRY_LINK;
	case GIT_FILEMODE_COMMIT: return GG_ENTRY_COMMIT;
	default: return GG_ENTRY_BLOB;
	}
}

static void fill_entry(struct gg_tree_entry *out, const git_tree_entry *e)
{
	from_git_oid(&out->oid, git_tree_entry_id(e));
	out->mode = (unsigned)git_tree_entry_filemode(e);
	out->kind = kind_of(git_tree_entry_filemode(e));
}

int gg_repo_tree_lookup(struct gg_tree_entry *out, struct gg_repo *repo,
			const struct gg_oid *tree, const char *path)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_oid id;
	int err;

	to_git(&id, tree);
	if ((err = git_tree_lookup(&t, repo->git, &id)) < 0)
		return from_git(err, "cannot read tree");
	if (!*path) {
		out->oid = *tree;
		out->kind = GG_ENTRY_TREE;
		out->mode = GIT_FILEMODE_TREE;
	} else if ((err = git_tree_entry_bypath(&e, t, path)) < 0) {
		err = from_git(err, "no such path");
	} else {
		fill_entry(out, e);
	}
	git_tree_entry_free(e);
	git_tree_free(t);
	return err < 0 ? err : 0;
}

static int list_tree(struct gg_repo *repo, const git_oid *id,
		     struct gg_buf *path, int recursive, gg_repo_entry_cb cb,
		     void *payload)
{
	git_tree *t = NULL;
	size_t i, n, base = path->len;
	int err;

	if ((err = git_tree_lookup(&t, repo->git, id)) < 0)
		return from_git(err, "cannot read tree");
	n = git_tree_entrycount(t);
	for (i = 0; i < n && !err; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		struct gg_tree_entry entry;

		fill_entry(&entry, e);
		gg_buf_setlen(path, base);
		if (base)
			gg_buf_addch(path, '/');
		gg_buf_adds(path, git_tree_entry_name(e));
		err = cb(path->buf, &entry, payload);
		if (!err && recursive && entry.kind == GG_ENTRY_TREE)
			err = list_tree(repo, git_tree_entry_id(e), path, 1, cb,
					payload);
	}
	gg_buf_setlen(path, base);
	git_tree_free(t);
	return err;
}

int gg_repo_tree_list(struct gg_repo *repo, const struct gg_oid *tree,
		      const char *dir, int recursive, gg_repo_entry_cb cb,
		      void *payload)
{
	struct gg_tree_entry entry;
	struct gg_buf path = GG_BUF_INIT;
	git_oid id;
	int err;

	if ((err = gg_repo_tree_lookup(&entry, repo, tree, dir)) < 0)
		return err;
	if (entry.kind != GG_ENTRY_TREE) {
		gg_error_set("'%s' is not a directory", dir);
		return GG_ENOTFOUND;
	}
	to_git(&id, &entry.oid);
	gg_buf_adds(&path, dir);
	err = list_tree(repo, &id, &path, recursive, cb, payload);
	gg_buf_release(&path);
	return err;
}

int gg_repo_blob_size(size_t *out, struct gg_repo *repo,
		      const struct gg_oid *blob)
{
	git_odb *odb = NULL;
	git_object_t type;
	git_oid id;
	int err;

	to_git(&id, blob);
	if ((err = git_repository_odb(&odb, repo->git)) == 0)
		err = git_odb_read_header(out, &type, odb, &id);
	git_odb_free(odb);
	return err < 0 ? from_git(err, "cannot read blob") : 0;
}

int gg_repo_blob_read(struct gg_buf *out, struct gg_repo *repo,
		      const struct gg_oid *blob)
{
	git_blob *b = NULL;
	git_oid id;
	size_t size;
	int err;

	if ((err = gg_repo_blob_size(&size, repo, blob)) < 0)
		return err;
	if (out->limit && out->len + size > out->limit) {
		gg_error_set("blob of %zu bytes exceeds the limit of %zu", size,
			     out->limit);
		return GG_ELIMIT;
	}
	to_git(&id, blob);
	if ((err = git_blob_lookup(&b, repo->git, &id)) < 0)
		return from_git(err, "cannot read blob");
	err = gg_buf_add(out, git_blob_rawcontent(b),
			 (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return err;
}

/* --- tree diff ------------------------------------------------------------ */

struct diff_state {
	struct gg_repo *repo;
	struct gg_buf path;
	gg_repo_delta_cb cb;
	void *payload;
};

static int diff_trees(struct diff_state *s, const git_oid *a, const git_oid *b);

/* Report every blob below tree `id` as added (or deleted). */
static int report_tree(struct diff_state *s, const git_oid *id, int added)
{
	git_tree *t = NULL;
	size_t i, n, base = s->path.len;
	int err;

	if ((err = git_tree_lookup(&t, s->repo->git, id)) < 0)
		return from_git(err, "cannot read tree");
	n = git_tree_entrycount(t);
	for (i = 0; i < n && !err; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);

		gg_buf_setlen(&s->path, base);
		if (base)
			gg_buf_addch(&s->path, '/');
		gg_buf_adds(&s->path, git_tree_entry_name(e));
		if (git_tree_entry_filemode(e) == GIT_FILEMODE_TREE) {
			err = report_tree(s, git_tree_entry_id(e), added);
		} else {
			struct gg_delta d;

			memset(&d, 0, sizeof(d));
			d.path = s->path.buf;
			if (added) {
				d.status = GG_DELTA_ADDED;
				from_git_oid(&d.new_oid, git_tree_entry_id(e));
				d.new_kind =
					kind_of(git_tree_entry_filemode(e));
			} else {
				d.status = GG_DELTA_DELETED;
				from_git_oid(&d.old_oid, git_tree_entry_id(e));
				d.old_kind =
					kind_of(git_tree_entry_filemode(e));
			}
			err = s->cb(&d, s->payload);
		}
	}
	gg_buf_setlen(&s->path, base);
	git_tree_free(t);
	return err;
}

/* Git's tree order: names compare as if directories ended in '/'. */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), l = la < lb ? la : lb;
	int r = memcmp(na, nb, l);
	unsigned char ca, cb;

	if (r)
		return r;
	ca = la > l ? (unsigned char)na[l]
	     : git_tree_entry_filemode(a) == GIT_FILEMODE_TREE ? '/'
							       : 0;
	cb = lb > l ? (unsigned char)nb[l]
	     : git_tree_entry_filemode(b) == GIT_FILEMODE_TREE ? '/'
							       : 0;
	return (int)ca - (int)cb;
}

static int is_tree(const git_tree_entry *e)
{
	return e && git_tree_entry_filemode(e) == GIT_FILEMODE_TREE;
}

/* Report a file-level change; `a` and `b` are the non-tree sides. */
static int report_file(struct diff_state *s, const git_tree_entry *a,
		       const git_tree_entry *b)
{
	struct gg_delta d;

	memset(&d, 0, sizeof(d));
	d.path = s->path.buf;
	if (a) {
		from_git_oid(&d.old_oid, git_tree_entry_id(a));
		d.old_kind = kind_of(git_tree_entry_filemode(a));
	}
	if (b) {
		from_git_oid(&d.new_oid, git_tree_entry_id(b));
		d.new_kind = kind_of(git_tree_entry_filemode(b));
	}
	d.status = a && b ? GG_DELTA_MODIFIED
		   : a	  ? GG_DELTA_DELETED
			  : GG_DELTA_ADDED;
	return s->cb(&d, s->payload);
}

static int diff_entries(struct diff_state *s, const git_tree_entry *a,
			const git_tree_entry *b)
{
	int err = 0;

	if (a && b &&
	    !git_oid_cmp(git_tree_entry_id(a), git_tree_entry_id(b)) &&
	    git_tree_entry_filemode(a) == git_tree_entry_filemode(b))
		return 0;
	if (is_tree(a) && is_tree(b))
		return diff_trees(s, git_tree_entry_id(a),
				  git_tree_entry_id(b));
	/* a file replaced by a directory or back: deletions, then additions */
	if (is_tree(a))
		err = report_tree(s, git_tree_entry_id(a), 0);
	if (!err && is_tree(b))
		err = report_tree(s, git_tree_entry_id(b), 1);
	if (err || (is_tree(a) || !a) + (is_tree(b) || !b) == 2)
		return err;
	return report_file(s, is_tree(a) ? NULL : a, is_tree(b) ? NULL : b);
}

static int diff_trees(struct diff_state *s, const git_oid *a, const git_oid *b)
{
	git_tree *ta = NULL, *tb = NULL;
	size_t i = 0, j = 0, na = 0, nb = 0, base = s->path.len;
	int err = 0;

	if (a && (err = git_tree_lookup(&ta, s->repo->git, a)) < 0)
		goto fail;
	if (b && (err = git_tree_lookup(&tb, s->repo->git, b)) < 0)
		goto fail;
	na = ta ? git_tree_entrycount(ta) : 0;
	nb = tb ? git_tree_entrycount(tb) : 0;
	while (!err && (i < na || j < nb)) {
		const git_tree_entry *ea =
			i < na ? git_tree_entry_byindex(ta, i) : NULL;
		const git_tree_entry *eb =
			j < nb ? git_tree_entry_byindex(tb, j) : NULL;
		int c;

		if (ea && eb) {
			/* same name, file vs directory: compare by name only */
			c = strcmp(git_tree_entry_name(ea),
				   git_tree_entry_name(eb))
				    ? entry_cmp(ea, eb)
				    : 0;
		} else {
			c = ea ? -1 : 1;
		}
		gg_buf_setlen(&s->path, base);
		if (base)
			gg_buf_addch(&s->path, '/');
		gg_buf_adds(&s->path, git_tree_entry_name(c <= 0 ? ea : eb));
		if (c < 0)
			err = diff_entries(s, ea, NULL);
		else if (c > 0)
			err = diff_entries(s, NULL, eb);
		else
			err = diff_entries(s, ea, eb);
		i += c <= 0;
		j += c >= 0;
	}
	gg_buf_setlen(&s->path, base);
	git_tree_free(ta);
	git_tree_free(tb);
	return err;
fail:
	git_tree_free(ta);
	git_tree_free(tb);
	return from_git(err, "cannot read tree");
}

int gg_repo_diff_trees(struct gg_repo *repo, const struct gg_oid *old_tree,
		       const struct gg_oid *new_tree, gg_repo_delta_cb cb,
		       void *payload)
{
	struct diff_state s;
	git_oid a, b;
	int err;

	if (old_tree && new_tree && !gg_oid_cmp(old_tree, new_tree))
		return 0;
	s.repo = repo;
	gg_buf_init(&s.path, 0);
	s.cb = cb;
	s.payload = payload;
	if (old_tree)
		to_git(&a, old_tree);
	if (new_tree)
		to_git(&b, new_tree);
	err = diff_trees(&s, old_tree ? &a : NULL, new_tree ? &b : NULL);
	gg_buf_release(&s.path);
	return err;
}

/* --- hashing ------------------------------------------------------------- */

void gg_repo_hash(struct gg_oid *out, const void *data, size_t len)
{
	git_oid id;

	if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) < 0)
		GG_BUG("cannot hash %zu bytes", len);
	from_git_oid(out, &id);
}

int gg_repo_hash_file(struct gg_oid *out, const char *path)
{
	git_oid id;
	int err;

	if ((err = git_odb_hashfile(&id, path, GIT_OBJECT_BLOB)) < 0)
		return from_git(GIT_ENOTFOUND, path);
	from_git_oid(out, &id);
	return 0;
}

/* --- config, notes, refs -------------------------------------------------- */

int gg_repo_config_string(char **out, struct gg_repo *repo, const char *key)
{
	git_config *cfg = NULL;
	const char *v;
	int err;

	*out = NULL;
	if ((err = git_repository_config_snapshot(&cfg, repo->git)) < 0)
		return from_git(err, "cannot read configuration");
	if ((err = git_config_get_string(&v, cfg, key)) < 0) {
		err = from_git(err, key);
	} else {
		*out = gg_xstrdup(v);
	}
	git_config_free(cfg);
	return err < 0 ? err : 0;
}

int gg_repo_config_set_string(struct gg_repo *repo, const char *key,
			      const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	int err;

	if (repo->flags & GG_REPO_READONLY)
		GG_BUG("config write on a read-only repository");
	if ((err = git_repository_config(&cfg, repo->git)) < 0 ||
	    (err = git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL)) <
		    0 ||
	    (err = git_config_set_string(local, key, value)) < 0)
		err = from_git(err, "cannot write configuration");
	git_config_free(local);
	git_config_free(cfg);
	return err < 0 ? err : 0;
}

int gg_repo_note_read(struct gg_buf *out, struct gg_repo *repo,
		      const char *notes_ref, const struct gg_oid *commit)
{
	git_note *note = NULL;
	git_oid id;
	int err;

	to_git(&id, commit);
	if ((err = git_note_read(&note, repo->git, notes_ref, &id)) < 0)
		return from_git(err, "cannot read note");
	err = gg_buf_adds(out, git_note_message(note));
	git_note_free(note);
	return err;
}

int gg_repo_note_append(struct gg_repo *repo, const char *notes_ref,
			const struct gg_oid *commit, const char *text)
{
	struct gg_buf msg = GG_BUF_INIT;
	git_signature *sig = NULL;
	git_oid id, note_id;
	int err;

	if (repo->flags & GG_REPO_READONLY)
		GG_BUG("note write on a read-only repository");
	to_git(&id, commit);
	err = gg_repo_note_read(&msg, repo, notes_ref, commit);
	if (err == GG_ENOTFOUND)
		err = 0;
	if (err < 0)
		goto out;
	if (msg.len && msg.buf[msg.len - 1] != '\n')
		gg_buf_addch(&msg, '\n');
	gg_buf_adds(&msg, text);
	if ((err = git_signature_now(&sig, "gitops-guard",
				     "gitops-guard@localhost")) < 0 ||
	    (err = git_note_create(&note_id, repo->git, notes_ref, sig, sig,
				   &id, msg.buf, 1)) < 0)
		err = from_git(err, "cannot write note");
out:
	git_signature_free(sig);
	gg_buf_release(&msg);
	return err < 0 ? err : 0;
}

int gg_repo_foreach_ref(struct gg_repo *repo, const char *glob,
			gg_repo_ref_cb cb, void *payload)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	int err;

	err = glob ? git_reference_iterator_glob_new(&it, repo->git, glob)
		   : git_reference_iterator_new(&it, repo->git);
	if (err < 0)
		return from_git(err, "cannot list refs");
	while ((err = git_reference_next(&ref, it)) == 0) {
		struct gg_oid oid;
		int stop;

		if (git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
			git_reference_free(ref);
			continue;
		}
		from_git_oid(&oid, git_reference_target(ref));
		stop = cb(git_reference_name(ref), &oid, payload);
		git_reference_free(ref);
		if (stop) {
			err = stop;
			goto out;
		}
	}
	err = err == GIT_ITEROVER ? 0 : from_git(err, "cannot list refs");
out:
	git_reference_iterator_free(it);
	return err;
}

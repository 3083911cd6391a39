/*
 * gitops-guard apps: the app index of a revision, as gitops-guard sees
 * it: every app deployed from this repository, with its controller,
 * root, tool, tracked revision, sync policy, project, environment and
 * where it is defined.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "banned.h"

static const char usage[] =
	"apps [--repo DIR] [--policy FILE] [--format text|json] [<rev>]";

static const char *origin_name(enum gg_app_origin o)
{
	static const char *const names[] = { "Application", "ApplicationSet",
					     "Flux", "policy" };

	return names[o];
}

static const char *tool_name(enum gg_tool t)
{
	static const char *const names[] = { "directory", "kustomize", "helm" };

	return names[t];
}

static void json_str(struct gg_buf *b, const char *key, const char *v,
		     int comma)
{
	gg_buf_addf(b, "\"%s\":", key);
	if (v)
		gg_buf_add_json(b, v, strlen(v));
	else
		gg_buf_adds(b, "null");
	if (comma)
		gg_buf_addch(b, ',');
}

static void print_json(const struct gg_appindex *idx)
{
	struct gg_buf b = GG_BUF_INIT;
	size_t i;

	gg_buf_adds(&b, "{\"apps\":[");
	for (i = 0; i < idx->napps; i++) {
		const struct gg_app *a = &idx->apps[i];

		gg_buf_adds(&b, i ? ",{" : "{");
		json_str(&b, "name", a->name, 1);
		json_str(&b, "controller", gg_controller_name(a->controller),
			 1);
		json_str(&b, "origin", origin_name(a->origin), 1);
		json_str(&b, "root", a->root, 1);
		json_str(&b, "tool", tool_name(a->tool), 1);
		json_str(&b, "revision", a->revision, 1);
		json_str(&b, "follows", gg_follow_name(a->follows), 1);
		json_str(&b, "tag_prefix", a->tag_prefix, 1);
		gg_buf_addf(&b,
			    "\"pinned\":%s,\"recurse\":%s,\"auto_sync\":%s,"
			    "\"prune\":%s,\"self_heal\":%s,\"allow_empty\":%s,"
			    "\"cascade\":%s,",
			    a->follows == GG_FOLLOW_COMMIT ? "true" : "false",
			    a->recurse ? "true" : "false",
			    a->auto_sync ? "true" : "false",
			    a->prune ? "true" : "false",
			    a->self_heal ? "true" : "false",
			    a->allow_empty ? "true" : "false",
			    a->cascade ? "true" : "false");
		json_str(&b, "project", a->project, 1);
		json_str(&b, "destination_namespace", a->dest_namespace, 1);
		json_str(&b, "environment", a->environment, 1);
		json_str(&b, "generator", a->generator, 1);
		json_str(&b, "defined_in", a->defined_in, 0);
		gg_buf_addch(&b, '}');
	}
	gg_buf_adds(&b, "],\"notes\":[");
	for (i = 0; i < idx->notes.nr; i++) {
		if (i)
			gg_buf_addch(&b, ',');
		gg_buf_add_json(&b, idx->notes.v[i], strlen(idx->notes.v[i]));
	}
	gg_buf_adds(&b, "]}\n");
	fwrite(b.buf, 1, b.len, stdout);
	gg_buf_release(&b);
}

static void print_text(const struct gg_appindex *idx)
{
	struct gg_buf rev = GG_BUF_INIT;
	size_t i;

	for (i = 0; i < idx->napps; i++) {
		const struct gg_app *a = &idx->apps[i];

		gg_buf_reset(&rev);
		gg_app_revision_text(&rev, a);
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s%s%s%s\t%s\t%s\t%s\n",
		       a->name,
		       a->controller == GG_CTRL_FLUX ? "flux" : "argocd",
		       origin_name(a->origin), *a->root ? a->root : ".",
		       tool_name(a->tool), rev.buf,
		       a->auto_sync ? "auto" : "manual",
		       a->prune ? "+prune" : "", a->self_heal ? "+heal" : "",
		       a->allow_empty ? "+allow-empty" : "",
		       a->project ? a->project : "-",
		       a->environment ? a->environment : "-",
		       a->cascade ? "cascade" : "no-cascade");
	}
	for (i = 0; i < idx->notes.nr; i++)
		printf("note: %s\n", idx->notes.v[i]);
	gg_buf_release(&rev);
}

static int show(struct gg_session *s, const char *rev, const char *format)
{
	struct gg_index_input in;
	struct gg_appindex *idx = NULL;
	struct gg_defs *defs = NULL;
	struct gg_oid commit, tree;
	int err;

	if (rev) {
		if ((err = gg_repo_revparse_commit(&commit, s->repo, rev)) < 0)
			return gg_cli_fail("unknown revision '%s': %s", rev,
					   gg_error_last());
	} else if (s->has_default_tip) {
		commit = s->default_tip;
	} else {
		return gg_cli_fail("no default branch yet; name a revision");
	}
	if ((err = gg_repo_commit_tree(&tree, s->repo, &commit)) < 0 ||
	    (err = gg_defs_for_tree(
		     &defs, s->repo, &tree,
		     s->has_default_tip ? &s->default_tree : NULL, s->cache_dir,
		     (size_t)s->policy.limits.max_blob_bytes)) < 0)
		return gg_cli_fail("%s", gg_error_last());
	memset(&in, 0, sizeof(in));
	in.repo = s->repo;
	in.manifests = s->manifests;
	in.layers[0].defs = defs;
	in.layers[0].tree = &tree;
	in.nlayers = 1;
	in.content = defs;
	in.policy = &s->policy;
	in.repo_name = s->ctx.repo_name;
	in.default_branch = gg_session_default_branch(s);
	err = gg_appindex_build(&idx, &in);
	if (err < 0) {
		gg_defs_free(defs);
		return gg_cli_fail("%s", gg_error_last());
	}
	if (!strcmp(format, "json"))
		print_json(idx);
	else
		print_text(idx);
	gg_appindex_free(idx);
	gg_defs_free(defs);
	return 0;
}

int gg_cmd_apps(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct gg_session_opts opts = { .hook = GG_HOOK_CHECK,
					.readonly = 1,
					.search = 1 };
	const char *format = "text";
	struct gg_session s;
	int c, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': opts.git_dir = optarg; break;
		case 'p': opts.policy_file = optarg; break;
		case 'f': format = optarg; break;
		default: return gg_cli_usage(usage);
		}
	}
	if (argc - optind > 1 ||
	    (strcmp(format, "text") && strcmp(format, "json")))
		return gg_cli_usage(usage);
	if (gg_repo_global_init() < 0)
		return gg_cli_fail("%s", gg_error_last());
	if (gg_session_open(&s, &opts) < 0)
		status = gg_cli_fail("error: %s", gg_error_last());
	else
		status = show(&s, optind < argc ? argv[optind] : NULL, format);
	gg_session_release(&s);
	gg_repo_global_shutdown();
	return status;
}

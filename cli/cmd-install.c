/*
 * gitops-guard install: put the hooks into repositories, idempotently.
 *
 * By default hooks/pre-receive and hooks/post-receive become symbolic
 * links to the installed programs; --update installs the update hook
 * instead of pre-receive; --chain DIR installs into DIR/<hook>.d/ for
 * platforms that chain hooks (GitLab custom_hooks, Gitea hooks); --copy
 * copies instead of linking (GitHub Enterprise environments, chroots).
 * It sets receive.advertisePushOptions=true so that confirmations can be
 * pushed.  An existing hook that is not gitops-guard's is left alone
 * unless --force.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "banned.h"

static const char usage[] =
	"install [--update] [--no-post-receive] [--copy] [--force] "
	"[--chain DIR] [--hook-dir DIR] <repository>...";

struct install_opts {
	int update, no_post, copy, force;
	const char *chain;
	const char *hook_dir;
};

static int same_file_content(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int same = fa && fb, ca, cb;

	while (same) {
		ca = getc(fa);
		cb = getc(fb);
		if (ca != cb)
			same = 0;
		if (ca == EOF || cb == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* 1 if `dst` already is this hook, 0 if absent, -1 if something else. */
static int existing(const char *dst, const char *src, const char *hook)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (lstat(dst, &st) < 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		const char *base;

		n = readlink(dst, target, sizeof(target) - 1);
		if (n < 0)
			return -1;
		target[n] = '\0';
		if (!strcmp(target, src))
			return 1;
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		/* ours, from another prefix: replace it */
		return !strncmp(base, "gitops-guard-", 13) &&
				       !strcmp(base + 13, hook)
			       ? 2
			       : -1;
	}
	return same_file_content(dst, src) ? 1 : -1;
}

static int copy_file(const char *src, const char *dst)
{
	char *tmp = gg_xasprintf("%s.gitops-guard-tmp", dst);
	char buf[65536];
	int in = open(src, O_RDONLY), out = -1, err = 0;
	ssize_t n;

	if (in >= 0)
		out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		err = -1;
	while (!err && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			err = -1;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0)
		err = -1;
	if (!err && (chmod(tmp, 0755) < 0 || rename(tmp, dst) < 0))
		err = -1;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

static int install_hook(const struct install_opts *o, const char *gitdir,
			const char *hook)
{
	char *src = gg_xasprintf("%s/gitops-guard-%s", o->hook_dir, hook);
	char *dir = o->chain ? gg_xasprintf("%s%s/%s.d", gitdir, o->chain, hook)
			     : gg_xasprintf("%shooks", gitdir);
	char *dst = o->chain ? gg_xasprintf("%s/gitops-guard", dir)
			     : gg_xasprintf("%s/%s", dir, hook);
	int status = 0, ex;

	if (access(src, X_OK) < 0) {
		status = gg_cli_fail("no hook program '%s' (use --hook-dir)",
				     src);
		goto out;
	}
	if (o->chain) {
		char *parent = gg_xasprintf("%s%s", gitdir, o->chain);

		mkdir(parent, 0755);
		free(parent);
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		status = gg_cli_fail("cannot create '%s': %s", dir,
				     strerror(errno));
		goto out;
	}
	ex = existing(dst, src, hook);
	if (ex == 1) {
		struct stat st;
		int is_link = lstat(dst, &st) == 0 && S_ISLNK(st.st_mode);

		if (is_link == !o->copy) {
			printf("%s: already installed\n", dst);
			goto out;
		}
	}
	if (ex < 0 && !o->force) {
		status = gg_cli_fail(
			"'%s' exists and is not gitops-guard's; "
			"chain it (--chain) or replace it (--force)",
			dst);
		goto out;
	}
	if (ex != 0)
		unlink(dst);
	if (o->copy ? copy_file(src, dst) < 0 : symlink(src, dst) < 0) {
		status = gg_cli_fail("cannot install '%s': %s", dst,
				     strerror(errno));
		goto out;
	}
	printf("%s: %s %s\n", dst, o->copy ? "copied from" : "linked to", src);
out:
	free(src);
	free(dir);
	free(dst);
	return status;
}

/*
 * pre-receive and update judge the same pushes: installing one removes
 * the other where it is gitops-guard's, so that no push is judged twice.
 */
static void remove_twin(const struct install_opts *o, const char *gitdir,
			const char *hook)
{
	char *src = gg_xasprintf("%s/gitops-guard-%s", o->hook_dir, hook);
	char *dst = o->chain ? gg_xasprintf("%s%s/%s.d/gitops-guard", gitdir,
					    o->chain, hook)
			     : gg_xasprintf("%shooks/%s", gitdir, hook);

	if (existing(dst, src, hook) > 0 && unlink(dst) == 0)
		printf("%s: removed (the %s hook judges these pushes now)\n",
		       dst, strcmp(hook, "update") ? "update" : "pre-receive");
	free(src);
	free(dst);
}

static int install_repo(const struct install_opts *o, const char *path)
{
	struct gg_repo *repo = NULL;
	const char *gitdir;
	int status = 0;

	if (gg_repo_open(&repo, path, NULL, 0) < 0)
		return gg_cli_fail("%s: %s", path, gg_error_last());
	gitdir = gg_repo_path(repo);
	status = install_hook(o, gitdir, o->update ? "update" : "pre-receive");
	if (!status)
		remove_twin(o, gitdir, o->update ? "pre-receive" : "update");
	if (!status && !o->no_post)
		status = install_hook(o, gitdir, "post-receive");
	if (!status &&
	    gg_repo_config_set_string(repo, "receive.advertisePushOptions",
				      "true") < 0)
		status = gg_cli_fail("%s: %s", path, gg_error_last());
	gg_repo_free(repo);
	return status;
}

/*
 * The hook directory as an absolute path: links hold it as it is given,
 * and a relative target would be read relative to hooks/.
 */
static char *absolute_dir(const char *dir)
{
	char *cwd = dir[0] == '/' ? NULL : getcwd(NULL, 0);
	char *r = cwd ? gg_xasprintf("%s/%s", cwd, dir) : gg_xstrdup(dir);

	free(cwd);
	return r;
}

int gg_cmd_install(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "update", no_argument, NULL, 'u' },
		{ "no-post-receive", no_argument, NULL, 'n' },
		{ "copy", no_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "chain", required_argument, NULL, 'C' },
		{ "hook-dir", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct install_opts o;
	const char *env = getenv("GITOPS_GUARD_HOOK_DIR");
	char *hook_dir;
	int c, i, status = 0;

	memset(&o, 0, sizeof(o));
	o.hook_dir = env && *env ? env : HOOKDIR;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': o.update = 1; break;
		case 'n': o.no_post = 1; break;
		case 'c': o.copy = 1; break;
		case 'f': o.force = 1; break;
		case 'C': o.chain = optarg; break;
		case 'H': o.hook_dir = optarg; break;
		default: return gg_cli_usage(usage);
		}
	}
	if (optind == argc)
		return gg_cli_usage(usage);
	if (o.chain && (strstr(o.chain, "..") || o.chain[0] == '/'))
		return gg_cli_fail(
			"--chain takes a directory inside the repository");
	if (gg_repo_global_init() < 0)
		return gg_cli_fail("%s", gg_error_last());
	hook_dir = absolute_dir(o.hook_dir);
	o.hook_dir = hook_dir;
	for (i = optind; i < argc && !status; i++)
		status = install_repo(&o, argv[i]);
	free(hook_dir);
	gg_repo_global_shutdown();
	return status;
}

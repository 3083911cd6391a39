/*
 * gitops-guard check: run the server's engine on a local repository for
 * one ref update, so developers and CI see the verdict before pushing.
 *
 *   check <old> <new> <ref>     ids or revisions; 40 zeros for create/delete
 *   check <a>..<b> [<ref>]      as if <b> were pushed onto <ref> at <a>
 *   check <rev> [<ref>]         as if <rev> were pushed onto <ref> as it is
 *                               now (the default branch: origin/HEAD)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "banned.h"

#define ZERO_OID "0000000000000000000000000000000000000000"

static const char usage[] =
	"check [--repo DIR] [--policy FILE] [--default-branch NAME] "
	"[--format text|json] [--pusher ID] [-o OPTION]... "
	"(<old> <new> <ref> | <rev-range> [<ref>] | <rev> [<ref>])";

/* A revision or id to hex; 40 zeros stays zero. */
static int to_hex(char *out, struct gg_session *s, const char *rev)
{
	struct gg_oid oid;

	if (gg_oid_hex_is_zero(rev) && strlen(rev) == 40) {
		memcpy(out, ZERO_OID, 41);
		return 0;
	}
	if (gg_repo_revparse_commit(&oid, s->repo, rev) < 0)
		return gg_cli_fail("unknown revision '%s': %s", rev,
				   gg_error_last());
	gg_oid_to_hex(out, &oid);
	return 0;
}

/* The current value of `ref` as seen locally (zero when absent). */
static void current(char *out, struct gg_session *s, const char *ref)
{
	struct gg_oid oid;

	if (s->default_ref && !strcmp(ref, s->default_ref) &&
	    s->has_default_tip) {
		gg_oid_to_hex(out, &s->default_tip);
		return;
	}
	if (gg_repo_ref_commit(&oid, s->repo, ref) == 0)
		gg_oid_to_hex(out, &oid);
	else
		memcpy(out, ZERO_OID, 41);
}

static int build_update(struct gg_update *u, struct gg_session *s, int argc,
			char **argv)
{
	char old_hex[41], new_hex[41];
	const char *ref, *dots;
	char *full = NULL;
	int err;

	ref = argc == 3 ? argv[2] : argc == 2 ? argv[1] : s->default_ref;
	if (!ref)
		return gg_cli_fail("no default branch known; name the ref");
	/* a branch name as git push takes it: "main" is refs/heads/main */
	if (strncmp(ref, "refs/", 5))
		ref = full = gg_xasprintf("refs/heads/%s", ref);
	if (argc == 3) {
		if (to_hex(old_hex, s, argv[0]) ||
		    to_hex(new_hex, s, argv[1])) {
			free(full);
			return 2;
		}
	} else {
		dots = strstr(argv[0], "..");
		if (dots) {
			char *a =
				gg_xstrndup(argv[0], (size_t)(dots - argv[0]));

			err = to_hex(old_hex, s, *a ? a : "HEAD") ||
			      to_hex(new_hex, s, dots[2] ? dots + 2 : "HEAD");
			free(a);
			if (err) {
				free(full);
				return 2;
			}
		} else {
			current(old_hex, s, ref);
			if (to_hex(new_hex, s, argv[0])) {
				free(full);
				return 2;
			}
		}
	}
	err = gg_push_parse_args(u, ref, old_hex, new_hex);
	free(full);
	if (err < 0)
		return gg_cli_fail("%s", gg_error_last());
	return 0;
}

struct check_opts {
	struct gg_session_opts session;
	const char *format;
	const char *pusher;
	struct gg_strvec options;
};

static int parse_opts(struct check_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "default-branch", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "pusher", required_argument, NULL, 'u' },
		{ "push-option", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o->session.git_dir = optarg; break;
		case 'p': o->session.policy_file = optarg; break;
		case 'd': o->session.default_ref = optarg; break;
		case 'f': o->format = optarg; break;
		case 'u': o->pusher = optarg; break;
		case 'o': gg_strvec_push(&o->options, optarg); break;
		default: return -1;
		}
	}
	if (strcmp(o->format, "text") && strcmp(o->format, "json"))
		return -1;
	return optind;
}

static int judge(struct gg_session *s, struct check_opts *o, int argc,
		 char **argv)
{
	struct gg_push push = GG_PUSH_INIT;
	struct gg_result r;
	struct gg_update u;
	struct gg_buf out = GG_BUF_INIT;
	int status;

	if ((status = build_update(&u, s, argc, argv)) != 0)
		return status;
	gg_push_add(&push, &u);
	if (o->options.nr) {
		gg_strvec_release(&s->ctx.push_options);
		s->ctx.push_options = o->options;
		gg_strvec_init(&o->options);
	}
	if (o->pusher) {
		free(s->ctx.pusher);
		s->ctx.pusher = gg_xstrdup(o->pusher);
	}
	gg_result_init(&r);
	if (gg_engine_run(&r, s, &push) < 0) {
		status = gg_cli_fail("error: %s", gg_error_last());
	} else {
		if (!strcmp(o->format, "json")) {
			gg_report_json(&out, &r, s);
			gg_buf_addch(&out, '\n');
		} else {
			r.verbose = 1;
			gg_report_text(&out, &r, s);
		}
		fwrite(out.buf, 1, out.len, stdout);
		status = r.rejected ? 1 : 0;
	}
	gg_buf_release(&out);
	gg_result_release(&r);
	gg_push_release(&push);
	return status;
}

int gg_cmd_check(int argc, char **argv)
{
	struct check_opts o;
	struct gg_session s;
	int first, status;

	memset(&o, 0, sizeof(o));
	o.session.hook = GG_HOOK_CHECK;
	o.session.readonly = 1;
	o.session.search = 1;
	o.format = "text";
	gg_strvec_init(&o.options);
	first = parse_opts(&o, argc, argv);
	if (first < 0 || argc - first < 1 || argc - first > 3 ||
	    (argc - first == 3 && strstr(argv[first], ".."))) {
		gg_strvec_release(&o.options);
		return gg_cli_usage(usage);
	}
	if (gg_repo_global_init() < 0)
		return gg_cli_fail("%s", gg_error_last());
	if (gg_session_open(&s, &o.session) < 0)
		status = gg_cli_fail("error: %s", gg_error_last());
	else
		status = judge(&s, &o, argc - first, argv + first);
	gg_session_release(&s);
	gg_strvec_release(&o.options);
	gg_repo_global_shutdown();
	return status;
}

/*
 * Unit tests for waiver.c: gitops.* push options, Gitops-* trailers,
 * which findings a confirmation covers, owners, and break-glass.
 */
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "waiver.h"
#include "tap.h"

static struct gg_strvec opts(const char *const *v)
{
	struct gg_strvec sv = GG_STRVEC_INIT;

	for (; *v; v++)
		gg_strvec_push(&sv, *v);
	return sv;
}

static struct gg_finding *add(struct gg_result *r, const char *rule,
			      enum gg_severity sev, const char *ref,
			      const char *target)
{
	struct gg_finding *f = gg_findings_add(&r->findings);

	f->rule = gg_rule_find(rule)->id;
	f->severity = sev;
	f->ref = ref ? gg_xstrdup(ref) : NULL;
	f->path = target ? gg_xstrdup(target) : NULL;
	f->target = target ? gg_xstrdup(target) : NULL;
	f->message = gg_xstrdup("something happened");
	return f;
}

/* Apply the waivers from push options `o` to one confirm finding on
 * `target` and return its waiver kind. */
static enum gg_waiver_kind confirm_with(const char *option,
					const char *target)
{
	const char *o[] = { option, NULL };
	struct gg_strvec sv = opts(o);
	struct gg_waivers w;
	struct gg_result r;
	struct gg_policy p;
	enum gg_waiver_kind k;

	gg_policy_init(&p);
	gg_result_init(&r);
	gg_waivers_init(&w);
	gg_waivers_from_options(&w, &sv);
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main", target);
	gg_waivers_apply(&r, &w, &p, "alice");
	k = r.findings.v[0].waiver;
	gg_waivers_release(&w);
	gg_result_release(&r);
	gg_policy_release(&p);
	gg_strvec_release(&sv);
	return k;
}

static int load_policy(struct gg_policy *p, const char *yaml)
{
	gg_policy_init(p);
	return gg_policy_load(p, GG_LAYER_SYSTEM, "test.yaml", yaml,
			      strlen(yaml));
}

static void test_waiver__reads_push_options(void)
{
	static const char *const o[] = {
		"gitops.confirm=policy/changed",
		"gitops.confirm=yaml/invalid:apps/guestbook/overlays/prod",
		"gitops.confirm= yaml/invalid: ",
		"ci.skip",
		"gitops.break-glass=first",
		"gitops.break-glass=  prod is down, INC-42  ",
		"gitops.verbose",
		NULL
	};
	struct gg_strvec sv = opts(o);
	struct gg_waivers w;

	gg_waivers_init(&w);
	gg_waivers_from_options(&w, &sv);
	TAP_CHECK_INT(w.nr, 3);
	TAP_CHECK_STR(w.v[0].rule, "policy/changed");
	TAP_CHECK(!w.v[0].path);
	TAP_CHECK(!w.v[0].ref);
	TAP_CHECK_INT(w.v[0].how, GG_WAIVER_CONFIRM);
	TAP_CHECK_STR(w.v[1].rule, "yaml/invalid");
	TAP_CHECK_STR(w.v[1].path, "apps/guestbook/overlays/prod");
	TAP_CHECK_STR(w.v[2].rule, "yaml/invalid");
	TAP_CHECK(!w.v[2].path);
	TAP_CHECK_STR(w.break_glass, "prod is down, INC-42");
	TAP_CHECK_INT(w.break_glass_how, GG_WAIVER_BREAK_GLASS);
	TAP_CHECK_INT(w.verbose, 1);
	TAP_CHECK_INT(w.problems.nr, 0);
	gg_waivers_release(&w);
	TAP_CHECK_INT(w.nr, 0);
	TAP_CHECK(!w.break_glass);
	gg_strvec_release(&sv);
}

static void test_waiver__reports_bad_gitops_options(void)
{
	static const char *const o[] = { "gitops.confirm=no/such-rule",
					 "gitops.confirm=",
					 "gitops.confirm=policy/changed2",
					 "gitops.Verbose",
					 "gitops.break-glass",
					 "gitops.",
					 "gitopsconfirm=policy/changed",
					 NULL };
	struct gg_strvec sv = opts(o);
	struct gg_waivers w;

	gg_waivers_init(&w);
	gg_waivers_from_options(&w, &sv);
	TAP_CHECK_INT(w.nr, 0);
	TAP_CHECK(!w.break_glass);
	TAP_CHECK_INT(w.verbose, 0);
	TAP_CHECK_INT(w.problems.nr, 6);
	TAP_CHECK_STR(w.problems.v[0], "push option "
				       "'gitops.confirm=no/such-rule' names no "
				       "known rule");
	TAP_CHECK_STR(w.problems.v[3],
		      "unknown push option 'gitops.Verbose' (known: "
		      "gitops.confirm=, gitops.break-glass=, gitops.verbose)");
	gg_waivers_release(&w);
	gg_strvec_release(&sv);
}

static void test_waiver__a_rule_confirms_every_finding_of_it(void)
{
	static const char *const o[] = { "gitops.confirm=policy/changed",
					 NULL };
	struct gg_strvec sv = opts(o);
	struct gg_waivers w;
	struct gg_result r;
	struct gg_policy p;

	gg_policy_init(&p);
	gg_result_init(&r);
	gg_waivers_init(&w);
	gg_waivers_from_options(&w, &sv);
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main", "a");
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/x", NULL);
	add(&r, "yaml/invalid", GG_SEV_CONFIRM, "refs/heads/main", "a");
	add(&r, "policy/changed", GG_SEV_BLOCK, "refs/heads/main", "a");
	add(&r, "yaml/invalid", GG_SEV_WARN, "refs/heads/main", "b");
	gg_waivers_apply(&r, &w, &p, "alice");
	TAP_CHECK_INT(r.findings.v[0].waiver, GG_WAIVER_CONFIRM);
	TAP_CHECK_STR(r.findings.v[0].waived_by, "alice");
	TAP_CHECK_INT(r.findings.v[1].waiver, GG_WAIVER_CONFIRM);
	TAP_CHECK_INT(r.findings.v[2].waiver, GG_WAIVER_NONE);
	/* confirm does not waive a block, and warnings need nothing */
	TAP_CHECK_INT(r.findings.v[3].waiver, GG_WAIVER_NONE);
	TAP_CHECK_INT(r.findings.v[4].waiver, GG_WAIVER_NONE);
	TAP_CHECK_INT(r.nwaived, 2);
	TAP_CHECK_INT(r.nblocking, 2);
	TAP_CHECK_INT(r.nwarnings, 1);
	gg_waivers_release(&w);
	gg_result_release(&r);
	gg_policy_release(&p);
	gg_strvec_release(&sv);
}

static void test_waiver__rule_and_path_coverage(void)
{
	const char *t = "apps/guestbook/overlays/prod";

	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:apps/"
				   "guestbook/overlays/prod",
				   t),
		      GG_WAIVER_CONFIRM);
	/* a directory covers what lies below it, with or without '/' */
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:apps/"
				   "guestbook",
				   t),
		      GG_WAIVER_CONFIRM);
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:apps/"
				   "guestbook/",
				   t),
		      GG_WAIVER_CONFIRM);
	/* but not a sibling whose name it prefixes, nor a child */
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:apps/guest",
				   t),
		      GG_WAIVER_NONE);
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:apps/"
				   "guestbook/overlays/prod/x",
				   t),
		      GG_WAIVER_NONE);
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:apps/other",
				   t),
		      GG_WAIVER_NONE);
	/* globs */
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:apps/*/"
				   "overlays/prod",
				   t),
		      GG_WAIVER_CONFIRM);
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:**/prod", t),
		      GG_WAIVER_CONFIRM);
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:apps/*/"
				   "overlays/dev",
				   t),
		      GG_WAIVER_NONE);
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:apps/[", t),
		      GG_WAIVER_NONE);
	/* a finding without a target is covered only by the bare rule */
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed:x", NULL),
		      GG_WAIVER_NONE);
	TAP_CHECK_INT(confirm_with("gitops.confirm=policy/changed", NULL),
		      GG_WAIVER_CONFIRM);
	/* another rule covers nothing */
	TAP_CHECK_INT(confirm_with("gitops.confirm=yaml/invalid", t),
		      GG_WAIVER_NONE);
}

static void test_waiver__trailers_from_the_last_paragraph(void)
{
	static const char msg[] =
		"Promote guestbook\n"
		"\n"
		"Gitops-Confirm: yaml/invalid\n"
		"Gitops-Break-Glass: this is only the body\n"
		"\n"
		"Gitops-Confirm: policy/changed:.gitops-guard.yaml\n"
		"gitops-confirm:yaml/invalid:apps/x\n"
		"Signed-off-by: A U Thor <author@example.com>\n"
		"\n\n  \n";
	struct gg_waivers w;

	gg_waivers_init(&w);
	gg_waivers_from_message(&w, msg, "refs/heads/main");
	TAP_CHECK_INT(w.nr, 2);
	TAP_CHECK_STR(w.v[0].rule, "policy/changed");
	TAP_CHECK_STR(w.v[0].path, ".gitops-guard.yaml");
	TAP_CHECK_STR(w.v[0].ref, "refs/heads/main");
	TAP_CHECK_INT(w.v[0].how, GG_WAIVER_TRAILER);
	TAP_CHECK_STR(w.v[1].rule, "yaml/invalid");
	TAP_CHECK_STR(w.v[1].path, "apps/x");
	TAP_CHECK(!w.break_glass);
	TAP_CHECK_INT(w.problems.nr, 0);
	gg_waivers_release(&w);
}

static void test_waiver__break_glass_trailer(void)
{
	struct gg_waivers w;

	gg_waivers_init(&w);
	gg_waivers_from_message(&w,
				"Hotfix\n\nGitops-Break-Glass:   prod down "
				"INC-7  \n",
				"refs/heads/main");
	TAP_CHECK_STR(w.break_glass, "prod down INC-7");
	TAP_CHECK_INT(w.break_glass_how, GG_WAIVER_TRAILER);
	gg_waivers_release(&w);
}

static void test_waiver__trailer_naming_no_rule_is_a_problem(void)
{
	struct gg_waivers w;

	gg_waivers_init(&w);
	gg_waivers_from_message(&w, "x\n\nGitops-Confirm: nope/nope\n",
				"refs/heads/main");
	gg_waivers_from_message(&w, "x\n\nGitops-Confirm:\n", "refs/heads/y");
	gg_waivers_from_message(&w, "", "refs/heads/z");
	TAP_CHECK_INT(w.nr, 0);
	TAP_CHECK_INT(w.problems.nr, 1);
	TAP_CHECK_STR(w.problems.v[0],
		      "trailer on refs/heads/main names no known rule");
	gg_waivers_release(&w);
}

static void test_waiver__trailer_covers_its_own_ref_only(void)
{
	struct gg_waivers w;
	struct gg_result r;
	struct gg_policy p;

	gg_policy_init(&p);
	gg_result_init(&r);
	gg_waivers_init(&w);
	gg_waivers_from_message(&w, "x\n\nGitops-Confirm: policy/changed\n",
				"refs/heads/main");
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main", "a");
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/release", "a");
	add(&r, "policy/changed", GG_SEV_CONFIRM, NULL, "a");
	gg_waivers_apply(&r, &w, &p, NULL);
	TAP_CHECK_INT(r.findings.v[0].waiver, GG_WAIVER_TRAILER);
	TAP_CHECK_STR(r.findings.v[0].waived_by, "unknown");
	TAP_CHECK_INT(r.findings.v[1].waiver, GG_WAIVER_NONE);
	TAP_CHECK_INT(r.findings.v[2].waiver, GG_WAIVER_NONE);
	TAP_CHECK_INT(r.nblocking, 2);
	gg_waivers_release(&w);
	gg_result_release(&r);
	gg_policy_release(&p);
}

static void test_waiver__owners_restrict_confirmations(void)
{
	static const char *const o[] = { "gitops.confirm=policy/changed",
					 NULL };
	struct gg_strvec sv = opts(o);
	struct gg_waivers w;
	struct gg_result r;
	struct gg_policy p;
	struct gg_finding *f;

	TAP_CHECK_INT(load_policy(&p, "version: 1\nowners:\n"
				      "  - {paths: ['apps/payments/**'], "
				      "users: [alice, bob]}\n"
				      "  - {paths: ['apps/*/overlays/prod/**'], "
				      "users: [carol]}\n"),
		      0);
	gg_waivers_init(&w);
	gg_waivers_from_options(&w, &sv);
	gg_result_init(&r);
	f = add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main",
		"apps/payments/overlays/prod");
	f->hint = gg_xstrdup("restore it");
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main",
		"apps/payments/svc.yaml");
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main",
		"apps/guestbook/svc.yaml");
	gg_waivers_apply(&r, &w, &p, "mallory");
	TAP_CHECK_INT(r.findings.v[0].waiver, GG_WAIVER_NONE);
	TAP_CHECK_STR(r.findings.v[0].hint,
		      "restore it; the confirmation does not count: only an "
		      "owner (alice, bob, carol) may confirm this, and the "
		      "pusher is mallory");
	TAP_CHECK_INT(r.findings.v[1].waiver, GG_WAIVER_NONE);
	/* nobody owns guestbook: anyone's confirmation counts */
	TAP_CHECK_INT(r.findings.v[2].waiver, GG_WAIVER_CONFIRM);
	TAP_CHECK_INT(r.nblocking, 2);
	gg_result_release(&r);

	gg_result_init(&r);
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main",
		"apps/payments/overlays/prod");
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main",
		"apps/payments/svc.yaml");
	gg_waivers_apply(&r, &w, &p, "carol");
	TAP_CHECK_INT(r.findings.v[0].waiver, GG_WAIVER_CONFIRM);
	TAP_CHECK_STR(r.findings.v[0].waived_by, "carol");
	TAP_CHECK_INT(r.findings.v[1].waiver, GG_WAIVER_NONE);
	gg_result_release(&r);

	gg_result_init(&r);
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main",
		"apps/payments/svc.yaml");
	gg_waivers_apply(&r, &w, &p, NULL);
	TAP_CHECK_INT(r.findings.v[0].waiver, GG_WAIVER_NONE);
	TAP_CHECK(strstr(r.findings.v[0].hint, "the pusher is unknown"));
	gg_result_release(&r);

	gg_waivers_release(&w);
	gg_policy_release(&p);
	gg_strvec_release(&sv);
}

static void test_waiver__break_glass_allowed(void)
{
	static const char *const o[] = {
		"gitops.confirm=policy/changed",
		"gitops.break-glass=prod is down, INC-42", NULL
	};
	struct gg_strvec sv = opts(o);
	struct gg_waivers w;
	struct gg_result r;
	struct gg_policy p;
	size_t i;

	TAP_CHECK_INT(load_policy(&p, "version: 1\nbreak_glass: {users: "
				      "[oncall]}\n"),
		      0);
	gg_waivers_init(&w);
	gg_waivers_from_options(&w, &sv);
	gg_result_init(&r);
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main", "a");
	add(&r, "yaml/invalid", GG_SEV_BLOCK, "refs/heads/main", "b");
	add(&r, "yaml/invalid", GG_SEV_WARN, "refs/heads/main", "c");
	gg_waivers_apply(&r, &w, &p, "oncall");
	TAP_CHECK_INT(r.break_glass_granted, 1);
	TAP_CHECK_STR(r.break_glass_reason, "prod is down, INC-42");
	TAP_CHECK_INT(r.findings.nr, 3);
	TAP_CHECK_INT(r.findings.v[0].waiver, GG_WAIVER_CONFIRM);
	TAP_CHECK_INT(r.findings.v[1].waiver, GG_WAIVER_BREAK_GLASS);
	TAP_CHECK_INT(r.findings.v[2].waiver, GG_WAIVER_BREAK_GLASS);
	for (i = 0; i < r.findings.nr; i++)
		TAP_CHECK_STR(r.findings.v[i].waived_by, "oncall");
	TAP_CHECK_INT(r.nblocking, 0);
	TAP_CHECK_INT(r.nwaived, 3);
	gg_result_release(&r);
	gg_waivers_release(&w);
	gg_policy_release(&p);
	gg_strvec_release(&sv);
}

/* Break-glass by `pusher` with `reason`; returns the result's message
 * of the added break-glass/denied finding, or NULL when granted. */
static char *break_glass_denial(const char *policy, const char *pusher,
				const char *reason, size_t *nblocking)
{
	struct gg_waivers w;
	struct gg_result r;
	struct gg_policy p;
	char *msg = NULL;

	if (load_policy(&p, policy) < 0)
		return gg_xstrdup("bad policy");
	gg_waivers_init(&w);
	gg_waivers_from_message(&w, reason, "refs/heads/main");
	gg_result_init(&r);
	add(&r, "policy/changed", GG_SEV_CONFIRM, "refs/heads/main", "a");
	gg_waivers_apply(&r, &w, &p, pusher);
	if (!r.break_glass_granted && r.findings.nr == 2) {
		const struct gg_finding *f = &r.findings.v[1];

		if (!strcmp(f->rule, "break-glass/denied") &&
		    f->severity == GG_SEV_BLOCK && !f->ref &&
		    r.findings.v[0].waiver == GG_WAIVER_NONE)
			msg = gg_xstrdup(f->message);
	}
	*nblocking = r.nblocking;
	gg_result_release(&r);
	gg_waivers_release(&w);
	gg_policy_release(&p);
	return msg;
}

static void test_waiver__break_glass_denied(void)
{
	static const char pol[] =
		"version: 1\nbreak_glass: {users: [oncall], "
		"min_reason_length: 12}\n";
	size_t nb = 0;
	char *m;

	m = break_glass_denial(pol, "mallory", "x\n\nGitops-Break-Glass: "
					       "prod is down, INC-42\n",
			       &nb);
	TAP_CHECK_STR(m, "break-glass asked for, but the pusher 'mallory' is "
			 "not in break_glass.users");
	TAP_CHECK_INT(nb, 2);
	free(m);
	m = break_glass_denial(pol, "oncall",
			       "x\n\nGitops-Break-Glass: too short\n", &nb);
	TAP_CHECK_STR(m, "break-glass asked for, but the pusher 'oncall' gave "
			 "a reason shorter than "
			 "break_glass.min_reason_length");
	free(m);
	m = break_glass_denial(pol, NULL,
			       "x\n\nGitops-Break-Glass: prod is down, "
			       "INC-42\n",
			       &nb);
	TAP_CHECK_STR(m, "break-glass asked for, but the pusher is unknown "
			 "(the platform gives no identity)");
	free(m);
	/* exactly the minimum length is enough */
	m = break_glass_denial(pol, "oncall",
			       "x\n\nGitops-Break-Glass:   twelve chars  \n",
			       &nb);
	TAP_CHECK(!m);
	TAP_CHECK_INT(nb, 0);
}

static void test_waiver__break_glass_with_no_users_is_denied(void)
{
	size_t nb = 0;
	char *m = break_glass_denial("version: 1\n", "root",
				     "x\n\nGitops-Break-Glass: prod is "
				     "down again\n",
				     &nb);

	TAP_CHECK_STR(m, "break-glass asked for, but the pusher 'root' is not "
			 "in break_glass.users");
	free(m);
}

static void test_waiver__denied_break_glass_with_the_rule_off(void)
{
	static const char *const o[] = { "gitops.break-glass=prod is down",
					 NULL };
	struct gg_strvec sv = opts(o);
	struct gg_waivers w;
	struct gg_result r;
	struct gg_policy p;

	TAP_CHECK_INT(load_policy(&p, "version: 1\nrules: "
				      "{break-glass/denied: off}\n"),
		      0);
	gg_waivers_init(&w);
	gg_waivers_from_options(&w, &sv);
	gg_result_init(&r);
	add(&r, "yaml/invalid", GG_SEV_BLOCK, "refs/heads/main", "b");
	gg_waivers_apply(&r, &w, &p, "mallory");
	TAP_CHECK_INT(r.findings.nr, 1);
	TAP_CHECK_INT(r.findings.v[0].waiver, GG_WAIVER_NONE);
	TAP_CHECK_INT(r.break_glass_granted, 0);
	TAP_CHECK_INT(r.nblocking, 1);
	gg_result_release(&r);
	gg_waivers_release(&w);
	gg_policy_release(&p);
	gg_strvec_release(&sv);
}

int main(void)
{
	TAP_RUN(test_waiver__reads_push_options);
	TAP_RUN(test_waiver__reports_bad_gitops_options);
	TAP_RUN(test_waiver__a_rule_confirms_every_finding_of_it);
	TAP_RUN(test_waiver__rule_and_path_coverage);
	TAP_RUN(test_waiver__trailers_from_the_last_paragraph);
	TAP_RUN(test_waiver__break_glass_trailer);
	TAP_RUN(test_waiver__trailer_naming_no_rule_is_a_problem);
	TAP_RUN(test_waiver__trailer_covers_its_own_ref_only);
	TAP_RUN(test_waiver__owners_restrict_confirmations);
	TAP_RUN(test_waiver__break_glass_allowed);
	TAP_RUN(test_waiver__break_glass_denied);
	TAP_RUN(test_waiver__break_glass_with_no_users_is_denied);
	TAP_RUN(test_waiver__denied_break_glass_with_the_rule_off);
	return tap_done();
}

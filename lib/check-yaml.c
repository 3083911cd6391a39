/*
 * yaml/invalid: a pushed manifest that controllers cannot parse.  Files
 * that are not meant to parse (Helm templates, binaries) are noted, never
 * judged.
 */
#include <stdio.h>

#include "check.h"
#include "manifest.h"
#include "banned.h"

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_rule_info rules[] = {
	{ "yaml/invalid", GG_SEV_WARN, "adds a manifest that does not parse",
	  "A .yaml, .yml or .json file in the push does not parse as YAML (or "
	  "exceeds a parse limit such as the alias expansion budget, or is "
	  "larger than limits.max_blob_bytes and so was not parsed).  Argo CD "
	  "reports a ComparisonError for an app that contains a file that does "
	  "not parse and Flux fails the Kustomization; neither syncs until it "
	  "is fixed.  A file over gitops-guard's own limits may still be "
	  "applied by the controllers.  Either way, the rules that read "
	  "objects do not see the file's objects: secret/plaintext searches "
	  "its text instead, and app/emptied and app/mass-deletion judge the "
	  "rest of the app and say that a file could not be read.  Helm "
	  "templates (files that hold {{ }} and do not parse) and binary "
	  "files are skipped, not reported.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

static void judge(struct gg_check_run *run, const struct gg_file_change *fc,
		  const struct gg_manifest *m)
{
	struct gg_report_spec spec = { "yaml/invalid", fc->path, m->line,
				       NULL,	       NULL,	 NULL,
				       GG_SEV_OFF };

	switch (m->state) {
	case GG_MANIFEST_YAML: break;
	case GG_MANIFEST_INVALID:
		spec.hint =
			"fix the syntax; 'gitops-guard check' shows the same "
			"result before you push";
		gg_check_report(run, &spec, "does not parse as YAML: %s%s",
				m->error,
				m->line ? "" : " (invalid encoding?)");
		break;
	case GG_MANIFEST_REFUSED:
		spec.hint = "split the file, or remove the nesting, aliases or "
			    "documents beyond the limit";
		gg_check_report(run, &spec, "refused: %s", m->error);
		break;
	case GG_MANIFEST_TOO_LARGE:
		spec.hint = "split the file, or raise limits.max_blob_bytes";
		gg_check_report(run, &spec,
				"not parsed: %zu bytes is more than "
				"limits.max_blob_bytes (%lld)",
				m->size, run->s->policy.limits.max_blob_bytes);
		break;
	case GG_MANIFEST_TEMPLATE:
		gg_check_note(run, "%s: skipped: a template ({{ }}), not YAML",
			      fc->path);
		break;
	case GG_MANIFEST_BINARY:
		gg_check_note(run, "%s: skipped: binary content", fc->path);
		break;
	}
}

static int run(struct gg_check_run *run)
{
	const struct gg_refchange *rc = run->change;
	size_t i;
	int err;

	for (i = 0; i < rc->nfiles; i++) {
		const struct gg_file_change *fc = &rc->files[i];
		const struct gg_manifest *m;

		if (fc->status == GG_DELTA_DELETED ||
		    fc->new_kind != GG_ENTRY_BLOB ||
		    !gg_path_is_manifest(fc->path) ||
		    !gg_oid_cmp(&fc->old_oid, &fc->new_oid))
			continue;
		/* the states only: an initial push holds every file */
		if ((err = gg_manifests_classify(&m, run->s->manifests,
						 &fc->new_oid)) < 0)
			return err;
		judge(run, fc, m);
	}
	return 0;
}

const struct gg_check_kind gg_check_yaml = { "yaml", rules, run };

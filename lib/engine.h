/*
 * The engine: run every check over every guarded ref of a push, apply
 * the waivers, and decide.
 */
#ifndef GG_ENGINE_H
#define GG_ENGINE_H

#include <stddef.h>

#include "finding.h"
#include "push.h"
#include "session.h"
#include "strvec.h"

struct gg_result {
	struct gg_findings findings;
	struct gg_strvec notes; /* remarks shown with -o gitops.verbose */
	struct gg_strvec
		warnings;    /* always shown: policy remarks, bad options */
	size_t refs_total;   /* updates in the push */
	size_t refs_checked; /* guarded updates that were inspected */
	size_t files_changed;
	int timed_out;		  /* the deadline passed before the end */
	int verbose;		  /* -o gitops.verbose */
	char *break_glass_reason; /* as given, or NULL */
	int break_glass_granted;
	int rejected;	  /* the verdict */
	char *error;	  /* an internal error ended the run */
	size_t nblocking; /* unwaived confirm/block findings */
	size_t nwarnings; /* warn findings */
	size_t nwaived;	  /* confirmed or broken-glass findings */
	long long duration_ms;
};

void gg_result_init(struct gg_result *r);
void gg_result_release(struct gg_result *r);

/*
 * Judge `push` in session `s`.  Fills `out` (initialised by the caller)
 * with findings and the verdict.  0, or a negative internal error (a
 * repository failure); findings are never errors.  A passed deadline is
 * not an error either: out->timed_out is set and the verdict follows
 * limits.on_timeout.
 */
int gg_engine_run(struct gg_result *out, struct gg_session *s,
		  const struct gg_push *push);

/* 1 if `ref` is guarded: the default branch, a branch matching the
 * policy's `branches`, an environment branch, or a branch or tag an app
 * of the default branch deploys; 0 if not; a negative error. */
int gg_engine_ref_guarded(struct gg_session *s, const char *ref);

#endif

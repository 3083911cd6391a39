/*
 * Git notes for accepted pushes.  pre-receive and update cannot write
 * refs, so they leave the note text of each accepted ref update that
 * carried warnings or waivers in gitops-guard/pending/<key> inside the
 * repository; post-receive, which runs after the refs moved and receives
 * only the updates that succeeded, adds those texts as notes on the new
 * tips under refs/notes/gitops-guard and removes the files.  The key is
 * a hash of the "<old> <new> <ref>" line, so a rejected update never
 * gets a note (an update the update hook accepted but git then failed,
 * as in an --atomic push, leaves a file that ages out after a day).
 */
#ifndef GG_NOTES_H
#define GG_NOTES_H

#include "engine.h"
#include "push.h"
#include "session.h"

#define GG_NOTES_REF "refs/notes/gitops-guard"

/* Write the pending note texts for the accepted result `r`. */
int gg_notes_stash(const struct gg_session *s, const struct gg_push *push,
		   const struct gg_result *r);

/*
 * Turn the pending texts of `push` (post-receive's updates) into notes
 * and delete them; also remove pending files older than a day (pushes
 * whose post-receive never ran).  Returns the number of notes written,
 * or a negative error.
 */
int gg_notes_apply(struct gg_session *s, const struct gg_push *push);

#endif

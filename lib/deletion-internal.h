/*
 * Between the files of the "deletion" check kind (check-deletion.c,
 * deletion-cascade.c, deletion-protect.c); not part of the library's
 * interface.  check-deletion.c pairs every app a push touches with
 * itself before and after the push and renders both sides once; the
 * rules read those renders.
 */
#ifndef GG_DELETION_INTERNAL_H
#define GG_DELETION_INTERNAL_H

#include "appindex.h"
#include "check.h"
#include "render.h"

/* One app the push touches, before and after. */
struct gg_del_pair {
	const struct gg_app *before; /* in ra->before */
	struct gg_app after;	     /* ra->after's, or `before` when its
			      * definition leaves Git but stays live */
	int live;		     /* after is that live definition */
	struct gg_rendered old, new_;
	size_t old_n, new_n; /* distinct objects */
	int judgeable;	     /* the new render is complete */
};

struct gg_deletion {
	struct gg_check_run *run;
	const struct gg_refapps *ra;
	const char *dflt; /* the default branch's name, or NULL */
	struct gg_del_pair *v;
	size_t nr, alloc;
};

/* 1 if object `i` of `r` counts: the first of its identity, with a
 * name (documents with generateName have no identity to compare). */
int gg_del__counts(const struct gg_rendered *r, size_t i);

/* "." for the repository root, else `root`. */
const char *gg_del__root(const char *root);

/* The typed object a rendered object comes from, in `tree`, or NULL
 * when it cannot be read.  0, or a negative error from the repository. */
int gg_del__object(const struct gg_object **out, struct gg_deletion *d,
		   const struct gg_oid *tree, const struct gg_robj *o);

/* app/cascade-delete over the pairs. */
int gg_del__cascade(struct gg_deletion *d);

/* protect/annotation-removed over the pairs. */
int gg_del__protect(struct gg_deletion *d);

#endif

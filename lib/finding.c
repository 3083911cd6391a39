/*
 * The findings list.
 */
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "xalloc.h"
#include "banned.h"

struct gg_finding *gg_findings_add(struct gg_findings *f)
{
	GG_ALLOC_GROW(f->v, f->nr + 1, f->alloc);
	memset(&f->v[f->nr], 0, sizeof(f->v[f->nr]));
	return &f->v[f->nr++];
}

void gg_findings_release(struct gg_findings *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++) {
		free(f->v[i].ref);
		free(f->v[i].commit);
		free(f->v[i].path);
		free(f->v[i].target);
		free(f->v[i].message);
		free(f->v[i].hint);
		free(f->v[i].waived_by);
	}
	free(f->v);
	f->v = NULL;
	f->nr = f->alloc = 0;
}

int gg_finding_blocks(const struct gg_finding *f)
{
	return f->severity >= GG_SEV_CONFIRM;
}

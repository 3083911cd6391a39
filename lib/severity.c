/*
 * Severity names.
 */
#include <string.h>

#include "error.h"
#include "severity.h"
#include "banned.h"

static const char *const names[] = { "off", "info", "warn", "confirm",
				     "block" };

const char *gg_severity_name(enum gg_severity sev)
{
	if ((unsigned)sev >= sizeof(names) / sizeof(*names))
		GG_BUG("bad severity %d", (int)sev);
	return names[sev];
}

int gg_severity_parse(enum gg_severity *out, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum gg_severity)i;
			return 0;
		}
	}
	return GG_EINVALID;
}

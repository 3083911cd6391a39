/*
 * The severity ladder: off < info < warn < confirm < block.
 */
#ifndef GG_SEVERITY_H
#define GG_SEVERITY_H

enum gg_severity {
	GG_SEV_OFF,
	GG_SEV_INFO,	/* a note; never affects the verdict */
	GG_SEV_WARN,	/* annotate and accept */
	GG_SEV_CONFIRM, /* reject unless confirmed */
	GG_SEV_BLOCK	/* reject unless break-glass */
};

/* "off", "info", "warn", "confirm", "block". */
const char *gg_severity_name(enum gg_severity sev);

/* Parse a severity name.  0, or GG_EINVALID. */
int gg_severity_parse(enum gg_severity *out, const char *name);

#endif

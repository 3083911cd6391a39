/*
 * PCRE2 behind a small interface: compile once, JIT if possible, search
 * with bounded work.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "error.h"
#include "regex.h"
#include "xalloc.h"
#include "banned.h"

/* Bounds on backtracking per search (PCRE2's defaults are 10M). */
#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct gg_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

int gg_regex_compile(struct gg_regex **out, const char *pattern, unsigned flags)
{
	struct gg_regex *re;
	PCRE2_SIZE erroff;
	uint32_t opts = 0;
	int errcode;

	*out = NULL;
	if (flags & GG_REGEX_CASELESS)
		opts |= PCRE2_CASELESS;
	if (flags & GG_REGEX_MULTILINE)
		opts |= PCRE2_MULTILINE;
	re = gg_xcalloc(1, sizeof(*re));
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				 opts, &errcode, &erroff, NULL);
	if (!re->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		gg_error_set("%s at offset %zu", (const char *)msg,
			     (size_t)erroff);
		free(re);
		return GG_EINVALID;
	}
	(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->md || !re->mctx)
		GG_BUG("pcre2 allocation failed");
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, DEPTH_LIMIT);
	*out = re;
	return 0;
}

void gg_regex_free(struct gg_regex *re)
{
	if (!re)
		return;
	pcre2_match_context_free(re->mctx);
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}

int gg_regex_search(const struct gg_regex *re, const char *subject, size_t len,
		    size_t *start, size_t *end)
{
	return gg_regex_search_at(re, subject, len, 0, start, end);
}

int gg_regex_search_at(const struct gg_regex *re, const char *subject,
		       size_t len, size_t offset, size_t *start, size_t *end)
{
	PCRE2_SIZE *ov;
	int rc;

	if (offset > len)
		return 0;
	rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, offset, 0, re->md,
			 re->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
		gg_error_set("pattern match limit reached");
		return GG_ELIMIT;
	}
	if (rc < 0) {
		gg_error_set("pattern match failed (%d)", rc);
		return GG_ERROR;
	}
	ov = pcre2_get_ovector_pointer(re->md);
	/* \K inside a lookahead can put the start after the end */
	if (start)
		*start = (size_t)(ov[0] < ov[1] ? ov[0] : ov[1]);
	if (end)
		*end = (size_t)ov[1];
	return 1;
}

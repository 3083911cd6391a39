/*
 * libFuzzer target for semver.c, which reads version ranges from pushed
 * manifests (Argo CD targetRevision, Flux ref.semver) and versions from
 * tag names.  The input is "<range>\n<version>"; without a newline the
 * whole input is tried as both.  Checks that a version equals itself,
 * that comparison is antisymmetric, and that a range that parses answers
 * 0 or 1 for a version while one that does not answers an error.
 *   ./t/fuzz/fuzz-semver -max_total_time=300 corpus ../t/fuzz/corpus-semver
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "semver.h"
#include "fuzz.h"
#include "banned.h"

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void one(const char *range, const char *version)
{
	struct gg_semver v, w;
	int valid = gg_semver_range_valid(range);
	int m;

	(void)gg_semver_is_range(range);
	(void)gg_semver_tag_in(range, "v", version, NULL);
	if (gg_semver_parse(&v, version) < 0)
		return;
	CHECK(gg_semver_cmp(&v, &v) == 0);
	m = gg_semver_match(range, &v);
	CHECK(valid ? m == 0 || m == 1 : m < 0);
	if (gg_semver_parse(&w, range) == 0)
		CHECK(sign(gg_semver_cmp(&v, &w)) ==
		      -sign(gg_semver_cmp(&w, &v)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *nl;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nl = memchr(text, '\n', size);
	if (nl) {
		*nl = '\0';
		one(text, nl + 1);
	} else {
		one(text, text);
	}
	free(text);
	return 0;
}

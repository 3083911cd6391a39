/*
 * Environment recognition: policy globs, or path segments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "envs.h"
#include "push.h"
#include "xalloc.h"
#include "banned.h"

static const char *const dev[] = { "dev", "development", NULL };
static const char *const qa[] = { "qa", "test", "integration", NULL };
static const char *const staging[] = { "staging", "stage", "uat", "preprod",
				       NULL };
static const char *const prod[] = { "prod", "production", "prd", NULL };
static const char *const *const tiers[] = { dev, qa, staging, prod };
#define NTIERS 4

const char *const *gg_env_aliases(int tier)
{
	return tier >= 0 && tier < NTIERS ? tiers[tier] : NULL;
}

/* Tier of a word: "prod" or "prod-eu" (suffix allowed when `suffix`). */
static int tier_of_word(const char *w, size_t n, int suffix)
{
	int t, i;

	for (t = 0; t < NTIERS; t++) {
		for (i = 0; tiers[t][i]; i++) {
			size_t a;

			/* most words start like no name: skip them cheaply */
			if (!n || *w != tiers[t][i][0])
				continue;
			a = strlen(tiers[t][i]);
			if (n < a || strncmp(w, tiers[t][i], a))
				continue;
			if (n == a || (suffix && w[a] == '-' && n > a + 1))
				return t;
		}
	}
	return -1;
}

/* Built-in recognition: the deepest directory segment or file-name part. */
static void builtin(struct gg_env *out, const char *path, int is_dir)
{
	const char *seg = path, *best = NULL;
	size_t best_len = 0;
	int best_tier = -1;

	while (*seg) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		int t;

		if (end || is_dir) {
			t = tier_of_word(seg, n, 1);
			if (t >= 0) {
				best = seg;
				best_len = n;
				best_tier = t;
			}
		} else {
			/* a file name: its parts, "values-prod.yaml" */
			const char *p = seg;

			while (p < seg + n) {
				size_t m = strcspn(p, "-_.");

				if (m > (size_t)(seg + n - p))
					m = (size_t)(seg + n - p);
				t = tier_of_word(p, m, 0);
				if (t >= 0) {
					best = p;
					best_len = m;
					best_tier = t;
				}
				p += m + 1;
			}
		}
		if (!end)
			break;
		seg = end + 1;
	}
	out->tier = best_tier;
	out->protect = best_tier == NTIERS - 1;
	if (best) {
		/* as snprintf("%.*s") would, without its cost on a hot path */
		if (best_len > sizeof(out->name) - 1)
			best_len = sizeof(out->name) - 1;
		memcpy(out->name, best, best_len);
		out->name[best_len] = '\0';
	}
}

static int env_protected(const struct gg_policy *p, size_t i)
{
	return p->envs[i].protect == 1 ||
	       (p->envs[i].protect < 0 && i + 1 == p->nenvs);
}

void gg_env_of_path(struct gg_env *out, const struct gg_policy *p,
		    const char *path, int is_dir)
{
	enum gg_policy_layer layer;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	out->tier = -1;
	if (!p->envs_set) {
		builtin(out, path, is_dir);
		return;
	}
	/*
	 * The globs of the earliest layer that has a matching one, so that
	 * a later layer cannot take a file from an environment; among them,
	 * the highest tier's: when in doubt, protect.
	 */
	for (layer = GG_LAYER_DEFAULTS; layer <= GG_LAYER_IN_REPO; layer++) {
		for (i = p->nenvs; i-- > 0;) {
			for (j = 0; j < p->envs[i].paths.nr; j++) {
				const struct gg_glob *g = &p->envs[i].globs[j];

				if (p->envs[i].layers[j] != layer ||
				    !(is_dir ? gg_glob_match_dir(g, path)
					     : gg_glob_match(g, path)))
					continue;
				out->tier = (int)i;
				out->protect = env_protected(p, i);
				out->later = layer > p->envs_layer &&
					     !gg_policy_may_loosen(
						     p, layer, "environments");
				snprintf(out->name, sizeof(out->name), "%s",
					 p->envs[i].name);
				return;
			}
		}
	}
}

void gg_env_of_branch(struct gg_env *out, const struct gg_policy *p,
		      const char *branch)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->tier = -1;
	for (i = 0; branch && i < p->nenvs; i++) {
		if (p->envs[i].branch && !strcmp(p->envs[i].branch, branch)) {
			out->tier = (int)i;
			out->protect = env_protected(p, i);
			snprintf(out->name, sizeof(out->name), "%s",
				 p->envs[i].name);
			return;
		}
	}
}

void gg_env_of_ref_path(struct gg_env *out, const struct gg_policy *p,
			const char *ref, const char *path, int is_dir)
{
	const char *branch = gg_ref_branch_name(ref);

	gg_env_of_branch(out, p, branch);
	if (out->tier < 0)
		gg_env_of_path(out, p, path, is_dir);
}

int gg_env_branch_below(const struct gg_policy *p, int tier)
{
	int i;

	for (i = tier - 1; p->envs_set && i >= 0; i--)
		if ((size_t)i < p->nenvs && p->envs[i].branch)
			return i;
	return -1;
}

size_t gg_env_tiers(const struct gg_policy *p)
{
	return p->envs_set ? p->nenvs : NTIERS;
}

const char *gg_env_tier_name(const struct gg_policy *p, int tier)
{
	if (tier < 0 || (size_t)tier >= gg_env_tiers(p))
		return NULL;
	return p->envs_set ? p->envs[tier].name : tiers[tier][0];
}

int gg_env_tier_protected(const struct gg_policy *p, int tier)
{
	if (tier < 0 || (size_t)tier >= gg_env_tiers(p))
		return 0;
	return p->envs_set ? env_protected(p, (size_t)tier)
			   : tier == NTIERS - 1;
}

char *gg_env_substitute(const char *path, int from, const char *to)
{
	const char *seg = path, *hit = NULL;
	size_t hit_len = 0, alias_len = 0;
	struct gg_buf b = GG_BUF_INIT;

	while (*seg) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		int i;

		for (i = 0; from >= 0 && from < NTIERS && tiers[from][i]; i++) {
			size_t a = strlen(tiers[from][i]);

			if (n >= a && !strncmp(seg, tiers[from][i], a) &&
			    (n == a || seg[a] == '-')) {
				hit = seg;
				hit_len = n;
				alias_len = a;
			}
		}
		if (!end)
			break;
		seg = end + 1;
	}
	if (!hit)
		return NULL;
	gg_buf_add(&b, path, (size_t)(hit - path));
	gg_buf_adds(&b, to);
	gg_buf_add(&b, hit + alias_len, hit_len - alias_len);
	gg_buf_adds(&b, hit + hit_len);
	return gg_buf_detach(&b, NULL);
}

/*
 * The blob cache: an open-addressing hash from object id to manifest.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "manifest.h"
#include "model.h"
#include "xalloc.h"
#include "banned.h"

struct gg_manifests {
	struct gg_repo *repo;
	size_t max_blob;
	struct gg_manifest **slots; /* power-of-two table */
	size_t nslots, nr;
	size_t bytes;
};

struct gg_manifests *gg_manifests_new(struct gg_repo *repo, size_t max_blob)
{
	struct gg_manifests *c = gg_xcalloc(1, sizeof(*c));

	c->repo = repo;
	c->max_blob = max_blob;
	c->nslots = 64;
	c->slots = gg_xcalloc(c->nslots, sizeof(*c->slots));
	return c;
}

static void manifest_free(struct gg_manifest *m)
{
	gg_yaml_free(m->yaml);
	free(m->data);
	free(m->error);
	free(m);
}

void gg_manifests_free(struct gg_manifests *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nslots; i++)
		if (c->slots[i])
			manifest_free(c->slots[i]);
	free(c->slots);
	free(c);
}

static size_t slot_of(struct gg_manifest **slots, size_t nslots,
		      const struct gg_oid *oid)
{
	size_t h, i;

	memcpy(&h, oid->id, sizeof(h));
	i = h & (nslots - 1);
	while (slots[i] && gg_oid_cmp(&slots[i]->oid, oid))
		i = (i + 1) & (nslots - 1);
	return i;
}

static void grow(struct gg_manifests *c)
{
	size_t i, n = c->nslots * 2;
	struct gg_manifest **slots = gg_xcalloc(n, sizeof(*slots));

	for (i = 0; i < c->nslots; i++)
		if (c->slots[i])
			slots[slot_of(slots, n, &c->slots[i]->oid)] =
				c->slots[i];
	free(c->slots);
	c->slots = slots;
	c->nslots = n;
}

static int has_template_marks(const char *data, size_t len)
{
	const char *p = memchr(data, '{', len);

	while (p && (size_t)(p - data) + 1 < len) {
		if (p[1] == '{')
			return 1;
		p = memchr(p + 1, '{', len - (size_t)(p + 1 - data));
	}
	return 0;
}

static void classify(struct gg_manifest *m)
{
	size_t probe = m->size < 8000 ? m->size : 8000;
	struct gg_ymark at = { 0, 0 };
	int err;

	if (memchr(m->data, '\0', probe)) {
		m->state = GG_MANIFEST_BINARY;
		return;
	}
	err = gg_yaml_parse(&m->yaml, &at, m->data, m->size, NULL);
	/* Lists expand into objects (model.h): bound them like aliases */
	if (!err && (err = gg_model_check_lists(m->yaml)) < 0) {
		gg_yaml_free(m->yaml);
		m->yaml = NULL;
	}
	if (!err) {
		m->state = GG_MANIFEST_YAML;
		return;
	}
	if (err == GG_EINVALID && has_template_marks(m->data, m->size)) {
		m->state = GG_MANIFEST_TEMPLATE;
		return;
	}
	m->state = err == GG_ELIMIT ? GG_MANIFEST_REFUSED : GG_MANIFEST_INVALID;
	m->error = gg_xstrdup(gg_error_last());
	m->line = at.line;
	m->col = at.col;
}

static int load(struct gg_manifest *m, struct gg_manifests *c)
{
	struct gg_buf b = GG_BUF_INIT;
	int err;

	if ((err = gg_repo_blob_size(&m->size, c->repo, &m->oid)) < 0)
		return err;
	if (m->size > c->max_blob) {
		m->state = GG_MANIFEST_TOO_LARGE;
		return 0;
	}
	gg_buf_init(&b, c->max_blob);
	if ((err = gg_repo_blob_read(&b, c->repo, &m->oid)) < 0) {
		gg_buf_release(&b);
		return err;
	}
	c->bytes += b.len;
	m->size = b.len;
	m->data = gg_buf_detach(&b, NULL);
	classify(m);
	return 0;
}

/* Drop the parse of a classified blob; the state and the bytes stay. */
static void lighten(struct gg_manifest *m)
{
	gg_yaml_free(m->yaml);
	m->yaml = NULL;
	m->model[0] = m->model[1] = NULL; /* in the parse's arena */
	m->light = 1;
}

/* Parse a classified blob again, in place (from the bytes it kept, else
 * read again): pointers to it stay valid. */
static int reload(struct gg_manifest *m, struct gg_manifests *c)
{
	free(m->error);
	m->error = NULL;
	m->line = m->col = 0;
	m->light = 0;
	if (!m->data)
		return load(m, c);
	classify(m);
	return 0;
}

static int get(struct gg_manifest **out, struct gg_manifests *c,
	       const struct gg_oid *oid, int keep)
{
	size_t i = slot_of(c->slots, c->nslots, oid);
	struct gg_manifest *m;
	int err;

	if (c->slots[i]) {
		m = c->slots[i];
		if (keep && m->light && (err = reload(m, c)) < 0) {
			lighten(m);
			*out = NULL;
			return err;
		}
		*out = m;
		return 0;
	}
	m = gg_xcalloc(1, sizeof(*m));
	m->oid = *oid;
	if ((err = load(m, c)) < 0) {
		manifest_free(m);
		*out = NULL;
		return err;
	}
	if (2 * (c->nr + 1) > c->nslots) {
		grow(c);
		i = slot_of(c->slots, c->nslots, oid);
	}
	c->slots[i] = m;
	c->nr++;
	if (!keep)
		lighten(m);
	*out = m;
	return 0;
}

int gg_manifests_get_mut(struct gg_manifest **out, struct gg_manifests *c,
			 const struct gg_oid *oid)
{
	return get(out, c, oid, 1);
}

int gg_manifests_classify(const struct gg_manifest **out,
			  struct gg_manifests *c, const struct gg_oid *oid)
{
	struct gg_manifest *m;
	int err = get(&m, c, oid, 0);

	*out = m;
	return err;
}

void gg_manifests_drop(struct gg_manifests *c, const struct gg_oid *oid)
{
	struct gg_manifest *m = c->slots[slot_of(c->slots, c->nslots, oid)];

	if (!m)
		return;
	lighten(m);
	free(m->data);
	m->data = NULL;
}

int gg_manifests_get(const struct gg_manifest **out, struct gg_manifests *c,
		     const struct gg_oid *oid)
{
	struct gg_manifest *m;
	int err = gg_manifests_get_mut(&m, c, oid);

	*out = m;
	return err;
}

int gg_path_is_manifest(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash))
		return 0;
	return !strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml") ||
	       !strcasecmp(dot, ".json");
}

void gg_manifests_stats(const struct gg_manifests *c, size_t *blobs,
			size_t *bytes)
{
	*blobs = c->nr;
	*bytes = c->bytes;
}

/*
 * Bump allocation in chunks that start at 512 bytes and double up to
 * 64 KiB (a parsed ten-line manifest should not cost 64 KiB), with one
 * chunk of its own for each large request.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xalloc.h"
#include "banned.h"

#define CHUNK_MIN 512
#define CHUNK_SIZE (64 * 1024)
#define ALIGN 16

struct gg_arena_chunk {
	struct gg_arena_chunk *next;
	size_t size;
	size_t used;
	/* data follows, ALIGN-aligned */
};

static size_t header_size(void)
{
	return (sizeof(struct gg_arena_chunk) + ALIGN - 1) &
	       ~(size_t)(ALIGN - 1);
}

void gg_arena_init(struct gg_arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void gg_arena_release(struct gg_arena *a)
{
	struct gg_arena_chunk *c = a->head;

	while (c) {
		struct gg_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	gg_arena_init(a);
}

void gg_arena_adopt(struct gg_arena *dst, struct gg_arena *src)
{
	struct gg_arena_chunk *last = src->head;

	if (!last)
		return;
	while (last->next)
		last = last->next;
	/* behind dst's head chunk, which keeps being filled */
	if (dst->head) {
		last->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
	}
	dst->total += src->total;
	gg_arena_init(src);
}

void *gg_arena_alloc(struct gg_arena *a, size_t size)
{
	void *p = gg_arena_alloc_uninit(a, size);

	memset(p, 0, size);
	return p;
}

void *gg_arena_alloc_uninit(struct gg_arena *a, size_t size)
{
	struct gg_arena_chunk *c = a->head;
	size_t rounded = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	char *p;

	if (rounded < size)
		rounded = gg_st_mult(size, 2); /* overflow: let it fail */
	if (!c || c->size - c->used < rounded) {
		int own = rounded > CHUNK_SIZE / 4;
		size_t csize = c ? c->size * 2 : CHUNK_MIN;

		if (csize > CHUNK_SIZE)
			csize = CHUNK_SIZE;
		while (csize < rounded)
			csize *= 2;
		if (own)
			csize = rounded;
		c = gg_xmalloc(header_size() + csize);
		c->size = csize;
		c->used = 0;
		if (a->head && own) {
			/* keep filling the current chunk after a big one */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (char *)c + header_size() + c->used;
	c->used += rounded;
	a->total += rounded;
	return p;
}

char *gg_arena_strndup(struct gg_arena *a, const char *s, size_t n)
{
	char *p = gg_arena_alloc_uninit(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *gg_arena_strdup(struct gg_arena *a, const char *s)
{
	return gg_arena_strndup(a, s, strlen(s));
}

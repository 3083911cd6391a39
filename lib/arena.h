/*
 * A bump allocator for data that lives and dies together: the nodes of
 * a parsed YAML file, the typed objects built from them.  Everything
 * allocated from an arena is freed at once by gg_arena_release().
 */
#ifndef GG_ARENA_H
#define GG_ARENA_H

#include <stddef.h>

struct gg_arena_chunk;

struct gg_arena {
	struct gg_arena_chunk *head;
	size_t total; /* bytes handed out, for limits and statistics */
};

#define GG_ARENA_INIT                                                          \
	{                                                                      \
		NULL, 0                                                        \
	}

void gg_arena_init(struct gg_arena *a);

/* Free every allocation of the arena; `a` is left empty and reusable. */
void gg_arena_release(struct gg_arena *a);

/* Move every allocation of `src` into `dst` (they are freed with `dst`
 * from now on); `src` is left empty. */
void gg_arena_adopt(struct gg_arena *dst, struct gg_arena *src);

/* Zeroed memory, aligned for any type.  Borrowed; valid until
 * gg_arena_release(). */
void *gg_arena_alloc(struct gg_arena *a, size_t size);

/* The same without zeroing, for memory that is written at once. */
void *gg_arena_alloc_uninit(struct gg_arena *a, size_t size);

/* NUL-terminated copies.  Borrowed; valid until gg_arena_release(). */
char *gg_arena_strndup(struct gg_arena *a, const char *s, size_t n);
char *gg_arena_strdup(struct gg_arena *a, const char *s);

#endif

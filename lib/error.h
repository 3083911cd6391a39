/*
 * Runtime errors: negative return codes plus one "last error" message.
 *
 * A function that fails sets the message once, where the failure is
 * detected, with gg_error_set(), and returns a negative code; callers pass
 * the code up unchanged and read the text with gg_error_last().  Verdicts
 * about a push are never errors (see engine.h).  Programmer errors are
 * GG_BUG(), which prints the location and aborts.
 */
#ifndef GG_ERROR_H
#define GG_ERROR_H

#include <stdarg.h>

#if defined(__GNUC__)
#define GG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define GG_NORETURN __attribute__((noreturn))
#else
#define GG_PRINTF(f, a)
#define GG_NORETURN
#endif

/* Return codes. Everything not named here is -1 (GG_ERROR). */
enum gg_error_code {
	GG_OK = 0,
	GG_ERROR = -1,	   /* generic failure; see gg_error_last() */
	GG_ENOTFOUND = -2, /* the object, file, ref or key does not exist */
	GG_EINVALID = -3,  /* malformed input (a line, a file, a value) */
	GG_ELIMIT = -4,	   /* a size, depth or count limit was reached */
	GG_ETIMEOUT = -5   /* the deadline passed */
};

/*
 * Set the last error message (printf-style).  Overwrites any earlier
 * message; call it only where the error is detected.
 */
void gg_error_set(const char *fmt, ...) GG_PRINTF(1, 2);
void gg_error_setv(const char *fmt, va_list ap) GG_PRINTF(1, 0);

/*
 * Prefix the current message with "<prefix>: ".  For the few places that
 * add context (the file a YAML error is in) without replacing the cause.
 */
void gg_error_prefix(const char *fmt, ...) GG_PRINTF(1, 2);

/* The last error message; "" when none.  Borrowed; valid until the next
 * gg_error_set() or gg_error_clear(). */
const char *gg_error_last(void);

/* Forget the last error. */
void gg_error_clear(void);

/* Print "BUG: file:line: message" to stderr and abort(). */
void gg_bug_fl(const char *file, int line, const char *fmt, ...)
	GG_PRINTF(3, 4) GG_NORETURN;
#define GG_BUG(...) gg_bug_fl(__FILE__, __LINE__, __VA_ARGS__)

#endif

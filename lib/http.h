/*
 * HTTP for the audit webhook: one POST of a body to a URL, with a total
 * timeout, TLS verification always on, redirects only within the URL's
 * scheme, a bounded response read, and the proxy from the environment
 * as libcurl reads it.  http.c is the only file that includes curl.h.
 *
 * The programs are not linked with libcurl: http.c loads it
 * (GG_LIBCURL_SONAME, "libcurl.so.4") with dlopen() the first time a
 * request is made or a URL shown, so that a run that posts nothing never
 * maps it and the libraries it pulls in.  When it cannot be loaded, a
 * post fails like any delivery failure, with a message that says so.
 */
#ifndef GG_HTTP_H
#define GG_HTTP_H

#include <stddef.h>

#include "buf.h"

/* The most of a response body that is kept (and read, see below). */
#define GG_HTTP_MAX_RESPONSE (64 * 1024)

/* Redirects followed at most, each within the scheme of the URL. */
#define GG_HTTP_MAX_REDIRECTS 3

/*
 * Set up and tear down libcurl for the whole program.  Each program's
 * main path calls gg_http_global_init() once before any other gg_http_
 * function, and gg_http_global_cleanup() on every way out after a
 * successful init, so that leak checkers see nothing of libcurl.  The
 * init does no work now (libcurl is loaded and initialised with the
 * first request) and cannot fail; the cleanup undoes that
 * initialisation when it happened (the library stays mapped).
 * 0, or GG_ERROR.
 */
int gg_http_global_init(void);
void gg_http_global_cleanup(void);

struct gg_http_request {
	const char *url;	  /* http:// or https:// */
	const char *body;	  /* sent as it is */
	size_t len;		  /* of `body` */
	const char *content_type; /* "application/json" */
	const char *user_agent;
	const char *idempotency_key; /* Idempotency-Key header, or NULL */
	long long timeout_ms; /* the whole request: connect, send, answer */
};

struct gg_http_response {
	long status; /* the HTTP status of the last response, 0 if none */
	/* the first GG_HTTP_MAX_RESPONSE bytes of the body; a longer body
	 * ends the transfer early, which counts as success when the status
	 * already said 2xx and as a failure otherwise */
	struct gg_buf body;
	int truncated;
};

/* Set up `out` (caller storage) empty; release with
 * gg_http_response_release(). */
void gg_http_response_init(struct gg_http_response *out);
void gg_http_response_release(struct gg_http_response *out);

/*
 * POST `req->body` to `req->url` and wait at most `req->timeout_ms` for
 * the whole exchange.  Returns 0 when a response arrived, whatever its
 * status (look at out->status), GG_ETIMEOUT when the time ran out, or
 * GG_ERROR for every other failure: a refused or reset connection, a TLS
 * handshake or certificate that does not verify, a redirect to another
 * scheme or a loop, a malformed answer.  The message names the URL as
 * gg_http_url_display() shows it.  `out` is filled as far as the
 * exchange got; release it in every case.
 */
int gg_http_post(struct gg_http_response *out,
		 const struct gg_http_request *req);

/*
 * `url` fit for messages and logs: scheme, host, port and path, without
 * user name, password, query or fragment (webhook URLs often carry a
 * token there).  A URL that does not parse shows as "(invalid URL)",
 * and every URL as "(URL not shown: libcurl cannot be loaded)" when
 * libcurl cannot be loaded.
 * Caller owns the result; free with free().
 */
char *gg_http_url_display(const char *url);

#endif

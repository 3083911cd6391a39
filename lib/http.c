/*
 * libcurl behind gitops-guard's small HTTP interface: the webhook POST.
 * The only file that includes curl.h, for its types and constants: the
 * library itself is loaded with dlopen() on the first request, so that a
 * hook run that posts nothing never maps libcurl and the forty libraries
 * it pulls in (TLS, GSSAPI, LDAP, ...), whose relocation alone cost a
 * fifth of a one-file push.  Everything that could weaken the transfer
 * (TLS checks, other protocols, unbounded reads) is fixed here and not an
 * option.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* the functions are called through pointers: no macro wrappers */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "http.h"
#include "xalloc.h"
#include "banned.h"

#ifndef GG_LIBCURL_SONAME
#define GG_LIBCURL_SONAME "libcurl.so.4"
#endif

/* The libcurl functions this file calls, as curl_<name>. */
/* clang-format off */
#define CURL_FUNCS(X)                                                          \
	X(global_init) X(global_cleanup) X(easy_strerror)                     \
	X(easy_init) X(easy_setopt) X(easy_perform) X(easy_getinfo)           \
	X(easy_cleanup) X(slist_append) X(slist_free_all)                     \
	X(url) X(url_set) X(url_get) X(url_cleanup) X(free)
/* clang-format on */

/*
 * The loaded library, like libcurl's own global state one per process:
 * the only mutable file-scope state in lib/ besides the error slot.  It
 * is never unloaded (dlclose): the TLS libraries it pulls in keep exit
 * handlers, and a hook exits soon after anyway.
 */
static struct {
	void *handle;
	int ready; /* loaded, and curl_global_init() done */
#define FIELD(name) __typeof__(curl_##name) *name;
	CURL_FUNCS(FIELD)
#undef FIELD
} lib;

/*
 * Load libcurl and initialise it, once: 0, or GG_ERROR with the reason
 * (tried again on the next request).
 */
static int load(void)
{
	void *sym = NULL;
	const char *missing = NULL;
	CURLcode rc;

	if (lib.ready)
		return 0;
	if (!lib.handle)
		lib.handle = dlopen(GG_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib.handle) {
		const char *why = dlerror();

		gg_error_set("cannot load libcurl to post events: %s",
			     why ? why : GG_LIBCURL_SONAME);
		return GG_ERROR;
	}
#define LOAD(name)                                                             \
	if (!missing) {                                                        \
		sym = dlsym(lib.handle, "curl_" #name);                        \
		if (sym)                                                       \
			memcpy(&lib.name, &sym, sizeof(sym));                  \
		else                                                           \
			missing = "curl_" #name;                               \
	}
	CURL_FUNCS(LOAD)
#undef LOAD
	if (missing) {
		gg_error_set("cannot load libcurl to post events: %s has no "
			     "%s",
			     GG_LIBCURL_SONAME, missing);
		return GG_ERROR;
	}
	rc = lib.global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		gg_error_set("cannot initialise libcurl: %s",
			     lib.easy_strerror(rc));
		return GG_ERROR;
	}
	lib.ready = 1;
	return 0;
}

int gg_http_global_init(void)
{
	return 0;
}

void gg_http_global_cleanup(void)
{
	if (lib.ready)
		lib.global_cleanup();
	lib.ready = 0;
}

void gg_http_response_init(struct gg_http_response *out)
{
	out->status = 0;
	gg_buf_init(&out->body, GG_HTTP_MAX_RESPONSE);
	out->truncated = 0;
}

void gg_http_response_release(struct gg_http_response *out)
{
	gg_buf_release(&out->body);
	out->status = 0;
	out->truncated = 0;
}

char *gg_http_url_display(const char *url)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *r;

	if (load() < 0) {
		gg_error_clear();
		return gg_xstrdup("(URL not shown: libcurl cannot be loaded)");
	}
	u = lib.url();
	if (!u || lib.url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    lib.url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    lib.url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		r = gg_xstrdup("(invalid URL)");
		goto out;
	}
	if (lib.url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
		port = NULL;
	if (lib.url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		path = NULL;
	r = gg_xasprintf("%s://%s%s%s%s", scheme, host, port ? ":" : "",
			 port ? port : "", path ? path : "/");
out:
	lib.free(scheme);
	lib.free(host);
	lib.free(port);
	lib.free(path);
	lib.url_cleanup(u);
	return r;
}

/* Keep the body up to the limit; past it, end the transfer. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *payload)
{
	struct gg_http_response *resp = payload;
	size_t n = size * nmemb;

	if (gg_buf_add(&resp->body, data, n) < 0) {
		resp->truncated = 1;
		return 0; /* CURLE_WRITE_ERROR */
	}
	return n;
}

/* "https" for an https URL, else "http": redirects stay there. */
static const char *scheme_of(const char *url)
{
	return strncasecmp(url, "https://", 8) ? "http" : "https";
}

static CURLcode set_protocols(CURL *h, const char *url)
{
	CURLcode rc;

#if LIBCURL_VERSION_NUM >= 0x075500
	rc = lib.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (rc == CURLE_OK)
		rc = lib.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
				     scheme_of(url));
#else
	long redir = strcmp(scheme_of(url), "https") ? CURLPROTO_HTTP
						     : CURLPROTO_HTTPS;

	rc = lib.easy_setopt(h, CURLOPT_PROTOCOLS,
			     (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	if (rc == CURLE_OK)
		rc = lib.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, redir);
#endif
	return rc;
}

/*
 * Every option of the transfer.  libcurl reads http_proxy, https_proxy,
 * all_proxy and no_proxy itself (never HTTP_PROXY, which a CGI
 * environment lets a client set); nothing here overrides that.
 */
static CURLcode setup(CURL *h, const struct gg_http_request *req,
		      struct curl_slist *headers, struct gg_http_response *resp,
		      char *errbuf)
{
	long ms = req->timeout_ms < 1 ? 1 : (long)req->timeout_ms;
	CURLcode rc = CURLE_OK;

#define SET(opt, val)                                                          \
	do {                                                                   \
		if (rc == CURLE_OK)                                            \
			rc = lib.easy_setopt(h, opt, val);                     \
	} while (0)
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_URL, req->url);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT_MS, ms);
	SET(CURLOPT_CONNECTTIMEOUT_MS, ms);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, (long)GG_HTTP_MAX_REDIRECTS);
	/* a 301/302/303 stays a POST with its body */
	SET(CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
	SET(CURLOPT_POST, 1L);
	SET(CURLOPT_POSTFIELDS, req->body);
	SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->len);
	SET(CURLOPT_HTTPHEADER, headers);
	SET(CURLOPT_USERAGENT, req->user_agent);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, resp);
#undef SET
	if (rc == CURLE_OK)
		rc = set_protocols(h, req->url);
	return rc;
}

/*
 * Append header `name` with `val` ("" removes one libcurl would add).
 * 0, or GG_ERROR (out of memory in libcurl).
 */
static int add_header(struct curl_slist **list, const char *name,
		      const char *val)
{
	char *h = *val ? gg_xasprintf("%s: %s", name, val)
		       : gg_xasprintf("%s:", name);
	struct curl_slist *l = lib.slist_append(*list, h);

	free(h);
	if (!l) {
		gg_error_set("cannot set up a libcurl transfer");
		return GG_ERROR;
	}
	*list = l;
	return 0;
}

static int make_headers(struct curl_slist **out,
			const struct gg_http_request *req)
{
	int err;

	*out = NULL;
	if ((err = add_header(out, "Content-Type", req->content_type)) < 0 ||
	    (req->idempotency_key &&
	     (err = add_header(out, "Idempotency-Key", req->idempotency_key)) <
		     0))
		return err;
	/* no "Expect: 100-continue" wait before larger bodies */
	return add_header(out, "Expect", "");
}

/* Turn a libcurl result into ours, with the message set. */
static int result(CURLcode rc, const struct gg_http_request *req,
		  const struct gg_http_response *resp, const char *errbuf)
{
	char *shown;
	int err = GG_ERROR;

	if (rc == CURLE_OK)
		return 0;
	if (rc == CURLE_WRITE_ERROR && resp->truncated && resp->status >= 200 &&
	    resp->status < 300)
		return 0;
	shown = gg_http_url_display(req->url);
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		gg_error_set("no answer from '%s' within %lld ms", shown,
			     req->timeout_ms);
		err = GG_ETIMEOUT;
	} else if (rc == CURLE_WRITE_ERROR && resp->truncated) {
		gg_error_set("answer from '%s' longer than %d bytes", shown,
			     GG_HTTP_MAX_RESPONSE);
	} else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
		/* the URL itself is http(s): only a redirect gets here */
		gg_error_set("cannot post to '%s': redirected to another "
			     "scheme (%s)",
			     shown, *errbuf ? errbuf : lib.easy_strerror(rc));
	} else {
		gg_error_set("cannot post to '%s': %s", shown,
			     *errbuf ? errbuf : lib.easy_strerror(rc));
	}
	free(shown);
	return err;
}

int gg_http_post(struct gg_http_response *out,
		 const struct gg_http_request *req)
{
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *headers = NULL;
	CURL *h = NULL;
	CURLcode rc;
	int err;

	errbuf[0] = '\0';
	if ((err = load()) < 0)
		return err;
	if ((err = make_headers(&headers, req)) < 0)
		goto out;
	h = lib.easy_init();
	if (!h) {
		gg_error_set("cannot set up a libcurl transfer");
		err = GG_ERROR;
		goto out;
	}
	rc = setup(h, req, headers, out, errbuf);
	if (rc == CURLE_OK)
		rc = lib.easy_perform(h);
	lib.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	err = result(rc, req, out, errbuf);
out:
	lib.easy_cleanup(h);
	lib.slist_free_all(headers);
	return err;
}

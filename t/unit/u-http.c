/*
 * Unit tests for http.c that need no network: how a URL is shown in
 * messages (never with its credentials or query), and the response
 * buffer's life cycle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "tap.h"

#define CHECK_SHOWN(url, want)                                                 \
	do {                                                                   \
		char *got_ = gg_http_url_display(url);                         \
		TAP_CHECK_STR(got_, want);                                     \
		free(got_);                                                    \
	} while (0)

static void test_http__url_display_keeps_scheme_host_port_path(void)
{
	CHECK_SHOWN("https://audit.example.com/hooks/gitops",
		    "https://audit.example.com/hooks/gitops");
	CHECK_SHOWN("http://127.0.0.1:8080/hook", "http://127.0.0.1:8080/hook");
	CHECK_SHOWN("https://audit.example.com", "https://audit.example.com/");
}

static void test_http__url_display_drops_credentials_query_fragment(void)
{
	CHECK_SHOWN("https://user:s3cret@audit.example.com/h",
		    "https://audit.example.com/h");
	CHECK_SHOWN("https://audit.example.com/h?token=s3cret#frag",
		    "https://audit.example.com/h");
}

static void test_http__url_display_of_nonsense(void)
{
	CHECK_SHOWN("", "(invalid URL)");
	CHECK_SHOWN("http://", "(invalid URL)");
	CHECK_SHOWN("http://exa mple.com/", "(invalid URL)");
}

static void test_http__response_starts_empty_and_is_bounded(void)
{
	struct gg_http_response r;

	gg_http_response_init(&r);
	TAP_CHECK_INT(r.status, 0);
	TAP_CHECK_INT(r.body.len, 0);
	TAP_CHECK_INT(r.body.limit, GG_HTTP_MAX_RESPONSE);
	TAP_CHECK_INT(r.truncated, 0);
	gg_http_response_release(&r);
	TAP_CHECK_INT(r.body.len, 0);
}

int main(void)
{
	if (gg_http_global_init() < 0) {
		printf("Bail out! %s\n", gg_error_last());
		return 1;
	}
	TAP_RUN(test_http__url_display_keeps_scheme_host_port_path);
	TAP_RUN(test_http__url_display_drops_credentials_query_fragment);
	TAP_RUN(test_http__url_display_of_nonsense);
	TAP_RUN(test_http__response_starts_empty_and_is_bounded);
	gg_http_global_cleanup();
	return tap_done();
}

/*
 * Unit tests for the mbedTLS CA bundle that lib/repo.c keeps libgit2
 * from parsing at start-up: after gg_repo_global_init() the function
 * is mbedTLS's own again.
 */
#include <dlfcn.h>
#include <stdlib.h>

#include "repo.h"
#include "tap.h"

int mbedtls_x509_crt_parse_file(void *chain, const char *path);

static void test_repo_tls__ca_files_parse_after_start_up(void)
{
	void (*init)(void *) = NULL, (*release)(void *) = NULL;
	void *chain = calloc(1, 4096); /* larger than mbedtls_x509_crt */
	FILE *f = fopen("/etc/ssl/certs/ca-certificates.crt", "r");

	*(void **)&init = dlsym(RTLD_DEFAULT, "mbedtls_x509_crt_init");
	*(void **)&release = dlsym(RTLD_DEFAULT, "mbedtls_x509_crt_free");
	if (!init || !release || !f) {
		printf("# skipped: no mbedTLS in the process, or no CA file\n");
	} else {
		init(chain);
		TAP_CHECK_INT(
			mbedtls_x509_crt_parse_file(
				chain, "/etc/ssl/certs/ca-certificates.crt"),
			0);
		release(chain);
	}
	if (f)
		fclose(f);
	free(chain);
}

int main(void)
{
	if (gg_repo_global_init() < 0)
		return 1;
	TAP_RUN(test_repo_tls__ca_files_parse_after_start_up);
	gg_repo_global_shutdown();
	return tap_done();
}

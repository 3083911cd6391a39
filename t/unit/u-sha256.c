/*
 * Unit tests for sha256.c: the test vectors of FIPS 180-4's examples
 * (NIST "SHA256.pdf", the one- and two-block messages), the empty
 * message, a million 'a's, and every split of a message into updates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "tap.h"

static const char *hex_of(const void *data, size_t len)
{
	static char hex[2 * GG_SHA256_LEN + 1];
	unsigned char d[GG_SHA256_LEN];

	gg_sha256(d, data, len);
	gg_sha256_hex(hex, d);
	return hex;
}

static void test_sha256__empty_message(void)
{
	TAP_CHECK_STR(hex_of("", 0), "e3b0c44298fc1c149afbf4c8996fb924"
				     "27ae41e4649b934ca495991b7852b855");
}

static void test_sha256__one_block_abc(void)
{
	TAP_CHECK_STR(hex_of("abc", 3), "ba7816bf8f01cfea414140de5dae2223"
					"b00361a396177a9cb410ff61f20015ad");
}

static void test_sha256__two_blocks(void)
{
	static const char m[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	TAP_CHECK_STR(hex_of(m, strlen(m)), "248d6a61d20638b8e5c026930c3e6039"
					    "a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256__padding_edges(void)
{
	/* 55 bytes fit the length in one block; 56 and 64 need two */
	static const char a64[] =
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaa";

	TAP_CHECK_STR(hex_of(a64, 55), "9f4390f8d30c2dd92ec9f095b65e2b9a"
				       "e9b0a925a5258e241c9f1e910f734318");
	TAP_CHECK_STR(hex_of(a64, 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f"
				       "590ce20f1bde7090ef7970686ec6738a");
	TAP_CHECK_STR(hex_of(a64, 64), "ffe054fe7ae0cb6dc65c3af9b61d5209"
				       "f439851db43d0ba5997337df154668eb");
}

static void test_sha256__a_million_a(void)
{
	struct gg_sha256 c;
	unsigned char d[GG_SHA256_LEN], chunk[1000];
	char hex[2 * GG_SHA256_LEN + 1];
	int i;

	memset(chunk, 'a', sizeof(chunk));
	gg_sha256_init(&c);
	for (i = 0; i < 1000; i++)
		gg_sha256_update(&c, chunk, sizeof(chunk));
	gg_sha256_final(d, &c);
	gg_sha256_hex(hex, d);
	TAP_CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
			   "f1809a48a497200e046d39ccc7112cd0");
}

static void test_sha256__any_split_gives_the_same_digest(void)
{
	static const char m[] =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	unsigned char one[GG_SHA256_LEN], d[GG_SHA256_LEN];
	size_t len = strlen(m), i, j;
	int same = 1;

	gg_sha256(one, m, len);
	for (i = 0; i <= len; i++) {
		for (j = i; j <= len; j += 7) {
			struct gg_sha256 c;

			gg_sha256_init(&c);
			gg_sha256_update(&c, m, i);
			gg_sha256_update(&c, m + i, j - i);
			gg_sha256_update(&c, m + j, len - j);
			gg_sha256_final(d, &c);
			same &= !memcmp(d, one, sizeof(d));
		}
	}
	TAP_CHECK(same);
	/* the 896-bit example of FIPS 180-4 */
	TAP_CHECK_STR(hex_of(m, len), "cf5b16a778af8380036ce59e7b049237"
				      "0b249b11e8f07a51afac45037afee9d1");
}

static void test_sha256__digest_set(void)
{
	struct gg_digest_set set = GG_DIGEST_SET_INIT;
	char v[16];
	int i, fresh = 0, again = 0;

	TAP_CHECK_INT(gg_digest_set_has(&set, "x", 1), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(v, sizeof(v), "value-%d", i);
		fresh += gg_digest_set_add(&set, v, strlen(v));
	}
	for (i = 0; i < 1000; i++) {
		snprintf(v, sizeof(v), "value-%d", i);
		again += gg_digest_set_add(&set, v, strlen(v));
		TAP_CHECK_INT(gg_digest_set_has(&set, v, strlen(v)), 1);
	}
	TAP_CHECK_INT(fresh, 1000);
	TAP_CHECK_INT(again, 0);
	TAP_CHECK_INT(set.nr, 1000);
	TAP_CHECK_INT(gg_digest_set_has(&set, "value-1000", 10), 0);
	TAP_CHECK_INT(gg_digest_set_add(&set, "", 0), 1);
	TAP_CHECK_INT(gg_digest_set_has(&set, "", 0), 1);
	gg_digest_set_release(&set);
}

int main(void)
{
	TAP_RUN(test_sha256__empty_message);
	TAP_RUN(test_sha256__one_block_abc);
	TAP_RUN(test_sha256__two_blocks);
	TAP_RUN(test_sha256__padding_edges);
	TAP_RUN(test_sha256__a_million_a);
	TAP_RUN(test_sha256__any_split_gives_the_same_digest);
	TAP_RUN(test_sha256__digest_set);
	return tap_done();
}

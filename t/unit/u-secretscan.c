/*
 * Unit tests for secretscan.c: which values the credential patterns
 * find (and under which name and key), which the default placeholders
 * let pass, env files, base64 and fingerprints.  The tokens below are
 * made up; they only have the shape of real ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "secretscan.h"
#include "strvec.h"
#include "tap.h"
#include "yamlload.h"

struct seen {
	char what[64][64];
	char key[64][64];
	char value[64][128];
	unsigned line[64];
	int nr;
	const char *text;
};

static int record(const struct gg_secret_hit *hit, void *payload)
{
	struct seen *s = payload;
	size_t n = hit->end - hit->start;

	if (s->nr == 64)
		return 1;
	snprintf(s->what[s->nr], sizeof(s->what[0]), "%s", hit->what);
	snprintf(s->key[s->nr], sizeof(s->key[0]), "%s", hit->key);
	snprintf(s->value[s->nr], sizeof(s->value[0]), "%.*s",
		 (int)(n < 127 ? n : 127), s->text + hit->start);
	s->line[s->nr] = hit->line;
	s->nr++;
	return 0;
}

/* The default placeholders, read from the same YAML as the rule's
 * parameter default. */
static void default_placeholders(struct gg_strvec *out)
{
	static const char def[] = GG_SECRET_PLACEHOLDERS_DEFAULT;
	struct gg_yfile *f;
	size_t i;

	gg_strvec_init(out);
	if (gg_yaml_parse(&f, NULL, def, strlen(def), NULL) < 0) {
		TAP_CHECK(!"the default placeholders parse");
		return;
	}
	for (i = 0; i < gg_ynode_count(f->docs[0].root); i++)
		gg_strvec_push(out,
			       gg_ynode_str(gg_ynode_item(f->docs[0].root, i)));
	gg_yaml_free(f);
}

static struct gg_secretscan *scanner(const char *extra)
{
	struct gg_strvec holders, ex = GG_STRVEC_INIT;
	struct gg_secretscan *ss = NULL;

	default_placeholders(&holders);
	if (extra)
		gg_strvec_push(&ex, extra);
	TAP_CHECK_INT(gg_secretscan_new(&ss, &ex, &holders), 0);
	gg_strvec_release(&holders);
	gg_strvec_release(&ex);
	return ss;
}

static void scan(struct seen *s, const char *text, const char *extra)
{
	struct gg_secretscan *ss = scanner(extra);
	int limited = 0;

	memset(s, 0, sizeof(*s));
	s->text = text;
	if (ss)
		gg_secretscan_text(ss, text, strlen(text), &limited, record, s);
	TAP_CHECK_INT(limited, 0);
	gg_secretscan_free(ss);
}

static void test_secretscan__finds_token_formats(void)
{
	struct seen s;

	scan(&s,
	     "env:\n"
	     "  AWS_ID: AKIAABCDEFGHIJKLMNOP\n"
	     "  GH: ghp_0123456789abcdefghijklmnopqrstuvwxyz\n"
	     "  GL: glpat-abcdefghij0123456789\n"
	     "  SLACK: xoxb-1234567890-abcdefghij\n"
	     "  MAPS: AIzaSyA0123456789abcdefghijklmnopqrstuv\n"
	     "  CONN: DefaultEndpointsProtocol=https;AccountName=x;"
	     "AccountKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH==\n",
	     NULL);
	TAP_CHECK_INT(s.nr, 6);
	TAP_CHECK_STR(s.what[0], "AWS access key id");
	TAP_CHECK_STR(s.key[0], "AWS_ID");
	TAP_CHECK_INT(s.line[0], 2);
	TAP_CHECK_STR(s.what[1], "GitHub token");
	TAP_CHECK_STR(s.what[2], "GitLab token");
	TAP_CHECK_STR(s.what[3], "Slack token");
	TAP_CHECK_STR(s.what[4], "GCP API key");
	TAP_CHECK_STR(s.what[5], "Azure storage account key");
	TAP_CHECK_STR(s.key[5], "CONN");
	TAP_CHECK_INT(s.line[5], 7);
}

static void test_secretscan__a_token_in_a_field_is_reported_once(void)
{
	struct seen s;

	scan(&s, "token: ghp_0123456789abcdefghijklmnopqrstuvwxyz\n", NULL);
	TAP_CHECK_INT(s.nr, 1);
	TAP_CHECK_STR(s.what[0], "GitHub token");
	TAP_CHECK_STR(s.key[0], "token");
}

struct tally {
	size_t hits[3], overflow, overflow_start;
	const char *text;
};

static int count_hit(const struct gg_secret_hit *hit, void *payload)
{
	struct tally *t = payload;

	if (hit->overflow) {
		t->overflow++;
		t->overflow_start = hit->start;
	} else if (!strcmp(hit->what, "private key")) {
		t->hits[0]++;
	} else if (!strcmp(hit->what, "AWS access key id")) {
		t->hits[1]++;
	} else if (!strcmp(hit->what, "GitHub token")) {
		t->hits[2]++;
	}
	return 0;
}

static void test_secretscan__each_pattern_has_its_own_budget(void)
{
	struct gg_secretscan *ss = scanner(NULL);
	struct gg_buf b = GG_BUF_INIT;
	struct tally t;
	size_t after_budget = 0;
	int i;

	gg_buf_init(&b, 0);
	for (i = 0; i < 300; i++)
		gg_buf_addf(&b, "password%d: changeme\n", i);
	for (i = 0; i < GG_SECRET_MAX_HITS + 10; i++) {
		if (i == GG_SECRET_MAX_HITS)
			after_budget = b.len;
		gg_buf_adds(&b, "# -----BEGIN PRIVATE KEY-----\n");
	}
	gg_buf_adds(&b, "aws: AKIAABCDEFGHIJKLMNOP\n"
			"gh: ghp_0123456789abcdefghijklmnopqrstuvwxyz\n");
	memset(&t, 0, sizeof(t));
	if (ss)
		gg_secretscan_text(ss, b.buf, b.len, NULL, count_hit, &t);
	/* placeholders do not count; the flood of one pattern does not
	 * hide the others, and what it does not fit is one hit */
	TAP_CHECK_INT(t.hits[0], GG_SECRET_MAX_HITS);
	TAP_CHECK_INT(t.overflow, 1);
	TAP_CHECK_INT(t.overflow_start, after_budget + 2);
	TAP_CHECK_INT(t.hits[1], 1);
	TAP_CHECK_INT(t.hits[2], 1);
	gg_buf_release(&b);
	gg_secretscan_free(ss);
}

static void test_secretscan__private_key_block_in_a_block_scalar(void)
{
	struct seen s;

	scan(&s,
	     "stringData:\n"
	     "  tls.key: |\n"
	     "    -----BEGIN RSA PRIVATE KEY-----\n"
	     "    MIIEowIBAAKCAQEA1234\n"
	     "    -----END RSA PRIVATE KEY-----\n"
	     "  other: x\n",
	     NULL);
	TAP_CHECK_INT(s.nr, 1);
	TAP_CHECK_STR(s.what[0], "private key");
	TAP_CHECK_STR(s.key[0], "tls.key");
	TAP_CHECK_INT(s.line[0], 3);
	/* the whole block is the value, so that its fingerprint is the key's */
	TAP_CHECK(strstr(s.value[0], "-----END RSA PRIVATE KEY-----"));
}

static void test_secretscan__gcp_service_account_json(void)
{
	struct seen s;

	scan(&s,
	     "{\"type\": \"service_account\", \"private_key_id\": \"1\", "
	     "\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n"
	     "-----END PRIVATE KEY-----\\n\", \"client_email\": \"x\"}\n",
	     NULL);
	/* private_key_id is not a password-like name; the key is found
	 * once, as a private key rather than as a field */
	TAP_CHECK_INT(s.nr, 1);
	TAP_CHECK_STR(s.what[0], "private key");
	TAP_CHECK_STR(s.key[0], "private_key");
}

static void test_secretscan__password_fields_in_yaml_json_and_args(void)
{
	struct seen s;

	scan(&s,
	     "adminPassword: hunter2 # the admin\n"
	     "{\"db\": {\"user\": \"app\", \"client_secret\": \"s3cr3t\"}}\n"
	     "args: [x]\n"
	     "- --api-key=abc123\n"
	     "DB_PASSWORD='p4ss'\n"
	     "password: |\n"
	     "  multi\n"
	     "  line\n"
	     "next: 1\n",
	     NULL);
	TAP_CHECK_INT(s.nr, 5);
	TAP_CHECK_STR(s.key[0], "adminPassword");
	TAP_CHECK_STR(s.value[0], "hunter2");
	TAP_CHECK_STR(s.what[0], "password-like field");
	TAP_CHECK_STR(s.key[1], "client_secret");
	TAP_CHECK_STR(s.value[1], "s3cr3t");
	TAP_CHECK_STR(s.key[2], "--api-key");
	TAP_CHECK_STR(s.value[2], "abc123");
	TAP_CHECK_STR(s.key[3], "DB_PASSWORD");
	TAP_CHECK_STR(s.value[3], "p4ss");
	TAP_CHECK_STR(s.key[4], "password");
	TAP_CHECK_STR(s.value[4], "multi\n  line");
	TAP_CHECK_INT(s.line[4], 7);
}

static void test_secretscan__env_entries_of_containers(void)
{
	struct seen s;

	scan(&s,
	     "env:\n"
	     "- name: LOG_LEVEL\n"
	     "  value: debug\n"
	     "- name: DB_PASSWORD\n"
	     "  value: \"hunter2\"\n"
	     "- name: API_TOKEN\n"
	     "  valueFrom: {secretKeyRef: {name: api, key: token}}\n"
	     "- {name: SMTP_PASSWORD, value: s3cret}\n"
	     "- name: EMPTY_TOKEN\n"
	     "  value: \"\"\n",
	     NULL);
	TAP_CHECK_INT(s.nr, 2);
	TAP_CHECK_STR(s.what[0], "password-like env var");
	TAP_CHECK_STR(s.key[0], "DB_PASSWORD");
	TAP_CHECK_STR(s.value[0], "hunter2");
	TAP_CHECK_INT(s.line[0], 5);
	TAP_CHECK_STR(s.key[1], "SMTP_PASSWORD");
	TAP_CHECK_STR(s.value[1], "s3cret");
	TAP_CHECK_INT(s.line[1], 8);
}

static void test_secretscan__not_secrets(void)
{
	struct seen s;

	scan(&s,
	     "automountServiceAccountToken: false\n"
	     "existingSecret: db-auth\n"
	     "passwordSecretRef:\n"
	     "  name: x\n"
	     "privateKey:\n"
	     "  algorithm: RSA\n"
	     "token: {secretKeyRef: {name: x, key: token}}\n"
	     "sa: {automountServiceAccountToken: false, name: x}\n"
	     "list: [token: null]\n"
	     "url: https://git.example.com/org/deploy.git\n"
	     "image: registry.example.com:5000/app@sha256:abc\n",
	     NULL);
	TAP_CHECK_INT(s.nr, 0);
}

static void test_secretscan__default_placeholders_pass(void)
{
	struct seen s;

	scan(&s,
	     "password: changeme\n"
	     "password: CHANGE_ME\n"
	     "password: UPDATE_ME\n"
	     "password: \"<your password>\"\n"
	     "password: ${DB_PASSWORD}\n"
	     "password: $(DB_PASSWORD)\n"
	     "token: \"{{ .Values.token }}\"\n"
	     "apiKey: ''\n"
	     "apiKey: xxxxxx\n"
	     "apiKey: '***'\n"
	     "apiKey: ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:str]\n"
	     "url: https://user:${TOKEN}@git.example.com/x.git\n",
	     NULL);
	TAP_CHECK_INT(s.nr, 0);
}

static void test_secretscan__placeholder_function(void)
{
	struct gg_secretscan *ss = scanner(NULL);

	TAP_CHECK_INT(gg_secretscan_placeholder(ss, "", 0), 1);
	TAP_CHECK_INT(gg_secretscan_placeholder(ss, "  ", 2), 1);
	TAP_CHECK_INT(gg_secretscan_placeholder(ss, "\"changeme\"", 10), 1);
	TAP_CHECK_INT(gg_secretscan_placeholder(ss, "Replace-Me", 10), 1);
	TAP_CHECK_INT(gg_secretscan_placeholder(ss, "<none>", 6), 1);
	TAP_CHECK_INT(gg_secretscan_placeholder(ss, "changeme2", 9), 0);
	TAP_CHECK_INT(gg_secretscan_placeholder(ss, "hunter2", 7), 0);
	TAP_CHECK_INT(gg_secretscan_placeholder(ss, "a<b>", 4), 0);
	TAP_CHECK_INT(gg_secretscan_sops_value("ENC[AES256_GCM,x]", 17), 1);
	TAP_CHECK_INT(gg_secretscan_sops_value("ENC[x", 5), 0);
	gg_secretscan_free(ss);
}

static void test_secretscan__password_in_a_url(void)
{
	struct seen s;

	scan(&s,
	     "spec:\n"
	     "  url: https://deploy:s3cret@git.example.com/org/x.git\n",
	     NULL);
	TAP_CHECK_INT(s.nr, 1);
	TAP_CHECK_STR(s.what[0], "password in a URL");
	TAP_CHECK_STR(s.key[0], "url");
	TAP_CHECK_STR(s.value[0], "s3cret");
}

/* the general patterns are tried only on a text holding one of their
 * words, whatever their case */
static void test_secretscan__word_filter_ignores_case(void)
{
	static const char *const fields[] = {
		"X_PASSWD: s3cr3tValue\n",	"PassPhrase: s3cr3tValue\n",
		"DB_SECRET.KEY: s3cr3tValue\n", "clientSecret: s3cr3tValue\n",
		"ApI.KeY: s3cr3tValue\n",	"api-KEY: s3cr3tValue\n",
		"Private_Key: s3cr3tValue\n",	"ACCESS_TOKEN: s3cr3tValue\n",
	};
	struct seen s;
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		scan(&s, fields[i], NULL);
		TAP_CHECK_INT(s.nr, 1);
		TAP_CHECK_STR(s.what[0], "password-like field");
		TAP_CHECK_STR(s.value[0], "s3cr3tValue");
	}
	scan(&s,
	     "env:\n- name: DB_PASSWORD\n  value: s3cr3tValue\n"
	     "- NAME: API_Key\n  VALUE: s3cr3tValue2\n",
	     NULL);
	TAP_CHECK_INT(s.nr, 2);
	TAP_CHECK_STR(s.what[1], "password-like env var");
	scan(&s, "u: HTTPS://deploy:s3cret@git.example.com/x\n", NULL);
	TAP_CHECK_INT(s.nr, 1);
	TAP_CHECK_STR(s.what[0], "password in a URL");
	scan(&s, "kind: ConfigMap\ndata: {a: b, url: git.example.com}\n", NULL);
	TAP_CHECK_INT(s.nr, 0);
}

static void test_secretscan__extra_patterns(void)
{
	struct seen s;

	scan(&s, "note: internal-ACME-0123456789\n", "ACME-[0-9]{10}");
	TAP_CHECK_INT(s.nr, 1);
	TAP_CHECK_STR(s.what[0], "extra pattern #1");
	TAP_CHECK_STR(s.value[0], "ACME-0123456789");
	TAP_CHECK_STR(s.key[0], "note");
}

static void test_secretscan__bad_extra_pattern_is_invalid(void)
{
	struct gg_strvec ex = GG_STRVEC_INIT;
	struct gg_secretscan *ss;

	gg_strvec_push(&ex, "(");
	TAP_CHECK_INT(gg_secretscan_new(&ss, &ex, NULL), -3);
	TAP_CHECK(!ss);
	gg_strvec_release(&ex);
}

static int env_line(const char *k, size_t kl, const char *v, size_t vl,
		    unsigned line, void *payload)
{
	struct seen *s = payload;

	snprintf(s->key[s->nr], sizeof(s->key[0]), "%.*s", (int)kl, k);
	snprintf(s->value[s->nr], sizeof(s->value[0]), "%.*s", (int)vl, v);
	s->line[s->nr++] = line;
	return 0;
}

static void test_secretscan__env_files(void)
{
	static const char env[] = "# comment\n"
				  "\n"
				  "USER=app\n"
				  " PASSWORD = \"p w\" \n"
				  "FROM_ENV\n"
				  "EMPTY=\n";
	struct seen s;

	memset(&s, 0, sizeof(s));
	TAP_CHECK_INT(gg_secretscan_env(env, strlen(env), env_line, &s), 0);
	TAP_CHECK_INT(s.nr, 3);
	TAP_CHECK_STR(s.key[0], "USER");
	TAP_CHECK_STR(s.value[0], "app");
	TAP_CHECK_INT(s.line[0], 3);
	TAP_CHECK_STR(s.key[1], "PASSWORD");
	TAP_CHECK_STR(s.value[1], "p w");
	TAP_CHECK_STR(s.key[2], "EMPTY");
	TAP_CHECK_STR(s.value[2], "");
}

static void test_secretscan__utf16(void)
{
	/* "k: \xc3\xa9" and a surrogate pair, in each form */
	static const char le_bom[] = "\xff\xfe"
				     "k\0:\0 \0\xe9\0\x3d\xd8\x00\xde\n\0";
	static const char be_bom[] = "\xfe\xff"
				     "\0k\0:\0 \0\xe9\xd8\x3d\xde\x00\0\n";
	static const char le[] = "k\0:\0 \0v\0\n\0";
	static const char lone[] = "\xff\xfe\x00\xd8k\0";
	static const char bin[] = "k\0:\0\0\0v";
	struct gg_buf b = GG_BUF_INIT;

	gg_buf_init(&b, 0);
	TAP_CHECK_INT(gg_secretscan_utf16(&b, le_bom, sizeof(le_bom) - 1), 1);
	TAP_CHECK_STR(b.buf, "k: \xc3\xa9\xf0\x9f\x98\x80\n");
	gg_buf_reset(&b);
	TAP_CHECK_INT(gg_secretscan_utf16(&b, be_bom, sizeof(be_bom) - 1), 1);
	TAP_CHECK_STR(b.buf, "k: \xc3\xa9\xf0\x9f\x98\x80\n");
	gg_buf_reset(&b);
	TAP_CHECK_INT(gg_secretscan_utf16(&b, le, sizeof(le) - 1), 1);
	TAP_CHECK_STR(b.buf, "k: v\n");
	gg_buf_reset(&b);
	TAP_CHECK_INT(gg_secretscan_utf16(&b, lone, sizeof(lone) - 1), 1);
	TAP_CHECK_STR(b.buf, "\xef\xbf\xbdk");
	gg_buf_reset(&b);
	/* NULs at both odd and even offsets: not UTF-16 */
	TAP_CHECK_INT(gg_secretscan_utf16(&b, bin, sizeof(bin) - 1), 0);
	gg_buf_reset(&b);
	/* without a mark: mostly ASCII with one CJK character (a NUL at an
	 * even offset), or mostly Cyrillic (few NULs at all) */
	{
		char t[80];
		size_t i, n = 0;

		for (i = 0; i < 16; i++) {
			t[n++] = 'a';
			t[n++] = '\0';
		}
		t[n++] = '\0'; /* U+4E00 */
		t[n++] = '\x4e';
		TAP_CHECK_INT(gg_secretscan_utf16(&b, t, n), 1);
		TAP_CHECK_STR(b.buf + 16, "\xe4\xb8\x80");
		gg_buf_reset(&b);
		for (n = 0, i = 0; i < 28; i++) {
			t[n++] = '\x30'; /* U+0430 */
			t[n++] = '\x04';
		}
		for (i = 0; i < 8; i++) {
			t[n++] = 'k';
			t[n++] = '\0';
		}
		TAP_CHECK_INT(gg_secretscan_utf16(&b, t, n), 1);
		TAP_CHECK_INT(b.len, 64);
		gg_buf_reset(&b);
	}
	TAP_CHECK_INT(gg_secretscan_utf16(&b, "abc", 3), 0);
	TAP_CHECK_INT(b.len, 0);
	gg_buf_release(&b);
}

static void test_secretscan__base64(void)
{
	struct gg_buf b = GG_BUF_INIT;

	TAP_CHECK_INT(gg_base64_decode(&b, "aHVudGVyMg==", 12), 0);
	TAP_CHECK_STR(b.buf, "hunter2");
	gg_buf_reset(&b);
	TAP_CHECK_INT(gg_base64_decode(&b, "aHVu\n dGVy Mg", 13), 0);
	TAP_CHECK_STR(b.buf, "hunter2");
	gg_buf_reset(&b);
	TAP_CHECK_INT(gg_base64_decode(&b, "", 0), 0);
	TAP_CHECK_INT(b.len, 0);
	TAP_CHECK_INT(gg_base64_decode(&b, "not base64!", 11), -3);
	TAP_CHECK_INT(gg_base64_decode(&b, "aGk=aGk=", 8), -3);
	TAP_CHECK_INT(gg_base64_decode(&b, "a", 1), -3);
	TAP_CHECK_INT(b.len, 0);
	gg_buf_release(&b);
}

static void test_secretscan__fingerprint(void)
{
	char fp[GG_FINGERPRINT_SIZE];

	gg_secret_fingerprint(fp, "abc", 3);
	TAP_CHECK_STR(fp, "sha256:ba7816bf8f01");
	gg_secret_fingerprint(fp, "", 0);
	TAP_CHECK_STR(fp, "sha256:e3b0c44298fc");
}

static int text_entry(const struct gg_text_entry *e, void *payload)
{
	struct seen *s = payload;
	size_t n = e->end - e->start;

	if (s->nr == 64)
		return 1;
	snprintf(s->what[s->nr], sizeof(s->what[0]), "%s%s", e->field,
		 e->unreadable ? " (unreadable)" : "");
	snprintf(s->key[s->nr], sizeof(s->key[0]), "%s", e->key);
	snprintf(s->value[s->nr], sizeof(s->value[0]), "%.*s",
		 (int)(n < 127 ? n : 127), s->text + e->start);
	s->line[s->nr] = e->line;
	s->nr++;
	return 0;
}

static void test_secretscan__text_documents(void)
{
	static const char text[] =
		"# leading comment\n"				   /* 1 */
		"apiVersion: v1\n"				   /* 2 */
		"kind: ConfigMap\n"				   /* 3 */
		"metadata: {name: cm}\n"			   /* 4 */
		"---\n"						   /* 5 */
		"apiVersion: v1\n"				   /* 6 */
		"kind: \"Secret\"\n"				   /* 7 */
		"metadata:\n"					   /* 8 */
		"  labels:\n"					   /* 9 */
		"    name: not-this\n"				   /* 10 */
		"  name: db   # the name\n"			   /* 11 */
		"--- # another\n"				   /* 12 */
		"apiVersion: bitnami.com/v1alpha1\n"		   /* 13 */
		"kind: Secret\n"				   /* 14 */
		"...\n"						   /* 15 */
		"---\n"						   /* 16 */
		"{\"apiVersion\": \"v1\", \"kind\": \"Secret\",\n" /* 17 */
		" \"metadata\": {\"name\": \"js\"}}\n"		   /* 18 */
		"---\n"						   /* 19 */
		"sops:\n"					   /* 20 */
		"  version: 3.8.1\n"				   /* 21 */
		"---\n"						   /* 22 */
		"sops:\n"					   /* 23 */
		"  mac: ENC[AES256_GCM,data:x=,type:str]\n"	   /* 24 */
		"  lastmodified: \"2026-01-01T00:00:00Z\"\n";	   /* 25 */
	struct gg_text_doc d;
	size_t len = strlen(text);

	gg_text_doc_init(&d);
	TAP_CHECK_INT(gg_text_doc_next(&d, text, len), 1);
	TAP_CHECK_INT(d.line, 1);
	TAP_CHECK_INT(d.lines, 4);
	TAP_CHECK_INT(d.secret, 0);
	TAP_CHECK_INT(gg_text_doc_next(&d, text, len), 1);
	TAP_CHECK_INT(d.line, 6);
	TAP_CHECK_INT(d.lines, 6);
	TAP_CHECK_INT(d.secret, 1);
	TAP_CHECK_STR(d.name, "db");
	/* a Secret of another API group is not a Secret */
	TAP_CHECK_INT(gg_text_doc_next(&d, text, len), 1);
	TAP_CHECK_INT(d.line, 13);
	TAP_CHECK_INT(d.secret, 0);
	TAP_CHECK_INT(gg_text_doc_next(&d, text, len), 1);
	TAP_CHECK_INT(d.line, 17);
	TAP_CHECK_INT(d.json, 1);
	TAP_CHECK_INT(d.secret, 1);
	TAP_CHECK_STR(d.name, "js");
	/* two more documents (a sops key means nothing to the reader) */
	TAP_CHECK_INT(gg_text_doc_next(&d, text, len), 1);
	TAP_CHECK_INT(d.secret, 0);
	TAP_CHECK_INT(gg_text_doc_next(&d, text, len), 1);
	TAP_CHECK_INT(d.line, 23);
	TAP_CHECK_INT(d.secret, 0);
	TAP_CHECK_INT(gg_text_doc_next(&d, text, len), 0);
}

static void test_secretscan__text_list_items(void)
{
	static const char text[] =
		"apiVersion: v1\n"	    /* 1 */
		"kind: List\n"		    /* 2 */
		"items:\n"		    /* 3 */
		"  - apiVersion: v1\n"	    /* 4 */
		"    kind: Secret\n"	    /* 5 */
		"    metadata: {name: a}\n" /* 6 */
		"    stringData: {k: v}\n"  /* 7 */
		"  - {apiVersion: v1, kind: Secret, metadata: {name: b}}\n" /* 8 */
		"  - kind: ConfigMap\n" /* 9 */
		"    data:\n"		/* 10 */
		"      kind: Secret\n"; /* 11 */
	struct gg_text_doc d, item;
	struct seen s;
	size_t len = strlen(text);

	memset(&s, 0, sizeof(s));
	s.text = text;
	gg_text_doc_init(&d);
	TAP_CHECK_INT(gg_text_doc_next(&d, text, len), 1);
	TAP_CHECK_INT(d.secret, 0);
	TAP_CHECK_INT(d.list, 1);
	gg_text_doc_init(&item);
	TAP_CHECK_INT(gg_text_doc_item(&item, &d, text), 1);
	TAP_CHECK_INT(item.line, 4);
	TAP_CHECK_INT(item.lines, 4);
	TAP_CHECK_INT(item.secret, 1);
	TAP_CHECK_STR(item.name, "a");
	gg_text_doc_entries(&item, text, len, text_entry, &s);
	TAP_CHECK_INT(s.nr, 1);
	TAP_CHECK_STR(s.key[0], "k");
	TAP_CHECK_INT(s.line[0], 7);
	TAP_CHECK_INT(gg_text_doc_item(&item, &d, text), 1);
	TAP_CHECK_INT(item.line, 8);
	TAP_CHECK_INT(item.json, 1);
	TAP_CHECK_INT(item.secret, 1);
	TAP_CHECK_STR(item.name, "b");
	/* a kind key nested in the item is not the item's */
	TAP_CHECK_INT(gg_text_doc_item(&item, &d, text), 1);
	TAP_CHECK_INT(item.secret, 0);
	TAP_CHECK_INT(gg_text_doc_item(&item, &d, text), 0);
	TAP_CHECK_INT(gg_text_doc_next(&d, text, len), 0);
}

static void test_secretscan__text_secret_entries(void)
{
	static const char text[] =
		"kind: Secret\n"		      /* 1 */
		"metadata: {name: s}\n"		      /* 2 */
		"stringData:\n"			      /* 3 */
		"  user: app   # a comment\n"	      /* 4 */
		"  'quoted key': \"p w\"\n"	      /* 5 */
		"  cert: |\n"			      /* 6 */
		"    line one\n"		      /* 7 */
		"    line two\n"		      /* 8 */
		"  flag: true\n"		      /* 9 */
		"  none:\n"			      /* 10 */
		"data: {token: aGk=, 'k2': \"v2\",\n" /* 11 */
		"  k3: v3}\n"			      /* 12 */
		"type: Opaque\n";		      /* 13 */
	static const char odd[] = "kind: Secret\n"
				  "data: *anchor\n"
				  "stringData:\n"
				  "  - item\n";
	static const char json[] =
		"{\"kind\": \"Secret\", \"apiVersion\": \"v1\",\n"
		" \"data\": {\"a\": \"YQ==\"},\n"
		" \"stringData\": {\"b\": \"c\", \"n\": null}}\n";
	struct gg_text_doc d;
	struct seen s;

	memset(&s, 0, sizeof(s));
	s.text = text;
	gg_text_doc_init(&d);
	TAP_CHECK_INT(gg_text_doc_next(&d, text, strlen(text)), 1);
	TAP_CHECK_INT(
		gg_text_doc_entries(&d, text, strlen(text), text_entry, &s), 0);
	TAP_CHECK_INT(s.nr, 6);
	TAP_CHECK_STR(s.key[0], "user");
	TAP_CHECK_STR(s.value[0], "app");
	TAP_CHECK_INT(s.line[0], 4);
	TAP_CHECK_STR(s.key[1], "quoted key");
	TAP_CHECK_STR(s.value[1], "p w");
	TAP_CHECK_STR(s.key[2], "cert");
	TAP_CHECK_STR(s.value[2], "line one\n    line two");
	TAP_CHECK_STR(s.what[3], "data");
	TAP_CHECK_STR(s.key[3], "token");
	TAP_CHECK_STR(s.value[3], "aGk=");
	TAP_CHECK_INT(s.line[3], 11);
	TAP_CHECK_STR(s.key[4], "k2");
	TAP_CHECK_STR(s.value[4], "v2");
	TAP_CHECK_STR(s.key[5], "k3");
	TAP_CHECK_INT(s.line[5], 12);

	memset(&s, 0, sizeof(s));
	s.text = odd;
	gg_text_doc_init(&d);
	TAP_CHECK_INT(gg_text_doc_next(&d, odd, strlen(odd)), 1);
	gg_text_doc_entries(&d, odd, strlen(odd), text_entry, &s);
	TAP_CHECK_INT(s.nr, 2);
	TAP_CHECK_STR(s.what[0], "data (unreadable)");
	TAP_CHECK_INT(s.line[0], 2);
	TAP_CHECK_STR(s.what[1], "stringData (unreadable)");
	TAP_CHECK_INT(s.line[1], 3);

	memset(&s, 0, sizeof(s));
	s.text = json;
	gg_text_doc_init(&d);
	TAP_CHECK_INT(gg_text_doc_next(&d, json, strlen(json)), 1);
	gg_text_doc_entries(&d, json, strlen(json), text_entry, &s);
	TAP_CHECK_INT(s.nr, 2);
	TAP_CHECK_STR(s.key[0], "a");
	TAP_CHECK_STR(s.value[0], "YQ==");
	TAP_CHECK_INT(s.line[0], 2);
	TAP_CHECK_STR(s.key[1], "b");
	TAP_CHECK_STR(s.value[1], "c");
}

int main(void)
{
	TAP_RUN(test_secretscan__finds_token_formats);
	TAP_RUN(test_secretscan__a_token_in_a_field_is_reported_once);
	TAP_RUN(test_secretscan__each_pattern_has_its_own_budget);
	TAP_RUN(test_secretscan__private_key_block_in_a_block_scalar);
	TAP_RUN(test_secretscan__gcp_service_account_json);
	TAP_RUN(test_secretscan__password_fields_in_yaml_json_and_args);
	TAP_RUN(test_secretscan__env_entries_of_containers);
	TAP_RUN(test_secretscan__not_secrets);
	TAP_RUN(test_secretscan__default_placeholders_pass);
	TAP_RUN(test_secretscan__placeholder_function);
	TAP_RUN(test_secretscan__password_in_a_url);
	TAP_RUN(test_secretscan__word_filter_ignores_case);
	TAP_RUN(test_secretscan__extra_patterns);
	TAP_RUN(test_secretscan__bad_extra_pattern_is_invalid);
	TAP_RUN(test_secretscan__env_files);
	TAP_RUN(test_secretscan__utf16);
	TAP_RUN(test_secretscan__base64);
	TAP_RUN(test_secretscan__fingerprint);
	TAP_RUN(test_secretscan__text_documents);
	TAP_RUN(test_secretscan__text_list_items);
	TAP_RUN(test_secretscan__text_secret_entries);
	return tap_done();
}

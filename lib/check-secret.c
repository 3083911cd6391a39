/*
 * secret/plaintext: secret material that a push adds to the source of
 * truth in clear: Secrets with readable data, kustomize secretGenerator
 * literals and files, Argo CD repository and cluster credentials, and
 * credential-looking values anywhere in a manifest or values file.
 * Values are judged, never shown: a finding names the key and a
 * fingerprint.  Only values new to the push count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "check.h"
#include "defs.h"
#include "manifest.h"
#include "model.h"
#include "secretscan.h"
#include "sha256.h"
#include "yamlload.h"
#include "xalloc.h"
#include "banned.h"

#define RULE "secret/plaintext"
#define MAX_LISTED 8
#define TEXT_PIECE ((size_t)4 * 1024 * 1024)

static const struct gg_param_spec params[] = {
	{ "placeholders", GG_PARAM_PATTERNS, GG_TIGHTER_FIXED,
	  GG_SECRET_PLACEHOLDERS_DEFAULT,
	  "values that are no secret: a value (trimmed, unquoted) that one of "
	  "these PCRE2 patterns matches is never a finding" },
	{ "patterns", GG_PARAM_PATTERNS, GG_TIGHTER_MORE, "[]",
	  "extra PCRE2 patterns whose every match in a manifest or values file "
	  "is a credential, besides the built-in ones" },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct gg_rule_info rules[] = {
	{ RULE, GG_SEV_BLOCK,
	  "adds a Secret with clear data/stringData, a secretGenerator "
	  "literal, or a credential matching the secret patterns",
	  "A Git repository is read by every clone, CI job, mirror and backup, "
	  "and its history keeps every value it ever held.  This rule reports "
	  "secret values that the push adds in clear: a Secret whose data or "
	  "stringData holds a value that is not a placeholder (data is "
	  "base64-decoded first); an Argo CD declarative repository or cluster "
	  "Secret (label argocd.argoproj.io/secret-type) holding a password, "
	  "private key, token or a cluster config with credentials; a "
	  "kustomize secretGenerator literal, env file line or file with a "
	  "value; and anywhere in a .yaml, .yml or .json file (Helm values and "
	  "templates included) a private key block, an AWS, GCP or Azure key, "
	  "a GitHub, GitLab or Slack token, a password in a URL, a "
	  "password-like field (password, token, apiKey, client_secret, ...) "
	  "or env var with a value, or a match of the extra patterns, also "
	  "in what !!binary values and ConfigMap binaryData decode to.  SOPS "
	  "documents (a top-level sops: mapping with mac and lastmodified, "
	  "or next to ENC[...] values) are decided one by one: their text "
	  "is searched like any other, a clear value in a Secret among them "
	  "is still reported.  ENC[...] values pass, as do SealedSecrets and "
	  "ExternalSecrets, and placeholder values (see the placeholders "
	  "parameter).  UTF-16 files are decoded first, and files with NUL "
	  "bytes are read as text.  A file that does not parse, or is larger "
	  "than limits.max_blob_bytes (read up to 64 MiB for this rule), is "
	  "searched as text: its Secret documents are found by their lines "
	  "and their values judged, a Secret field that cannot be read that "
	  "way is reported, and so is a file too large to search.  So is "
	  "the rest of a text where one pattern matches more than 256 times.  "
	  "A value "
	  "the push does not add (one present before in "
	  "a file the push changes or deletes) is not reported again.  "
	  "Findings name the key and a fingerprint (sha256: and 12 hex digits "
	  "of the value's SHA-256), never the value.  Encrypt the value with "
	  "SOPS, or use a SealedSecret or an ExternalSecret, and rotate it if "
	  "it was real.",
	  params },
	{ NULL, 0, NULL, NULL, NULL }
};

static const char hint_secret[] =
	"encrypt it with SOPS (ENC[...] values pass), or use a SealedSecret "
	"or an ExternalSecret; rotate any real value, Git history keeps it";
static const char hint_generator[] =
	"generate the Secret from a SOPS-encrypted file, or use an "
	"ExternalSecret; rotate any real value, Git history keeps it";

/* --- values seen ---------------------------------------------------------- */

struct sweep {
	struct gg_check_run *run;
	struct gg_secretscan *ss;
	struct gg_digest_set old;  /* values present before the push */
	struct gg_digest_set seen; /* values reported on this ref */
	int collect;		   /* reading the old side: remember only */
	const struct gg_oid *tree; /* where generator files are read */
	struct gg_buf list;	   /* what the pending finding lists */
	size_t nlisted, nmore;
	unsigned line;	  /* of the first listed value */
	int limited;	  /* a pattern hit the PCRE2 match limit */
	const char *path; /* the file being judged */
};

/* 1 if `v` is a value to report: not one the tree before held (while
 * collecting those, it is added to them and 0 returned), and not one
 * already reported in this run. */
static int first_sighting(struct sweep *sw, const char *v, size_t len)
{
	if (sw->collect) {
		gg_digest_set_add(&sw->old, v, len);
		return 0;
	}
	return !gg_digest_set_has(&sw->old, v, len) &&
	       gg_digest_set_add(&sw->seen, v, len);
}

/*
 * Note one value under `label`: on the old side it is remembered; on the
 * new side a value that is neither old nor reported yet joins the list
 * of the pending finding.
 */
static void note(struct sweep *sw, const char *label, const char *v, size_t len,
		 unsigned line)
{
	char fp[GG_FINGERPRINT_SIZE];

	if (!first_sighting(sw, v, len))
		return;
	if (sw->nlisted++ == 0)
		sw->line = line;
	if (sw->nlisted > MAX_LISTED) {
		sw->nmore++;
		return;
	}
	gg_secret_fingerprint(fp, v, len);
	gg_buf_addf(&sw->list, "%s%s (%s)", sw->nlisted > 1 ? ", " : "", label,
		    fp);
}

/* A value: placeholders and SOPS values are never secrets. */
static void consider(struct sweep *sw, const char *label, const char *v,
		     size_t len, unsigned line)
{
	if (gg_secretscan_placeholder(sw->ss, v, len) ||
	    gg_secretscan_sops_value(v, len))
		return;
	note(sw, label, v, len, line);
}

/* Report the pending list, if any: "<what>: <list>; <why>". */
static void flush(struct sweep *sw, const char *path, const char *what,
		  const char *why, const char *hint)
{
	struct gg_report_spec spec = { RULE, path, 0,	      NULL,
				       NULL, hint, GG_SEV_OFF };

	if (sw->nlisted && !sw->collect) {
		spec.line = sw->line;
		if (sw->nmore)
			gg_buf_addf(&sw->list, " and %zu more", sw->nmore);
		gg_check_report(sw->run, &spec, "%s: %s; %s", what,
				sw->list.buf, why);
	}
	gg_buf_reset(&sw->list);
	sw->nlisted = sw->nmore = 0;
	sw->line = 0;
}

/* --- Secrets -------------------------------------------------------------- */

/* The keys of Argo CD declarative Secrets that hold credentials
 * (operator-manual/declarative-setup.md). */
static int argo_credential_key(const char *key)
{
	static const char keys[] =
		"|password|sshPrivateKey|githubAppPrivateKey|tlsClientCertKey|"
		"bearerToken|gcpServiceAccountKey|token|"
		"azureServicePrincipalClientSecret|";
	const char *p = keys;
	size_t n = strlen(key);

	while (n && (p = strstr(p + 1, key)))
		if (p[-1] == '|' && p[n] == '|')
			return 1;
	return 0;
}

struct in_text {
	struct sweep *sw;
	const char *text;
	const char *prefix; /* "stringData.config", or NULL */
	unsigned line0;	    /* the text's first line in its file, minus 1 */
};

/*
 * A pattern matched more often than the scanner judges one by one: the
 * rest of the text is one value, reported unless the file held the same
 * before, at the rule's severity.
 */
static void overflow(struct sweep *sw, const struct gg_secret_hit *hit,
		     const char *v, size_t len, unsigned line)
{
	struct gg_report_spec spec = {
		RULE,
		sw->path,
		line,
		NULL,
		NULL,
		"remove the look-alikes, or split the file so that each part "
		"holds fewer matches",
		GG_SEV_OFF
	};
	char fp[GG_FINGERPRINT_SIZE];

	if (!first_sighting(sw, v, len))
		return;
	gg_secret_fingerprint(fp, v, len);
	gg_check_report(sw->run, &spec,
			"more than %d %s matches: the text from line %u on "
			"(%s) was not judged value by value; it may hold "
			"credentials",
			GG_SECRET_MAX_HITS, hit->what, line, fp);
}

static int on_hit(const struct gg_secret_hit *hit, void *payload)
{
	struct in_text *t = payload;
	unsigned line = t->line0 + hit->line;
	char label[192];

	if (hit->overflow) {
		overflow(t->sw, hit, t->text + hit->start,
			 hit->end - hit->start, line);
		return 0;
	}
	if (t->prefix)
		snprintf(label, sizeof(label), "%s%s%s (%s)", t->prefix,
			 *hit->key ? "." : "", hit->key, hit->what);
	else
		snprintf(label, sizeof(label), "%s%s%s%s at line %u", hit->what,
			 *hit->key ? " '" : "", hit->key, *hit->key ? "'" : "",
			 line);
	consider(t->sw, label, t->text + hit->start, hit->end - hit->start,
		 line);
	return 0;
}

static void scan_text(struct sweep *sw, struct in_text *t, size_t len)
{
	t->sw = sw;
	gg_secretscan_text(sw->ss, t->text, len, &sw->limited, on_hit, t);
}

/* A value of `field` as the Secret holds it: data is base64-decoded
 * into `dec` (unless it is a SOPS value or not base64). */
static void decode(struct gg_buf *dec, const char *field, const char **v,
		   size_t *len)
{
	gg_buf_init(dec, *len + 1);
	if (!strcmp(field, "data") && !gg_secretscan_sops_value(*v, *len) &&
	    gg_base64_decode(dec, *v, *len) == 0) {
		*v = dec->buf;
		*len = dec->len;
	}
}

/* One entry of data (base64) or stringData. */
static void secret_value(struct sweep *sw, const char *field,
			 const struct gg_ypair *p, const char *argo_type)
{
	const char *key = gg_ynode_str(p->key), *v = gg_ynode_str(p->value);
	struct gg_buf dec = GG_BUF_INIT;
	char label[160];
	size_t len;

	if (!key || !v)
		return;
	len = p->value->u.scalar.len;
	decode(&dec, field, &v, &len);
	snprintf(label, sizeof(label), "%s.%s", field, key);
	if (!argo_type || argo_credential_key(key)) {
		consider(sw, label, v, len, p->key->line);
	} else {
		/* the rest of an Argo CD Secret is configuration (a cluster
		 * config, a URL) that may still carry secrets; a block
		 * scalar's text starts on the line after its key */
		struct in_text t = { NULL, v, label, 0 };

		t.line0 = p->value->line == p->key->line && memchr(v, '\n', len)
				  ? p->key->line
				  : p->value->line - 1;
		scan_text(sw, &t, len);
	}
	gg_buf_release(&dec);
}

/*
 * The entries of data or stringData, and of the maps they merge with
 * "<<" (a map, or a list of maps): all count, the ones a later key
 * overrides too, since the file holds them in clear either way.
 * `budget` bounds the maps visited: merged maps may be shared.
 */
static void secret_map(struct sweep *sw, const char *field,
		       const struct gg_ynode *map, const char *argo,
		       unsigned depth, int *budget)
{
	size_t i, j;

	if (!gg_ynode_is_map(map) || depth > 64 || --*budget < 0)
		return;
	for (i = 0; i < map->u.map.nr; i++) {
		const struct gg_ypair *p = &map->u.map.pairs[i];
		const char *key = gg_ynode_str(p->key);

		if (!key || strcmp(key, "<<") || (p->key->flags & GG_YQUOTED)) {
			secret_value(sw, field, p, argo);
			continue;
		}
		if (gg_ynode_is_map(p->value))
			secret_map(sw, field, p->value, argo, depth + 1,
				   budget);
		for (j = 0;
		     j < gg_ynode_count(p->value) && gg_ynode_is_seq(p->value);
		     j++)
			secret_map(sw, field, gg_ynode_item(p->value, j), argo,
				   depth + 1, budget);
	}
}

static void judge_secret(struct sweep *sw, const char *path,
			 const struct gg_object *o)
{
	const struct gg_secret *s = &o->u.secret;
	const char *argo = s->argocd_secret_type;
	const struct gg_ynode *maps[2] = { s->data, s->string_data };
	static const char *const fields[2] = { "data", "stringData" };
	size_t first = maps[0] && maps[1] && maps[1]->line < maps[0]->line;
	char what[256];
	int budget = 256;
	size_t i;

	if (argo && strcmp(argo, "repository") && strcmp(argo, "repo-creds") &&
	    strcmp(argo, "repo-write-creds") && strcmp(argo, "cluster"))
		argo = NULL;
	/* in the order of the file, so the finding's line is the first */
	for (i = 0; i < 2; i++)
		secret_map(sw, fields[i ^ first], maps[i ^ first], argo, 0,
			   &budget);
	snprintf(what, sizeof(what), "%s%s%sSecret '%s' holds clear %s",
		 argo ? "Argo CD " : "", argo ? argo : "", argo ? " " : "",
		 o->name ? o->name : "?", argo ? "credentials" : "values");
	flush(sw, path, what,
	      argo ? (strcmp(argo, "cluster")
			      ? "Argo CD uses them to reach the repository, "
				"and so can anyone who reads this file or its "
				"history"
			      : "Argo CD uses them to reach the cluster, and "
				"so can anyone who reads this file or its "
				"history")
		   : "anyone who can read the repository, a clone or its "
		     "history can read them",
	      hint_secret);
}

/* --- kustomize secretGenerator -------------------------------------------- */

static int read_file(struct gg_buf *out, struct sweep *sw, const char *path)
{
	struct gg_tree_entry e;
	int err;

	gg_buf_init(out, (size_t)sw->run->s->policy.limits.max_blob_bytes);
	if (!sw->tree ||
	    gg_repo_tree_lookup(&e, sw->run->s->repo, sw->tree, path) < 0 ||
	    e.kind != GG_ENTRY_BLOB)
		return GG_ENOTFOUND;
	err = gg_repo_blob_read(out, sw->run->s->repo, &e.oid);
	return err < 0 ? err : 0;
}

/* `p` past blanks and an optional quote, or NULL at `end`. */
static const char *skip_blank_quote(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && (*p == '"' || *p == '\''))
		p++;
	return p < end ? p : NULL;
}

/*
 * 1 if the line at `p` is SOPS's encrypted mac: `mac: ENC[...]` (YAML),
 * `"mac": "ENC[...]"` (JSON), `sops_mac=ENC[...]` (dotenv) or
 * `mac = ENC[...]` (INI), after blanks: a comment is no such line.
 */
static int mac_line(const char *p, const char *end)
{
	if (!(p = skip_blank_quote(p, end)))
		return 0;
	if (end - p > 5 && !memcmp(p, "sops_", 5))
		p += 5;
	if (end - p < 3 || memcmp(p, "mac", 3))
		return 0;
	p += 3;
	if (p < end && (*p == '"' || *p == '\''))
		p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || (*p != ':' && *p != '='))
		return 0;
	p = skip_blank_quote(p + 1, end);
	return p && end - p >= 15 && !memcmp(p, "ENC[AES256_GCM,", 15);
}

/*
 * A whole file that SOPS encrypted, in whatever format (YAML, JSON,
 * dotenv, INI): a line that is its encrypted mac, and its lastmodified.
 * Words in a comment do not wave a file through.
 */
static int is_sops_text(const char *s, size_t len)
{
	const char *p = s, *end = s + len, *nl;

	if (!memmem(s, len, "lastmodified", 12))
		return 0;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (mac_line(p, nl ? nl : end))
			return 1;
		if (!nl)
			break;
	}
	return 0;
}

struct env_ctx {
	struct sweep *sw;
	const char *file;
	int sops; /* the file is SOPS-encrypted: sops_* keys are metadata */
};

static int on_env(const char *k, size_t kl, const char *v, size_t vl,
		  unsigned line, void *payload)
{
	struct env_ctx *e = payload;
	char label[256];

	if (e->sops && kl > 5 && !strncmp(k, "sops_", 5))
		return 0; /* SOPS metadata of an encrypted env file */
	snprintf(label, sizeof(label), "env %s: %.*s", e->file,
		 (int)(kl > 64 ? 64 : kl), k);
	consider(e->sw, label, v, vl, line);
	return 0;
}

/* A file named by a generator, resolved against the kustomization's
 * directory; `only` limits the work to one referenced file. */
static void generator_file(struct sweep *sw, const char *dir, const char *ref,
			   int env, const char *only)
{
	const char *eq = env ? NULL : strchr(ref, '=');
	const char *rel = eq ? eq + 1 : ref;
	struct gg_arena a;
	struct gg_buf b = GG_BUF_INIT;
	const char *path;
	char label[256];
	int remote = 0;

	gg_arena_init(&a);
	path = gg_defs_resolve(&a, dir, rel, &remote);
	/* an env file is judged line by line: ENC[...] values pass */
	if (!path || (only && strcmp(path, only)) ||
	    read_file(&b, sw, path) < 0 || (!env && is_sops_text(b.buf, b.len)))
		goto out;
	if (env) {
		struct env_ctx e = { sw, path, is_sops_text(b.buf, b.len) };

		gg_secretscan_env(b.buf, b.len, on_env, &e);
	} else {
		snprintf(label, sizeof(label), "file %.*s",
			 (int)(eq ? eq - ref : (long)strlen(ref)), ref);
		consider(sw, label, b.buf, b.len, 0);
	}
out:
	gg_buf_release(&b);
	gg_arena_release(&a);
}

static void generator_item(struct sweep *sw, const char *dir,
			   const struct gg_ynode *item, const char *only)
{
	const struct gg_ynode *lits = gg_ynode_get(item, "literals");
	const struct gg_ynode *envs = gg_ynode_get(item, "envs");
	const struct gg_ynode *files = gg_ynode_get(item, "files");
	const char *env = gg_ynode_text(gg_ynode_get(item, "env"));
	char label[160];
	size_t i;

	for (i = 0; !only && i < gg_ynode_count(lits); i++) {
		const struct gg_ynode *l = gg_ynode_item(lits, i);
		const char *s = gg_ynode_str(l),
			   *eq = s ? strchr(s, '=') : NULL;

		if (!eq)
			continue;
		snprintf(label, sizeof(label), "literal %.*s",
			 (int)(eq - s > 64 ? 64 : eq - s), s);
		consider(sw, label, eq + 1, strlen(eq + 1), l->line);
	}
	if (env)
		generator_file(sw, dir, env, 1, only);
	for (i = 0; i < gg_ynode_count(envs); i++)
		if (gg_ynode_text(gg_ynode_item(envs, i)))
			generator_file(sw, dir,
				       gg_ynode_text(gg_ynode_item(envs, i)), 1,
				       only);
	for (i = 0; i < gg_ynode_count(files); i++)
		if (gg_ynode_text(gg_ynode_item(files, i)))
			generator_file(sw, dir,
				       gg_ynode_text(gg_ynode_item(files, i)),
				       0, only);
}

/* The secretGenerator entries of a kustomization at `kpath`; with
 * `only`, just what they read from that file. */
static void judge_generators(struct sweep *sw, const char *kpath,
			     const struct gg_object *o, const char *only)
{
	const struct gg_ynode *gens = o->u.kustomize.secret_generator;
	const char *slash = strrchr(kpath, '/');
	char *dir = gg_xstrndup(kpath, slash ? (size_t)(slash - kpath) : 0);
	char what[256];
	size_t i;

	for (i = 0; i < gg_ynode_count(gens); i++) {
		const struct gg_ynode *item = gg_ynode_item(gens, i);
		const char *name = gg_ynode_text(gg_ynode_get(item, "name"));

		generator_item(sw, dir, item, only);
		if (!sw->line && !only)
			sw->line = item->line;
		snprintf(what, sizeof(what),
			 "kustomize secretGenerator '%s'%s%s%s puts clear "
			 "values into a Secret",
			 name ? name : "?", only ? " (" : "", only ? kpath : "",
			 only ? ")" : "");
		flush(sw, only ? only : kpath, what,
		      "anyone who can read the repository, a clone or its "
		      "history can read them",
		      hint_generator);
	}
	free(dir);
}

/* --- files ---------------------------------------------------------------- */

/* Lines [first, last) of a file that judge_text() leaves alone. */
struct skips {
	unsigned *v; /* pairs */
	size_t nr, alloc;
};

static void skip_lines(struct skips *sk, unsigned first, unsigned last)
{
	GG_ALLOC_GROW(sk->v, 2 * sk->nr + 2, sk->alloc);
	sk->v[2 * sk->nr] = first;
	sk->v[2 * sk->nr + 1] = last;
	sk->nr++;
}

/* 1 when the deadline has passed: the run says so and stops. */
static int out_of_time(struct sweep *sw)
{
	if (!gg_context_expired(&sw->run->s->ctx))
		return 0;
	sw->run->result->timed_out = 1;
	return 1;
}

/* The length of the piece of text that is searched next: all of it up to
 * TEXT_PIECE, else up to a line that starts in the first column (a
 * top-level key or a document separator) soon after TEXT_PIECE bytes,
 * else up to a line end. */
static size_t piece(const char *text, size_t len)
{
	const char *nl, *first = NULL;
	size_t p = TEXT_PIECE, stop;

	if (len <= TEXT_PIECE)
		return len;
	stop = len - p > TEXT_PIECE / 4 ? p + TEXT_PIECE / 4 : len;
	while (p < stop) {
		nl = memchr(text + p, '\n', len - p);
		if (!nl)
			break;
		first = first ? first : nl;
		p = (size_t)(nl - text) + 1;
		if (p < len && text[p] != ' ' && text[p] != '\t' &&
		    text[p] != '\n')
			return p;
	}
	return first ? (size_t)(first - text) + 1 : len;
}

static unsigned count_lines(const char *text, size_t len)
{
	const char *end = text + len, *p = memchr(text, '\n', len);
	unsigned n = 0;

	for (; p; p = memchr(p + 1, '\n', (size_t)(end - p - 1)))
		n++;
	return n;
}

static int cmp_skip(const void *a, const void *b)
{
	const unsigned *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The offset where line `want` (1-based) starts, counting on from
 * `off` at line `*line`; `len` if the text ends first. */
static size_t line_offset(const char *text, size_t len, size_t off,
			  unsigned *line, unsigned want)
{
	const char *nl;

	while (*line < want && off < len) {
		nl = memchr(text + off, '\n', len - off);
		if (!nl)
			return len;
		off = (size_t)(nl - text) + 1;
		(*line)++;
	}
	return off;
}

/* Search `n` bytes at `off` (line `line`), piece by piece, the deadline
 * checked between pieces. */
static void search_span(struct sweep *sw, const char *text, size_t off,
			size_t n, unsigned line)
{
	struct in_text t;
	size_t end = off + n, k;

	memset(&t, 0, sizeof(t));
	t.line0 = line - 1;
	while (off < end && !out_of_time(sw)) {
		k = piece(text + off, end - off);
		t.text = text + off;
		scan_text(sw, &t, k);
		t.line0 += count_lines(t.text, k);
		off += k;
	}
}

/* Credential-looking values in the text of a file, outside the line
 * ranges `sk` (documents the Secret logic judges, or that hold no clear
 * value): those are left out before the search, so that what they hold
 * cannot use up a pattern's hits. */
static void judge_text(struct sweep *sw, const char *path, const char *text,
		       size_t len, struct skips *sk)
{
	size_t off = 0, from, i;
	unsigned line = 1, at;

	if (sk->nr)
		qsort(sk->v, sk->nr, 2 * sizeof(*sk->v), cmp_skip);
	for (i = 0; i <= sk->nr && off < len && !out_of_time(sw); i++) {
		at = line;
		from = off;
		if (i < sk->nr && sk->v[2 * i] > line)
			off = line_offset(text, len, off, &line, sk->v[2 * i]);
		else if (i == sk->nr)
			off = len;
		if (off > from)
			search_span(sw, text, from, off - from, at);
		if (i < sk->nr && sk->v[2 * i + 1] > line)
			off = line_offset(text, len, off, &line,
					  sk->v[2 * i + 1]);
	}
	flush(sw, path, "credential-looking values",
	      "anyone who can read the repository, a clone or its history "
	      "can use them",
	      "move the value to a Secret that is encrypted (SOPS), sealed or "
	      "external, and reference it; rotate any real value");
}

/* The line after the document holding `root` ends: where the next
 * document starts, or the end of the file. */
static unsigned doc_end(const struct gg_yfile *yf, const struct gg_ynode *root)
{
	size_t i;

	for (i = 0; i + 1 < yf->ndocs; i++)
		if (yf->docs[i].root == root)
			return yf->docs[i + 1].line;
	return (unsigned)-1;
}

/* The line where the document of `root` starts. */
static unsigned doc_start(const struct gg_yfile *yf,
			  const struct gg_ynode *root)
{
	size_t i;

	for (i = 0; i < yf->ndocs; i++)
		if (yf->docs[i].root == root)
			return yf->docs[i].line;
	return 0;
}

/* Skip the lines of the data and stringData of the Secret document
 * `root`: from each key's line to the next key's, or the document's end. */
static void skip_values(struct skips *sk, const struct gg_yfile *yf,
			const struct gg_ynode *root)
{
	size_t i, n = root->kind == GG_YMAP ? root->u.map.nr : 0;
	unsigned next;

	for (i = 0; i < n; i++) {
		const struct gg_ynode *key = root->u.map.pairs[i].key;
		const char *k = gg_ynode_str(key);

		if (!k || (strcmp(k, "data") && strcmp(k, "stringData")))
			continue;
		next = i + 1 < n ? root->u.map.pairs[i + 1].key->line
				 : doc_end(yf, root);
		/* flow style: the next key may be on the same line */
		skip_lines(sk, key->line,
			   next > key->line ? next : key->line + 1);
	}
	if (!n)
		skip_lines(sk, doc_start(yf, root), doc_end(yf, root));
}

/* The credential patterns over a value the text does not show as it is
 * (decoded base64), labelled `prefix`. */
static void scan_decoded(struct sweep *sw, const char *prefix, const char *v,
			 size_t len, unsigned line)
{
	struct in_text t = { sw, v, prefix, line ? line - 1 : 0 };

	scan_text(sw, &t, len);
}

/* Every !!binary scalar under `n`: the loader decoded it, so the text
 * search never saw what Kubernetes will. */
static void binary_scalars(struct sweep *sw, const struct gg_ynode *n,
			   unsigned depth, int *budget)
{
	size_t i;

	if (!n || depth > 64 || --*budget < 0)
		return;
	if (n->kind == GG_YSCALAR) {
		if (n->tag && !strcmp(n->tag, "tag:yaml.org,2002:binary"))
			scan_decoded(sw, "!!binary value", n->u.scalar.s,
				     n->u.scalar.len, n->line);
	} else if (n->kind == GG_YSEQ) {
		for (i = 0; i < n->u.seq.nr; i++)
			binary_scalars(sw, n->u.seq.items[i], depth + 1,
				       budget);
	} else {
		for (i = 0; i < n->u.map.nr; i++)
			binary_scalars(sw, n->u.map.pairs[i].value, depth + 1,
				       budget);
	}
}

/* The binaryData of a ConfigMap, base64-decoded, searched. */
static void binary_data(struct sweep *sw, const struct gg_ynode *root)
{
	const struct gg_ynode *bd = gg_ynode_get(root, "binaryData");
	const char *kind = gg_ynode_str(gg_ynode_get(root, "kind"));
	struct gg_buf dec = GG_BUF_INIT;
	char label[96];
	size_t i;

	if (!bd || bd->kind != GG_YMAP || !kind || strcmp(kind, "ConfigMap"))
		return;
	for (i = 0; i < bd->u.map.nr; i++) {
		const struct gg_ynode *v = bd->u.map.pairs[i].value;
		const char *key = gg_ynode_str(bd->u.map.pairs[i].key);

		if (!key || v->kind != GG_YSCALAR)
			continue;
		gg_buf_init(&dec, v->u.scalar.len + 1);
		if (gg_base64_decode(&dec, v->u.scalar.s, v->u.scalar.len) ==
		    0) {
			snprintf(label, sizeof(label), "binaryData.%.64s", key);
			scan_decoded(sw, label, dec.buf, dec.len, v->line);
		}
		gg_buf_release(&dec);
	}
}

/* Everything the parsed documents of a file hold in clear. */
static void judge_parsed(struct sweep *sw, const char *path, const char *text,
			 size_t len, const struct gg_yfile *yf,
			 const struct gg_objects *objs)
{
	struct skips sk = { NULL, 0, 0 };
	size_t i, k;

	/* a SOPS document is decided on its own: its Secret values are
	 * still judged (ENC[...] values pass); its text is searched like
	 * any other (ENC[...] values match no pattern, and what SOPS left
	 * unencrypted is in clear), so fake SOPS metadata hides nothing */
	for (i = 0; objs && i < objs->nr; i++) {
		const struct gg_object *o = &objs->v[i];

		if (o->kind == GG_KIND_SECRET)
			judge_secret(sw, path, o);
		else if (o->kind == GG_KIND_KUSTOMIZATION)
			judge_generators(sw, path, o, NULL);
		else
			binary_data(sw, o->root);
	}
	/* values the text search cannot see (it flushes what they add) */
	for (i = 0; yf && i < yf->ndocs; i++) {
		int budget = 100000;

		binary_scalars(sw, yf->docs[i].root, 0, &budget);
	}
	/* the values of a Secret were judged one by one: its data and
	 * stringData are not searched again, the rest of it is (a token in
	 * an annotation); a Secret that is a List item spans from its line
	 * to the next item's, or to the end of the List's document.  The
	 * text of a SealedSecret or ExternalSecret is not searched: it
	 * holds ciphertext and the names of keys, not values. */
	for (k = 0; yf && objs && k < objs->nr; k++) {
		const struct gg_object *o = &objs->v[k], *next;

		if (o->kind != GG_KIND_SECRET &&
		    o->kind != GG_KIND_SEALEDSECRET &&
		    o->kind != GG_KIND_EXTERNALSECRET)
			continue;
		next = k + 1 < objs->nr ? &objs->v[k + 1] : NULL;
		if (!o->list && o->kind == GG_KIND_SECRET)
			skip_values(&sk, yf, o->root);
		else if (!o->list)
			skip_lines(&sk, doc_start(yf, o->root),
				   doc_end(yf, o->root));
		else
			skip_lines(&sk, o->line,
				   next && next->list == o->list
					   ? next->line
					   : doc_end(yf, o->list));
	}
	judge_text(sw, path, text, len, &sk);
	free(sk.v);
}

/* --- files that do not parse ---------------------------------------------- */

struct text_secret {
	struct sweep *sw;
	const char *text;
	unsigned bad_line; /* of a field that could not be read, or 0 */
};

static int on_entry(const struct gg_text_entry *e, void *payload)
{
	struct text_secret *ts = payload;
	const char *v = ts->text + e->start;
	struct gg_buf dec = GG_BUF_INIT;
	size_t len = e->end - e->start;
	char label[160];

	if (e->unreadable) {
		ts->bad_line = ts->bad_line ? ts->bad_line : e->line;
		return 0;
	}
	decode(&dec, e->field, &v, &len);
	snprintf(label, sizeof(label), "%s.%s", e->field, e->key);
	consider(ts->sw, label, v, len, e->line);
	gg_buf_release(&dec);
	return 0;
}

/* A Secret document found in the text: its values, or that they
 * cannot be read (once: a document the push does not change is not
 * reported again). */
static void text_secret(struct sweep *sw, const char *path, const char *text,
			size_t len, const struct gg_text_doc *d)
{
	struct text_secret ts = { sw, text, 0 };
	const char *body = text + d->start;
	size_t blen = d->end - d->start;
	char what[256];

	gg_text_doc_entries(d, text, len, on_entry, &ts);
	snprintf(what, sizeof(what),
		 "Secret '%s' holds clear values (read as text: the file does "
		 "not parse as YAML)",
		 *d->name ? d->name : "?");
	flush(sw, path, what,
	      "anyone who can read the repository, a clone or its history "
	      "can read them",
	      hint_secret);
	if (!ts.bad_line)
		return;
	if (sw->collect) {
		gg_digest_set_add(&sw->old, body, blen);
	} else if (!gg_digest_set_has(&sw->old, body, blen)) {
		struct gg_report_spec spec = { RULE,	  path, ts.bad_line,
					       NULL,	  NULL, hint_secret,
					       GG_SEV_OFF };

		gg_check_report(sw->run, &spec,
				"Secret '%s' (read as text: the file does not "
				"parse as YAML) holds data that gitops-guard "
				"could not read; its values cannot be judged",
				*d->name ? d->name : "?");
	}
}

/*
 * A file that does not parse as a whole: its Secret documents (and
 * List items) found line by line, and the credential patterns over the
 * rest.  A SOPS document is searched too; its Secret values are judged
 * (ENC[...] values pass).
 */
static void judge_as_text(struct sweep *sw, const char *path, const char *text,
			  size_t len)
{
	struct skips sk = { NULL, 0, 0 };
	struct gg_text_doc d;
	struct gg_text_doc *docs = NULL;
	size_t ndocs = 0, alloc = 0, i;

	gg_text_doc_init(&d);
	while (gg_text_doc_next(&d, text, len)) {
		struct gg_text_doc item;

		gg_text_doc_init(&item);
		while (gg_text_doc_item(&item, &d, text)) {
			if (!item.secret)
				continue;
			GG_ALLOC_GROW(docs, ndocs + 1, alloc);
			docs[ndocs++] = item;
		}
		if (!d.secret)
			continue;
		GG_ALLOC_GROW(docs, ndocs + 1, alloc);
		docs[ndocs++] = d;
	}
	for (i = 0; i < ndocs && !out_of_time(sw); i++) {
		if (docs[i].secret)
			text_secret(sw, path, text, len, &docs[i]);
		skip_lines(&sk, docs[i].line, docs[i].line + docs[i].lines);
	}
	if (!out_of_time(sw))
		judge_text(sw, path, text, len, &sk);
	free(sk.v);
	free(docs);
}

/*
 * A blob with a NUL byte in its first 8000 bytes, which the cache calls
 * binary: UTF-16 text is decoded and judged like any other file (parsed,
 * else as text); anything else is read as text as it is (its Secret
 * documents by their lines, the credential patterns over the rest),
 * since Git keeps it in clear all the same.
 */
static void judge_binary(struct sweep *sw, const char *path, const char *data,
			 size_t len)
{
	struct gg_buf u = GG_BUF_INIT;
	struct gg_yfile *yf = NULL;
	struct gg_objects objs;

	gg_buf_init(&u, len / 2 * 3 + 4);
	if (gg_secretscan_utf16(&u, data, len) != 1) {
		judge_as_text(sw, path, data, len);
	} else if (memchr(u.buf, '\0', u.len)) {
		judge_as_text(sw, path, u.buf, u.len); /* U+0000 in it */
	} else if (gg_yaml_parse(&yf, NULL, u.buf, u.len, NULL) == 0 &&
		   gg_model_check_lists(yf) == 0) {
		gg_model_build(&objs, &yf->arena, yf,
			       gg_path_is_kustomization(path));
		judge_parsed(sw, path, u.buf, u.len, yf, &objs);
	} else {
		judge_as_text(sw, path, u.buf, u.len);
	}
	gg_yaml_free(yf);
	gg_buf_release(&u);
}

/*
 * 1 if the objects of a file that parses can matter to judge_parsed()
 * beyond its text: a Secret, SealedSecret or ExternalSecret (their
 * kinds all hold "Secret"), a kustomization with a secretGenerator, a
 * SOPS document (a "sops" key).  Without those words, and with no
 * escape or encoding that could spell them, no key or value of the
 * file holds them, and the credential patterns over the whole text are
 * all there is to do.
 */
static int may_need_objects(const char *text, size_t len)
{
	return memmem(text, len, "Secret", 6) ||
	       memmem(text, len, "secretGenerator", 15) ||
	       memmem(text, len, "sops", 4) || gg_yaml_text_may_hide(text, len);
}

/*
 * A manifest over limits.max_blob_bytes, which the cache does not read:
 * read here up to GG_SECRET_SCAN_MAX_BYTES, parsed whole when the parse
 * limits allow, else read as text.  Nothing is kept.
 */
static int judge_large(struct sweep *sw, const char *path,
		       const struct gg_oid *oid, const struct gg_manifest *m)
{
	struct gg_report_spec spec = {
		RULE,
		path,
		0,
		NULL,
		NULL,
		"split the file; a file this large cannot be checked for clear "
		"secrets",
		GG_SEV_OFF
	};
	struct gg_buf raw = GG_BUF_INIT;
	struct gg_yfile *yf = NULL;
	struct gg_objects objs;
	int err;

	if (m->size > GG_SECRET_SCAN_MAX_BYTES) {
		if (!sw->collect)
			gg_check_report(sw->run, &spec,
					"could not be inspected for secrets: "
					"%zu bytes is more than the %zu bytes "
					"searched in a file over "
					"limits.max_blob_bytes",
					m->size, GG_SECRET_SCAN_MAX_BYTES);
		return 0;
	}
	if (out_of_time(sw))
		return 0;
	gg_buf_init(&raw, GG_SECRET_SCAN_MAX_BYTES);
	if ((err = gg_repo_blob_read(&raw, sw->run->s->repo, oid)) < 0)
		goto out;
	if (memchr(raw.buf, '\0', raw.len < 8000 ? raw.len : 8000)) {
		judge_binary(sw, path, raw.buf, raw.len);
		goto out; /* binary, as the cache classifies it */
	}
	/* only Secrets, secretGenerators and SOPS need the parse; the
	 * text search finds the rest */
	if (may_need_objects(raw.buf, raw.len) &&
	    gg_yaml_parse(&yf, NULL, raw.buf, raw.len, NULL) == 0) {
		gg_model_build(&objs, &yf->arena, yf,
			       gg_path_is_kustomization(path));
		judge_parsed(sw, path, raw.buf, raw.len, yf, &objs);
	} else if (!out_of_time(sw)) {
		judge_as_text(sw, path, raw.buf, raw.len);
	}
out:
	gg_yaml_free(yf);
	gg_buf_release(&raw);
	return err;
}

/* Everything a manifest blob holds in clear, once read and classified. */
static int judge_manifest(struct sweep *sw, const char *path,
			  const struct gg_oid *oid, const struct gg_manifest *m)
{
	const struct gg_objects *objs = NULL;
	struct skips none = { NULL, 0, 0 };
	int err;

	switch (m->state) {
	case GG_MANIFEST_BINARY:
		judge_binary(sw, path, m->data, m->size);
		break;
	case GG_MANIFEST_TOO_LARGE: return judge_large(sw, path, oid, m);
	case GG_MANIFEST_INVALID:
	case GG_MANIFEST_REFUSED:
		judge_as_text(sw, path, m->data, m->size);
		break;
	case GG_MANIFEST_TEMPLATE:
		/* a Helm template: its Secrets hold template expressions */
		judge_text(sw, path, m->data, m->size, &none);
		break;
	case GG_MANIFEST_YAML:
		err = gg_model_get(&objs, sw->run->s->manifests, oid, path);
		if (err < 0)
			return err;
		judge_parsed(sw, path, m->data, m->size, m->yaml, objs);
		break;
	}
	return 0;
}

/*
 * A file that parses, which no rule has kept parsed (only classified):
 * its text is all it takes when it cannot hold an object that matters.
 * 1 when judged so (and dropped), 0 when it needs the parse.
 */
static int judge_light(struct sweep *sw, const char *path,
		       const struct gg_oid *oid, const struct gg_manifest *m)
{
	struct skips none = { NULL, 0, 0 };

	if (!m->data || may_need_objects(m->data, m->size))
		return 0;
	judge_text(sw, path, m->data, m->size, &none);
	gg_manifests_drop(sw->run->s->manifests, oid);
	return 1;
}

/*
 * Everything a manifest blob holds in clear.  A blob the cache did not
 * hold whole before (every file of an initial push) is dropped again
 * after: no other rule needs it, and rules that do read it again.
 */
static int judge_blob(struct sweep *sw, const char *path,
		      const struct gg_oid *oid)
{
	struct gg_manifests *c = sw->run->s->manifests;
	const struct gg_manifest *m;
	int fresh, err;

	sw->path = path;
	if ((err = gg_manifests_classify(&m, c, oid)) < 0)
		return err;
	fresh = m->light;
	if (fresh && m->state == GG_MANIFEST_YAML &&
	    judge_light(sw, path, oid, m))
		return 0;
	if ((err = gg_manifests_get(&m, c, oid)) < 0)
		return err;
	err = judge_manifest(sw, path, oid, m);
	if (fresh)
		gg_manifests_drop(c, oid);
	return err;
}

/*
 * A changed file that a kustomization of the new tree reads into a
 * secretGenerator: kustomize only loads files at or below the
 * kustomization's directory, so the kustomization lives in the file's
 * directory or above it.  Kustomizations the push changes are judged
 * whole by judge_blob().
 */
static int judge_referenced(struct sweep *sw, const struct gg_defs *defs,
			    const struct gg_file_change *fc)
{
	char *dir = gg_xstrdup(fc->path), *slash;
	const struct gg_refchange *rc = sw->run->change;
	int err = 0;

	do {
		const struct gg_kfile *k;
		const struct gg_objects *objs;

		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		else
			*dir = '\0';
		k = gg_defs_kfile(defs, dir);
		if (!k || gg_refchange_find(rc, k->path))
			continue;
		err = gg_model_get(&objs, sw->run->s->manifests, &k->blob,
				   k->path);
		if (err || !objs || !objs->nr ||
		    objs->v[0].kind != GG_KIND_KUSTOMIZATION)
			continue;
		/* what the file held before, then what it holds now */
		sw->collect = 1;
		sw->tree = rc->has_base ? &rc->base_tree : NULL;
		judge_generators(sw, k->path, &objs->v[0], fc->path);
		sw->collect = 0;
		sw->tree = &rc->new_tree;
		judge_generators(sw, k->path, &objs->v[0], fc->path);
	} while (*dir && err >= 0);
	free(dir);
	return err;
}

/* --- the run -------------------------------------------------------------- */

/* Values the changed and deleted files held before the push. */
static int collect_old(struct sweep *sw)
{
	const struct gg_refchange *rc = sw->run->change;
	size_t i;
	int err = 0;

	sw->collect = 1;
	sw->tree = rc->has_base ? &rc->base_tree : NULL;
	for (i = 0; i < rc->nfiles && err >= 0; i++) {
		const struct gg_file_change *fc = &rc->files[i];

		if (fc->status == GG_DELTA_ADDED ||
		    fc->old_kind != GG_ENTRY_BLOB)
			continue;
		if (gg_path_is_manifest(fc->path))
			err = judge_blob(sw, fc->path, &fc->old_oid);
	}
	sw->collect = 0;
	sw->tree = rc->has_new ? &rc->new_tree : NULL;
	return err;
}

static int judge_new(struct sweep *sw)
{
	const struct gg_refchange *rc = sw->run->change;
	const struct gg_refapps *ra;
	size_t i;
	int err;

	if ((err = gg_check_apps(sw->run, &ra)) < 0)
		return err;
	for (i = 0; i < rc->nfiles && err >= 0; i++) {
		const struct gg_file_change *fc = &rc->files[i];

		if (fc->status == GG_DELTA_DELETED ||
		    fc->new_kind != GG_ENTRY_BLOB ||
		    !gg_oid_cmp(&fc->old_oid, &fc->new_oid))
			continue;
		if (gg_path_is_manifest(fc->path))
			err = judge_blob(sw, fc->path, &fc->new_oid);
		if (err >= 0 && !gg_path_is_kustomization(fc->path))
			err = judge_referenced(sw, ra->new_defs, fc);
	}
	return err;
}

static int run(struct gg_check_run *run)
{
	struct sweep sw;
	int err;

	if (!run->change->has_new ||
	    gg_policy_severity(&run->s->policy, RULE) == GG_SEV_OFF)
		return 0;
	memset(&sw, 0, sizeof(sw));
	sw.run = run;
	gg_buf_init(&sw.list, 0);
	err = gg_secretscan_new(
		&sw.ss, gg_policy_strs(&run->s->policy, RULE, "patterns"),
		gg_policy_strs(&run->s->policy, RULE, "placeholders"));
	if (!err)
		err = collect_old(&sw);
	if (err >= 0)
		err = judge_new(&sw);
	if (err >= 0 && sw.limited)
		gg_check_note(run, "secret/plaintext: a pattern hit the match "
				   "limit; part of a file was not searched");
	gg_secretscan_free(sw.ss);
	gg_buf_release(&sw.list);
	gg_digest_set_release(&sw.old);
	gg_digest_set_release(&sw.seen);
	return err < 0 ? err : 0;
}

const struct gg_check_kind gg_check_secret = { "secret", rules, run };

/*
 * test-httpd: a stub HTTP server for the webhook tests (t/t4*.sh).  It
 * listens on 127.0.0.1 at a free port, records every request it gets,
 * and answers as the test tells it to, so that tests can make the
 * webhook succeed, fail, hang or break the connection.
 *
 *   port=$(test-httpd DIR [LIFETIME-SECONDS])
 *   test-httpd --probe PORT     (0 when something listens there)
 *
 * prints the port once the server listens, then serves in the
 * background (pid in DIR/pid) until killed, or for LIFETIME seconds
 * (default 300) at most, so that a failed test leaves no server behind.
 * Request n (from 1) is saved as DIR/req-n (request line and headers)
 * and DIR/body-n (the body).  The answer comes from the first line of
 * DIR/mode, read at each request; when the file has several lines, the
 * first is used up, so "500\n200\n" answers 500 once and then 200:
 *
 *   200 [text]      that status (any 3 digits), with the text as body
 *   hang            no answer; hold the connection until the client
 *                   gives up
 *   close           close the connection without an answer
 *   delay MS        200, after MS milliseconds
 *   redirect URL    307 to URL
 *   big             200 with a body of 1 MiB
 *
 * A connection that does not start like an HTTP request (a TLS client
 * hello) is saved the same way and answered with a bare 400; one that
 * sends nothing is not counted.  One
 * connection at a time: that is all the hooks need.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEAD (64 * 1024)
#define MAX_BODY (16 * 1024 * 1024)
#define READ_TIMEOUT_MS 10000

struct request {
	char head[MAX_HEAD + 1];
	size_t head_len;
	char *body;
	size_t body_len;
	int http; /* starts like an HTTP request */
};

static const char *dir;

static void die(const char *what)
{
	fprintf(stderr, "test-httpd: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Read up to `len` bytes, waiting at most READ_TIMEOUT_MS for some. */
static ssize_t read_some(int fd, char *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, READ_TIMEOUT_MS) <= 0)
		return -1;
	return read(fd, buf, len);
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			return; /* the client went away */
		buf += n;
		len -= (size_t)n;
	}
}

static size_t content_length(const char *head)
{
	const char *p = head;

	while ((p = strstr(p, "\r\n"))) {
		p += 2;
		if (!strncasecmp(p, "Content-Length:", 15))
			return (size_t)strtoul(p + 15, NULL, 10);
	}
	return 0;
}

/* Read the head (to the blank line) and the body of a request. */
static void read_request(int fd, struct request *r)
{
	char *end = NULL;
	size_t want, have;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	while (!end && r->head_len < MAX_HEAD) {
		n = read_some(fd, r->head + r->head_len,
			      MAX_HEAD - r->head_len);
		if (n <= 0)
			break;
		r->head_len += (size_t)n;
		r->head[r->head_len] = '\0';
		r->http = r->head[0] >= 'A' && r->head[0] <= 'Z';
		if (!r->http)
			return;
		end = strstr(r->head, "\r\n\r\n");
	}
	if (!end)
		return;
	have = r->head_len - (size_t)(end + 4 - r->head);
	want = content_length(r->head);
	if (want > MAX_BODY)
		want = MAX_BODY;
	r->body = malloc(want + 1);
	if (!r->body)
		die("malloc");
	memcpy(r->body, end + 4, have < want ? have : want);
	r->body_len = have < want ? have : want;
	r->head_len = (size_t)(end + 4 - r->head);
	while (r->body_len < want) {
		n = read_some(fd, r->body + r->body_len, want - r->body_len);
		if (n <= 0)
			break;
		r->body_len += (size_t)n;
	}
}

static void save(const char *name, int nr, const char *buf, size_t len)
{
	char path[4096], tmp[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/%s-%d", dir, name, nr);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(tmp);
	write_all(fd, buf, len);
	close(fd);
	if (rename(tmp, path) < 0)
		die(path);
}

/* The first line of DIR/mode (used up when more follow), in `out`. */
static void next_mode(char *out, size_t size)
{
	char path[4096], buf[8192];
	ssize_t n = -1;
	size_t len;
	char *nl;
	int fd;

	snprintf(path, sizeof(path), "%s/mode", dir);
	snprintf(out, size, "200");
	fd = open(path, O_RDWR);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0) {
		close(fd);
		return;
	}
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	len = strlen(buf) < size ? strlen(buf) : size - 1;
	memcpy(out, buf, len);
	out[len] = '\0';
	if (nl && nl[1]) { /* more lines: use this one up */
		size_t rest = (size_t)(n - (nl + 1 - buf));

		if (ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0)
			write_all(fd, nl + 1, rest);
	}
	close(fd);
}

static void answer(int fd, int status, const char *extra, const char *body,
		   size_t len)
{
	char head[2048];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d Stub\r\nContent-Type: text/plain\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n%s\r\n",
			 status, len, extra);

	write_all(fd, head, (size_t)n);
	write_all(fd, body, len);
}

/* Hold the connection until the client closes it. */
static void hang(int fd)
{
	char buf[4096];

	while (read_some(fd, buf, sizeof(buf)) > 0)
		;
}

static void respond(int fd, const char *mode)
{
	char extra[4200];

	if (!strcmp(mode, "hang")) {
		hang(fd);
	} else if (!strcmp(mode, "close")) {
		/* nothing */
	} else if (!strncmp(mode, "delay ", 6)) {
		struct timespec ts;
		long ms = strtol(mode + 6, NULL, 10);

		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		answer(fd, 200, "", "ok\n", 3);
	} else if (!strncmp(mode, "redirect ", 9)) {
		snprintf(extra, sizeof(extra), "Location: %s\r\n", mode + 9);
		answer(fd, 307, extra, "", 0);
	} else if (!strcmp(mode, "big")) {
		size_t len = 1024 * 1024;
		char *body = malloc(len);

		if (!body)
			die("malloc");
		memset(body, 'x', len);
		answer(fd, 200, "", body, len);
		free(body);
	} else {
		const char *text = strlen(mode) > 4 ? mode + 4 : "";

		answer(fd, (int)strtol(mode, NULL, 10), "", text, strlen(text));
	}
}

static void serve(int listener)
{
	int nr = 0;

	for (;;) {
		struct request *r = malloc(sizeof(*r));
		char mode[4096];
		int fd = accept(listener, NULL, NULL);

		if (!r)
			die("malloc");
		if (fd < 0) {
			free(r);
			if (errno == EINTR)
				continue;
			die("accept");
		}
		read_request(fd, r);
		if (!r->head_len) { /* a probe, or a client that gave up */
			close(fd);
			free(r);
			continue;
		}
		nr++;
		save("req", nr, r->head, r->head_len);
		save("body", nr, r->body ? r->body : "", r->body_len);
		if (!r->http)
			write_all(fd, "HTTP/1.1 400 Bad\r\n\r\n", 20);
		else {
			next_mode(mode, sizeof(mode));
			respond(fd, mode);
		}
		close(fd);
		free(r->body);
		free(r);
	}
}

static int listen_local(unsigned *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		die("listen");
	*port = ntohs(a.sin_port);
	return fd;
}

static int probe(const char *port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	if (fd < 0)
		die("socket");
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)strtoul(port, NULL, 10));
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok ? 0 : 1;
}

/* The server's stdio: nothing in, a log file for errors. */
static void detach(void)
{
	char path[4096];
	int in = open("/dev/null", O_RDWR), err;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	err = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (in < 0 || err < 0)
		die("open");
	dup2(in, 0);
	dup2(in, 1);
	dup2(err, 2);
	close(in);
	close(err);
}

int main(int argc, char **argv)
{
	unsigned port;
	char path[4096];
	pid_t pid;
	FILE *f;
	int fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: test-httpd DIR [LIFETIME-SECONDS]\n");
		return 2;
	}
	if (!strcmp(argv[1], "--probe"))
		return argc == 3 ? probe(argv[2]) : 2;
	dir = argv[1];
	signal(SIGPIPE, SIG_IGN);
	fd = listen_local(&port);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		detach();
		alarm(argc == 3 ? (unsigned)strtoul(argv[2], NULL, 10) : 300);
		serve(fd);
	}
	snprintf(path, sizeof(path), "%s/pid", dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%ld\n", (long)pid) < 0 || fclose(f) != 0)
		die(path);
	printf("%u\n", port);
	return 0;
}

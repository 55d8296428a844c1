/*
 * kudos review, the real binary driven in a real terminal: tmux, with
 * keys sent by send-keys and the screen read by capture-pane.  Each
 * terminal test has its own tmux server (-S, a socket in the test's
 * temporary folder), and kudos's stderr goes to a file the test reads, so
 * that nothing a sanitizer says can hide in, or break, the screen.  A
 * missing tmux fails these tests, naming `make deps`.
 *
 * The decision logic is tested in-process in test_review_logic.c, the
 * wrapping of quotes in test_wrap.c.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

extern char **environ;

/* Long enough for a sanitizer build on a busy machine; a screen that is
 * right shows up in well under a second. */
#define WAIT_MS 20000

/* ==== the real binary in a real terminal =================================== */

/* Six answers: r1 and r4 are near-copies (r1 represents them), r3 carries
 * an e-mail address (pii), r5 is negative, r6 is unrated and not English. */
static const char CSV6[] =
	"id,name,handle,rating,date,text\n"
	"r1,Ada Lovelace,@ada,5,2026-03-01,\"Absolutely love the Burr One. The grind is "
	"consistent and the espresso tastes great.\"\n"
	"r2,Bob Stone,@bob,4,2026-03-02,\"Solid grinder, good value for the money, would "
	"recommend to friends.\"\n"
	"r3,Cleo Park,@cleo,5,2026-03-03,\"Write to me at cleo@example.com if you want to know "
	"more, it is a great grinder.\"\n"
	"r4,Dan Ford,@dan,5,2026-03-04,\"Absolutely love the Burr One! The grind is consistent "
	"and the espresso tastes great.\"\n"
	"r5,Eve Moss,,2,2026-03-05,\"Terrible. It broke after a week and support never "
	"answered.\"\n"
	"r6,Finn Row,,,2026-03-06,\"Café crème ☕ 素晴らしい, très bien, merci beaucoup pour ce "
	"moulin\"\n";

#define JOB_JSON                                                                            \
	"{\"name\": \"spring\", \"store\": \"k.db\",\n"                                        \
	" \"brand\": {\"name\": \"Acme\", \"rights_hashtag\": \"#YesAcme\",\n"                 \
	"            \"terms_url\": \"https://acme.example/terms\"},\n"                        \
	" \"sources\": [{\"plugin\": \"csv\", \"path\": \"s.csv\"}]}\n"

struct term {
	char *dir, *db, *conf, *script, *status, *stderr_path;
	char *sock;
};

static struct term T;

/* A folder with the job, its collected store, and a tmux config. */
static void term_setup_with(const char *csv)
{
	memset(&T, 0, sizeof T);
	T.dir = kt_tmpdir();
	T.db = kt_path(T.dir, "k.db");
	T.conf = kt_path(T.dir, "tmux.conf");
	T.script = kt_path(T.dir, "run.sh");
	T.status = kt_path(T.dir, "status");
	T.stderr_path = kt_path(T.dir, "stderr.txt");
	/* The server's socket lives in the test's own folder: no two tests
	 * share a server, and no socket file outlives the test. */
	T.sock = kt_path(T.dir, "tmux.sock");
	cr_assert_lt(strlen(T.sock), 100, "TMPDIR is too long for a socket path: %s", T.sock);
	char *csv_path = kt_path(T.dir, "s.csv");
	kt_write(csv_path, csv);
	free(csv_path);
	char *job = kt_job(T.dir, JOB_JSON);
	struct kt_run r = kt_kudos(T.dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "collect: %s%s", r.out, r.err);
	kt_run_free(&r);
	free(job);
	/* A dead pane stays, so that what kudos printed last can be read;
	 * no status line, so the pane is the whole window. */
	kt_write(T.conf, "set -g remain-on-exit on\n"
	                 "set -g status off\n"
	                 "set -g default-terminal screen\n"
	                 "set -g history-limit 2000\n");
}

static void term_setup(void)
{
	term_setup_with(CSV6);
}

/* Run tmux on this test's server; RETURN VALUE its exit status, *out what
 * it printed (transfer full; may be NULL). */
static int tmux(char **out, ...)
{
	const char *argv[32] = {"tmux", "-u", "-S", T.sock, "-f", T.conf};
	size_t n = 6;
	va_list ap;
	va_start(ap, out);
	const char *a;
	while ((a = va_arg(ap, const char *)) && n < 31)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;

	/* Our environment without TMUX (a test run inside tmux must still
	 * start its own server), in a UTF-8 locale. */
	size_t ne = 0;
	while (environ[ne])
		ne++;
	char **env = calloc(ne + 2, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < ne; i++)
		if (strncmp(environ[i], "TMUX=", 5) && strncmp(environ[i], "LC_ALL=", 7))
			env[k++] = environ[i];
	env[k++] = "LC_ALL=C.UTF-8";

	/* Output goes to a file, not a pipe: the server that new-session
	 * starts inherits the client's descriptors and would hold a pipe open
	 * for as long as it runs. */
	char *out_path = kt_path(T.dir, "tmux.out");
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	pid_t pid;
	int rc = posix_spawnp(&pid, "tmux", &fa, NULL, (char *const *)argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	cr_assert_eq(rc, 0, "tmux is needed for the review tests and could not be started (%s); "
	             "`make deps` installs it", strerror(rc));
	int ws;
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	char *buf = kt_read(out_path);
	free(out_path);
	if (out)
		*out = buf ? buf : strdup("");
	else
		free(buf);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

static void term_teardown(void)
{
	tmux(NULL, "kill-server", NULL);
	kt_rmtree(T.dir);
	free(T.dir);
	free(T.db);
	free(T.conf);
	free(T.script);
	free(T.status);
	free(T.stderr_path);
	free(T.sock);
}

/* Start `kudos review job.json --actor tester ARGS` in a w x h terminal.
 * The shell around it ignores the signals a lost terminal sends, so that
 * it can still write kudos's exit status down; kudos sets its own. */
static void start(int w, int h, const char *args)
{
	char *text = NULL, ws[16], hs[16];
	cr_assert(asprintf(&text,
	                   "trap '' INT HUP TERM\n"
	                   "cd '%s' || exit 99\n"
	                   "env LC_ALL=C.UTF-8 '%s' review job.json --actor tester %s 2>'%s'\n"
	                   "echo $? > '%s.tmp' && mv '%s.tmp' '%s'\n",
	                   T.dir, KT_KUDOS, args ? args : "", T.stderr_path, T.status, T.status,
	                   T.status) > 0);
	kt_write(T.script, text);
	free(text);
	char *cmd = NULL;
	cr_assert(asprintf(&cmd, "sh '%s'", T.script) > 0);
	snprintf(ws, sizeof ws, "%d", w);
	snprintf(hs, sizeof hs, "%d", h);
	char *out = NULL;
	int rc = tmux(&out, "new-session", "-d", "-x", ws, "-y", hs, "-s", "t", cmd, NULL);
	cr_assert_eq(rc, 0, "tmux new-session failed: %s", out);
	free(out);
	free(cmd);
}

/* The screen as it stands (transfer full); with `history`, everything
 * since the start, including what scrolled away. */
static char *screen(int history)
{
	char *out = NULL;
	int rc = history ? tmux(&out, "capture-pane", "-p", "-t", "t", "-S", "-", NULL)
	                 : tmux(&out, "capture-pane", "-p", "-t", "t", NULL);
	cr_assert_eq(rc, 0, "capture-pane: %s", out);
	/* The legend holds keys to their names with no-break spaces; a
	 * reader sees spaces, and so do the assertions. */
	char *w = out;
	for (const char *r = out; *r;) {
		if ((unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0xA0) {
			*w++ = ' ';
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return out;
}

static int64_t ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *stderr_text(void)
{
	char *s = kt_read(T.stderr_path);
	return s ? s : strdup("(no stderr file)");
}

/* Wait until the screen shows `needle` and has stopped changing (a
 * capture may fall between two writes of one redraw); RETURN VALUE the
 * screen (transfer full).  Fails with the last screen and kudos's stderr. */
static char *wait_for(const char *needle)
{
	int64_t until = ms() + WAIT_MS;
	char *last = NULL;
	for (;;) {
		char *s = screen(0);
		if (strstr(s, needle) && last && strcmp(s, last) == 0) {
			free(last);
			return s;
		}
		if (ms() > until) {
			char *e = stderr_text();
			cr_assert_fail("the screen never showed \"%s\"; it shows:\n%s\n--- kudos's "
			               "stderr ---\n%s", needle, s, e);
		}
		free(last);
		last = s;
		usleep(30 * 1000);
	}
}

/* The screen once two captures in a row agree. */
static char *stable_screen(void)
{
	char *last = screen(0);
	int64_t until = ms() + WAIT_MS;
	for (;;) {
		usleep(30 * 1000);
		char *s = screen(0);
		int same = strcmp(s, last) == 0;
		free(last);
		if (same)
			return s;
		cr_assert(ms() < until, "the screen never stopped changing:\n%s", s);
		last = s;
	}
}

static void wait_gone(const char *needle)
{
	int64_t until = ms() + WAIT_MS;
	for (;;) {
		char *s = screen(0);
		int there = strstr(s, needle) != NULL;
		if (!there) {
			free(s);
			return;
		}
		cr_assert(ms() < until, "\"%s\" never left the screen:\n%s", needle, s);
		free(s);
		usleep(30 * 1000);
	}
}

static void keys(const char *k)
{
	cr_assert_eq(tmux(NULL, "send-keys", "-t", "t", k, NULL), 0, "send-keys %s", k);
}

static void type(const char *text)
{
	cr_assert_eq(tmux(NULL, "send-keys", "-t", "t", "-l", text, NULL), 0, "send-keys -l");
}

/* kudos's exit status once it has ended; its stderr must be empty (no
 * error, no sanitizer report, no leak). */
static int wait_exit(void)
{
	int64_t until = ms() + WAIT_MS;
	char *s;
	while (!(s = kt_read(T.status))) {
		if (ms() > until) {
			char *scr = screen(1);
			cr_assert_fail("kudos review did not end; the screen:\n%s", scr);
		}
		usleep(30 * 1000);
	}
	int status = atoi(s);
	free(s);
	char *e = stderr_text();
	cr_assert_str_empty(e, "kudos review wrote to stderr:\n%s", e);
	free(e);
	return status;
}

/* An item's field in `kudos list --json`, or in its rights object. */
static char *item_state(const char *id, const char *what)
{
	struct kt_run r = kt_kudos(T.dir, "list", "--json", "--store", T.db, NULL);
	cr_assert_eq(r.status, 0, "kudos list: %s", r.err);
	cJSON *arr = cJSON_Parse(r.out), *e;
	char *out = NULL;
	cJSON_ArrayForEach(e, arr)
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")), id) != 0)
			continue;
		const cJSON *v = !strcmp(what, "rights")
		                         ? cJSON_GetObjectItem(cJSON_GetObjectItem(e, "rights"), "state")
		                 : !strcmp(what, "scopes")
		                         ? cJSON_GetObjectItem(cJSON_GetObjectItem(e, "rights"), "scopes")
		                         : cJSON_GetObjectItem(e, what);
		out = cJSON_IsString(v) ? strdup(v->valuestring) : cJSON_PrintUnformatted(v);
	}
	cr_assert(out, "no item %s in the store:\n%s", id, r.out);
	cJSON_Delete(arr);
	kt_run_free(&r);
	return out;
}

static void assert_state(const char *id, const char *what, const char *want)
{
	char *got = item_state(id, what);
	cr_assert_str_eq(got, want, "%s of %s", what, id);
	free(got);
}

/* "action actor from>to detail|" for each audit entry of the item. */
static char *item_history(const char *id)
{
	struct kt_run r = kt_kudos(T.dir, "history", id, "--json", "--store", T.db, NULL);
	cr_assert_eq(r.status, 0, "kudos history: %s", r.err);
	cJSON *arr = cJSON_Parse(r.out), *e;
	char *out = calloc(1, strlen(r.out) + 1);
	cJSON_ArrayForEach(e, arr)
	{
		const char *from = cJSON_GetStringValue(cJSON_GetObjectItem(e, "from"));
		const char *to = cJSON_GetStringValue(cJSON_GetObjectItem(e, "to"));
		const char *detail = cJSON_GetStringValue(cJSON_GetObjectItem(e, "detail"));
		sprintf(out + strlen(out), "%s %s %s>%s%s%s|",
		        cJSON_GetStringValue(cJSON_GetObjectItem(e, "action")),
		        cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor")), from ? from : "-",
		        to ? to : "-", detail ? " " : "", detail ? detail : "");
	}
	cJSON_Delete(arr);
	kt_run_free(&r);
	return out;
}

static void assert_audit_intact(void)
{
	struct kt_run r = kt_kudos(T.dir, "audit", "verify", "--store", T.db, NULL);
	cr_assert_eq(r.status, 0, "audit verify: %s%s", r.out, r.err);
	kt_run_free(&r);
}

TestSuite(terminal, .init = term_setup, .fini = term_teardown, .timeout = 180);

Test(terminal, one_screen_shows_the_item_and_the_queue_runs_best_first)
{
	start(100, 30, NULL);
	char *s = wait_for("csv:r1  form_answer from csv");
	const char *want[] = {
		"kudos review  spring  item 1 of 6  0 decided  0 skipped  as review:tester",
		"author   Ada Lovelace (@ada)",
		"rating   5 of 5   sentiment +0.86 (a hint)   created 2026-03-01T00:00:00Z",
		"rights   none",
		"flags    none",
		"dupes    csv:r4 (new)",
		"  Absolutely love the Burr One. The grind is consistent and the espresso tastes great.",
		"a approve  r reject  p request rights  g grant  s skip  u undo  q quit",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(strstr(s, want[i]), "the screen lacks \"%s\":\n%s", want[i], s);
	free(s);

	/* The near-copy next, under its representative; then by rating
	 * (unrated counts as 3); flagged ones last, better rated first. */
	keys("s");
	s = wait_for("csv:r4  form_answer");
	cr_assert(strstr(s, "flags    duplicate (of csv:r1)"), "%s", s);
	cr_assert(strstr(s, "dupes    representative csv:r1 (new)"), "%s", s);
	free(s);
	keys("s");
	free(wait_for("csv:r2  form_answer"));
	keys("s");
	s = wait_for("csv:r6  form_answer");
	cr_assert(strstr(s, "rating   none"), "%s", s);
	cr_assert(strstr(s, "  Café crème ☕ 素晴らしい, très bien, merci beaucoup pour ce moulin"),
	          "UTF-8 shown as it is: %s", s);
	free(s);
	keys("s");
	s = wait_for("csv:r3  form_answer");
	cr_assert(strstr(s, "flags    pii (email: cleo@example.com)"), "%s", s);
	free(s);
	keys("s");
	s = wait_for("csv:r5  form_answer");
	cr_assert(strstr(s, "flags    negative"), "%s", s);
	cr_assert(strstr(s, "item 6 of 6  0 decided  5 skipped"), "%s", s);
	free(s);
	keys("s");
	free(wait_for("Nothing left to review: 0 decided, 6 skipped."));
	keys("q");
	cr_assert_eq(wait_exit(), 0);
	s = screen(1);
	cr_assert(strstr(s, "kudos review: 0 approved, 0 rejected, 6 skipped as review:tester"),
	          "%s", s);
	free(s);
	assert_state("csv:r1", "curation", "new");
	char *h = item_history("csv:r1");
	cr_assert_str_empty(h, "skipping decides nothing: %s", h);
	free(h);
}

Test(terminal, approve_reject_with_a_reason_and_undo_are_saved_as_made)
{
	start(100, 30, NULL);
	free(wait_for("csv:r1  form_answer"));
	keys("a");
	char *s = wait_for("approved csv:r1 (saved)");
	cr_assert(strstr(s, "csv:r4  form_answer"), "the next item is shown: %s", s);
	free(s);
	assert_state("csv:r1", "curation", "approved");

	/* Esc cancels a question and decides nothing. */
	keys("r");
	free(wait_for("Reason for rejecting"));
	type("never mind");
	free(wait_for("> never mind"));
	keys("Escape");
	free(wait_for("not rejected"));
	assert_state("csv:r4", "curation", "new");

	keys("r");
	free(wait_for("Reason for rejecting"));
	type("near-copy of r1, ünïcode ok");
	free(wait_for("> near-copy of r1, ünïcode ok"));
	keys("Enter");
	s = wait_for("rejected csv:r4: near-copy of r1, ünïcode ok (saved)");
	cr_assert(strstr(s, "csv:r2  form_answer"), "%s", s);
	free(s);
	assert_state("csv:r4", "curation", "rejected");

	keys("u");
	s = wait_for("undone: the reject of csv:r4");
	cr_assert(strstr(s, "csv:r4  form_answer"), "the undone item is shown again: %s", s);
	cr_assert(strstr(s, "1 decided"), "%s", s);
	free(s);
	assert_state("csv:r4", "curation", "new");
	keys("a");
	free(wait_for("approved csv:r4 (saved)"));
	keys("x");
	free(wait_for("that key does nothing here"));
	keys("q");
	cr_assert_eq(wait_exit(), 0);
	s = screen(1);
	cr_assert(strstr(s, "kudos review: 2 approved, 0 rejected, 0 skipped as review:tester; "
	                    "every decision is saved"), "%s", s);
	free(s);

	char *h = item_history("csv:r4");
	cr_assert_str_eq(h, "curation review:tester new>rejected near-copy of r1, ünïcode ok|"
	                    "undo review:tester rejected>new takes back the review's reject|"
	                    "curation review:tester new>approved|");
	free(h);
	assert_state("csv:r4", "curation", "approved");
	assert_audit_intact();
}

Test(terminal, request_prints_the_message_and_grant_records_scopes)
{
	start(100, 30, NULL);
	free(wait_for("csv:r1  form_answer"));
	keys("p");
	char *s = wait_for("Message to post (printed again when you leave):");
	cr_assert(strstr(s, "rights   requested"), "%s", s);
	cr_assert(strstr(s, "#YesAcme"), "the message asks for the hashtag: %s", s);
	cr_assert(strstr(s, "csv:r1 is now requested (saved)"), "%s", s);
	cr_assert(strstr(s, "csv:r1  form_answer"), "a request stays on the item: %s", s);
	free(s);
	assert_state("csv:r1", "rights", "requested");

	keys("g");
	free(wait_for("Scopes to grant"));
	type("print,web");
	free(wait_for("> print,web"));
	keys("Enter");
	free(wait_for("Evidence:"));
	type("replied #YesAcme on 2026-03-07");
	free(wait_for("> replied #YesAcme on 2026-03-07"));
	keys("Enter");
	s = wait_for("rights   granted (web,print)");
	cr_assert(strstr(s, "granted csv:r1 for print,web (saved)"), "%s", s);
	free(s);
	assert_state("csv:r1", "rights", "granted");
	assert_state("csv:r1", "scopes", "[\"web\",\"print\"]");

	/* A grant without evidence is not made. */
	keys("s");
	free(wait_for("csv:r4  form_answer"));
	keys("g");
	free(wait_for("Scopes to grant"));
	type("web");
	keys("Enter");
	free(wait_for("Evidence:"));
	keys("Enter");
	free(wait_for("not granted: a grant needs evidence"));
	assert_state("csv:r4", "rights", "none");

	keys("q");
	cr_assert_eq(wait_exit(), 0);
	s = screen(1);
	cr_assert(strstr(s, "Messages to post (the items are now `requested`):"), "%s", s);
	cr_assert(strstr(s, "\ncsv:r1\n"), "%s", s);
	free(s);
	char *h = item_history("csv:r1");
	cr_assert(strstr(h, "request review:tester none>requested template default|"), "%s", h);
	cr_assert(strstr(h, "grant review:tester requested>granted scopes web,print; evidence: "
	                    "replied #YesAcme on 2026-03-07|"), "%s", h);
	free(h);
}

Test(terminal, a_lost_connection_loses_no_decision)
{
	start(100, 30, NULL);
	free(wait_for("csv:r1  form_answer"));
	keys("a");
	free(wait_for("approved csv:r1 (saved)"));
	keys("r");
	free(wait_for("Reason for rejecting"));
	type("half a rea");
	free(wait_for("> half a rea"));
	/* The terminal goes away: tmux hangs up on everything in it. */
	cr_assert_eq(tmux(NULL, "kill-server", NULL), 0);
	cr_assert_eq(wait_exit(), 0, "kudos ends by itself, not by the signal's default action");
	assert_state("csv:r1", "curation", "approved");
	assert_state("csv:r4", "curation", "new");
	char *h = item_history("csv:r1");
	cr_assert_str_eq(h, "curation review:tester new>approved|");
	free(h);
	assert_audit_intact();
	/* Nothing is left locked: another writer gets through at once. */
	struct kt_run r = kt_kudos(T.dir, "approve", "csv:r2", "--store", T.db, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
}

Test(terminal, ctrl_c_ends_the_review_and_keeps_what_was_decided)
{
	start(100, 30, NULL);
	free(wait_for("csv:r1  form_answer"));
	keys("a");
	free(wait_for("approved csv:r1 (saved)"));
	keys("C-c");
	cr_assert_eq(wait_exit(), 0);
	char *s = screen(1);
	cr_assert(strstr(s, "kudos review: 1 approved"), "the terminal is back to normal: %s", s);
	cr_assert(!strstr(s, "a approve  r reject"), "the review's screen is gone: %s", s);
	free(s);
	assert_state("csv:r1", "curation", "approved");
}

/* The job's filters run before the queue opens, as `kudos curate` runs
 * them, so the rules and the screen see what they found. */
Test(terminal, the_jobs_filters_run_before_the_queue_opens)
{
	char *job = kt_path(T.dir, "job.json");
	kt_write(job, "{\"name\": \"spring\", \"store\": \"k.db\",\n"
	              " \"sources\": [{\"plugin\": \"csv\", \"path\": \"s.csv\"}],\n"
	              " \"filters\": [{\"plugin\": \"language\"}]}\n");
	free(job);
	start(100, 30, "--plugin-path '" KT_PLUGINS "'");
	free(wait_for("csv:r1  form_answer from csv"));
	keys("q");
	cr_assert_eq(wait_exit(), 0);
	assert_state("csv:r1", "language", "en");
	assert_state("csv:r6", "language", "fr");
	assert_state("csv:r6", "language_guessed", "true");
}

/* One item whose quote is far longer than the screen. */
static void long_setup(void)
{
	char csv[4096] = "id,name,rating,date,text\nlong,Lea Long,5,2026-03-01,\"";
	for (int i = 1; i <= 120; i++)
		snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "w%03d ", i);
	strcat(csv, "end ☕ 素晴らしい\"\n");
	term_setup_with(csv);
}

TestSuite(long_quote, .init = long_setup, .fini = term_teardown, .timeout = 180);

Test(long_quote, a_long_quote_scrolls_whole_and_rewraps_on_resize)
{
	start(60, 20, NULL);
	char *s = wait_for("more below");
	cr_assert(strstr(s, "w001 w002"), "%s", s);
	cr_assert(!strstr(s, "w120"), "%s", s);
	free(s);
	/* Every word is on some page, in order: nothing is cut. */
	int seen[121] = {0};
	for (int page = 0; page < 40 && !seen[120]; page++) {
		s = stable_screen();
		for (int i = 1; i <= 120; i++) {
			char w[16];
			snprintf(w, sizeof w, "w%03d", i);
			if (strstr(s, w))
				seen[i] = 1;
		}
		if (strstr(s, "the end")) {
			free(s);
			break;
		}
		keys("NPage");
		/* Wait for the page to change. */
		int64_t until = ms() + WAIT_MS;
		for (;;) {
			char *now = screen(0);
			int same = strcmp(now, s) == 0;
			free(now);
			if (!same)
				break;
			cr_assert(ms() < until, "PgDn changed nothing:\n%s", s);
			usleep(30 * 1000);
		}
		free(s);
	}
	for (int i = 1; i <= 120; i++)
		cr_assert(seen[i], "w%03d was never on the screen", i);
	s = wait_for("the end");
	cr_assert(strstr(s, "end ☕") && strstr(s, "素晴らしい"), "%s", s);
	free(s);
	keys("Home");
	free(wait_for("w001 w002"));

	/* Narrower: the quote is wrapped again to the new width. */
	cr_assert_eq(tmux(NULL, "resize-window", "-t", "t", "-x", "44", "-y", "16", NULL), 0);
	wait_gone("w001 w002 w003 w004 w005 w006 w007 w008 w009 w010 w011");
	s = wait_for("w001 w002");
	cr_assert(strstr(s, "item 1 of 1"), "%s", s);
	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		cr_assert_leq(len, 44 * 3, "a line wider than the window: %.*s", (int)len, line);
		line = nl ? nl + 1 : NULL;
	}
	free(s);
	/* Too small to be useful: it says so, and q still works. */
	cr_assert_eq(tmux(NULL, "resize-window", "-t", "t", "-x", "30", "-y", "8", NULL), 0);
	free(wait_for("too small"));
	keys("q");
	cr_assert_eq(wait_exit(), 0);
}

/* A customer's text with terminal escape sequences in it. */
static void escapes_setup(void)
{
	term_setup_with("id,name,rating,date,text\n"
	                "e1,Eve,5,2026-03-01,\"Nice \x1b[31mRED\x1b[0m grinder\x1b]0;pwned\x07 ok\"\n");
}

TestSuite(escapes, .init = escapes_setup, .fini = term_teardown, .timeout = 180);

Test(escapes, control_characters_in_a_quote_never_reach_the_terminal)
{
	start(80, 20, NULL);
	char *s = wait_for("csv:e1  form_answer");
	/* Each control character is drawn as U+FFFD: the colour change and
	 * the window-title sequence show as text instead of acting. */
	cr_assert(strstr(s, "  Nice \xEF\xBF\xBD[31mRED\xEF\xBF\xBD[0m grinder\xEF\xBF\xBD]0;pwned"
	                    "\xEF\xBF\xBD ok"), "%s", s);
	free(s);
	char *title = NULL;
	cr_assert_eq(tmux(&title, "display-message", "-p", "-t", "t", "#{pane_title}", NULL), 0);
	cr_assert(!strstr(title, "pwned"), "the pane's title was set from the quote: %s", title);
	free(title);
	keys("q");
	cr_assert_eq(wait_exit(), 0);
}

/* ==== without a terminal ================================================== */

TestSuite(no_terminal, .init = term_setup, .fini = term_teardown);

Test(no_terminal, it_refuses_and_points_to_the_commands_that_need_none)
{
	char *job = kt_path(T.dir, "job.json");
	struct kt_run r = kt_kudos(T.dir, "review", job, NULL);
	cr_assert_eq(r.status, 2, "%s%s", r.out, r.err);
	const char *want[] = {"needs a terminal", "kudos list --curation new", "kudos approve",
	                      "kudos reject", "kudos request", "kudos grant"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(strstr(r.err, want[i]), "stderr lacks \"%s\": %s", want[i], r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
	kt_run_free(&r);
	assert_state("csv:r1", "curation", "new");
	free(job);
}

Test(no_terminal, bad_input_is_named_before_any_screen)
{
	struct kt_run r = kt_kudos(T.dir, "review", "missing.json", NULL);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "missing.json"), "%s", r.err);
	kt_run_free(&r);

	r = kt_kudos(T.dir, "review", "job.json", "--template", "friendly", NULL);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "no request template 'friendly'"), "%s", r.err);
	kt_run_free(&r);

	r = kt_kudos(T.dir, "review", "job.json", "--store", "nowhere.db", NULL);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "no store at nowhere.db"), "%s", r.err);
	kt_run_free(&r);

	r = kt_kudos(T.dir, "review", NULL);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "usage: kudos review JOB.json"), "%s", r.err);
	kt_run_free(&r);

	r = kt_kudos(T.dir, "review", "--help", NULL);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "u          undo"), "%s", r.out);
	cr_assert(strstr(r.out, "unflagged before flagged"), "%s", r.out);
	kt_run_free(&r);

	r = kt_kudos(T.dir, "--help", NULL);
	cr_assert(strstr(r.out, "kudos review"), "kudos --help lists review: %s", r.out);
	kt_run_free(&r);
}

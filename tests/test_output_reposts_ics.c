/*
 * reposts output, the calendars: schedule.ics and cancelled.ics for long
 * multilingual quotes (German, Japanese, Arabic, Russian, emoji) full of
 * commas, semicolons, backslashes and line breaks, planned across the
 * Europe/Berlin spring change, one of them then revoked.
 *
 * Checked here byte by byte (RFC 5545 section 3.1 and 3.3.11): CRLF line
 * ends, physical lines of at most 75 octets that never split a UTF-8
 * sequence, continuation lines starting with one space, and every
 * DESCRIPTION unfolding and unescaping to the post text of schedule.json.
 * Then parsed by Python's icalendar package (Debian python3-icalendar;
 * the test is skipped loudly without it) next to the calendars in
 * ../shared/fixtures/real/ical/, comparing structure.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define DE "Schnelle Lieferung, freundlicher Service; absolut empfehlenswert! " \
	"Gr\xC3\xB6\xC3\x9F" "e passte perfekt \\ Preis\xE2\x80\x93Leistung top. "
#define JA "\xE9\x85\x8D\xE9\x80\x81\xE3\x81\x8C\xE3\x81\xA8\xE3\x81\xA6\xE3\x82\x82" \
	"\xE6\x97\xA9\xE3\x81\x8F\xE3\x80\x81\xE3\x82\xB9\xE3\x82\xBF\xE3\x83\x83\xE3\x83\x95" \
	"\xE3\x81\xAE\xE5\xAF\xBE\xE5\xBF\x9C\xE3\x82\x82\xE4\xB8\x81\xE5\xAF\xA7\xE3\x81\xA7" \
	"\xE3\x81\x97\xE3\x81\x9F\xE3\x80\x82"
#define AR "\xD8\xAE\xD8\xAF\xD9\x85\xD8\xA9 \xD8\xB1\xD8\xA7\xD8\xA6\xD8\xB9\xD8\xA9\xD8\x8C " \
	"\xD8\xA3\xD9\x86\xD8\xB5\xD8\xAD \xD8\xA8\xD9\x87\xD8\xA7 \xF0\x9F\x91\xA8\xE2\x80\x8D" \
	"\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6\xF0\x9F\x87\xA9" \
	"\xF0\x9F\x87\xAA "
#define RU "\xD0\x9E\xD1\x82\xD0\xBB\xD0\xB8\xD1\x87\xD0\xBD\xD1\x8B\xD0\xB9 \xD1\x81\xD0\xB5" \
	"\xD1\x80\xD0\xB2\xD0\xB8\xD1\x81, \xD0\xB1\xD1\x8B\xD1\x81\xD1\x82\xD1\x80\xD0\xB0\xD1" \
	"\x8F \xD0\xB4\xD0\xBE\xD1\x81\xD1\x82\xD0\xB0\xD0\xB2\xD0\xBA\xD0\xB0; "

static const char data[] =
	"id,text,author_name,permalink,ok\n"
	"de,\"" DE DE DE "\nZweite Zeile, mit Komma.\",J\xC3\xBCrgen M\xC3\xBC" "ller,"
	"https://example.com/r/de?x=1;y=2,yes\n"
	"ja,\"" JA JA JA JA "\",\xE5\xB1\xB1\xE7\x94\xB0 \xE8\x8A\xB1\xE5\xAD\x90,"
	"https://example.com/r/ja,yes\n"
	"ar,\"" AR RU AR RU "\",Layla Haddad,https://example.com/r/ar,yes\n";

static const char job_text[] =
	"{\"name\": \"ics\", \"store\": \"k.db\", \"brand\": {\"name\": \"Acme, Inc.\"}, "
	"\"sources\": [{\"plugin\": \"csv\", \"path\": \"data.csv\", \"consent_column\": \"ok\", "
	"\"consent_scopes\": [\"social\"]}], \"curation\": {\"auto_approve\": [{\"name\": \"g\", "
	"\"all\": {\"rights\": \"granted\"}}]}, \"outputs\": [{\"plugin\": \"reposts\", "
	"\"dir\": \"out\", \"platforms\": [\"linkedin\", \"mastodon\"], \"start\": \"2030-03-29\", "
	"\"days\": 4, \"slots\": [\"09:00\", \"02:30\"], \"timezone\": \"Europe/Berlin\", "
	"\"min_gap_minutes\": 0, \"repeat_after_days\": 1}]}";

static char *dir, *job;

static void setup_run(void)
{
	dir = kt_tmpdir();
	char *p = kt_path(dir, "data.csv");
	kt_write(p, data);
	free(p);
	job = kt_job(dir, job_text);
	struct kt_run r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "kudos run: %s%s", r.out, r.err);
	kt_run_free(&r);
	/* revoke one after planning: cancelled.ics gets events */
	r = kt_kudos(dir, "revoke", "csv:ja", "--reason", "erasure request", "--store", "k.db",
	             NULL);
	cr_assert_eq(r.status, 0, "revoke: %s", r.err);
	kt_run_free(&r);
	r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "kudos run: %s%s", r.out, r.err);
	kt_run_free(&r);
}

static void teardown_run(void)
{
	kt_rmtree(dir);
	free(dir);
	free(job);
}

static char *out(const char *name)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s/out/%s", dir, name) > 0);
	char *t = kt_read(p);
	cr_assert(t, "no %s", p);
	free(p);
	return t;
}

static int utf8_whole(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t k = s[i] < 0x80 ? 1 : (s[i] & 0xE0) == 0xC0 ? 2 : (s[i] & 0xF0) == 0xE0 ? 3
		           : (s[i] & 0xF8) == 0xF0 ? 4 : 0;
		if (!k || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

/* Line ends, line lengths, folding; RETURN VALUE the folded lines. */
static int check_lines(const char *name, const char *t)
{
	int folded = 0;
	const char *line = t;
	while (*line) {
		const char *cr = strstr(line, "\r\n");
		cr_assert(cr, "%s: the last line does not end in CRLF", name);
		size_t n = (size_t)(cr - line);
		cr_expect(!memchr(line, '\n', n) && !memchr(line, '\r', n),
		          "%s: a bare CR or LF in \"%.*s\"", name, (int)n, line);
		cr_expect_leq(n, 75, "%s: a line of %zu octets: \"%.*s\"", name, n, (int)n, line);
		if (*line == ' ' || *line == '\t') {
			folded++;
			cr_expect(n > 1, "%s: a continuation line with no content", name);
		}
		const unsigned char *u = (const unsigned char *)line + (*line == ' ');
		cr_expect(utf8_whole(u, n - (*line == ' ')),
		          "%s: a fold splits a UTF-8 sequence: \"%.*s\"", name, (int)n, line);
		line = cr + 2;
	}
	return folded;
}

/* The value of the first `prop` after `from`: unfolded (section 3.1),
 * then unescaped (3.3.11), in that order. */
static char *value_after(const char *from, const char *prop)
{
	const char *q = strstr(from, prop);
	cr_assert(q, "no %s", prop);
	q += strlen(prop);
	char *line = malloc(strlen(q) + 1), *l = line;
	while (*q) {
		if (q[0] == '\r' && q[1] == '\n' && (q[2] == ' ' || q[2] == '\t')) {
			q += 3;
			continue;
		}
		if (q[0] == '\r' && q[1] == '\n')
			break;
		*l++ = *q++;
	}
	*l = '\0';
	const char *p = line;
	char *v = malloc(strlen(p) + 1), *o = v;
	while (*p) {
		if (*p == '\\' && p[1]) {
			*o++ = p[1] == 'n' || p[1] == 'N' ? '\n' : p[1];
			p += 2;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	free(line);
	return v;
}

TestSuite(reposts_ics, .init = setup_run, .fini = teardown_run);

Test(reposts_ics, lines_are_crlf_folded_at_75_octets_and_text_is_escaped)
{
	char *ics = out("schedule.ics"), *can = out("cancelled.ics"), *js = out("schedule.json");
	cr_expect_gt(check_lines("schedule.ics", ics), 10, "long quotes must fold");
	check_lines("cancelled.ics", can);
	cr_expect(strstr(ics, "X-WR-CALNAME:Acme\\, Inc. reposts\r\n"), "TEXT escaping of ,");
	cJSON *doc = cJSON_Parse(js);
	const cJSON *p;
	int n = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		char *uid = NULL;
		cr_assert(asprintf(&uid, "UID:%s@kudos\r\n",
		                   cJSON_GetObjectItem(p, "id")->valuestring) > 0);
		const char *ev = strstr(ics, uid);
		cr_assert(ev, "no event %s", uid);
		char *desc = value_after(ev, "\r\nDESCRIPTION:");
		cr_expect_str_eq(desc, cJSON_GetObjectItem(p, "text")->valuestring,
		                 "DESCRIPTION does not round-trip for %s", uid);
		free(desc);
		free(uid);
		n++;
	}
	cr_expect_geq(n, 4, "posts of de and ar on two platforms");
	cr_expect(strstr(ics, "\\;") && strstr(ics, "\\,") && strstr(ics, "\\\\") &&
	          strstr(ics, "\\n"), "; , \\ and line breaks are escaped");
	cJSON_Delete(doc);
	free(ics);
	free(can);
	free(js);
}

/* ---- Python's icalendar ---------------------------------------------------- */

static const char script[] =
	"import sys, json, datetime\n"
	"from icalendar import Calendar\n"
	"def comp(c):\n"
	"    return {'name': c.name, 'props': sorted(set(c.keys())),\n"
	"            'params': {k: dict(getattr(v, 'params', {})) for k, v in c.items()\n"
	"                       if not isinstance(v, list)},\n"
	"            'subs': [comp(s) for s in c.subcomponents]}\n"
	"res = {}\n"
	"for path in sys.argv[1:]:\n"
	"    try:\n"
	"        cal = Calendar.from_ical(open(path, 'rb').read())\n"
	"    except Exception as e:\n"
	"        res[path] = {'error': str(e)}\n"
	"        continue\n"
	"    d = comp(cal)\n"
	"    d['events'] = []\n"
	"    for ev in cal.walk('VEVENT'):\n"
	"        e = {k: str(ev.get(k, '')) for k in ('UID', 'SUMMARY', 'DESCRIPTION', 'STATUS')}\n"
	"        e['SEQUENCE'] = int(ev.get('SEQUENCE', 0))\n"
	"        dt = ev.decoded('DTSTART')\n"
	"        e['TZID'] = ev['DTSTART'].params.get('TZID', '')\n"
	"        if isinstance(dt, datetime.datetime) and dt.tzinfo:\n"
	"            e['UTC'] = dt.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')\n"
	"        d['events'].append(e)\n"
	"    res[path] = d\n"
	"print(json.dumps(res))\n";

static const char *python(void)
{
	static const char *const candidates[] = {"python3", "/usr/bin/python3", NULL};
	for (int i = 0; candidates[i]; i++) {
		char cmd[256];
		snprintf(cmd, sizeof cmd, "%s -c 'import icalendar' >/dev/null 2>&1", candidates[i]);
		if (system(cmd) == 0)
			return candidates[i];
	}
	return NULL;
}

static cJSON *parse_with_python(const char *py, const char *const *files, size_t n)
{
	char *sp = kt_path(dir, "parse_ics.py");
	kt_write(sp, script);
	size_t len = strlen(py) + strlen(sp) + 16;
	for (size_t i = 0; i < n; i++)
		len += strlen(files[i]) + 3;
	char *cmd = malloc(len);
	snprintf(cmd, len, "%s %s", py, sp);
	for (size_t i = 0; i < n; i++) {
		strcat(cmd, " '");
		strcat(cmd, files[i]);
		strcat(cmd, "'");
	}
	FILE *f = popen(cmd, "r");
	cr_assert(f, "cannot run %s", cmd);
	char *buf = NULL;
	size_t cap = 0, used = 0, got;
	do {
		if (cap - used < 4096)
			buf = realloc(buf, cap = cap * 2 + 8192);
		got = fread(buf + used, 1, cap - used - 1, f);
		used += got;
	} while (got);
	buf[used] = '\0';
	cr_assert_eq(pclose(f), 0, "%s failed:\n%s", cmd, buf);
	cJSON *doc = cJSON_Parse(buf);
	cr_assert(doc, "the script printed no JSON:\n%s", buf);
	free(buf);
	free(cmd);
	free(sp);
	return doc;
}

static int has(const cJSON *strings, const char *s)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, strings)
		if (!strcmp(v->valuestring, s))
			return 1;
	return 0;
}

static const cJSON *sub(const cJSON *c, const char *name)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(c, "subs"))
		if (!strcmp(cJSON_GetObjectItem(v, "name")->valuestring, name))
			return v;
	return NULL;
}

/* Every property `ref`'s component has from `names` is also in ours. */
static void same_props(const cJSON *ours, const cJSON *ref, const char *const *names,
                       const char *what)
{
	cr_assert(ours && ref, "%s: missing on one side", what);
	for (int i = 0; names[i]; i++)
		if (has(cJSON_GetObjectItem(ref, "props"), names[i]))
			cr_expect(has(cJSON_GetObjectItem(ours, "props"), names[i]),
			          "%s: the reference has %s, ours does not", what, names[i]);
}

Test(reposts_ics, python_icalendar_reads_both_calendars_like_the_reference_ones)
{
	const char *py = python();
	if (!py) {
		cr_log_warn("neither python3 nor /usr/bin/python3 can import icalendar "
		            "(apt-get install python3-icalendar): the calendars are not parsed");
		cr_skip_test("no Python icalendar");
	}
	char *sched = kt_path(dir, "out/schedule.ics"), *canc = kt_path(dir, "out/cancelled.ics");
	const char *real = kt_real_fixtures();
	char *google = NULL, *zurich = NULL;
	if (real) {
		cr_assert(asprintf(&google, "%s/ical/icalendar_google_calendar_export_valarm.ics",
		                   real) > 0);
		cr_assert(asprintf(&zurich, "%s/ical/icalendar_google_tzid_rrule_escaped_newlines.ics",
		                   real) > 0);
	} else {
		cr_log_warn("../shared/fixtures/real is absent: our calendars are parsed, but not "
		            "compared with the reference ones");
	}
	const char *files[] = {sched, canc, google, zurich};
	cJSON *res = parse_with_python(py, files, real ? 4 : 2);
	const cJSON *s = cJSON_GetObjectItem(res, sched), *c = cJSON_GetObjectItem(res, canc);
	cr_assert(s && !cJSON_GetObjectItem(s, "error"), "schedule.ics: %s",
	          s ? cJSON_Print(s) : "absent");
	cr_assert(c && !cJSON_GetObjectItem(c, "error"), "cancelled.ics does not parse");

	/* what icalendar read is what schedule.json says */
	char *js = out("schedule.json");
	cJSON *doc = cJSON_Parse(js);
	const cJSON *p, *e;
	int matched = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		char uid[160];
		snprintf(uid, sizeof uid, "%s@kudos", cJSON_GetObjectItem(p, "id")->valuestring);
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(s, "events"))
		{
			if (strcmp(cJSON_GetObjectItem(e, "UID")->valuestring, uid))
				continue;
			matched++;
			cr_expect_str_eq(cJSON_GetObjectItem(e, "DESCRIPTION")->valuestring,
			                 cJSON_GetObjectItem(p, "text")->valuestring, "%s", uid);
			cr_expect_str_eq(cJSON_GetObjectItem(e, "UTC")->valuestring,
			                 cJSON_GetObjectItem(p, "utc")->valuestring, "%s", uid);
			cr_expect_str_eq(cJSON_GetObjectItem(e, "TZID")->valuestring, "Europe/Berlin");
			cr_expect_str_eq(cJSON_GetObjectItem(e, "STATUS")->valuestring, "CONFIRMED");
		}
	}
	cr_expect_eq(matched, cJSON_GetArraySize(cJSON_GetObjectItem(doc, "posts")),
	             "every post is one event");
	int cancelled = 0;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(c, "events"))
	{
		cancelled++;
		cr_expect_str_eq(cJSON_GetObjectItem(e, "STATUS")->valuestring, "CANCELLED");
		cr_expect_geq(cJSON_GetObjectItem(e, "SEQUENCE")->valueint, 1);
	}
	cr_expect_eq(cancelled, cJSON_GetArraySize(cJSON_GetObjectItem(doc, "cancelled")),
	             "one CANCEL event per cancelled post");
	cr_expect_geq(cancelled, 2, "ja's posts on both platforms are cancelled");

	if (real) {
		const cJSON *g = cJSON_GetObjectItem(res, google), *z = cJSON_GetObjectItem(res, zurich);
		const char *cal[] = {"VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME",
		                     "X-WR-TIMEZONE", NULL};
		const char *tz[] = {"TZID", NULL};
		const char *obs[] = {"TZOFFSETFROM", "TZOFFSETTO", "DTSTART", "TZNAME", NULL};
		const char *ev[] = {"UID", "DTSTAMP", "DTSTART", "SEQUENCE", "STATUS", "SUMMARY",
		                    "TRANSP", NULL};
		same_props(s, g, cal, "VCALENDAR vs the Google export");
		same_props(sub(s, "VTIMEZONE"), sub(g, "VTIMEZONE"), tz, "VTIMEZONE");
		same_props(sub(sub(s, "VTIMEZONE"), "DAYLIGHT"), sub(sub(g, "VTIMEZONE"), "DAYLIGHT"),
		           obs, "DAYLIGHT");
		same_props(sub(sub(s, "VTIMEZONE"), "STANDARD"), sub(sub(g, "VTIMEZONE"), "STANDARD"),
		           obs, "STANDARD");
		same_props(sub(s, "VEVENT"), sub(g, "VEVENT"), ev, "VEVENT vs the Google export");
		same_props(sub(s, "VEVENT"), sub(z, "VEVENT"), ev, "VEVENT vs the Zurich export");
		const cJSON *zev = cJSON_GetArrayItem(cJSON_GetObjectItem(z, "events"), 0);
		cr_expect_str_eq(cJSON_GetObjectItem(zev, "TZID")->valuestring, "Europe/Zurich",
		                 "the reference uses DTSTART;TZID= as we do");
	}
	cJSON_Delete(doc);
	cJSON_Delete(res);
	free(js);
	free(sched);
	free(canc);
	free(google);
	free(zurich);
}

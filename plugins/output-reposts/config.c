/*
 * config.c: checking the job's keys for the reposts output.
 *
 * Contract: rp_config_check() runs in init(), after the host has stored
 * the typed values, and checks what the types cannot say: platform names,
 * "HH:MM" slots, a YYYY-MM-DD start, a time zone the tz database knows
 * (asked through host->zone_to_utc), ranges, the template's placeholders,
 * hashtags, fallback, csv_format and order.  Each mistake is refused with
 * KUDOS_EINVAL and a message naming the key and what to write.  It also
 * settles the derived values: the platform list, the sorted slots, the
 * start date (default: the run's date in the zone), the hashtag text, the
 * job's name and the calendar's name.
 */
#include "reposts.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const csv_formats[] = {"hootsuite", "hootsuite-us", "highlevel", "sprout",
                                          NULL};

const char *const rp_order_names[] = {"newest_approved", "oldest_approved", "highest_rated",
                                      "newest_created", NULL};

/* Refuse the job's value: set the message, exit status 2. */
#define BAD(...) (host->set_error(self, __VA_ARGS__), KUDOS_EINVAL)

static int check_platforms(const struct kudos_host *host, struct kudos_instance *self,
                           struct rp_ctx *ctx)
{
	for (size_t i = 0; ctx->platform_names && ctx->platform_names[i]; i++) {
		int p = rp_platform_find(ctx->platform_names[i]);
		if (p < 0)
			return BAD("\"platforms\" names \"%s\", which is not a platform: "
			           "use x, mastodon, bluesky, threads, linkedin, instagram or facebook",
			           ctx->platform_names[i]);
		if (ctx->enabled[p])
			return BAD("\"platforms\" lists \"%s\" twice; list it once",
			           ctx->platform_names[i]);
		ctx->enabled[p] = 1;
		ctx->platforms[ctx->nplatforms++] = p;
	}
	if (!ctx->nplatforms)
		return BAD("\"platforms\" is empty: list where the reposts go, e.g. "
		           "[\"x\", \"mastodon\", \"bluesky\"]");
	return KUDOS_OK;
}

static int check_slots(const struct kudos_host *host, struct kudos_instance *self,
                       struct rp_ctx *ctx)
{
	for (size_t i = 0; ctx->slot_names && ctx->slot_names[i]; i++) {
		int m;
		if (!rp_parse_hhmm(ctx->slot_names[i], &m))
			return BAD("\"slots\" holds \"%s\", which is not a time of day: "
			           "write local times as \"HH:MM\", e.g. [\"09:30\", \"16:00\"]",
			           ctx->slot_names[i]);
		if (ctx->nslots == sizeof ctx->slot_minutes / sizeof ctx->slot_minutes[0])
			return BAD("\"slots\" has more than 48 times a day; keep at most 48");
		for (size_t k = 0; k < ctx->nslots; k++)
			if (ctx->slot_minutes[k] == m)
				return BAD("\"slots\" lists %s twice; list each time once",
				           ctx->slot_names[i]);
		size_t k = ctx->nslots++;
		while (k && ctx->slot_minutes[k - 1] > m) {
			ctx->slot_minutes[k] = ctx->slot_minutes[k - 1];
			k--;
		}
		ctx->slot_minutes[k] = m;
	}
	if (!ctx->nslots)
		return BAD("\"slots\" is empty: give the local times to post at, "
		           "e.g. [\"09:30\", \"16:00\"]");
	return KUDOS_OK;
}

static int check_numbers(const struct kudos_host *host, struct kudos_instance *self,
                         const struct rp_ctx *ctx)
{
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)ctx->days);
	if (ctx->days < 1 || ctx->days > 366)
		return BAD("\"days\" is %s: plan from 1 to 366 days ahead", v);
	snprintf(v, sizeof v, "%lld", (long long)ctx->max_per_day);
	if (ctx->max_per_day < 0 || ctx->max_per_day > 48)
		return BAD("\"max_per_day\" is %s: use 1 to 48 posts a day per platform, "
		           "or 0 for one in every slot", v);
	snprintf(v, sizeof v, "%lld", (long long)ctx->min_gap_minutes);
	if (ctx->min_gap_minutes < 0 || ctx->min_gap_minutes > 1440)
		return BAD("\"min_gap_minutes\" is %s: use 0 to 1440 minutes", v);
	snprintf(v, sizeof v, "%lld", (long long)ctx->repeat_after_days);
	if (ctx->repeat_after_days < 0 || ctx->repeat_after_days > 3650)
		return BAD("\"repeat_after_days\" is %s: use 1 to 3650 days, or 0 to "
		           "never repost an item on the same platform", v);
	return KUDOS_OK;
}

static int check_hashtags(const struct kudos_host *host, struct kudos_instance *self,
                          struct rp_ctx *ctx)
{
	struct rp_buf b = {0};
	for (size_t i = 0; ctx->hashtag_names && ctx->hashtag_names[i]; i++) {
		const char *t = ctx->hashtag_names[i];
		while (*t == '#')
			t++;
		if (!*t || strpbrk(t, " \t\r\n#")) {
			rp_buf_free(&b);
			return BAD("\"hashtags\" holds \"%s\": give single words, with or "
			           "without '#', e.g. [\"YesAcme\", \"#customers\"]",
			           ctx->hashtag_names[i]);
		}
		rp_buf_printf(&b, "%s#%s", b.len ? " " : "", t);
	}
	size_t n = 0;
	while (ctx->hashtag_names && ctx->hashtag_names[n])
		n++;
	if (n > 5 && ctx->enabled[RP_INSTAGRAM])
		host->log(self, KUDOS_LOG_WARN, "\"hashtags\" has %zu tags: Instagram now takes at "
		          "most 5 in a caption (it used to take 30)", n);
	ctx->hashtags = rp_buf_take(&b, NULL);
	if (!ctx->hashtags) {
		host->set_error(self, "out of memory");
		return KUDOS_ENOMEM;
	}
	return KUDOS_OK;
}

/* A string member of the job's top-level value `key` (JSON), or NULL. */
static char *job_string(const struct kudos_host *host, struct kudos_instance *self,
                        const char *key, const char *member)
{
	const char *json = host->job_get(self, key);
	cJSON *v = json ? cJSON_Parse(json) : NULL;
	const cJSON *s = member ? cJSON_GetObjectItemCaseSensitive(v, member) : v;
	char *out = cJSON_IsString(s) && *s->valuestring ? rp_strdup(s->valuestring) : NULL;
	/* plugin.h calls the value compact JSON, but this host hands a
	 * top-level string over as it is: take either */
	if (!out && !member && json && *json && (!v || !cJSON_IsString(v)))
		out = rp_strdup(json);
	cJSON_Delete(v);
	return out;
}

static int check_start(const struct kudos_host *host, struct kudos_instance *self,
                       struct rp_ctx *ctx)
{
	struct kudos_civil_time c = {sizeof c, 2020, 1, 1, 12, 0, 0, 0};
	int64_t utc;
	if (!ctx->timezone || host->zone_to_utc(ctx->timezone, &c, &utc, NULL) != KUDOS_OK)
		return BAD("\"timezone\" is \"%s\", which the system's tz database does "
		           "not know: use an IANA name such as \"Europe/Berlin\", "
		           "\"America/New_York\" or \"UTC\"", ctx->timezone);
	ctx->utc_zone = !strcmp(ctx->timezone, "UTC") || !strcmp(ctx->timezone, "Etc/UTC");
	if (ctx->start) {
		if (!rp_parse_date(ctx->start, &ctx->start_y, &ctx->start_m, &ctx->start_d))
			return BAD("\"start\" is \"%s\", which is not a date: write the "
			           "first day of the plan as YYYY-MM-DD, e.g. \"2026-04-01\"",
			           ctx->start);
		return KUDOS_OK;
	}
	if (rp_local(host, ctx, ctx->now, &c) != KUDOS_OK)
		return BAD("cannot read today's date in \"%s\"", ctx->timezone);
	ctx->start_y = c.year;
	ctx->start_m = c.month;
	ctx->start_d = c.day;
	return KUDOS_OK;
}

int rp_config_check(const struct kudos_host *host, struct kudos_instance *self,
                    struct rp_ctx *ctx)
{
	int rc;
	size_t n;
	ctx->now = host->run_time(self);
	if ((rc = check_platforms(host, self, ctx)) || (rc = check_slots(host, self, ctx)) ||
	    (rc = check_numbers(host, self, ctx)) || (rc = check_start(host, self, ctx)))
		return rc;
	if (!ctx->template_text || !*ctx->template_text)
		return BAD("\"template\" is empty: write the post, e.g. "
		           "\"\\u201c{quote}\\u201d \\u2014 {credit} {permalink}\"");
	const char *u = rp_template_unknown(ctx->template_text, &n);
	if (u) {
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(n < 60 ? n : 60), u);
		return BAD("\"template\" holds %s, which is not a placeholder: use "
		           "{quote}, {credit}, {permalink}, {hashtags} and {source}, and write a "
		           "literal brace as {{ or }}", name);
	}
	if (!strstr(ctx->template_text, "{quote}"))
		host->log(self, KUDOS_LOG_WARN, "\"template\" has no {quote}: the posts will not "
		          "quote anyone");
	if (!ctx->fallback || (strcmp(ctx->fallback, "skip") && strcmp(ctx->fallback, "card")))
		return BAD("\"fallback\" is \"%s\": use \"skip\" (leave a quote too long "
		           "for a platform out there) or \"card\" (post its card image instead)",
		           ctx->fallback);
	ctx->fallback_card = !strcmp(ctx->fallback, "card");
	ctx->csv_fmt = -1;
	for (int i = 0; ctx->csv_format && csv_formats[i]; i++)
		if (!strcmp(ctx->csv_format, csv_formats[i]))
			ctx->csv_fmt = i;
	if (ctx->csv_fmt < 0)
		return BAD("\"csv_format\" is \"%s\": use \"hootsuite\" (no header: "
		           "dd/mm/yyyy HH:MM,message,link), \"hootsuite-us\" (mm/dd/yyyy), "
		           "\"highlevel\" or \"sprout\"", ctx->csv_format);
	ctx->order_kind = -1;
	for (int i = 0; ctx->order && rp_order_names[i]; i++)
		if (!strcmp(ctx->order, rp_order_names[i]))
			ctx->order_kind = i;
	if (ctx->order_kind < 0)
		return BAD("\"order\" is \"%s\": use \"newest_approved\" (the latest approvals "
		           "first), \"oldest_approved\", \"highest_rated\" or \"newest_created\" "
		           "(the newest items first)", ctx->order);
	if ((rc = check_hashtags(host, self, ctx)))
		return rc;
	ctx->job_name = job_string(host, self, "name", NULL);
	char *brand = job_string(host, self, "brand", "name");
	if (asprintf(&ctx->cal_name, "%s reposts",
	             brand ? brand : ctx->job_name ? ctx->job_name : "kudos") < 0)
		ctx->cal_name = NULL;
	free(brand);
	if (!ctx->cal_name || (!ctx->job_name && !(ctx->job_name = rp_strdup("kudos")))) {
		host->set_error(self, "out of memory");
		return KUDOS_ENOMEM;
	}
	return KUDOS_OK;
}

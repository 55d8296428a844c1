/*
 * reposts: a schedule of rights-checked reposts (output plugin).
 *
 * Job keys (see config.c for what each accepts):
 *   dir               the folder of the files (required)
 *   platforms         any of x, mastodon, bluesky, threads, linkedin,
 *                     instagram, facebook (default x, mastodon, bluesky)
 *   start             the first day, YYYY-MM-DD (default: the run's date in
 *                     the zone)          days  how many days (default 14)
 *   slots             local times, "HH:MM" (default 09:30 and 16:00)
 *   timezone          IANA zone of the slots (default UTC)
 *   max_per_day       posts a day per platform (default 0: one per slot)
 *   min_gap_minutes   between two posts on a platform (default 60)
 *   repeat_after_days an item is not reposted on a platform sooner
 *                     (default 90; 0: never again)
 *   template          the post (placeholders: posttext.c)
 *   hashtags          words for {hashtags}        scope  default social
 *   fallback          "skip" or "card" for a quote too long for a platform
 *   csv_format        hootsuite (default), hootsuite-us, highlevel, sprout
 *   order             which item goes first: newest_approved (default),
 *                     oldest_approved, highest_rated, newest_created
 *
 * init() declares the plan's span (first slot to last) with
 * output_horizon, so the gate hands over what passes at some slot, not
 * only what passes now.  consume() keeps a copy of each item with its post
 * text per platform and returns KUDOS_OK when it can go somewhere in the
 * plan (a platform it fits, and a slot still ahead at which the gate lets
 * it through), KUDOS_SKIP otherwise; flush() plans (plan.c), writes every file through
 * output_write (schedule.json, schedule-<platform>.csv, schedule.ics,
 * cancelled.csv, cancelled.ics; built in memory first, so a failure
 * leaves the earlier files whole) and then saves the plan (state.c).
 */
#include "reposts.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TEMPLATE                                                                  \
	"\xE2\x80\x9C{quote}\xE2\x80\x9D\n\xE2\x80\x94 {credit}\n{permalink}\n{hashtags}"

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "dir", NULL, 1, offsetof(struct rp_ctx, dir),
	 "the folder for schedule.json, the CSV files and the calendars"},
	{KUDOS_CONFIG_STRING_LIST, "platforms", "[\"x\", \"mastodon\", \"bluesky\"]", 0,
	 offsetof(struct rp_ctx, platform_names),
	 "x, mastodon, bluesky, threads, linkedin, instagram, facebook"},
	{KUDOS_CONFIG_STRING, "start", NULL, 0, offsetof(struct rp_ctx, start),
	 "first day of the plan, YYYY-MM-DD (default: today in the zone)"},
	{KUDOS_CONFIG_INT, "days", "14", 0, offsetof(struct rp_ctx, days),
	 "how many days to plan (1-366)"},
	{KUDOS_CONFIG_STRING_LIST, "slots", "[\"09:30\", \"16:00\"]", 0,
	 offsetof(struct rp_ctx, slot_names), "local times to post at, \"HH:MM\""},
	{KUDOS_CONFIG_STRING, "timezone", "UTC", 0, offsetof(struct rp_ctx, timezone),
	 "IANA time zone of the slots, e.g. Europe/Berlin"},
	{KUDOS_CONFIG_INT, "max_per_day", "0", 0, offsetof(struct rp_ctx, max_per_day),
	 "posts a day per platform (0: one in every slot)"},
	{KUDOS_CONFIG_INT, "min_gap_minutes", "60", 0, offsetof(struct rp_ctx, min_gap_minutes),
	 "minutes between two posts on one platform"},
	{KUDOS_CONFIG_INT, "repeat_after_days", "90", 0,
	 offsetof(struct rp_ctx, repeat_after_days),
	 "days before an item is reposted on a platform (0: never)"},
	{KUDOS_CONFIG_STRING, "template", DEFAULT_TEMPLATE, 0,
	 offsetof(struct rp_ctx, template_text),
	 "the post: {quote} {credit} {permalink} {hashtags} {source}"},
	{KUDOS_CONFIG_STRING_LIST, "hashtags", "[]", 0, offsetof(struct rp_ctx, hashtag_names),
	 "hashtags for {hashtags}, e.g. [\"YesAcme\"]"},
	{KUDOS_CONFIG_STRING, "scope", "social", 0, offsetof(struct rp_ctx, scope),
	 "the rights scope an item's grant must include (default social)"},
	{KUDOS_CONFIG_STRING, "fallback", "skip", 0, offsetof(struct rp_ctx, fallback),
	 "a quote too long for a platform: skip, or card (post the card image)"},
	{KUDOS_CONFIG_STRING, "csv_format", "hootsuite", 0, offsetof(struct rp_ctx, csv_format),
	 "hootsuite (no header), hootsuite-us, highlevel or sprout"},
	{KUDOS_CONFIG_STRING, "order", "newest_approved", 0, offsetof(struct rp_ctx, order),
	 "who goes first: newest_approved, oldest_approved, highest_rated, newest_created"},
	{0},
};

static void reposts_exit(const struct kudos_host *host, struct kudos_instance *self,
                         void *vctx);

static int reposts_init(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct rp_ctx *ctx = vctx;
	int rc = rp_config_check(host, self, ctx);
	if (rc == KUDOS_OK)
		rc = rp_slots_build(host, self, ctx);
	/* Without these services the gate would hand over only what passes
	 * now, and the plugin could not ask about a slot's time. */
	if (rc == KUDOS_OK && (!KUDOS_HOST_HAS(host, output_horizon) ||
	                       !KUDOS_HOST_HAS(host, gate_check_at))) {
		host->set_error(self, "this kudos cannot check rights at a slot's time "
		                "(no output_horizon/gate_check_at); upgrade kudos");
		rc = KUDOS_EFAIL;
	}
	/* The slots are sorted: the plan publishes from the first to the last. */
	if (rc == KUDOS_OK && ctx->nslotsi)
		rc = host->output_horizon(self, ctx->slots[0].utc,
		                          ctx->slots[ctx->nslotsi - 1].utc + 1);
	if (rc != KUDOS_OK)
		reposts_exit(host, self, ctx); /* exit() is not called after a failed init */
	return rc;
}

static char *author_key(const struct kudos_host *host, const struct kudos_item *item)
{
	const char *who = host->item_get(item, KUDOS_FIELD_AUTHOR_HANDLE);
	if (!who || !*who)
		who = host->item_get(item, KUDOS_FIELD_AUTHOR_URL);
	if (!who || !*who)
		who = host->item_get(item, KUDOS_FIELD_AUTHOR_NAME);
	if (!who || !*who)
		return NULL; /* anonymous: nobody to repeat */
	char buf[17];
	snprintf(buf, sizeof buf, "%016" PRIx64, rp_fnv64(who, strlen(who), RP_FNV_INIT));
	return rp_strdup(buf);
}

static int add_skip(struct rp_ctx *ctx, const char *item, int p, const struct rp_post_text *pt)
{
	if (rp_grow((void **)&ctx->skips, &ctx->capskips, ctx->nskips, sizeof *ctx->skips))
		return -1;
	struct rp_skip *s = &ctx->skips[ctx->nskips];
	s->item = rp_strdup(item);
	s->reason = rp_strdup(pt->why ? pt->why : "does not fit");
	s->platform = p;
	s->length = pt->count.length;
	ctx->nskips++;
	return s->item && s->reason ? 0 : -1;
}

/* The gate lets the item through at some slot still ahead. */
static int passes_some_slot(const struct kudos_host *host, struct kudos_instance *self,
                            const struct rp_ctx *ctx, const struct rp_item *it)
{
	for (size_t s = 0; s < ctx->nslotsi; s++)
		if (ctx->slots[s].utc >= ctx->now &&
		    host->gate_check_at(self, it->id, ctx->slots[s].utc, NULL))
			return 1;
	return 0;
}

static int reposts_consume(const struct kudos_host *host, struct kudos_instance *self,
                           void *vctx, const struct kudos_item *item)
{
	struct rp_ctx *ctx = vctx;
	const char *id = host->item_get(item, KUDOS_FIELD_ID);
	if (!id || !host->item_get(item, KUDOS_FIELD_TEXT) ||
	    !host->item_get(item, KUDOS_FIELD_SOURCE)) {
		host->set_error(self, "item %s lacks its id, text or source; this is a bug in "
		                "kudos, please report it", id ? id : "(no id)");
		return KUDOS_EFAIL;
	}
	if (rp_grow((void **)&ctx->items, &ctx->capitems, ctx->nitems, sizeof *ctx->items))
		goto oom;
	struct rp_item *it = &ctx->items[ctx->nitems++];
	memset(it, 0, sizeof *it);
	const char *card = host->item_artifact(self, item, "cards-png");
	const char *link = rp_web_link(host, item);
	it->id = rp_strdup(id);
	it->source = rp_strdup(host->item_get(item, KUDOS_FIELD_SOURCE));
	it->permalink = link && *link ? rp_strdup(link) : NULL;
	it->image = card ? rp_strdup(card) : NULL;
	it->author = author_key(host, item);
	it->order = (long)ctx->nitems - 1;
	if (!it->id || !it->source || (link && *link && !it->permalink) || (card && !it->image))
		goto oom;
	host->item_grant_window(item, &it->from, &it->until);
	it->has_approved = host->item_get_time(item, KUDOS_TIME_APPROVED, &it->approved);
	double value, scale;
	if (host->item_get_rating(item, &value, &scale) && scale > 0) {
		it->has_rating = 1;
		it->rating = value / scale * 5;
	}
	int fits = 0;
	for (int i = 0; i < ctx->nplatforms; i++) {
		int p = ctx->platforms[i];
		if (rp_post_text_build(host, ctx, item, p, card, &it->post[p]))
			goto oom;
		fits |= it->post[p].fits;
		if (!it->post[p].fits) {
			host->log(self, KUDOS_LOG_INFO, "item %s left out on %s: %s", id,
			          rp_platforms[p].name, it->post[p].why);
			if (add_skip(ctx, id, p, &it->post[p]))
				goto oom;
		}
	}
	if (!fits)
		return KUDOS_SKIP;
	if (!passes_some_slot(host, self, ctx, it)) {
		host->log(self, KUDOS_LOG_INFO, "item %s left out: its grant's window covers no "
		          "slot still ahead in the plan", id);
		return KUDOS_SKIP;
	}
	return KUDOS_OK;
oom:
	host->set_error(self, "out of memory keeping item %s", id);
	return KUDOS_ENOMEM;
}

struct file {
	char name[64];
	char *data;
	size_t len;
};

static void warn_skips(const struct kudos_host *host, struct kudos_instance *self,
                       const struct rp_ctx *ctx)
{
	for (int i = 0; i < ctx->nplatforms; i++) {
		int p = ctx->platforms[i];
		long n = 0;
		for (size_t s = 0; s < ctx->nskips; s++)
			n += ctx->skips[s].platform == p;
		if (n)
			host->log(self, KUDOS_LOG_WARN, "%s: %ld item%s left out, their post does not "
			          "fit (see \"skipped\" in schedule.json%s)", rp_platforms[p].name, n,
			          n == 1 ? "" : "s", ctx->fallback_card ? "" :
			          "; \"fallback\": \"card\" posts the card instead");
	}
}

static void warn_rows(const struct kudos_host *host, struct kudos_instance *self,
                      const struct rp_ctx *ctx, int p)
{
	long rows = 0, max = ctx->csv_fmt == RP_CSV_HIGHLEVEL ? 90 : 350;
	for (size_t i = 0; i < ctx->nposts; i++)
		rows += ctx->posts[i].platform == p && ctx->posts[i].status != RP_PAST;
	if (rows > max)
		host->log(self, KUDOS_LOG_WARN, "schedule-%s.csv has %ld posts; %s imports at most "
		          "%ld per file: plan fewer days or split the file", rp_platforms[p].name,
		          rows, ctx->csv_fmt == RP_CSV_HIGHLEVEL ? "HighLevel" :
		          ctx->csv_fmt == RP_CSV_SPROUT ? "Sprout Social" : "Hootsuite", max);
}

static int reposts_flush(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct rp_ctx *ctx = vctx;
	struct file f[2 * RP_NPLATFORMS + 4];
	size_t nf = 0;
	int rc = rp_state_load(host, self, ctx);
	if (rc == KUDOS_OK)
		rc = rp_plan(host, self, ctx);
	if (rc != KUDOS_OK)
		return rc;
	memset(f, 0, sizeof f);
	rc = KUDOS_ENOMEM;
	snprintf(f[nf].name, sizeof f[nf].name, "schedule.json");
	if (rp_json_schedule(host, self, ctx, &f[nf].data, &f[nf].len))
		goto done;
	nf++;
	for (int i = 0; i < ctx->nplatforms; i++, nf++) {
		int p = ctx->platforms[i];
		snprintf(f[nf].name, sizeof f[nf].name, "schedule-%s.csv", rp_platforms[p].name);
		if (rp_csv_schedule(host, ctx, p, &f[nf].data, &f[nf].len))
			goto oom;
		warn_rows(host, self, ctx, p);
	}
	snprintf(f[nf].name, sizeof f[nf].name, "schedule.ics");
	if (rp_ics_schedule(host, ctx, &f[nf].data, &f[nf].len))
		goto oom;
	nf++;
	snprintf(f[nf].name, sizeof f[nf].name, "cancelled.csv");
	if (rp_csv_cancelled(host, ctx, &f[nf].data, &f[nf].len))
		goto oom;
	nf++;
	snprintf(f[nf].name, sizeof f[nf].name, "cancelled.ics");
	if (rp_ics_cancelled(host, ctx, &f[nf].data, &f[nf].len))
		goto oom;
	nf++;
	/* a platform that left the job: its file is emptied, not left stale */
	for (int p = 0; p < RP_NPLATFORMS; p++) {
		int gone = 0;
		for (size_t c = 0; c < ctx->ncancels && !ctx->enabled[p]; c++)
			gone |= ctx->cancels[c].platform == p && ctx->cancels[c].fresh;
		if (!gone)
			continue;
		snprintf(f[nf].name, sizeof f[nf].name, "schedule-%s.csv", rp_platforms[p].name);
		if (rp_csv_schedule(host, ctx, p, &f[nf].data, &f[nf].len))
			goto oom;
		nf++;
	}
	if (host->should_stop(self)) {
		rc = KUDOS_ESTOP; /* before the first file: all or nothing */
		goto done;
	}
	/* The cancellation lists publish nobody's words: they are reports,
	 * not files that hold the planned items. */
	for (size_t i = 0; i < nf; i++) {
		int report = strncmp(f[i].name, "cancelled.", 10) == 0;
		rc = report ? host->output_write_report(self, f[i].name, f[i].data, f[i].len)
		            : host->output_write(self, f[i].name, f[i].data, f[i].len);
		if (rc != KUDOS_OK)
			goto done;
	}
	/* The schedule holds the items of posts still ahead and nothing else
	 * (an item with no slot is not published by this output): in
	 * schedule.json, schedule.ics and its platform's CSV, so that a
	 * takedown names every file that quoted it. */
	for (size_t i = 0; i < ctx->nposts && rc == KUDOS_OK; i++) {
		struct rp_post *x = &ctx->posts[i];
		if (x->status == RP_PAST || !x->it)
			continue;
		char csv[64];
		snprintf(csv, sizeof csv, "schedule-%s.csv", rp_platforms[x->platform].name);
		if (!(x->it->placed & 1u << RP_NPLATFORMS) &&
		    ((rc = host->output_place(self, x->item, "schedule.json")) != KUDOS_OK ||
		     (rc = host->output_place(self, x->item, "schedule.ics")) != KUDOS_OK))
			break;
		if (!(x->it->placed & 1u << x->platform))
			rc = host->output_place(self, x->item, csv);
		x->it->placed |= 1u << RP_NPLATFORMS | 1u << x->platform;
	}
	if (rc != KUDOS_OK)
		goto done;
	warn_skips(host, self, ctx);
	long fresh = 0, cancelled = 0, ahead = 0;
	for (size_t i = 0; i < ctx->nposts; i++) {
		ahead += ctx->posts[i].status != RP_PAST;
		fresh += ctx->posts[i].status == RP_NEW;
	}
	for (size_t i = 0; i < ctx->ncancels; i++)
		cancelled += ctx->cancels[i].fresh;
	host->log(self, KUDOS_LOG_INFO, "%ld posts planned ahead (%ld new), %ld cancelled by "
	          "this run", ahead, fresh, cancelled);
	rc = rp_state_save(host, self, ctx);
	goto done;
oom:
	host->set_error(self, "out of memory building %s", f[nf].name);
done:
	for (size_t i = 0; i <= nf && i < sizeof f / sizeof f[0]; i++)
		free(f[i].data);
	return rc;
}

static void reposts_exit(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct rp_ctx *ctx = vctx;
	(void)host;
	(void)self;
	for (size_t i = 0; i < ctx->nitems; i++) {
		struct rp_item *it = &ctx->items[i];
		free(it->id);
		free(it->source);
		free(it->permalink);
		free(it->image);
		free(it->author);
		for (int p = 0; p < RP_NPLATFORMS; p++) {
			free(it->post[p].text);
			free(it->post[p].why);
			free(it->times[p]);
		}
	}
	free(ctx->items);
	for (size_t i = 0; i < ctx->nskips; i++) {
		free(ctx->skips[i].item);
		free(ctx->skips[i].reason);
	}
	free(ctx->skips);
	for (size_t i = 0; i < ctx->nposts; i++) {
		free(ctx->posts[i].id);
		free(ctx->posts[i].item);
		free(ctx->posts[i].hash);
		free(ctx->posts[i].author);
		free(ctx->posts[i].source);
	}
	free(ctx->posts);
	for (size_t i = 0; i < ctx->ncancels; i++) {
		free(ctx->cancels[i].id);
		free(ctx->cancels[i].item);
		free(ctx->cancels[i].reason);
	}
	free(ctx->cancels);
	for (size_t i = 0; i < ctx->nnotes; i++)
		free(ctx->notes[i].text);
	free(ctx->notes);
	free(ctx->slots);
	free(ctx->hashtags);
	free(ctx->job_name);
	free(ctx->cal_name);
	memset(ctx, 0, sizeof *ctx);
}

static const struct kudos_plugin reposts_plugin = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_OUTPUT,
	.name = "reposts",
	.version = "1.0.0",
	.description = "a schedule of rights-checked reposts: JSON, bulk-import CSV, iCalendar",
	.config = config,
	.context_size = sizeof(struct rp_ctx),
	.init = reposts_init,
	.consume = reposts_consume,
	.flush = reposts_flush,
	.exit = reposts_exit,
};

KUDOS_PLUGIN_DEFINE(reposts_plugin)

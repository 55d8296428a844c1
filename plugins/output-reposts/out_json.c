/*
 * out_json.c: schedule.json, the whole plan for people and programs.
 *
 * Contract: one JSON document, keys in a fixed order, byte-identical for
 * an identical plan and run time (SOURCE_DATE_EPOCH):
 *   {"schema": "kudos.reposts/1", "generated_at", "timezone", "start",
 *    "days", "slots", "platforms", "order",
 *    "posts": [{"id", "item", "platform", "utc", "local", "text",
 *               "weighted_length", "limit", "image", "permalink",
 *               "card_instead_of_quote", "sequence", "status"}],
 *    "skipped": [{"item", "platform", "reason", "weighted_length", "limit"}],
 *    "cancelled": [{"id", "item", "platform", "utc", "local", "reason"}],
 *    "empty_slots": {"<platform>": n}, "notes": ["..."]}
 * "posts" are the posts still ahead (time >= the run's time), in time
 * order; "weighted_length" is the length counted the platform's way
 * (textcount.c) and "limit" the platform's limit in that unit; "local" is
 * the wall-clock time in the job's zone with its UTC offset; "status" is
 * new, kept or updated (kept, with a new text).  "image" is the item's
 * card (a path relative to this folder) when the job has a cards output,
 * else null.
 */
#include "reposts.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fmt_local(const struct kudos_host *host, const struct rp_ctx *ctx, int64_t utc,
                     char buf[32])
{
	struct kudos_civil_time c;
	if (rp_local(host, ctx, utc, &c) != KUDOS_OK)
		return -1;
	int off = c.utc_offset < 0 ? -c.utc_offset : c.utc_offset;
	snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year % 10000, c.month,
	         c.day, c.hour, c.minute, c.second, c.utc_offset < 0 ? '-' : '+', off / 3600,
	         off / 60 % 60);
	return 0;
}

static cJSON *str_or_null(const char *s)
{
	return s && *s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static const char *status_name(int s)
{
	return s == RP_NEW ? "new" : s == RP_UPDATED ? "updated" : "kept";
}

static int add_post(const struct kudos_host *host, const struct rp_ctx *ctx, cJSON *arr,
                    const struct rp_post *x)
{
	const struct rp_post_text *pt = &x->it->post[x->platform];
	char utc[32], local[32];
	rp_fmt_utc(x->utc, utc);
	if (fmt_local(host, ctx, x->utc, local))
		return -1;
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddItemToArray(arr, o))
		return -1;
	return cJSON_AddStringToObject(o, "id", x->id) && cJSON_AddStringToObject(o, "item", x->item) &&
	               cJSON_AddStringToObject(o, "platform", rp_platforms[x->platform].name) &&
	               cJSON_AddStringToObject(o, "utc", utc) &&
	               cJSON_AddStringToObject(o, "local", local) &&
	               cJSON_AddStringToObject(o, "text", pt->text) &&
	               cJSON_AddNumberToObject(o, "weighted_length", (double)pt->count.length) &&
	               cJSON_AddNumberToObject(o, "limit", (double)rp_platforms[x->platform].limit) &&
	               cJSON_AddItemToObject(o, "image", str_or_null(x->it->image)) &&
	               cJSON_AddItemToObject(o, "permalink", str_or_null(x->it->permalink)) &&
	               cJSON_AddBoolToObject(o, "card_instead_of_quote", pt->fallback) &&
	               cJSON_AddNumberToObject(o, "sequence", x->seq) &&
	               cJSON_AddStringToObject(o, "status", status_name(x->status))
	           ? 0
	           : -1;
}

static int add_cancel(const struct kudos_host *host, const struct rp_ctx *ctx, cJSON *arr,
                      const struct rp_cancel *c)
{
	char utc[32], local[32];
	rp_fmt_utc(c->utc, utc);
	if (fmt_local(host, ctx, c->utc, local))
		return -1;
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddItemToArray(arr, o))
		return -1;
	return cJSON_AddStringToObject(o, "id", c->id) && cJSON_AddStringToObject(o, "item", c->item) &&
	               cJSON_AddStringToObject(o, "platform", rp_platforms[c->platform].name) &&
	               cJSON_AddStringToObject(o, "utc", utc) &&
	               cJSON_AddStringToObject(o, "local", local) &&
	               cJSON_AddStringToObject(o, "reason", c->reason)
	           ? 0
	           : -1;
}

int rp_json_schedule(const struct kudos_host *host, struct kudos_instance *self,
                     const struct rp_ctx *ctx, char **out, size_t *len)
{
	char when[32], start[32];
	rp_fmt_utc(ctx->now, when);
	snprintf(start, sizeof start, "%04d-%02d-%02d", ctx->start_y % 10000, ctx->start_m,
	         ctx->start_d);
	cJSON *doc = cJSON_CreateObject(), *a;
	int ok = doc && cJSON_AddStringToObject(doc, "schema", "kudos.reposts/1") &&
	         cJSON_AddStringToObject(doc, "generated_at", when) &&
	         cJSON_AddStringToObject(doc, "timezone", ctx->timezone) &&
	         cJSON_AddStringToObject(doc, "start", start) &&
	         cJSON_AddNumberToObject(doc, "days", (double)ctx->days);
	if (ok && (ok = (a = cJSON_AddArrayToObject(doc, "slots")) != NULL))
		for (size_t i = 0; ok && i < ctx->nslots; i++) {
			char hm[16];
			snprintf(hm, sizeof hm, "%02d:%02d", ctx->slot_minutes[i] / 60 % 100,
			         ctx->slot_minutes[i] % 60);
			ok = cJSON_AddItemToArray(a, cJSON_CreateString(hm));
		}
	if (ok && (ok = (a = cJSON_AddArrayToObject(doc, "platforms")) != NULL))
		for (int i = 0; ok && i < ctx->nplatforms; i++)
			ok = cJSON_AddItemToArray(
				a, cJSON_CreateString(rp_platforms[ctx->platforms[i]].name));
	ok = ok && cJSON_AddStringToObject(doc, "order", rp_order_names[ctx->order_kind]);
	if (ok && (ok = (a = cJSON_AddArrayToObject(doc, "posts")) != NULL))
		for (size_t i = 0; ok && i < ctx->nposts; i++)
			if (ctx->posts[i].status != RP_PAST)
				ok = add_post(host, ctx, a, &ctx->posts[i]) == 0;
	if (ok && (ok = (a = cJSON_AddArrayToObject(doc, "skipped")) != NULL))
		for (size_t i = 0; ok && i < ctx->nskips; i++) {
			const struct rp_skip *s = &ctx->skips[i];
			cJSON *o = cJSON_CreateObject();
			ok = o && cJSON_AddItemToArray(a, o) &&
			     cJSON_AddStringToObject(o, "item", s->item) &&
			     cJSON_AddStringToObject(o, "platform", rp_platforms[s->platform].name) &&
			     cJSON_AddStringToObject(o, "reason", s->reason) &&
			     cJSON_AddNumberToObject(o, "weighted_length", (double)s->length) &&
			     cJSON_AddNumberToObject(o, "limit", (double)rp_platforms[s->platform].limit);
		}
	if (ok && (ok = (a = cJSON_AddArrayToObject(doc, "cancelled")) != NULL))
		for (size_t i = 0; ok && i < ctx->ncancels; i++)
			ok = add_cancel(host, ctx, a, &ctx->cancels[i]) == 0;
	if (ok && (ok = (a = cJSON_AddObjectToObject(doc, "empty_slots")) != NULL))
		for (int i = 0; ok && i < ctx->nplatforms; i++)
			ok = cJSON_AddNumberToObject(a, rp_platforms[ctx->platforms[i]].name,
			                             (double)ctx->empty_slots[ctx->platforms[i]]) != NULL;
	if (ok && (ok = (a = cJSON_AddArrayToObject(doc, "notes")) != NULL))
		for (size_t i = 0; ok && i < ctx->nnotes; i++)
			ok = cJSON_AddItemToArray(a, cJSON_CreateString(ctx->notes[i].text));
	char *printed = ok ? cJSON_Print(doc) : NULL;
	cJSON_Delete(doc);
	if (!printed) {
		host->set_error(self, "out of memory building schedule.json");
		return -1;
	}
	struct rp_buf b = {0};
	rp_buf_str(&b, printed);
	rp_buf_add(&b, "\n", 1);
	cJSON_free(printed);
	*out = rp_buf_take(&b, len);
	if (!*out) {
		host->set_error(self, "out of memory building schedule.json");
		return -1;
	}
	return 0;
}

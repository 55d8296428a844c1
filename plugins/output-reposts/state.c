/*
 * state.c: the plan this job entry made in earlier runs, kept in the store.
 *
 * Contract: the plan lives under the cursor key "plan" (host->cursor_get /
 * cursor_set keep it per job entry, and a dry run rolls it back with the
 * rest of the store).  It is JSON:
 *   {"version": 1,
 *    "posts": [{"id", "platform", "item", "utc", "seq", "hash", "author",
 *               "source"}],
 *    "cancelled": [{"id", "platform", "item", "utc", "seq", "reason", "at"}]}
 * utc and at are seconds since 1970 (UTC) written as integers; "hash" is
 * a hash of the post's text (an edit bumps the calendar SEQUENCE) and
 * "author" a hash of who wrote the item (no author twice in a row, also
 * across runs).  The plan holds no quote and no name: a cancelled post is
 * listed by time, platform and item id only.
 * rp_state_load() fills ctx->posts (status RP_KEPT, item unresolved) and
 * ctx->cancels; a plan that cannot be read is reported and replaced.
 */
#include "reposts.h"

#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

#define STATE_KEY "plan"

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int num(const cJSON *o, const char *k, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!cJSON_IsNumber(v))
		return 0;
	*out = (int64_t)v->valuedouble;
	return 1;
}

static int load_post(struct rp_ctx *ctx, const cJSON *o)
{
	int64_t utc, seq;
	const char *id = str(o, "id"), *item = str(o, "item");
	int p = rp_platform_find(str(o, "platform"));
	if (!id || !item || p < 0 || !num(o, "utc", &utc) || !num(o, "seq", &seq))
		return 1; /* not one of ours: drop it */
	if (rp_grow((void **)&ctx->posts, &ctx->capposts, ctx->nposts, sizeof *ctx->posts))
		return -1;
	struct rp_post *x = &ctx->posts[ctx->nposts];
	memset(x, 0, sizeof *x);
	x->id = rp_strdup(id);
	x->item = rp_strdup(item);
	x->hash = rp_strdup(str(o, "hash") ? str(o, "hash") : "");
	x->author = rp_strdup(str(o, "author") ? str(o, "author") : "");
	x->source = rp_strdup(str(o, "source") ? str(o, "source") : "");
	x->platform = p;
	x->seq = (int)seq;
	x->utc = utc;
	x->status = RP_KEPT;
	ctx->nposts++;
	return x->id && x->item && x->hash && x->author && x->source ? 0 : -1;
}

static int load_cancel(struct rp_ctx *ctx, const cJSON *o)
{
	int64_t utc, seq, at;
	const char *id = str(o, "id"), *item = str(o, "item"), *reason = str(o, "reason");
	int p = rp_platform_find(str(o, "platform"));
	if (!id || !item || !reason || p < 0 || !num(o, "utc", &utc) || !num(o, "seq", &seq) ||
	    !num(o, "at", &at))
		return 1;
	if (rp_grow((void **)&ctx->cancels, &ctx->capcancels, ctx->ncancels,
	            sizeof *ctx->cancels))
		return -1;
	struct rp_cancel *c = &ctx->cancels[ctx->ncancels++];
	*c = (struct rp_cancel){rp_strdup(id), rp_strdup(item), rp_strdup(reason), p, (int)seq,
	                        0, utc, at};
	return c->id && c->item && c->reason ? 0 : -1;
}

int rp_state_load(const struct kudos_host *host, struct kudos_instance *self,
                  struct rp_ctx *ctx)
{
	const char *text = host->cursor_get(self, STATE_KEY);
	if (!text)
		return KUDOS_OK; /* the first run */
	cJSON *doc = cJSON_Parse(text);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "version");
	const cJSON *posts = cJSON_GetObjectItemCaseSensitive(doc, "posts");
	const cJSON *cancels = cJSON_GetObjectItemCaseSensitive(doc, "cancelled");
	if (!cJSON_IsNumber(v) || v->valueint != 1 || !cJSON_IsArray(posts) ||
	    !cJSON_IsArray(cancels)) {
		host->log(self, KUDOS_LOG_WARN, "the plan saved by an earlier run cannot be read "
		          "(cursor \"%s\" of this job entry); planning afresh: posts planned "
		          "before are not kept and cannot be cancelled by this run", STATE_KEY);
		cJSON_Delete(doc);
		return KUDOS_OK;
	}
	const cJSON *o;
	int rc = 0;
	cJSON_ArrayForEach(o, posts)
		if ((rc = load_post(ctx, o)) < 0)
			break;
	cJSON_ArrayForEach(o, cancels)
		if (rc >= 0 && (rc = load_cancel(ctx, o)) < 0)
			break;
	cJSON_Delete(doc);
	if (rc < 0) {
		host->set_error(self, "out of memory reading the saved plan");
		return KUDOS_ENOMEM;
	}
	return KUDOS_OK;
}

int rp_state_save(const struct kudos_host *host, struct kudos_instance *self,
                  const struct rp_ctx *ctx)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *posts = cJSON_AddArrayToObject(doc, "posts");
	cJSON *cancels = cJSON_AddArrayToObject(doc, "cancelled");
	int ok = doc && posts && cancels && cJSON_AddNumberToObject(doc, "version", 1);
	for (size_t i = 0; ok && i < ctx->nposts; i++) {
		const struct rp_post *x = &ctx->posts[i];
		cJSON *o = cJSON_CreateObject();
		ok = o && cJSON_AddItemToArray(posts, o) && cJSON_AddStringToObject(o, "id", x->id) &&
		     cJSON_AddStringToObject(o, "platform", rp_platforms[x->platform].name) &&
		     cJSON_AddStringToObject(o, "item", x->item) &&
		     cJSON_AddNumberToObject(o, "utc", (double)x->utc) &&
		     cJSON_AddNumberToObject(o, "seq", x->seq) &&
		     cJSON_AddStringToObject(o, "hash", x->hash ? x->hash : "") &&
		     cJSON_AddStringToObject(o, "author", x->author ? x->author : "") &&
		     cJSON_AddStringToObject(o, "source", x->source ? x->source : "");
	}
	for (size_t i = 0; ok && i < ctx->ncancels; i++) {
		const struct rp_cancel *c = &ctx->cancels[i];
		cJSON *o = cJSON_CreateObject();
		ok = o && cJSON_AddItemToArray(cancels, o) && cJSON_AddStringToObject(o, "id", c->id) &&
		     cJSON_AddStringToObject(o, "platform", rp_platforms[c->platform].name) &&
		     cJSON_AddStringToObject(o, "item", c->item) &&
		     cJSON_AddNumberToObject(o, "utc", (double)c->utc) &&
		     cJSON_AddNumberToObject(o, "seq", c->seq) &&
		     cJSON_AddStringToObject(o, "reason", c->reason) &&
		     cJSON_AddNumberToObject(o, "at", (double)c->at);
	}
	char *text = ok ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	if (!text) {
		host->set_error(self, "out of memory saving the plan");
		return KUDOS_ENOMEM;
	}
	int rc = host->cursor_set(self, STATE_KEY, text);
	cJSON_free(text);
	return rc;
}

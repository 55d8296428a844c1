/*
 * source-typeform: answers to a Typeform form, from saved Responses API
 * pages or webhook deliveries.
 *
 * Job keys:
 *   path            a saved page, or a folder of pages read in name order
 *                   (required)
 *   fields          which question fills which item field (required):
 *                   {"text": "<ref>", "author_name": "<ref>+<ref>" or
 *                   "hidden:<name>", "rating": "<ref>", "consent": "<ref>",
 *                   "title": .., "author_role": ..}; a ref or a field id
 *                   (tf_config.h)
 *   rating_scale    the top of the rating question's scale (default 5)
 *   consent_scopes  what a yes to the consent question grants (default
 *                   ["web"]; web, print, social, ads)
 *
 * Accepted page shapes:
 *   Responses API  {"total_items": N, "page_count": N, "items": [response]}
 *   webhook        {"event_id", "event_type": "form_response",
 *                   "form_response": {form_id, token, submitted_at,
 *                   definition {title, fields}, hidden, answers}}
 *   [event or response, ...]   several deliveries or items in one file
 *   one response object
 * An event other than form_response is skipped with a warning
 * (form_response_partial, an unfinished response, is only counted); a
 * saved API error ({"code", "description"}) is skipped with a warning; a
 * top-level "errors" array is logged one warning per entry and the rest
 * still collected.
 *
 * Each completed response with an answer to fields.text becomes a
 * `form_answer` item (tf_response.h): the answers are the respondent's own
 * words, kept verbatim but trimmed; a yes to fields.consent grants
 * consent_scopes with evidence naming the form, the question, the answer
 * and the response.  A response without a name keeps no author and gets
 * author_missing=true.  Forms have no reposts or replies.  After the run, a
 * field of the mapping that no page had is reported with the refs seen.
 *
 * Invalid or truncated JSON fails the source with file:line:column (the
 * host rolls the source back); a malformed response is skipped with a
 * warning naming the file and its position, e.g. "items[4]".  At most
 * KUDOS_JP_WARN_SHOWN warnings are shown per page; the rest are counted in
 * the closing line.
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings in page order, and the fields the pages had are combined in
 * page order after the loop, so a run gives the same store and messages as
 * a serial one.  The mapping is built in init() and only read by pages.
 *
 * This file: the descriptor, init/exit, the page shapes and the loop.
 */
#include <kudos/plugin.h>

#include <kudos/json_page.h>
#include <kudos/json_source.h>
#include "tf_config.h"
#include "tf_response.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct tf_ctx, path),
	 "a saved Responses API page or webhook delivery (JSON), or a folder "
	 "of them read in name order"},
	{KUDOS_CONFIG_STRING_MAP, "fields", NULL, 1,
	 offsetof(struct tf_ctx, fields),
	 "item field -> question ref or id, e.g. {\"text\": \"quote\", "
	 "\"author_name\": \"hidden:name\", \"rating\": \"stars\", \"consent\": "
	 "\"may_we_quote\"}; fields: text, title, author_name, author_role, "
	 "rating, consent"},
	{KUDOS_CONFIG_DOUBLE, "rating_scale", "5", 0,
	 offsetof(struct tf_ctx, rating_scale),
	 "the top of the rating question's scale"},
	{KUDOS_CONFIG_STRING_LIST, "consent_scopes", "[\"web\"]", 0,
	 offsetof(struct tf_ctx, consent_scopes),
	 "scopes a yes to fields.consent grants (web, print, social, ads)"},
	{0},
};

static int webhook_event(struct tf_collect *c, const cJSON *ev,
                         const char *at)
{
	struct kudos_jp_run *r = &c->r;
	const char *type = kudos_jp_str(ev, "event_type");
	char where[96];

	if (type && strcmp(type, "form_response") != 0) {
		r->entries++;
		if (strcmp(type, "form_response_partial") == 0) {
			c->unfinished++;
			return KUDOS_OK;
		}
		r->skipped++;
		kudos_jp_warn(r, "%s: %s: event \"%.60s\" is not a form_response; "
		           "skipped",
		        r->base, at[0] ? at : "the event", type);
		return KUDOS_OK;
	}
	const cJSON *fr = kudos_jp_obj(ev, "form_response");
	snprintf(where, sizeof where, "%s%sform_response", at, at[0] ? "." : "");
	if (!fr) {
		r->entries++;
		r->skipped++;
		kudos_jp_warn(r, "%s: %s is missing or not an object; skipped", r->base,
		        where);
		return KUDOS_OK;
	}
	struct tf_form form = {.form_id = kudos_jp_text(fr, "form_id"),
	                       .definition = kudos_jp_obj(fr, "definition")};
	if (!form.form_id)
		form.form_id = kudos_jp_text(form.definition, "id");
	return tf_response(c, fr, where, &form);
}

static int is_event(const cJSON *o)
{
	return cJSON_GetObjectItemCaseSensitive(o, "event_type") ||
	       cJSON_GetObjectItemCaseSensitive(o, "form_response");
}

/* items[] of the Responses API, or a top-level array. */
static int each_entry(struct tf_collect *c, const cJSON *arr,
                      const char *prefix)
{
	const struct tf_form none = {0};
	const cJSON *e;
	char at[64];
	int i = 0, rc;

	cJSON_ArrayForEach(e, arr)
	{
		if ((rc = kudos_jp_stop(&c->r)) != KUDOS_OK)
			return rc;
		snprintf(at, sizeof at, "%s[%d]", prefix, i++);
		rc = cJSON_IsObject(e) && is_event(e)
		             ? webhook_event(c, e, at)
		             : tf_response(c, e, at, &none);
		if (rc != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}

static int page_responses(struct tf_collect *c, const cJSON *root)
{
	struct kudos_jp_run *r = &c->r;

	if (cJSON_IsArray(root))
		return each_entry(c, root, "");
	if (!cJSON_IsObject(root)) {
		r->skipped++;
		kudos_jp_warn(r, "%s: the page is not a JSON object or array; skipped",
		        r->base);
		return KUDOS_OK;
	}
	kudos_jp_errors(r, root);
	if (is_event(root))
		return webhook_event(c, root, "");
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
	if (cJSON_IsArray(items))
		return each_entry(c, items, "items");
	if (items) {
		r->skipped++;
		kudos_jp_warn(r, "%s: \"items\" is not a list; page skipped", r->base);
		return KUDOS_OK;
	}
	if (cJSON_GetObjectItemCaseSensitive(root, "answers") ||
	    cJSON_GetObjectItemCaseSensitive(root, "token") ||
	    cJSON_GetObjectItemCaseSensitive(root, "response_id")) {
		const struct tf_form none = {0};
		return tf_response(c, root, "the response", &none);
	}
	const char *code = kudos_jp_str(root, "code");
	if (code) {
		const char *desc = kudos_jp_str(root, "description");
		kudos_jp_warn(r, "%s: the page holds a Typeform API error (%.60s: "
		           "%.200s), not responses; skipped",
		        r->base, code, desc ? desc : "no description");
		return KUDOS_OK;
	}
	if (!cJSON_GetObjectItemCaseSensitive(root, "errors"))
		kudos_jp_warn(r, "%s: no \"items\" list and no \"form_response\": this "
		           "is not a Typeform responses page or webhook delivery; "
		           "page skipped",
		        r->base);
	return KUDOS_OK;
}

static int page(void *ud, struct kudos_instance *self, const char *file, const char *data,
                size_t len)
{
	struct tf_totals *t = ud;
	struct tf_collect c = {.r = {.host = t->host, .self = self}, .cx = t->cx};
	cJSON *root = NULL;
	int rc;

	kudos_jp_begin_file(&c.r, file);
	if ((rc = kudos_jp_parse(&c.r, data, len, &root)) != KUDOS_OK)
		goto done;
	rc = page_responses(&c, root);
	kudos_js_page_free(t->host, root);
	if (rc == KUDOS_OK && c.oom) {
		t->host->set_error(self, "%s: out of memory", file);
		rc = KUDOS_ENOMEM;
	}
	if (rc == KUDOS_OK)
		rc = tf_seen_keep(t, &c, file);
done:
	kudos_jp_add(&t->pages, &c.r);
	atomic_fetch_add(&t->unfinished, c.unfinished);
	atomic_fetch_add(&t->no_text, c.no_text);
	atomic_fetch_add(&t->consented, c.consented);
	tf_collect_free(&c);
	return rc;
}

static int tf_collect_cb(const struct kudos_host *host,
                         struct kudos_instance *self, void *ctx)
{
	struct tf_totals t = {.host = host, .cx = ctx};
	struct tf_collect all = {.r = {.host = host, .self = self}, .cx = ctx};
	int rc = kudos_js_each_page(host, self, t.cx->path, page, &t);

	if (rc != KUDOS_OK)
		goto done;
	kudos_jp_sum(&t.pages, &all.r);
	kudos_jp_summary(&all.r, "responses");
	host->log(self, KUDOS_LOG_INFO,
	          "%ld with consent; %ld unfinished and %ld without an "
	          "answer to fields.text (\"%s\") not stored",
	          (long)t.consented, (long)t.unfinished, (long)t.no_text,
	          t.cx->map.part[TF_TEXT][0].name);
	if ((rc = tf_seen_merge(&t, &all)) == KUDOS_OK)
		tf_report(&all);
done:
	tf_seen_free(&t);
	tf_collect_free(&all);
	return rc;
}

static int tf_init(const struct kudos_host *host, struct kudos_instance *self,
                   void *ctx)
{
	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks the services (each_file, "
		                      "html_to_text) the typeform source needs; "
		                      "update kudos");
		return KUDOS_EFAIL;
	}
	return tf_config_init(host, self, ctx);
}

static void tf_exit(const struct kudos_host *host, struct kudos_instance *self,
                    void *ctx)
{
	(void)host;
	(void)self;
	tf_config_free(ctx);
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "typeform",
	.version = "1.0.0",
	.description = "Typeform responses (Responses API pages, webhook "
	               "deliveries) with a question mapping and consent",
	.config = config,
	.context_size = sizeof(struct tf_ctx),
	.init = tf_init,
	.collect = tf_collect_cb,
	.exit = tf_exit,
};

KUDOS_PLUGIN_DEFINE(descriptor)

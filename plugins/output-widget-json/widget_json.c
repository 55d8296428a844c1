/*
 * widget-json: the website widget's data file.
 *
 * Writes one JSON document (schema "kudos.widget/1", documented by
 * sdk/schema/widget.v1.schema.json) holding every item that passed the
 * render gate for this output's scope, in the order the host hands them
 * over (newest first, id as the tie-break), plus the aggregate rating over
 * every rated item the job collected.
 *
 * The file is byte-identical for identical input: keys come in a fixed
 * order, times are formatted in UTC from the host's run time (which honours
 * SOURCE_DATE_EPOCH), and numbers print through cJSON's deterministic
 * formatter.  Fields are plain text, never HTML; links are kept only when
 * their scheme is http or https; '<', '>', '&', U+2028 and U+2029 are
 * written as \u escapes so the file is inert even when inlined in HTML.
 */
#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define WIDGET_SCHEMA_ID "kudos.widget/1"

struct widget_ctx {
	/* filled by the host from the config table */
	const char *path;  /* absolute; the host's output dir is its folder */
	const char *scope; /* read by the host's render gate */
	int64_t limit;     /* 0: no limit */

	/* state */
	const char *file;  /* the final component of path (points into it) */
	cJSON *items;      /* array of item objects, in consume() order */
	int64_t count;     /* items in `items` */
};

static const struct kudos_config_entry widget_config[] = {
	{ KUDOS_CONFIG_PATH, "path", NULL, 1,
	  offsetof(struct widget_ctx, path),
	  "the JSON file to write, e.g. out/widget.json" },
	{ KUDOS_CONFIG_STRING, "scope", "web", 0,
	  offsetof(struct widget_ctx, scope),
	  "the rights scope an item's grant must include (default web)" },
	{ KUDOS_CONFIG_INT, "limit", "0", 0,
	  offsetof(struct widget_ctx, limit),
	  "at most this many items, newest first (default 0: all)" },
	{ 0 }
};

/* Non-NULL and not empty. */
static int is_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* "YYYY-MM-DDTHH:MM:SSZ" into buf[21].  Returns 0, or -1 when the time
 * cannot be written in that form (a year outside 0000..9999). */
static int format_utc(int64_t t, char buf[21])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL)
		return -1;
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
		return -1;
	if (strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		return -1;
	return 0;
}

/* round(x * 100) / 100 for x >= 0, without libm: halves round away from
 * zero, as round() does.  x - (int64_t)x is exact for these magnitudes. */
static double round2(double x)
{
	double scaled = x * 100.0;
	int64_t whole;

	if (!(scaled >= 0.0) || scaled >= 9.0e15)
		return x; /* negative, NaN or huge: not a rating average */
	whole = (int64_t)scaled;
	if (scaled - (double)whole >= 0.5)
		whole++;
	return (double)whole / 100.0;
}

/* Case-insensitive "https:" or "http:" prefix. */
static int is_web_url(const char *url)
{
	return strncasecmp(url, "https:", 6) == 0 ||
	       strncasecmp(url, "http:", 5) == 0;
}

/*
 * Copy cJSON's printed text into a new malloc'd buffer, escaping '<', '>'
 * and '&' as \u003c, \u003e, \u0026 and U+2028/U+2029 as \u2028/\u2029,
 * then appending a newline.  Those bytes only occur inside JSON strings,
 * so the parsed values do not change; the file just stays inert when a
 * web build inlines it in a <script> element or an HTML attribute.
 * Returns the buffer (its length in *len), or NULL when out of memory.
 */
static char *harden(const char *json, size_t *len)
{
	size_t n = 0, i;
	const unsigned char *s = (const unsigned char *)json;
	char *out, *o;

	for (i = 0; s[i]; i++) {
		if (s[i] == '<' || s[i] == '>' || s[i] == '&')
			n += 6;
		else if (s[i] == 0xE2 && s[i + 1] == 0x80 &&
		         (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
			n += 6, i += 2;
		else
			n++;
	}
	out = malloc(n + 2);
	if (out == NULL)
		return NULL;
	for (o = out, i = 0; s[i]; i++) {
		if (s[i] == '<' || s[i] == '>' || s[i] == '&') {
			memcpy(o, s[i] == '<' ? "\\u003c" :
			          s[i] == '>' ? "\\u003e" : "\\u0026", 6);
			o += 6;
		} else if (s[i] == 0xE2 && s[i + 1] == 0x80 &&
		           (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
			memcpy(o, s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
			o += 6;
			i += 2;
		} else {
			*o++ = (char)s[i];
		}
	}
	*o++ = '\n';
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

/* Add `value` under `key` if set.  Returns 0, or -1 when out of memory. */
static int add_string(cJSON *obj, const char *key, const char *value)
{
	if (!is_set(value))
		return 0;
	return cJSON_AddStringToObject(obj, key, value) ? 0 : -1;
}

/* Add a URL if set and its scheme is http(s); log and skip it otherwise. */
static int add_url(const struct kudos_host *host, struct kudos_instance *self,
                   const char *id, cJSON *obj, const char *key,
                   const char *what, const char *url)
{
	if (!is_set(url))
		return 0;
	if (!is_web_url(url)) {
		host->log(self, KUDOS_LOG_WARN,
		          "item %s: dropped %s with a scheme other than http(s)",
		          id, what);
		return 0;
	}
	return add_string(obj, key, url);
}

static int widget_init(const struct kudos_host *host,
                       struct kudos_instance *self, void *vctx)
{
	struct widget_ctx *ctx = vctx;
	const char *slash;

	if (!is_set(ctx->path)) {
		host->set_error(self, "\"path\" is empty: set it to the JSON "
		                "file to write, e.g. \"out/widget.json\"");
		return KUDOS_EINVAL;
	}
	slash = strrchr(ctx->path, '/');
	ctx->file = slash ? slash + 1 : ctx->path;
	if (ctx->file[0] == '\0' || strcmp(ctx->file, ".") == 0 ||
	    strcmp(ctx->file, "..") == 0) {
		host->set_error(self, "\"path\" (%s) names a folder, not a file: "
		                "end it with a file name, e.g. \"out/widget.json\"",
		                ctx->path);
		return KUDOS_EINVAL;
	}
	if (ctx->limit < 0) {
		host->set_error(self, "\"limit\" is %" PRId64 ": use 0 for every "
		                "item or a positive number of items", ctx->limit);
		return KUDOS_EINVAL;
	}
	ctx->items = cJSON_CreateArray();
	if (ctx->items == NULL) {
		host->set_error(self, "out of memory creating the item list");
		return KUDOS_ENOMEM;
	}
	return KUDOS_OK;
}

static cJSON *build_author(const struct kudos_host *host,
                           struct kudos_instance *self,
                           const struct kudos_item *item, const char *id)
{
	cJSON *author = cJSON_CreateObject();
	const char *name;

	if (author == NULL)
		return NULL;
	/* The credit the creator asked for wins; an empty credit means
	 * "show no name" and does not fall back to the real name. */
	name = host->item_get(item, KUDOS_FIELD_CREDIT);
	if (name == NULL)
		name = host->item_get(item, KUDOS_FIELD_AUTHOR_NAME);
	if (add_string(author, "name", name) < 0 ||
	    add_string(author, "handle",
	               host->item_get(item, KUDOS_FIELD_AUTHOR_HANDLE)) < 0 ||
	    add_string(author, "role",
	               host->item_get(item, KUDOS_FIELD_AUTHOR_ROLE)) < 0 ||
	    add_url(host, self, id, author, "url", "author.url",
	            host->item_get(item, KUDOS_FIELD_AUTHOR_URL)) < 0) {
		cJSON_Delete(author);
		return NULL;
	}
	return author;
}

static cJSON *build_item(const struct kudos_host *host,
                         struct kudos_instance *self,
                         const struct kudos_item *item, const char *id)
{
	cJSON *obj = cJSON_CreateObject();
	cJSON *sub;
	double value, scale;
	int64_t created;
	unsigned badges;
	char when[21];

	if (obj == NULL)
		return NULL;
	if (!cJSON_AddStringToObject(obj, "id", id) ||
	    !cJSON_AddStringToObject(obj, "source",
	                             host->item_get(item, KUDOS_FIELD_SOURCE)) ||
	    !cJSON_AddStringToObject(obj, "kind",
	                             host->item_get(item, KUDOS_FIELD_KIND)) ||
	    !cJSON_AddStringToObject(obj, "text",
	                             host->item_get(item, KUDOS_FIELD_TEXT)) ||
	    add_string(obj, "title", host->item_get(item, KUDOS_FIELD_TITLE)) < 0)
		goto fail;

	if (host->item_get_rating(item, &value, &scale)) {
		sub = cJSON_AddObjectToObject(obj, "rating");
		if (sub == NULL ||
		    !cJSON_AddNumberToObject(sub, "value", value) ||
		    !cJSON_AddNumberToObject(sub, "scale", scale))
			goto fail;
	}

	sub = build_author(host, self, item, id);
	if (sub == NULL)
		goto fail;
	if (sub->child == NULL) {
		cJSON_Delete(sub); /* no member set: no author object */
	} else if (!cJSON_AddItemToObject(obj, "author", sub)) {
		cJSON_Delete(sub);
		goto fail;
	}

	if (add_url(host, self, id, obj, "permalink", "permalink",
	            host->item_get(item, KUDOS_FIELD_PERMALINK)) < 0)
		goto fail;

	if (host->item_get_time(item, KUDOS_TIME_CREATED, &created)) {
		if (format_utc(created, when) == 0) {
			if (!cJSON_AddStringToObject(obj, "created_at", when))
				goto fail;
		} else {
			host->log(self, KUDOS_LOG_WARN, "item %s: dropped "
			          "created_at %" PRId64 ", outside years "
			          "0000-9999", id, created);
		}
	}

	if (add_string(obj, "language",
	               host->item_get(item, KUDOS_FIELD_LANGUAGE)) < 0)
		goto fail;

	badges = host->item_badges(item);
	if (badges & (KUDOS_BADGE_INCENTIVIZED | KUDOS_BADGE_EMPLOYEE |
	              KUDOS_BADGE_VERIFIED_BUYER)) {
		sub = cJSON_AddArrayToObject(obj, "badges");
		if (sub == NULL)
			goto fail;
		if ((badges & KUDOS_BADGE_INCENTIVIZED) &&
		    !cJSON_AddItemToArray(sub, cJSON_CreateString("incentivized")))
			goto fail;
		if ((badges & KUDOS_BADGE_EMPLOYEE) &&
		    !cJSON_AddItemToArray(sub, cJSON_CreateString("employee")))
			goto fail;
		if ((badges & KUDOS_BADGE_VERIFIED_BUYER) &&
		    !cJSON_AddItemToArray(sub, cJSON_CreateString("verified_buyer")))
			goto fail;
	}
	return obj;

fail:
	cJSON_Delete(obj);
	return NULL;
}

static int widget_consume(const struct kudos_host *host,
                          struct kudos_instance *self, void *vctx,
                          const struct kudos_item *item)
{
	struct widget_ctx *ctx = vctx;
	const char *id;
	cJSON *obj;

	if (ctx->limit > 0 && ctx->count >= ctx->limit)
		return KUDOS_SKIP;

	id = host->item_get(item, KUDOS_FIELD_ID);
	if (id == NULL || host->item_get(item, KUDOS_FIELD_SOURCE) == NULL ||
	    host->item_get(item, KUDOS_FIELD_KIND) == NULL ||
	    host->item_get(item, KUDOS_FIELD_TEXT) == NULL) {
		host->set_error(self, "item %s lacks its id, source, kind or "
		                "text; this is a bug in kudos, please report it",
		                id ? id : "(no id)");
		return KUDOS_EFAIL;
	}

	obj = build_item(host, self, item, id);
	if (obj == NULL) {
		host->set_error(self, "out of memory adding item %s", id);
		return KUDOS_ENOMEM;
	}
	if (ctx->items == NULL)
		ctx->items = cJSON_CreateArray();
	if (ctx->items == NULL || !cJSON_AddItemToArray(ctx->items, obj)) {
		cJSON_Delete(obj);
		host->set_error(self, "out of memory adding item %s", id);
		return KUDOS_ENOMEM;
	}
	ctx->count++;
	return KUDOS_OK;
}

static int widget_flush(const struct kudos_host *host,
                        struct kudos_instance *self, void *vctx)
{
	struct widget_ctx *ctx = vctx;
	cJSON *doc = NULL, *agg;
	char when[21];
	double average = 0.0;
	int64_t rated;
	char *printed = NULL, *text = NULL;
	size_t len;
	int rc;

	if (format_utc(host->run_time(self), when) < 0) {
		host->set_error(self, "the run time is outside years 0000-9999: "
		                "check SOURCE_DATE_EPOCH");
		return KUDOS_EINVAL;
	}
	rated = host->aggregate_rating(self, &average);
	if (ctx->items == NULL)
		ctx->items = cJSON_CreateArray();
	if (ctx->items == NULL)
		goto nomem;

	doc = cJSON_CreateObject();
	if (doc == NULL ||
	    !cJSON_AddStringToObject(doc, "schema", WIDGET_SCHEMA_ID) ||
	    !cJSON_AddStringToObject(doc, "generated_at", when) ||
	    !cJSON_AddNumberToObject(doc, "count", (double)ctx->count))
		goto nomem;
	agg = cJSON_AddObjectToObject(doc, "aggregate");
	if (agg == NULL ||
	    !cJSON_AddNumberToObject(agg, "rating_count",
	                             (double)(rated > 0 ? rated : 0)))
		goto nomem;
	if (rated > 0 && isfinite(average)) {
		if (!cJSON_AddNumberToObject(agg, "rating_average",
		                             round2(average)))
			goto nomem;
	} else if (!cJSON_AddNullToObject(agg, "rating_average")) {
		goto nomem;
	}
	/* The document only references the array, so deleting the document
	 * leaves it to exit(), its one owner. */
	if (!cJSON_AddItemReferenceToObject(doc, "items", ctx->items))
		goto nomem;

	/* cJSON_Print's buffer belongs to cJSON's allocator (its hooks are
	 * process-wide): copy it into our own, hardened, with a newline. */
	printed = cJSON_Print(doc);
	if (printed == NULL)
		goto nomem;
	text = harden(printed, &len);
	if (text == NULL)
		goto nomem;
	cJSON_free(printed);
	printed = NULL;
	cJSON_Delete(doc);
	doc = NULL;

	rc = host->output_write(self, ctx->file, text, len);
	free(text);
	if (rc == KUDOS_EPATH) {
		host->set_error(self, "cannot write %s: it is outside the "
		                "output folder", ctx->file);
	}
	return rc;

nomem:
	cJSON_free(printed);
	free(text);
	cJSON_Delete(doc);
	host->set_error(self, "out of memory building %s", ctx->file);
	return KUDOS_ENOMEM;
}

static void widget_exit(const struct kudos_host *host,
                        struct kudos_instance *self, void *vctx)
{
	struct widget_ctx *ctx = vctx;

	(void)host;
	(void)self;
	cJSON_Delete(ctx->items);
	ctx->items = NULL;
	ctx->count = 0;
}

static const struct kudos_plugin widget_json_plugin = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_OUTPUT,
	.name = "widget-json",
	.version = "1.0.0",
	.description = "the website widget's data as JSON (kudos.widget/1)",
	.config = widget_config,
	.context_size = sizeof(struct widget_ctx),
	.init = widget_init,
	.consume = widget_consume,
	.flush = widget_flush,
	.exit = widget_exit,
};

KUDOS_PLUGIN_DEFINE(widget_json_plugin)

/*
 * widget_opts.c: the checks init() makes on a widget-json job entry.
 *
 * Contract: widget_opts_check() settles every option the config table's
 * types cannot (the words sort and split take, ranges, that "sources"
 * names sources the job has, the shape of "jsonld") and reads the job's
 * own source names for the aggregate.  A mistake in the job is
 * KUDOS_EINVAL with a message naming the key, what is wrong and what to
 * write; out of memory is KUDOS_ENOMEM.  It warns, without failing, when
 * "jsonld" describes an organisation or local business (Google gives its
 * own reviews of itself no stars).  widget_opts_free() releases what it
 * kept; it is safe on a context check() never saw or left half done.
 */
#include "widget.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int is_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static int check_path(const struct kudos_host *host, struct kudos_instance *self,
                      struct widget_ctx *ctx)
{
	const char *slash;

	ctx->shown_path = host->config_get(self, "path");
	if (ctx->shown_path == NULL)
		ctx->shown_path = ctx->path;
	if (!is_set(ctx->path)) {
		host->set_error(self, "\"path\" is empty: set it to the JSON file to "
		                "write, e.g. \"out/widget.json\"");
		return KUDOS_EINVAL;
	}
	slash = strrchr(ctx->path, '/');
	ctx->file = slash ? slash + 1 : ctx->path;
	if (ctx->file[0] == '\0' || strcmp(ctx->file, ".") == 0 ||
	    strcmp(ctx->file, "..") == 0) {
		host->set_error(self, "\"path\" (%s) names a folder, not a file: end "
		                "it with a file name, e.g. \"out/widget.json\"",
		                ctx->shown_path);
		return KUDOS_EINVAL;
	}
	return KUDOS_OK;
}

static int check_words(const struct kudos_host *host, struct kudos_instance *self,
                       struct widget_ctx *ctx)
{
	static const char *const sorts[] = { "newest", "rating", "random" };
	static const char *const splits[] = { "none", "source", "tag" };
	int i;

	ctx->sort_by = -1;
	for (i = 0; i < 3; i++)
		if (ctx->sort && strcmp(ctx->sort, sorts[i]) == 0)
			ctx->sort_by = i;
	if (ctx->sort_by < 0) {
		host->set_error(self, "\"sort\" is \"%s\": use \"newest\", \"rating\" "
		                "or \"random\" (with \"seed\")", ctx->sort ? ctx->sort : "");
		return KUDOS_EINVAL;
	}
	ctx->split_by = -1;
	for (i = 0; i < 3; i++)
		if (ctx->split && strcmp(ctx->split, splits[i]) == 0)
			ctx->split_by = i;
	if (ctx->split_by < 0) {
		host->set_error(self, "\"split\" is \"%s\": use \"none\", \"source\" "
		                "(one file per source) or \"tag\" (one file per tag)",
		                ctx->split ? ctx->split : "");
		return KUDOS_EINVAL;
	}
	if (host->config_get(self, "seed") && ctx->sort_by != SORT_RANDOM)
		host->log(self, KUDOS_LOG_WARN, "\"seed\" is used only with \"sort\": "
		          "\"random\"; it changes nothing here");
	if (ctx->limit < 0) {
		host->set_error(self, "\"limit\" is %" PRId64 ": use 0 for every item "
		                "or a positive number of items per file", ctx->limit);
		return KUDOS_EINVAL;
	}
	ctx->has_min = host->config_get(self, "min_rating") != NULL;
	if (ctx->has_min && !(ctx->min_rating >= 0.0 && ctx->min_rating <= 5.0)) {
		host->set_error(self, "\"min_rating\" is %g: give a rating from 0 to 5 "
		                "(ratings on other scales are compared scaled to 5)",
		                ctx->min_rating);
		return KUDOS_EINVAL;
	}
	return KUDOS_OK;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The job's source plugin names, sorted, once each; NULL when the job has
 * no "sources" (then the aggregate covers the whole store). */
static int read_job_sources(const struct kudos_host *host, struct kudos_instance *self,
                            struct widget_ctx *ctx)
{
	const char *text = host->job_get(self, "sources");
	const char **names = NULL;
	cJSON *list, *e;
	size_t n = 0, i;
	int rc = KUDOS_ENOMEM;

	if (text == NULL)
		return KUDOS_OK;
	list = cJSON_Parse(text);
	if (list == NULL)
		goto out;
	names = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *names);
	if (names == NULL)
		goto out;
	cJSON_ArrayForEach(e, list) {
		const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "plugin"));
		if (p)
			names[n++] = p;
	}
	qsort(names, n, sizeof *names, cmp_names);
	ctx->job_sources = cJSON_CreateArray();
	if (ctx->job_sources == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
			continue;
		if (!cJSON_AddItemToArray(ctx->job_sources, cJSON_CreateString(names[i])))
			goto out;
	}
	rc = KUDOS_OK;
out:
	free(names);
	cJSON_Delete(list);
	if (rc != KUDOS_OK)
		host->set_error(self, "out of memory reading the job's sources");
	return rc;
}

static int check_sources(const struct kudos_host *host, struct kudos_instance *self,
                         struct widget_ctx *ctx)
{
	size_t i;
	const cJSON *e;

	if (ctx->sources == NULL)
		return KUDOS_OK;
	if (ctx->sources[0] == NULL) {
		host->set_error(self, "\"sources\" is an empty list: name the source "
		                "plugins whose items to show, e.g. [\"csv\"], or remove it");
		return KUDOS_EINVAL;
	}
	for (i = 0; ctx->sources[i]; i++) {
		int found = ctx->job_sources == NULL;
		char *list;
		cJSON_ArrayForEach(e, ctx->job_sources)
			found |= strcmp(e->valuestring, ctx->sources[i]) == 0;
		if (found)
			continue;
		list = cJSON_PrintUnformatted(ctx->job_sources);
		host->set_error(self, "\"sources\" names \"%s\", which is not a source of "
		                "this job; the job's sources are %s", ctx->sources[i],
		                list ? list : "(out of memory)");
		cJSON_free(list);
		return KUDOS_EINVAL;
	}
	return KUDOS_OK;
}

/* Types whose reviews on their own site Google treats as self-serving. */
static int self_serving(const char *type)
{
	static const char *const types[] = {
		"Organization", "LocalBusiness", "Corporation", "OnlineBusiness",
		"OnlineStore", "NGO", "Store", "Restaurant", "FoodEstablishment",
		"CafeOrCoffeeShop", "BarOrPub", "Bakery", "Hotel", "Dentist",
		"ProfessionalService", "LegalService", "FinancialService",
		"RealEstateAgent", "TravelAgency", "EmploymentAgency", "Airline",
		"SportsActivityLocation", "ShoppingCenter", "ChildCare", NULL };
	size_t i, n = strlen(type);

	for (i = 0; types[i]; i++)
		if (strcmp(type, types[i]) == 0)
			return 1;
	return (n > 8 && strcmp(type + n - 8, "Business") == 0) ||
	       (n > 12 && strcmp(type + n - 12, "Organization") == 0);
}

static int google_type(const char *type)
{
	static const char *const types[] = {
		"Product", "ProductModel", "ProductGroup", "IndividualProduct", "Book",
		"Course", "Event", "HowTo", "Movie", "Recipe", "SoftwareApplication",
		"MobileApplication", "WebApplication", "VideoGame", "Game",
		"CreativeWorkSeason", "CreativeWorkSeries", "Episode", "MediaObject",
		"MusicPlaylist", "MusicRecording", NULL };
	size_t i;

	for (i = 0; types[i]; i++)
		if (strcmp(type, types[i]) == 0)
			return 1;
	return self_serving(type);
}

static int ld_fail(const struct kudos_host *host, struct kudos_instance *self,
                   const char *what)
{
	host->set_error(self, "\"jsonld\" %s; write e.g. \"jsonld\": {\"type\": "
	                "\"Product\", \"name\": \"Acme Grinder\"} (keys: type, name, "
	                "url, image, description, sku, brand)", what);
	return KUDOS_EINVAL;
}

static int check_jsonld(const struct kudos_host *host, struct kudos_instance *self,
                        struct widget_ctx *ctx)
{
	static const char *const keys[] = { "type", "name", "url", "image",
	                                    "description", "sku", "brand", NULL };
	cJSON *spec, *e;
	const char *type, *name, *why;
	size_t i;

	if (ctx->jsonld == NULL || strcmp(ctx->jsonld, "null") == 0)
		return KUDOS_OK;
	spec = ctx->ld_spec = cJSON_Parse(ctx->jsonld);
	if (spec == NULL)
		return cJSON_GetErrorPtr() ? ld_fail(host, self, "is not JSON")
		                           : (host->set_error(self, "out of memory"), KUDOS_ENOMEM);
	if (!cJSON_IsObject(spec))
		return ld_fail(host, self, "must be an object");
	cJSON_ArrayForEach(e, spec) {
		for (i = 0; keys[i] && strcmp(keys[i], e->string) != 0; i++)
			;
		if (keys[i] == NULL) {
			host->set_error(self, "\"jsonld\" has an unknown key \"%s\"; valid "
			                "keys: type, name, url, image, description, sku, brand",
			                e->string);
			return KUDOS_EINVAL;
		}
		if (!cJSON_IsString(e) || e->valuestring[0] == '\0') {
			host->set_error(self, "\"jsonld.%s\" must be a non-empty string",
			                e->string);
			return KUDOS_EINVAL;
		}
		if (strcmp(e->string, "url") == 0 || strcmp(e->string, "image") == 0) {
			char *clean = widget_url_clean(e->valuestring, &why);
			if (clean == NULL) {
				host->set_error(self, "\"jsonld.%s\" (%s) is not usable: %s; "
				                "give an absolute https URL", e->string,
				                e->valuestring, why);
				return KUDOS_EINVAL;
			}
			if (cJSON_SetValuestring(e, clean) == NULL) {
				free(clean);
				host->set_error(self, "out of memory");
				return KUDOS_ENOMEM;
			}
			free(clean);
		}
	}
	type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(spec, "type"));
	name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(spec, "name"));
	if (type == NULL || name == NULL)
		return ld_fail(host, self, "needs \"type\" and \"name\" (the name of what "
		               "the reviews are about, which Google requires)");
	for (i = 0; type[i]; i++)
		if (!isalpha((unsigned char)type[i]))
			return ld_fail(host, self, "\"type\" must be a schema.org type name "
			               "such as Product");
	if (self_serving(type))
		host->log(self, KUDOS_LOG_WARN, "\"jsonld.type\" is \"%s\": Google shows no "
		          "review stars for reviews an organisation or business publishes "
		          "about itself on its own site (self-serving reviews); use it only "
		          "on a site that is not %s's own, or mark up what the reviews are "
		          "about (a Product, Course, SoftwareApplication ...)", type, name);
	else if (!google_type(type))
		host->log(self, KUDOS_LOG_INFO, "\"jsonld.type\" is \"%s\": Google shows "
		          "review snippets for Product, Book, Course, Event, Movie, Recipe, "
		          "SoftwareApplication and a few more; this type may get none", type);
	return KUDOS_OK;
}

int widget_opts_check(const struct kudos_host *host, struct kudos_instance *self,
                      struct widget_ctx *ctx)
{
	int rc;

	if ((rc = check_path(host, self, ctx)) != KUDOS_OK ||
	    (rc = check_words(host, self, ctx)) != KUDOS_OK ||
	    (rc = read_job_sources(host, self, ctx)) != KUDOS_OK ||
	    (rc = check_sources(host, self, ctx)) != KUDOS_OK ||
	    (rc = check_jsonld(host, self, ctx)) != KUDOS_OK)
		return rc;
	if (ctx->avatar_map) {
		size_t i;
		for (i = 0; ctx->avatar_map[i]; i += 2) {
			if (!is_set(ctx->avatar_map[i + 1])) {
				host->set_error(self, "\"avatar_map\": the copy of \"%s\" is "
				                "empty; give the local file (relative to the job) "
				                "or remove the entry", ctx->avatar_map[i]);
				return KUDOS_EINVAL;
			}
		}
	}
	return KUDOS_OK;
}

void widget_opts_free(struct widget_ctx *ctx)
{
	cJSON_Delete(ctx->job_sources);
	cJSON_Delete(ctx->ld_spec);
	ctx->job_sources = NULL;
	ctx->ld_spec = NULL;
}

#include "item.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

const char *const kudos_badge_names[3] = {"incentivized", "employee", "verified_buyer"};

static const char *const kinds[] = {"review", "social_post", "form_answer",
                                    "video_comment", NULL};

static void filter_results_clear(struct kudos_item *it);

int kudos_kind_valid(const char *kind)
{
	for (size_t i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return 1;
	return 0;
}

/* A block of the item's strings (see item.h). */
struct kudos_item_block {
	struct kudos_item_block *next;
	size_t used, size;
	char data[];
};

_Static_assert(KUDOS_FIELD_COUNT_ <= 32, "heap_fields has a bit per field");

/* Room for a typical social post with its author, links and counts in
 * one block. */
#define BLOCK_SIZE 1536

/* Room for n bytes and a NUL in the item's blocks.  RETURN VALUE the
 * room, or NULL when out of memory. */
static char *room(struct kudos_item *it, size_t n)
{
	struct kudos_item_block *b = it->strings;
	if (!b || b->size - b->used <= n) {
		size_t size = n < BLOCK_SIZE / 2 ? BLOCK_SIZE : n + 1;
		struct kudos_item_block *nb = malloc(sizeof *nb + size);
		if (!nb)
			return NULL;
		nb->used = 0;
		nb->size = size;
		if (b && size > BLOCK_SIZE) { /* a long text: keep filling the current block */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			it->strings = nb;
		}
		b = nb;
	}
	char *p = b->data + b->used;
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

/* A copy of s[0..n) with a NUL, in the item's blocks, or NULL. */
static char *copy_in(struct kudos_item *it, const char *s, size_t n)
{
	char *p = room(it, n);
	return p ? memcpy(p, s, n) : NULL;
}

static char *copy_opt(struct kudos_item *it, const char *s, int *oom)
{
	char *p = s ? copy_in(it, s, strlen(s)) : NULL;
	if (s && !p)
		*oom = 1;
	return p;
}

static void set_field(struct kudos_item *it, int field, char *value, int heap)
{
	uint32_t bit = 1u << field;
	if (it->heap_fields & bit)
		free(it->field[field]);
	it->field[field] = value;
	it->heap_fields = heap ? it->heap_fields | bit : it->heap_fields & ~bit;
}

struct kudos_item *kudos_item_new(const char *source, const char *external_id)
{
	struct kudos_item *it = calloc(1, sizeof *it);
	size_t ns = strlen(source), ne = strlen(external_id);
	char *id;
	if (!it || !(id = room(it, ns + 1 + ne)))
		goto fail;
	memcpy(id, source, ns); /* "source:external_id" */
	id[ns] = ':';
	memcpy(id + ns + 1, external_id, ne);
	it->field[KUDOS_FIELD_ID] = id;
	if (kudos_item_put_n(it, KUDOS_FIELD_SOURCE, source, ns) ||
	    kudos_item_put_n(it, KUDOS_FIELD_EXTERNAL_ID, external_id, ne) ||
	    kudos_item_put(it, KUDOS_FIELD_KIND, "form_answer"))
		goto fail;
	return it;
fail:
	kudos_item_free(it);
	return NULL;
}

void kudos_item_free(struct kudos_item *it)
{
	if (!it)
		return;
	for (int i = 0; i < KUDOS_FIELD_COUNT_; i++)
		if (it->heap_fields & (1u << i))
			free(it->field[i]);
	while (it->strings) {
		struct kudos_item_block *next = it->strings->next;
		free(it->strings);
		it->strings = next;
	}
	free(it->media);
	free(it->meta);
	free(it->consent_scopes);
	free(it->consent_evidence);
	free(it->flags);
	free(it->flag_detail);
	free(it->duplicate_of);
	filter_results_clear(it);
	free(it->grant.scopes);
	free(it->grant.evidence);
	free(it->grant.credit);
	free(it->excerpt);
	free(it->excerpt_by);
	free(it->media_json);
	free(it->meta_json);
	free(it);
}

int kudos_item_put_n(struct kudos_item *it, int field, const char *value, size_t len)
{
	if (field < 0 || field >= KUDOS_FIELD_COUNT_)
		return KUDOS_EINVAL;
	char *copy = NULL;
	if (value && !(copy = copy_in(it, value, len)))
		return KUDOS_ENOMEM;
	set_field(it, field, copy, 0);
	return KUDOS_OK;
}

int kudos_item_put(struct kudos_item *it, int field, const char *value)
{
	return kudos_item_put_n(it, field, value, value ? strlen(value) : 0);
}

void kudos_item_take(struct kudos_item *it, int field, char *value)
{
	set_field(it, field, value, value != NULL);
}

int kudos_item_add_media(struct kudos_item *it, const char *type,
                         const char *url, const char *alt)
{
	if (!type || !url)
		return KUDOS_EINVAL;
	struct kudos_media *n = realloc(it->media, (it->n_media + 1) * sizeof *n);
	if (!n)
		return KUDOS_ENOMEM;
	it->media = n;
	int oom = 0;
	struct kudos_media m = {copy_opt(it, type, &oom), copy_opt(it, url, &oom),
	                        copy_opt(it, alt, &oom)};
	if (oom)
		return KUDOS_ENOMEM;
	it->media[it->n_media++] = m;
	return KUDOS_OK;
}

int kudos_item_set_meta(struct kudos_item *it, const char *key, const char *value)
{
	if (!key || !value)
		return KUDOS_EINVAL;
	int oom = 0;
	char *v = copy_opt(it, value, &oom);
	if (oom)
		return KUDOS_ENOMEM;
	for (size_t i = 0; i < it->n_meta; i++) {
		if (strcmp(it->meta[i].key, key) == 0) {
			it->meta[i].value = v;
			return KUDOS_OK;
		}
	}
	/* The array grows to 4, 8, 16...: it is full exactly when its count
	 * is 0 or a power of two from 4 on (sources set several keys each). */
	size_t count = it->n_meta;
	struct kudos_meta *n = it->meta;
	if (count == 0 || (count >= 4 && (count & (count - 1)) == 0))
		n = realloc(it->meta, (count ? 2 * count : 4) * sizeof *n);
	if (n)
		it->meta = n;
	char *k = n ? copy_opt(it, key, &oom) : NULL;
	if (!k)
		return KUDOS_ENOMEM;
	it->meta[it->n_meta].key = k;
	it->meta[it->n_meta].value = v;
	it->n_meta++;
	return KUDOS_OK;
}

const char *kudos_item_meta(const struct kudos_item *it, const char *key)
{
	for (size_t i = 0; i < it->n_meta; i++)
		if (strcmp(it->meta[i].key, key) == 0)
			return it->meta[i].value;
	return NULL;
}

static int meta_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kudos_meta *)a)->key, ((const struct kudos_meta *)b)->key);
}

void kudos_item_content_hash(const struct kudos_item *it, char hex[65])
{
	static const int hashed[] = {
		KUDOS_FIELD_KIND,        KUDOS_FIELD_TEXT,          KUDOS_FIELD_TITLE,
		KUDOS_FIELD_AUTHOR_NAME, KUDOS_FIELD_AUTHOR_HANDLE, KUDOS_FIELD_AUTHOR_URL,
		KUDOS_FIELD_AUTHOR_AVATAR, KUDOS_FIELD_AUTHOR_ROLE, KUDOS_FIELD_LANGUAGE,
		KUDOS_FIELD_PERMALINK,   KUDOS_FIELD_IN_REPLY_TO,
	};
	char num[64];
	struct kudos_hasher hs, *h = &hs;
	kudos_hasher_init(h, KUDOS_HASH_BLAKE2B);
	for (size_t i = 0; i < sizeof hashed / sizeof hashed[0]; i++)
		kudos_hasher_field(h, it->field[hashed[i]]);
	if (it->has_rating) {
		/* The doubles' own bytes: exact, and far cheaper than printing
		 * them (the hash is only ever compared with kudos's own). */
		double pair[2] = {it->rating, it->rating_scale};
		kudos_hex((const unsigned char *)pair, sizeof pair, num);
		kudos_hasher_field(h, num);
	} else {
		kudos_hasher_field(h, NULL);
	}
	/* The creation time is part of the content; the update time is not,
	 * since it moves whenever upstream touches the item at all. */
	if (it->has_time[KUDOS_TIME_CREATED]) {
		int64_t t = it->time[KUDOS_TIME_CREATED];
		if (t >= 0)
			kudos_decimal((unsigned long long)t, num);
		else
			snprintf(num, sizeof num, "%lld", (long long)t);
		kudos_hasher_field(h, num);
	} else {
		kudos_hasher_field(h, NULL);
	}
	kudos_hasher_field(h, kudos_decimal(it->badges, num));
	for (size_t i = 0; i < it->n_media; i++) {
		kudos_hasher_field(h, it->media[i].type);
		kudos_hasher_field(h, it->media[i].url);
		kudos_hasher_field(h, it->media[i].alt);
	}
	/* Metadata order is the source's business; hash it sorted. */
	struct kudos_meta *sorted = NULL;
	if (it->n_meta && (sorted = malloc(it->n_meta * sizeof *sorted))) {
		memcpy(sorted, it->meta, it->n_meta * sizeof *sorted);
		qsort(sorted, it->n_meta, sizeof *sorted, meta_cmp);
		for (size_t i = 0; i < it->n_meta; i++) {
			kudos_hasher_field(h, sorted[i].key);
			kudos_hasher_field(h, sorted[i].value);
		}
		free(sorted);
	}
	kudos_hasher_end(h, hex);
}

/* The bytes cJSON needs to print `s` as a JSON member: every byte as a
 * \uXXXX escape at worst, the quotes, the separators and the NUL. */
static size_t json_bound(const char *s)
{
	return (s ? 6 * strlen(s) : 0) + 16;
}

/* Print `v` into one allocation of `bound` bytes: cJSON's own printer
 * grows its buffer step by step and copies the result once more.  Should
 * the bound be short, cJSON's printer is used after all.  RETURN VALUE
 * (transfer full) or NULL. */
static char *print_bounded(const cJSON *v, size_t bound)
{
	char *out = v && bound <= INT_MAX ? malloc(bound) : NULL;
	if (out && cJSON_PrintPreallocated((cJSON *)v, out, (int)bound, 0))
		return out;
	free(out);
	return v ? cJSON_PrintUnformatted(v) : NULL;
}

/* A string member that lends `value` and the constant `key`: the trees
 * below copy none of the item's strings.  RETURN VALUE 0, or -1. */
static int add_ref(cJSON *obj, const char *key, const char *value)
{
	cJSON *v = cJSON_CreateStringReference(value);
	if (v && cJSON_AddItemToObjectCS(obj, key, v))
		return 0;
	cJSON_Delete(v);
	return -1;
}

char *kudos_item_media_json(const struct kudos_item *it)
{
	if (it->n_media == 0)
		return strdup("[]"); /* most items: no tree to build */
	cJSON *arr = cJSON_CreateArray();
	size_t bound = 16;
	char *out = NULL;
	for (size_t i = 0; arr && i < it->n_media; i++) {
		const struct kudos_media *m = &it->media[i];
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			goto done;
		}
		if (add_ref(o, "type", m->type) || add_ref(o, "url", m->url) ||
		    (m->alt && add_ref(o, "alt", m->alt)))
			goto done;
		bound += 16 + json_bound(m->type) + json_bound(m->url) + json_bound(m->alt);
	}
	out = print_bounded(arr, bound);
done:
	cJSON_Delete(arr);
	return out;
}

char *kudos_item_meta_json(const struct kudos_item *it)
{
	if (it->n_meta == 0)
		return strdup("{}");
	cJSON *obj = cJSON_CreateObject();
	size_t bound = 16;
	char *out = NULL;
	for (size_t i = 0; obj && i < it->n_meta; i++) {
		if (add_ref(obj, it->meta[i].key, it->meta[i].value))
			goto done;
		bound += json_bound(it->meta[i].key) + json_bound(it->meta[i].value);
	}
	out = print_bounded(obj, bound);
done:
	cJSON_Delete(obj);
	return out;
}

int kudos_item_seal(struct kudos_item *it)
{
	char *media = kudos_item_media_json(it), *meta = kudos_item_meta_json(it);
	if (!media || !meta) {
		free(media);
		free(meta);
		return -1;
	}
	kudos_item_content_hash(it, it->sealed_hash);
	it->media_json = media;
	it->meta_json = meta;
	return 0;
}

/* The first word of a name, by spaces. */
static char *first_word(const char *name)
{
	while (*name == ' ')
		name++;
	size_t n = strcspn(name, " ");
	return n ? strndup(name, n) : NULL;
}

/* "Ada M. Lovelace" -> "A. M. L.": the first byte sequence of each word,
 * kept whole so that a non-ASCII initial stays valid UTF-8. */
static char *initials(const char *name)
{
	size_t len = strlen(name);
	char *out = malloc(len * 3 + 1), *o = out;
	if (!out)
		return NULL;
	const unsigned char *p = (const unsigned char *)name;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = 1;
		while (p[n] && (p[n] & 0xC0) == 0x80)
			n++;
		if (o != out)
			*o++ = ' ';
		memcpy(o, p, n);
		o += n;
		*o++ = '.';
		p += n;
		while (*p && *p != ' ')
			p++;
	}
	*o = '\0';
	if (o == out) {
		free(out);
		return NULL;
	}
	return out;
}

char *kudos_item_credit(const struct kudos_item *it)
{
	const char *name = it->field[KUDOS_FIELD_AUTHOR_NAME];
	const char *handle = it->field[KUDOS_FIELD_AUTHOR_HANDLE];
	const char *pref = it->has_grant && it->grant.credit ? it->grant.credit : "full";
	if (strcmp(pref, "anonymous") == 0)
		return NULL;
	if (strcmp(pref, "handle") == 0) {
		if (handle && *handle)
			return strdup(handle);
		pref = "first"; /* asked for a handle we do not know: say less */
	}
	if (!name || !*name)
		return NULL;
	if (strcmp(pref, "first") == 0)
		return first_word(name);
	if (strcmp(pref, "initials") == 0)
		return initials(name);
	return strdup(name);
}

int kudos_item_set_analysis(struct kudos_item *it, const char *flags, const char *detail,
                            int has_sentiment, double sentiment, const char *duplicate_of)
{
	int oom = 0;
	free(it->flags);
	free(it->flag_detail);
	free(it->duplicate_of);
	it->flags = kudos_strdup_opt(flags ? flags : "", &oom);
	it->flag_detail = kudos_strdup_opt(detail ? detail : "{}", &oom);
	it->duplicate_of = kudos_strdup_opt(duplicate_of, &oom);
	it->has_sentiment = has_sentiment;
	it->sentiment = sentiment;
	return oom ? KUDOS_ENOMEM : KUDOS_OK;
}

int kudos_item_flagged(const struct kudos_item *it, const char *flag)
{
	size_t n = strlen(flag);
	for (const char *p = it->flags; p && *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, flag, n) == 0)
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

static void filter_results_clear(struct kudos_item *it)
{
	free(it->filter_results);
	it->filter_results = NULL;
	for (size_t i = 0; i < it->n_tags; i++)
		free(it->tags[i]);
	free(it->tags);
	it->tags = NULL;
	it->n_tags = 0;
	for (size_t i = 0; i < it->n_scores; i++)
		free(it->scores[i].name);
	free(it->scores);
	it->scores = NULL;
	it->n_scores = 0;
}

static int add_tag(struct kudos_item *it, const char *tag)
{
	if (kudos_item_has_tag(it, tag))
		return KUDOS_OK;
	char **v = realloc(it->tags, (it->n_tags + 1) * sizeof *v);
	if (!v)
		return KUDOS_ENOMEM;
	it->tags = v;
	if (!(v[it->n_tags] = strdup(tag)))
		return KUDOS_ENOMEM;
	it->n_tags++;
	return KUDOS_OK;
}

static int add_score(struct kudos_item *it, const char *filter, const char *name, double value)
{
	struct kudos_score *v = realloc(it->scores, (it->n_scores + 1) * sizeof *v);
	if (!v)
		return KUDOS_ENOMEM;
	it->scores = v;
	if (asprintf(&v[it->n_scores].name, "%s.%s", filter, name) < 0)
		return KUDOS_ENOMEM;
	v[it->n_scores++].value = value;
	return KUDOS_OK;
}

int kudos_item_set_filter_results(struct kudos_item *it, const char *json)
{
	filter_results_clear(it);
	/* Most items of a job without filters: nothing to parse. */
	if (!json || strcmp(json, "{}") == 0)
		return KUDOS_OK;
	if (!(it->filter_results = strdup(json)))
		return KUDOS_ENOMEM;
	cJSON *root = cJSON_Parse(json), *f, *e;
	int rc = KUDOS_OK;
	cJSON_ArrayForEach(f, root)
	{
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(f, "tags"))
		{
			if (rc == KUDOS_OK && cJSON_IsString(e))
				rc = add_tag(it, e->valuestring);
		}
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(f, "scores"))
		{
			if (rc == KUDOS_OK && cJSON_IsNumber(e) && isfinite(e->valuedouble))
				rc = add_score(it, f->string, e->string, e->valuedouble);
		}
	}
	cJSON_Delete(root);
	return rc;
}

int kudos_item_has_tag(const struct kudos_item *it, const char *tag)
{
	for (size_t i = 0; i < it->n_tags; i++)
		if (strcmp(it->tags[i], tag) == 0)
			return 1;
	return 0;
}

int kudos_item_score(const struct kudos_item *it, const char *name, double *value)
{
	for (size_t i = 0; i < it->n_scores; i++) {
		if (strcmp(it->scores[i].name, name) == 0) {
			*value = it->scores[i].value;
			return 1;
		}
	}
	return 0;
}

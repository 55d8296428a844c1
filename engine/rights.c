#include "rights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

static const struct {
	const char *from;
	const char *to[4];
} machine[] = {
	{"none", {"requested", "granted"}},
	{"requested", {"granted", "replied", "denied", "stale"}},
	{"replied", {"granted", "denied"}},
	{"stale", {"requested", "granted"}},
	{"granted", {"revoked"}},
	{"revoked", {"granted"}},
	{"denied", {NULL}},
};

int kudos_rights_allowed(const char *from, const char *to)
{
	for (size_t i = 0; i < sizeof machine / sizeof machine[0]; i++) {
		if (strcmp(machine[i].from, from) != 0)
			continue;
		for (size_t j = 0; j < 4 && machine[i].to[j]; j++)
			if (strcmp(machine[i].to[j], to) == 0)
				return 1;
	}
	return 0;
}

/* Refuse from -> to, naming what is allowed instead. */
static int refuse(const char *id, const char *from, const char *to, struct kudos_error *err)
{
	char next[96] = "";
	for (size_t i = 0; i < sizeof machine / sizeof machine[0]; i++) {
		if (strcmp(machine[i].from, from) != 0)
			continue;
		for (size_t j = 0; j < 4 && machine[i].to[j]; j++) {
			if (*next)
				strcat(next, ", ");
			strcat(next, machine[i].to[j]);
		}
	}
	return kudos_fail(err, KUDOS_EXIT_INPUT,
	                  "%s: rights are '%s' and cannot become '%s'; from '%s' the next "
	                  "state can be %s", id, from, to, from, *next ? next : "nothing (final)");
}

/* The current state, if `to` may follow it. */
static int check(struct kudos_store *s, const char *id, const char *to, char from[16],
                 struct kudos_error *err)
{
	if (kudos_store_rights_of(s, id, from, err))
		return -1;
	if (!kudos_rights_allowed(from, to))
		return refuse(id, from, to, err);
	return 0;
}

int kudos_rights_move(struct kudos_store *s, const char *id, const char *to,
                      const char *action, const char *actor, const char *detail,
                      int64_t now, struct kudos_error *err)
{
	char from[16];
	if (check(s, id, to, from, err))
		return -1;
	return kudos_store_set_rights(s, id, to, actor, action, detail, now, err);
}

int kudos_rights_grant(struct kudos_store *s, const char *id,
                       const struct kudos_grant_input *g, const char *actor,
                       const struct kudos_terms *terms, int64_t now,
                       struct kudos_error *err)
{
	char from[16], *before = NULL;
	struct kudos_request req = {0};
	struct kudos_grant_input full = *g;
	int rc = -1;
	if (check(s, id, "granted", from, err))
		return -1;
	if (strcmp(from, "revoked") == 0) {
		if (kudos_store_last_evidence(s, id, &before, err))
			goto done;
		if (before && g->evidence && strcmp(before, g->evidence) == 0) {
			kudos_fail(err, KUDOS_EXIT_INPUT,
			           "%s was revoked; granting it again needs new evidence, not "
			           "the evidence of the revoked grant (\"%s\")", id, before);
			goto done;
		}
	}
	if (!full.request_text) {
		if (kudos_store_last_request(s, id, &req, err))
			goto done;
		full.request_text = req.text;
		full.request_sent_at = req.sent_at;
	}
	rc = kudos_store_grant(s, id, &full, actor, terms, now, err);
done:
	free(before);
	kudos_request_clear(&req);
	return rc;
}

int kudos_rights_request(struct kudos_store *s, const char *id, const char *text,
                         const char *template_name, const char *posted_as,
                         const char *actor, int64_t now, struct kudos_error *err)
{
	char from[16], detail[160];
	if (check(s, id, "requested", from, err))
		return -1;
	snprintf(detail, sizeof detail, "template %s%s%s", template_name ? template_name : "-",
	         posted_as ? "; posted as " : "", posted_as ? posted_as : "");
	if (kudos_store_add_request(s, id, text, template_name, posted_as, actor, now, err))
		return -1;
	return kudos_store_set_rights(s, id, "requested", actor, "request", detail, now, err);
}

/* ---- hashtags ----------------------------------------------------------- */

/* A character that may continue a hashtag: letters, marks, digits, '_'. */
static int tag_char(utf8proc_int32_t cp)
{
	if (cp == '_')
		return 1;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
		return 1;
	default:
		return 0;
	}
}

static char *fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                         UTF8PROC_CASEFOLD) < 0)
		return NULL;
	return (char *)out;
}

/* The code point just before byte offset `at` in `s` (0 at the start). */
static utf8proc_int32_t before(const char *s, size_t at)
{
	if (at == 0)
		return 0;
	size_t i = at - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	utf8proc_int32_t cp = 0;
	utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(at - i), &cp);
	return cp;
}

int kudos_has_hashtag(const char *text, const char *hashtag)
{
	if (!text || !hashtag || !*hashtag)
		return 0;
	char *t = fold(text), *h = fold(hashtag);
	int found = 0;
	if (!t || !h)
		goto done;
	/* Compare without the '#', then require one right before the match. */
	const char *tag = h[0] == '#' ? h + 1 : h;
	size_t n = strlen(tag);
	for (const char *p = strstr(t, tag); p && !found; p = strstr(p + 1, tag)) {
		size_t at = (size_t)(p - t);
		if (at == 0 || t[at - 1] != '#')
			continue;
		utf8proc_int32_t prev = before(t, at - 1), next = 0;
		if (p[n])
			utf8proc_iterate((const utf8proc_uint8_t *)p + n, -1, &next);
		found = !tag_char(prev) && !tag_char(next);
	}
done:
	free(t);
	free(h);
	return found;
}

/* ---- replies and staleness ------------------------------------------------ */

/* The same person wrote both: by handle when both have one, else by name. */
static int same_author(const struct kudos_item *a, const struct kudos_item *b)
{
	const char *ha = a->field[KUDOS_FIELD_AUTHOR_HANDLE], *hb = b->field[KUDOS_FIELD_AUTHOR_HANDLE];
	const char *na = a->field[KUDOS_FIELD_AUTHOR_NAME], *nb = b->field[KUDOS_FIELD_AUTHOR_NAME];
	if (ha && *ha && hb && *hb)
		return strcasecmp(ha, hb) == 0;
	return na && *na && nb && *nb && strcmp(na, nb) == 0;
}

int kudos_rights_on_reply(struct kudos_store *s, const struct kudos_rights_config *rc,
                          const struct kudos_item *reply, int64_t now, int *granted,
                          int *replied, struct kudos_error *err)
{
	const char *parent = reply->field[KUDOS_FIELD_IN_REPLY_TO];
	char **ids = NULL;
	size_t n = 0;
	int status = -1;
	if (!parent || !*parent)
		return 0;
	if (kudos_store_requested_for_reply(s, reply->field[KUDOS_FIELD_SOURCE], parent, &ids,
	                                    &n, err))
		return -1;
	const char *author = reply->field[KUDOS_FIELD_AUTHOR_HANDLE]
	                             ? reply->field[KUDOS_FIELD_AUTHOR_HANDLE]
	                             : reply->field[KUDOS_FIELD_AUTHOR_NAME];
	const char *text = reply->field[KUDOS_FIELD_TEXT];
	for (size_t i = 0; i < n; i++) {
		struct kudos_item *asked = NULL;
		if (kudos_store_get(s, ids[i], &asked, err))
			goto done;
		int same = same_author(asked, reply);
		kudos_item_free(asked);
		if (!same)
			continue; /* someone else's reply changes nothing */
		char detail[400];
		if (rc->hashtag && kudos_has_hashtag(text, rc->hashtag)) {
			struct kudos_grant_input g = {
				.scopes = rc->reply_scopes,
				.evidence = text,
				.evidence_id = reply->field[KUDOS_FIELD_ID],
				.evidence_author = author,
				.evidence_at = reply->has_time[KUDOS_TIME_CREATED]
				                       ? reply->time[KUDOS_TIME_CREATED] : now,
			};
			if (kudos_rights_grant(s, ids[i], &g, "reply", &rc->terms, now, err))
				goto done;
			(*granted)++;
		} else {
			snprintf(detail, sizeof detail, "reply %s without %s: %.300s",
			         reply->field[KUDOS_FIELD_ID], rc->hashtag ? rc->hashtag : "a hashtag",
			         text);
			if (kudos_rights_move(s, ids[i], "replied", "replied", "reply", detail, now, err))
				goto done;
			(*replied)++;
		}
	}
	status = 0;
done:
	kudos_ids_free(ids, n);
	return status;
}

int kudos_rights_sweep_stale(struct kudos_store *s, const struct kudos_rights_config *rc,
                             int64_t now, long *count, struct kudos_error *err)
{
	char **ids = NULL, detail[96];
	size_t n = 0;
	int status = -1;
	*count = 0;
	if (kudos_store_requested_before(s, now - rc->stale_after_days * 86400, &ids, &n, err))
		return -1;
	snprintf(detail, sizeof detail, "no answer within %lld days",
	         (long long)rc->stale_after_days);
	for (size_t i = 0; i < n; i++) {
		if (kudos_rights_move(s, ids[i], "stale", "stale", "kudos", detail, now, err))
			goto done;
		(*count)++;
	}
	status = 0;
done:
	kudos_ids_free(ids, n);
	return status;
}

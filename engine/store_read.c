/* Items read back from the store: one by id, every item a query selects,
 * and the lighter rows curation analyses.  An item comes with its latest
 * grant and the excerpt still valid for its text. */
#include "store_internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_COLUMNS                                                            \
	"i.id, i.source, i.external_id, i.kind, i.text, i.title, i.author_name,"  \
	" i.author_handle, i.author_url, i.author_avatar, i.author_role,"         \
	" coalesce(i.language, i.language_guess), i.permalink, i.in_reply_to,"    \
	" i.rating, i.rating_scale,"                                              \
	" i.created_at, i.updated_at, i.media, i.meta, i.badges, i.content_hash," \
	" i.collected_at, i.curation, i.rights,"                                  \
	" g.scopes, g.valid_from, g.valid_until, g.evidence_text, g.credit,"      \
	" g.consent_at, coalesce(f.flags, ''), coalesce(f.flag_detail, '{}'),"   \
	" f.sentiment, f.duplicate_of,"                                           \
	" (SELECT a.at FROM audit a WHERE a.item_id = i.id AND"                   \
	"  a.action = 'curation' AND a.to_state = 'approved'"                     \
	"  ORDER BY a.seq DESC LIMIT 1),"                                         \
	" i.filter_results, i.language IS NULL AND i.language_guess IS NOT NULL," \
	" e.text, e.actor, e.at "                                                 \
	"FROM items i LEFT JOIN grants g ON g.id ="                               \
	" (SELECT max(id) FROM grants WHERE item_id = i.id) "                     \
	"LEFT JOIN excerpts e ON e.item_id = i.id"                                \
	" AND e.content_hash = i.content_hash "                                   \
	"LEFT JOIN findings f ON f.item_id = i.id "

static int load_json_parts(struct kudos_item *it, const char *media, const char *meta)
{
	int rc = -1;
	cJSON *m = media ? cJSON_Parse(media) : NULL, *x = meta ? cJSON_Parse(meta) : NULL;
	const cJSON *e;
	cJSON_ArrayForEach(e, m)
	{
		const char *alt = cJSON_GetStringValue(cJSON_GetObjectItem(e, "alt"));
		if (kudos_item_add_media(it, cJSON_GetStringValue(cJSON_GetObjectItem(e, "type")),
		                         cJSON_GetStringValue(cJSON_GetObjectItem(e, "url")), alt))
			goto done;
	}
	cJSON_ArrayForEach(e, x)
	{
		if (cJSON_IsString(e) && kudos_item_set_meta(it, e->string, e->valuestring))
			goto done;
	}
	rc = 0;
done:
	cJSON_Delete(m);
	cJSON_Delete(x);
	return rc;
}

static struct kudos_item *row_to_item(sqlite3_stmt *st)
{
	static const int fields[] = {
		KUDOS_FIELD_ID,            KUDOS_FIELD_SOURCE,      KUDOS_FIELD_EXTERNAL_ID,
		KUDOS_FIELD_KIND,          KUDOS_FIELD_TEXT,        KUDOS_FIELD_TITLE,
		KUDOS_FIELD_AUTHOR_NAME,   KUDOS_FIELD_AUTHOR_HANDLE, KUDOS_FIELD_AUTHOR_URL,
		KUDOS_FIELD_AUTHOR_AVATAR, KUDOS_FIELD_AUTHOR_ROLE, KUDOS_FIELD_LANGUAGE,
		KUDOS_FIELD_PERMALINK,     KUDOS_FIELD_IN_REPLY_TO,
	};
	struct kudos_item *it = calloc(1, sizeof *it);
	if (!it)
		return NULL;
	for (int i = 0; i < (int)(sizeof fields / sizeof fields[0]); i++)
		if (kudos_item_put(it, fields[i], store_col_text(st, i)))
			goto fail;
	if (sqlite3_column_type(st, 14) != SQLITE_NULL) {
		it->has_rating = 1;
		it->rating = sqlite3_column_double(st, 14);
		it->rating_scale = sqlite3_column_double(st, 15);
	}
	for (int t = 0; t < 2; t++) {
		if (sqlite3_column_type(st, 16 + t) != SQLITE_NULL) {
			it->has_time[t] = 1;
			it->time[t] = sqlite3_column_int64(st, 16 + t);
		}
	}
	if (load_json_parts(it, store_col_text(st, 18), store_col_text(st, 19)))
		goto fail;
	it->badges = (unsigned)sqlite3_column_int64(st, 20);
	it->collected_at = sqlite3_column_int64(st, 22);
	if (kudos_item_put(it, KUDOS_FIELD_CONTENT_HASH, store_col_text(st, 21)) ||
	    kudos_item_put(it, KUDOS_FIELD_CURATION, store_col_text(st, 23)) ||
	    kudos_item_put(it, KUDOS_FIELD_RIGHTS, store_col_text(st, 24)))
		goto fail;
	if (sqlite3_column_type(st, 25) != SQLITE_NULL) {
		it->has_grant = 1;
		it->grant.scopes = strdup(store_col_text(st, 25));
		it->grant.from = sqlite3_column_int64(st, 26);
		it->grant.until = sqlite3_column_int64(st, 27);
		it->grant.evidence = store_col_text(st, 28) ? strdup(store_col_text(st, 28)) : NULL;
		it->grant.credit = strdup(store_col_text(st, 29));
		it->grant.consent_at = sqlite3_column_int64(st, 30);
		if (!it->grant.scopes || !it->grant.credit)
			goto fail;
		/* Scopes are shown only while the grant is in force. */
		if (strcmp(store_col_text(st, 24), "granted") == 0 &&
		    kudos_item_put(it, KUDOS_FIELD_SCOPES, it->grant.scopes))
			goto fail;
	}
	if (kudos_item_set_analysis(it, store_col_text(st, 31), store_col_text(st, 32),
	                            sqlite3_column_type(st, 33) != SQLITE_NULL,
	                            sqlite3_column_double(st, 33), store_col_text(st, 34)) ||
	    kudos_item_set_filter_results(it, store_col_text(st, 36)))
		goto fail;
	/* When the item became approved: its latest approval in the audit
	 * trail, meaningful only while it is still approved. */
	if (sqlite3_column_type(st, 35) != SQLITE_NULL &&
	    strcmp(store_col_text(st, 23), "approved") == 0) {
		it->has_approved_at = 1;
		it->approved_at = sqlite3_column_int64(st, 35);
	}
	it->language_guessed = sqlite3_column_int(st, 37);
	if (sqlite3_column_type(st, 38) != SQLITE_NULL) {
		it->excerpt = strdup(store_col_text(st, 38));
		it->excerpt_by = strdup(store_col_text(st, 39));
		it->excerpt_at = sqlite3_column_int64(st, 40);
		if (!it->excerpt || !it->excerpt_by)
			goto fail;
	}
	char *credit = kudos_item_credit(it);
	int rc = kudos_item_put(it, KUDOS_FIELD_CREDIT, credit);
	free(credit);
	if (rc)
		goto fail;
	return it;
fail:
	kudos_item_free(it);
	return NULL;
}

int kudos_store_get(struct kudos_store *s, const char *id,
                    struct kudos_item **out, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (store_prepare(s, "SELECT " ITEM_COLUMNS "WHERE i.id = ?1", &st, err))
		return -1;
	store_bind_text(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		store_no_item(s, id, err);
		goto done;
	}
	if (step != SQLITE_ROW) {
		store_fail(s, err, "reading an item");
		goto done;
	}
	if (!(*out = row_to_item(st))) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

int kudos_store_each_for_analysis(struct kudos_store *s, const char *const *sources,
                                  kudos_store_analysis_fn fn, void *ud,
                                  struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	char *set = NULL;
	int rc = -1, step;
	if (store_sources_json(sources, &set))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	if (store_prepare(s,
	            "SELECT i.id, i.text, coalesce(i.language, i.language_guess), i.author_name,"
	            " i.author_handle, i.filter_results, i.badges, i.created_at,"
	            " EXISTS (SELECT 1 FROM item_edits e WHERE e.item_id = i.id),"
	            " coalesce(f.flags, ''), coalesce(f.flag_detail, '{}'), f.duplicate_of,"
	            " f.sentiment"
	            " FROM items i LEFT JOIN findings f ON f.item_id = i.id"
	            " WHERE ?1 IS NULL OR i.source IN (SELECT value FROM json_each(?1))",
	            &st, err))
		goto done;
	store_bind_text(st, 1, set);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct kudos_analysis_row row = {
			.id = store_col_text(st, 0),
			.text = store_col_text(st, 1),
			.language = store_col_text(st, 2),
			.author_name = store_col_text(st, 3),
			.author_handle = store_col_text(st, 4),
			.filter_results = store_col_text(st, 5),
			.badges = (unsigned)sqlite3_column_int(st, 6),
			.has_created = sqlite3_column_type(st, 7) != SQLITE_NULL,
			.created = sqlite3_column_int64(st, 7),
			.edited = sqlite3_column_int(st, 8),
			.flags = store_col_text(st, 9),
			.flag_detail = store_col_text(st, 10),
			.duplicate_of = store_col_text(st, 11),
			.has_sentiment = sqlite3_column_type(st, 12) != SQLITE_NULL,
			.sentiment = sqlite3_column_double(st, 12),
		};
		if ((rc = fn(ud, &row)) != 0)
			goto done;
	}
	if (step != SQLITE_DONE) {
		store_fail(s, err, "reading items to curate");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	free(set);
	return rc;
}

int kudos_store_each(struct kudos_store *s, const struct kudos_query *q,
                     kudos_store_each_fn fn, void *ud, struct kudos_error *err)
{
	static const struct kudos_query all = {0};
	sqlite3_stmt *st = NULL;
	char *sources = NULL;
	int rc = -1;
	if (!q)
		q = &all;
	if (store_sources_json(q->sources, &sources))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	if (store_prepare(s,
	            "SELECT " ITEM_COLUMNS
	            "WHERE (?1 IS NULL OR i.curation = ?1) AND (?2 IS NULL OR i.rights = ?2)"
	            " AND (?3 IS NULL OR i.source = ?3)"
	            " AND (?4 IS NULL OR i.source IN (SELECT value FROM json_each(?4)))"
	            " AND (?5 IS NULL OR ',' || f.flags || ',' LIKE '%,' || ?5 || ',%')"
	            " AND (?6 = 0 OR f.flags <> '')"
	            " AND (?7 = 0 OR ',' || f.flags || ',' LIKE '%,negative,%'"
	            "      OR ',' || f.flags || ',' LIKE '%,question,%')"
	            " AND (?8 IS NULL OR EXISTS (SELECT 1 FROM json_each(i.filter_results) f,"
	            "      json_each(f.value, '$.tags') t WHERE t.value = ?8))"
	            " AND (?9 IS NULL OR i.filter_setup IS NOT ?9"
	            "      OR i.filter_hash IS NOT i.content_hash)"
	            " ORDER BY i.created_at IS NULL, i.created_at DESC, i.id",
	            &st, err))
		goto done;
	store_bind_text(st, 1, q->curation);
	store_bind_text(st, 2, q->rights);
	store_bind_text(st, 3, q->source);
	store_bind_text(st, 4, sources);
	store_bind_text(st, 5, q->flag);
	sqlite3_bind_int(st, 6, q->flagged);
	sqlite3_bind_int(st, 7, q->needs_reply);
	store_bind_text(st, 8, q->tag);
	store_bind_text(st, 9, q->unfiltered);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct kudos_item *it = row_to_item(st);
		if (!it) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
			goto done;
		}
		int stop = fn(ud, it);
		kudos_item_free(it);
		if (stop) {
			rc = stop;
			goto done;
		}
	}
	if (step != SQLITE_DONE) {
		store_fail(s, err, "reading items");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	free(sources);
	return rc;
}

/* Plugin state, publications and ratings in the store: cursors per job
 * entry, which file holds which item, the aggregate rating. */
#include "store_internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int kudos_store_cursor_get(struct kudos_store *s, const char *entry,
                           const char *key, char **value, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "SELECT value FROM cursors WHERE entry = ?1 AND key = ?2",
	            &st, err))
		return -1;
	store_bind_text(st, 1, entry);
	store_bind_text(st, 2, key);
	int step = sqlite3_step(st);
	*value = NULL;
	if (step == SQLITE_ROW && !(*value = strdup(store_col_text(st, 0))))
		step = SQLITE_NOMEM;
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(s, err, "reading a source cursor");
	return 0;
}

int kudos_store_cursor_set(struct kudos_store *s, const char *entry,
                           const char *key, const char *value,
                           struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "INSERT INTO cursors (entry, key, value) VALUES (?1, ?2, ?3)"
	               " ON CONFLICT (entry, key) DO UPDATE SET value = excluded.value",
	            &st, err))
		return -1;
	store_bind_text(st, 1, entry);
	store_bind_text(st, 2, key);
	store_bind_text(st, 3, value);
	return store_step_once(s, st, "saving a source cursor", err);
}

int kudos_store_record_publication(struct kudos_store *s,
                                   const struct kudos_publication *p,
                                   struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "INSERT INTO publications (item_id, output, plugin, path, per_item, at)"
	               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	               " ON CONFLICT DO UPDATE SET at = excluded.at, per_item = excluded.per_item",
	            &st, err))
		return -1;
	store_bind_text(st, 1, p->item_id);
	store_bind_text(st, 2, p->output);
	store_bind_text(st, 3, p->plugin);
	store_bind_text(st, 4, p->path);
	sqlite3_bind_int(st, 5, p->per_item);
	sqlite3_bind_int64(st, 6, p->at);
	return store_step_once(s, st, "recording a published file", err);
}

int kudos_store_forget_publications(struct kudos_store *s, const char *output,
                                    const char *item_id, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "DELETE FROM publications WHERE output = ?1 AND (?2 IS NULL OR item_id = ?2)",
	            &st, err))
		return -1;
	store_bind_text(st, 1, output);
	store_bind_text(st, 2, item_id);
	return store_step_once(s, st, "forgetting published files", err);
}

int kudos_store_each_publication(struct kudos_store *s, const char *item_id,
                                 const char *output, const char *plugin,
                                 kudos_publication_fn fn, void *ud,
                                 struct kudos_error *err)
{
	/* With "?1 IS NULL OR item_id = ?1" SQLite cannot seek the index on
	 * item_id and reads every publication: an output asking about each of
	 * 20,000 items (item_artifact) took 50 s.  One item gets its own text. */
	static const char *const sql[2] = {
		"SELECT item_id, output, plugin, path, per_item, at FROM publications"
		" WHERE (?1 IS NULL OR item_id = ?1) AND (?2 IS NULL OR output = ?2)"
		" AND (?3 IS NULL OR plugin = ?3) ORDER BY item_id, at, output, path",
		"SELECT item_id, output, plugin, path, per_item, at FROM publications"
		" WHERE item_id = ?1 AND (?2 IS NULL OR output = ?2)"
		" AND (?3 IS NULL OR plugin = ?3) ORDER BY item_id, at, output, path",
	};
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, sql[item_id != NULL], &st, err))
		return -1;
	store_bind_text(st, 1, item_id);
	store_bind_text(st, 2, output);
	store_bind_text(st, 3, plugin);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct kudos_publication p = {store_col_text(st, 0), store_col_text(st, 1), store_col_text(st, 2),
		                              store_col_text(st, 3), sqlite3_column_int(st, 4),
		                              sqlite3_column_int64(st, 5)};
		if (fn(ud, &p))
			break;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(s, err, "reading publications");
	return 0;
}

int kudos_store_aggregate(struct kudos_store *s, const char *const *sources,
                          int64_t *count, double *average,
                          struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	char *set = NULL;
	int rc = -1;
	if (sources) {
		cJSON *arr = cJSON_CreateArray();
		for (size_t i = 0; arr && sources[i]; i++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(sources[i]));
		set = arr ? cJSON_PrintUnformatted(arr) : NULL;
		cJSON_Delete(arr);
		if (!set)
			return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	}
	if (store_prepare(s, "SELECT count(*), avg(rating * 5.0 / rating_scale) FROM items"
	               " WHERE rating IS NOT NULL AND rating_scale > 0"
	               " AND (?1 IS NULL OR source IN (SELECT value FROM json_each(?1)))",
	            &st, err))
		goto done;
	store_bind_text(st, 1, set);
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, err, "computing the aggregate rating");
		goto done;
	}
	*count = sqlite3_column_int64(st, 0);
	*average = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_double(st, 1);
	rc = 0;
done:
	sqlite3_finalize(st);
	free(set);
	return rc;
}

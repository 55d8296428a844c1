/* The store's core: the schema and its migrations, the connection and its
 * prepared statements, transactions, and writing items (a collect's
 * upsert, what curation and the filters found). */
#include "store.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "text.h"

/* Schema migrations, applied in order; PRAGMA user_version counts how many
 * have run.  Append only: a released migration is never edited. */
static const char *const migrations[] = {
	/* 1: the foundation schema */
	"CREATE TABLE items ("
	"  id TEXT PRIMARY KEY,"
	"  source TEXT NOT NULL,"
	"  external_id TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  title TEXT, author_name TEXT, author_handle TEXT, author_url TEXT,"
	"  author_avatar TEXT, author_role TEXT, language TEXT, permalink TEXT,"
	"  in_reply_to TEXT,"
	"  rating REAL, rating_scale REAL,"
	"  created_at INTEGER, updated_at INTEGER,"
	"  media TEXT NOT NULL DEFAULT '[]',"
	"  meta TEXT NOT NULL DEFAULT '{}',"
	"  badges INTEGER NOT NULL DEFAULT 0,"
	"  content_hash TEXT NOT NULL,"
	"  collected_at INTEGER NOT NULL,"
	/* What curation found (engine/analyze.c): flags as "pii,negative",
	 * their details as JSON, a sentiment hint, and the representative of
	 * the item's duplicate group. */
	"  flags TEXT NOT NULL DEFAULT '',"
	"  flag_detail TEXT NOT NULL DEFAULT '{}',"
	"  sentiment REAL,"
	"  duplicate_of TEXT,"
	/* The checks are OR chains, not IN lists: SQLite builds an ephemeral
	 * index for every evaluation of an IN list, which cost a third of
	 * the time of an insert. */
	"  curation TEXT NOT NULL DEFAULT 'new'"
	"    CHECK (curation = 'new' OR curation = 'approved' OR curation = 'rejected'),"
	"  rights TEXT NOT NULL DEFAULT 'none'"
	"    CHECK (rights = 'none' OR rights = 'requested' OR rights = 'granted' OR"
	"           rights = 'replied' OR rights = 'denied' OR rights = 'stale' OR"
	"           rights = 'revoked')"
	");"
	"CREATE INDEX items_order ON items (created_at DESC, id);"
	"CREATE INDEX items_source ON items (source);"
	"CREATE TABLE grants ("
	"  id INTEGER PRIMARY KEY,"
	"  item_id TEXT NOT NULL REFERENCES items(id),"
	"  scopes TEXT NOT NULL,"
	"  valid_from INTEGER, valid_until INTEGER,"
	"  request_text TEXT, request_sent_at INTEGER,"
	"  terms_url TEXT, terms_version TEXT,"
	"  evidence_text TEXT, evidence_id TEXT, evidence_author TEXT, evidence_at INTEGER,"
	"  consent_at INTEGER NOT NULL,"
	"  credit TEXT NOT NULL DEFAULT 'full',"
	"  actor TEXT NOT NULL"
	");"
	"CREATE INDEX grants_item ON grants (item_id, id);"
	/* Each request for permission as sent: the text, when, and the id of
	 * the brand's post that carried it (replies may answer that post). */
	"CREATE TABLE requests ("
	"  id INTEGER PRIMARY KEY,"
	"  item_id TEXT NOT NULL REFERENCES items(id),"
	"  text TEXT NOT NULL, template TEXT, posted_as TEXT,"
	"  sent_at INTEGER NOT NULL, actor TEXT NOT NULL"
	");"
	"CREATE INDEX requests_item ON requests (item_id, id);"
	"CREATE INDEX requests_posted ON requests (posted_as);"
	"CREATE TABLE item_edits ("
	"  item_id TEXT NOT NULL REFERENCES items(id),"
	"  at INTEGER NOT NULL,"
	"  old_hash TEXT NOT NULL, new_hash TEXT NOT NULL, old_text TEXT NOT NULL"
	");"
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  item_id TEXT, actor TEXT NOT NULL, action TEXT NOT NULL,"
	"  from_state TEXT, to_state TEXT, detail TEXT,"
	"  prev_hash TEXT NOT NULL, hash TEXT NOT NULL"
	");"
	"CREATE INDEX audit_item ON audit (item_id, seq);"
	/* The trail is append-only: SQL cannot change or drop an entry through
	 * kudos's own connection without first dropping these triggers, and
	 * anything done behind kudos's back breaks the hash chain. */
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	"CREATE TABLE cursors ("
	"  entry TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (entry, key)"
	");"
	"CREATE TABLE optouts ("
	"  author TEXT PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL"
	");"
	/* Which file holds which item: `output` is the job entry ("acme/
	 * outputs[1]"), `plugin` its plugin; `per_item` marks a file that
	 * belongs to that item alone (a card), to delete on takedown. */
	"CREATE TABLE publications ("
	"  item_id TEXT NOT NULL, output TEXT NOT NULL, plugin TEXT NOT NULL,"
	"  path TEXT NOT NULL, per_item INTEGER NOT NULL, at INTEGER NOT NULL,"
	"  PRIMARY KEY (output, path, item_id)"
	");"
	"CREATE INDEX publications_item ON publications (item_id, plugin);",
	/* 2: what filter plugins found (engine/filter.c): per filter its
	 * flags, tags, scores and language as JSON; the language a filter gave
	 * an item its source left without one (the source's own column stays
	 * as the source said); and what the filters last saw, the content
	 * hash and the fingerprint of the job's filters, so that only new or
	 * changed items are filtered again. */
	"ALTER TABLE items ADD COLUMN filter_results TEXT NOT NULL DEFAULT '{}';"
	"ALTER TABLE items ADD COLUMN language_guess TEXT;"
	"ALTER TABLE items ADD COLUMN filter_hash TEXT;"
	"ALTER TABLE items ADD COLUMN filter_setup TEXT;",
	/* 3: curator-approved excerpts, beside the original text and valid
	 * for the content hash they were made from (store_excerpt.c). */
	"CREATE TABLE excerpts ("
	"  item_id TEXT PRIMARY KEY REFERENCES items(id),"
	"  text TEXT NOT NULL, content_hash TEXT NOT NULL,"
	"  actor TEXT NOT NULL, at INTEGER NOT NULL"
	");",
	/* 4: what curation found (engine/analyze.c) gets a table of its own:
	 * saving it rewrote each whole item row, most of a kilobyte, for a
	 * tenth of that in findings (0.8 s of a 100,000-item curate).  An
	 * item without a row has found nothing. */
	"CREATE TABLE findings ("
	"  item_id TEXT PRIMARY KEY REFERENCES items(id),"
	"  flags TEXT NOT NULL DEFAULT '',"
	"  flag_detail TEXT NOT NULL DEFAULT '{}',"
	"  sentiment REAL,"
	"  duplicate_of TEXT"
	") WITHOUT ROWID;"
	"INSERT INTO findings SELECT id, flags, flag_detail, sentiment, duplicate_of FROM items"
	" WHERE flags <> '' OR flag_detail <> '{}' OR sentiment IS NOT NULL"
	"  OR duplicate_of IS NOT NULL;"
	"ALTER TABLE items DROP COLUMN flags;"
	"ALTER TABLE items DROP COLUMN flag_detail;"
	"ALTER TABLE items DROP COLUMN sentiment;"
	"ALTER TABLE items DROP COLUMN duplicate_of;",
};

#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

static const char *const stmt_sql[ST_COUNT_] = {
	[ST_FIND] = "SELECT content_hash, text, rights FROM items WHERE id = ?1",
	[ST_INSERT] =
		"INSERT INTO items (id, source, external_id, kind, text, title,"
		" author_name, author_handle, author_url, author_avatar, author_role,"
		" language, permalink, in_reply_to, rating, rating_scale, created_at,"
		" updated_at, media, meta, badges, content_hash, collected_at)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
		"?18,?19,?20,?21,?22,?23)",
	[ST_UPDATE] =
		"UPDATE items SET kind=?4, text=?5, title=?6, author_name=?7,"
		" author_handle=?8, author_url=?9, author_avatar=?10, author_role=?11,"
		" language=?12, permalink=?13, in_reply_to=?14, rating=?15,"
		" rating_scale=?16, created_at=?17, updated_at=?18, media=?19, meta=?20,"
		" badges=?21, content_hash=?22 WHERE id=?1",
	[ST_EDIT] = "INSERT INTO item_edits (item_id, at, old_hash, new_hash, old_text)"
		    " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_GRANT] = "INSERT INTO grants (item_id, scopes, valid_from, valid_until,"
		     " terms_url, terms_version, evidence_text, consent_at, credit, actor,"
		     " evidence_id, evidence_author, evidence_at, request_text, request_sent_at)"
		     " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
	[ST_SET_RIGHTS] = "UPDATE items SET rights = ?2 WHERE id = ?1",
	[ST_AUDIT_TAIL] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
	[ST_AUDIT_ADD] = "INSERT INTO audit (seq, at, item_id, actor, action, from_state,"
			 " to_state, detail, prev_hash, hash)"
			 " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
	[ST_SET_ANALYSIS] = "INSERT INTO findings (item_id, flags, flag_detail, sentiment,"
			    " duplicate_of) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (item_id)"
			    " DO UPDATE SET flags = excluded.flags, flag_detail = excluded.flag_detail,"
			    " sentiment = excluded.sentiment, duplicate_of = excluded.duplicate_of",
	[ST_SET_FILTERED] = "UPDATE items SET filter_results = ?2, language_guess = ?3,"
			    " filter_setup = ?4, filter_hash = ?5 WHERE id = ?1",
	/* A reply's target is found by id (source:external_id) or by the
	 * requests posted as it.  `+source` keeps SQLite off the index on
	 * source, which it otherwise chose: every reply then scanned all of
	 * its source's items (40,000 statuses, a quarter of them replies,
	 * took 83 s to collect). */
	[ST_REQUESTED_FOR_REPLY] = "SELECT id FROM items WHERE rights = 'requested'"
				   " AND +source = ?1 AND id IN (SELECT ?1 || ':' || ?2"
				   "  UNION ALL SELECT item_id FROM requests WHERE posted_as = ?2)"
				   " ORDER BY id",
	/* Once per decision, and rules may decide 100,000 at once. */
	[ST_GET_CURATION] = "SELECT curation FROM items WHERE id = ?1",
	[ST_SET_CURATION] = "UPDATE items SET curation = ?2 WHERE id = ?1",
};

int store_fail(struct kudos_store *s, struct kudos_error *err, const char *doing)
{
	int code = sqlite3_errcode(s->db);
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return kudos_fail(err, KUDOS_EXIT_FAIL,
		                  "store %s: %s: another kudos process kept the store "
		                  "busy too long; try again when it has finished",
		                  s->path, doing);
	return kudos_fail(err, KUDOS_EXIT_FAIL, "store %s: %s: %s", s->path, doing,
	                  sqlite3_errmsg(s->db));
}

int store_no_item(struct kudos_store *s, const char *id, struct kudos_error *err)
{
	return kudos_fail(err, KUDOS_EXIT_INPUT,
	                  "no item with id '%s' in store %s; `kudos list` shows the ids", id,
	                  s->path);
}

int store_prepare(struct kudos_store *s, const char *sql, sqlite3_stmt **st,
                  struct kudos_error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_fail(s, err, "preparing a query");
	return 0;
}

/* A cached statement, reset and unbound, ready for binding. */
sqlite3_stmt *store_cached(struct kudos_store *s, int which)
{
	sqlite3_stmt *st = s->st[which];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

const char *store_col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Run a one-shot write statement to completion and finalize it. */
int store_step_once(struct kudos_store *s, sqlite3_stmt *st, const char *doing,
                    struct kudos_error *err)
{
	int step = sqlite3_step(st);
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_fail(s, err, doing);
	return 0;
}

/* A source set as a JSON array to bind to one parameter, so that the SQL
 * text never depends on the input.  RETURN VALUE 0 with *out (transfer
 * full; NULL for a NULL set), or -1 when out of memory. */
int store_sources_json(const char *const *sources, char **out)
{
	*out = NULL;
	if (!sources)
		return 0;
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && sources[i]; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(sources[i]));
	*out = arr ? cJSON_PrintUnformatted(arr) : NULL;
	cJSON_Delete(arr);
	return *out ? 0 : -1;
}

static int exec(struct kudos_store *s, const char *sql, struct kudos_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "store %s: %s", s->path,
		           msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int migrate(struct kudos_store *s, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "PRAGMA user_version", &st, err))
		return -1;
	int version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (version > (int)N_MIGRATIONS)
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "store %s has schema version %d, newer than this kudos "
		                  "knows (%zu); use a newer kudos",
		                  s->path, version, N_MIGRATIONS);
	if (version == (int)N_MIGRATIONS)
		return 0;
	/* Another process may be migrating the same file: read the version
	 * again under the write lock and apply only what is still missing. */
	if (kudos_store_begin(s, err))
		return -1;
	if (store_prepare(s, "PRAGMA user_version", &st, err)) {
		kudos_store_rollback(s);
		return -1;
	}
	version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	for (size_t v = (size_t)version; v < N_MIGRATIONS; v++) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %zu", v + 1);
		if (exec(s, migrations[v], err) || exec(s, pragma, err)) {
			kudos_store_rollback(s);
			return -1;
		}
	}
	return kudos_store_commit(s, err);
}

void kudos_store_init_process(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int kudos_store_open(const char *path, struct kudos_store **out,
                     struct kudos_error *err)
{
	struct kudos_store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return kudos_fail(err, KUDOS_EXIT_FAIL, "store %s: out of memory", path);
	}
	/* NOMUTEX: a connection is only ever used by the thread that opened
	 * it, so SQLite's own locking would be pure overhead. */
	if (sqlite3_open_v2(path, &s->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "cannot open store %s: %s; check the "
		           "folder exists and is writable", path,
		           s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 0);
	sqlite3_busy_timeout(s->db, 10000);
	/* journal_mode answers with a row; a file that is not a database
	 * fails here with SQLITE_NOTADB. */
	char *msg = NULL;
	/* Switching a new file to WAL takes an exclusive lock and SQLite
	 * answers SQLITE_BUSY at once, without the busy handler, when another
	 * process is doing the same: retry for a while. */
	int rc;
	/* A new store gets 16 KiB pages (an existing one keeps its own): an
	 * item row is most of a kilobyte, and collecting 100,000 statuses
	 * took 2.2-2.6 s instead of 2.8-2.9 s with 4 KiB pages, through
	 * fewer page splits and WAL frames (curating them, 7% longer). */
	for (int tries = 0;; tries++) {
		rc = sqlite3_exec(s->db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL", NULL,
		                  NULL, &msg);
		if (rc != SQLITE_BUSY || tries >= 1000)
			break;
		sqlite3_free(msg);
		msg = NULL;
		sqlite3_sleep(10);
	}
	if (rc == SQLITE_OK)
		/* A 16 MB page cache: a big collect's transaction then rarely
		 * spills pages to the WAL before it commits. */
		rc = sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
		                         " PRAGMA cache_size=-16384;",
		                  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int notadb = sqlite3_errcode(s->db) == SQLITE_NOTADB;
		kudos_fail(err, notadb ? KUDOS_EXIT_INPUT : KUDOS_EXIT_FAIL,
		           "cannot open store %s: %s%s", path, msg ? msg : "",
		           notadb ? " (is --store pointing at the right file?)" : "");
		sqlite3_free(msg);
		goto fail;
	}
	if (migrate(s, err))
		goto fail;
	for (int i = 0; i < ST_COUNT_; i++)
		if (store_prepare(s, stmt_sql[i], &s->st[i], err))
			goto fail;
	*out = s;
	return 0;
fail:
	kudos_store_close(s);
	return -1;
}

void kudos_store_close(struct kudos_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_COUNT_; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

const char *kudos_store_path(const struct kudos_store *s)
{
	return s->path;
}

/* Transactions nest: the outermost is BEGIN IMMEDIATE, inner ones are
 * savepoints, so a dry run can wrap a whole run in one transaction that
 * it rolls back while each step still commits "its" part. */
int kudos_store_begin(struct kudos_store *s, struct kudos_error *err)
{
	char sql[48];
	if (s->depth == 0)
		snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
	else
		snprintf(sql, sizeof sql, "SAVEPOINT kudos_%d", s->depth);
	if (exec(s, sql, err))
		return -1;
	s->depth++;
	return 0;
}

int kudos_store_commit(struct kudos_store *s, struct kudos_error *err)
{
	char sql[48];
	if (s->depth <= 0)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "store %s: commit without a transaction",
		                  s->path);
	if (s->depth == 1)
		snprintf(sql, sizeof sql, "COMMIT");
	else
		snprintf(sql, sizeof sql, "RELEASE kudos_%d", s->depth - 1);
	if (exec(s, sql, err))
		return -1;
	s->depth--;
	return 0;
}

void kudos_store_rollback(struct kudos_store *s)
{
	char sql[80];
	if (s->depth <= 0)
		return;
	s->depth--;
	if (s->depth == 0)
		snprintf(sql, sizeof sql, "ROLLBACK");
	else
		snprintf(sql, sizeof sql, "ROLLBACK TO kudos_%d; RELEASE kudos_%d", s->depth,
		         s->depth);
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}


/* Bind every column of the item for ST_INSERT / ST_UPDATE.  An update
 * keeps the first collection time, so it has no ?23 and that bind is a
 * harmless SQLITE_RANGE; ?2 and ?3 are likewise unused by the update. */
/* Bind a string that outlives the statement's step, or NULL. */
static void bind_static(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int bind_item(sqlite3_stmt *st, const struct kudos_item *it,
                     const char *hash, int64_t now)
{
	char *own_media = NULL, *own_meta = NULL;
	const char *media = it->media_json ? it->media_json
	                                   : (own_media = kudos_item_media_json(it));
	const char *meta = it->meta_json ? it->meta_json : (own_meta = kudos_item_meta_json(it));
	if (!media || !meta) {
		free(own_media);
		free(own_meta);
		return -1;
	}
	static const int text_cols[][2] = {
		{1, KUDOS_FIELD_ID},           {2, KUDOS_FIELD_SOURCE},
		{3, KUDOS_FIELD_EXTERNAL_ID},  {4, KUDOS_FIELD_KIND},
		{5, KUDOS_FIELD_TEXT},         {6, KUDOS_FIELD_TITLE},
		{7, KUDOS_FIELD_AUTHOR_NAME},  {8, KUDOS_FIELD_AUTHOR_HANDLE},
		{9, KUDOS_FIELD_AUTHOR_URL},   {10, KUDOS_FIELD_AUTHOR_AVATAR},
		{11, KUDOS_FIELD_AUTHOR_ROLE}, {12, KUDOS_FIELD_LANGUAGE},
		{13, KUDOS_FIELD_PERMALINK},   {14, KUDOS_FIELD_IN_REPLY_TO},
	};
	/* Bound without copies (SQLITE_STATIC): the item and the hash outlive
	 * the step that follows, and the next use of the statement rebinds
	 * every parameter.  Copying them was a tenth of a collect's storing. */
	for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++)
		bind_static(st, text_cols[i][0], it->field[text_cols[i][1]]);
	if (it->has_rating) {
		sqlite3_bind_double(st, 15, it->rating);
		sqlite3_bind_double(st, 16, it->rating_scale);
	}
	for (int t = 0; t < 2; t++)
		if (it->has_time[t])
			sqlite3_bind_int64(st, 17 + t, it->time[t]);
	sqlite3_bind_text(st, 19, media, -1, own_media ? free : SQLITE_STATIC);
	sqlite3_bind_text(st, 20, meta, -1, own_meta ? free : SQLITE_STATIC);
	sqlite3_bind_int64(st, 21, it->badges);
	sqlite3_bind_text(st, 22, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 23, now);
	return 0;
}

int kudos_store_set_analysis(struct kudos_store *s, const char *id, const char *flags,
                             const char *detail, int has_sentiment, double sentiment,
                             const char *duplicate_of, struct kudos_error *err)
{
	sqlite3_stmt *st = store_cached(s, ST_SET_ANALYSIS);
	bind_static(st, 1, id);
	bind_static(st, 2, flags);
	bind_static(st, 3, detail);
	if (has_sentiment)
		sqlite3_bind_double(st, 4, sentiment);
	bind_static(st, 5, duplicate_of);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return store_fail(s, err, "saving what curation found");
	return 0;
}

int kudos_store_set_filter_results(struct kudos_store *s, const char *id,
                                   const char *results, const char *language,
                                   const char *setup, const char *content_hash,
                                   struct kudos_error *err)
{
	sqlite3_stmt *st = store_cached(s, ST_SET_FILTERED);
	store_bind_text(st, 1, id);
	store_bind_text(st, 2, results ? results : "{}");
	store_bind_text(st, 3, language);
	store_bind_text(st, 4, setup);
	store_bind_text(st, 5, content_hash);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return store_fail(s, err, "saving what the filters found");
	return 0;
}

int kudos_store_clear_filter_results(struct kudos_store *s, const char *const *sources,
                                     struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	char *set = NULL;
	if (store_sources_json(sources, &set))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	if (store_prepare(s, "UPDATE items SET filter_results = '{}', language_guess = NULL,"
	                     " filter_setup = NULL, filter_hash = NULL WHERE filter_setup IS NOT NULL"
	                     " AND (?1 IS NULL OR source IN (SELECT value FROM json_each(?1)))",
	                  &st, err)) {
		free(set);
		return -1;
	}
	sqlite3_bind_text(st, 1, set, -1, free); /* NULL binds NULL */
	return store_step_once(s, st, "clearing what filters found", err);
}

int kudos_store_upsert(struct kudos_store *s, const struct kudos_item *it,
                       const char *actor, const struct kudos_terms *terms,
                       int64_t now, int *outcome, struct kudos_error *err)
{
	const char *id = it->field[KUDOS_FIELD_ID];
	char hash[65], old_hash[65] = "", rights[16] = "none";
	char *old_text = NULL;
	int found = 0, rc = -1;
	if (it->sealed_hash[0])
		memcpy(hash, it->sealed_hash, sizeof hash);
	else
		kudos_item_content_hash(it, hash);

	sqlite3_stmt *st = store_cached(s, ST_FIND);
	store_bind_text(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		found = 1;
		snprintf(old_hash, sizeof old_hash, "%s", (const char *)sqlite3_column_text(st, 0));
		old_text = strdup((const char *)sqlite3_column_text(st, 1));
		snprintf(rights, sizeof rights, "%s", (const char *)sqlite3_column_text(st, 2));
		if (!old_text) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
			goto done;
		}
	} else if (step != SQLITE_DONE) {
		store_fail(s, err, "looking up an item");
		goto done;
	}
	sqlite3_reset(st);

	if (found && strcmp(old_hash, hash) == 0) {
		*outcome = KUDOS_UPSERT_UNCHANGED;
	} else {
		st = store_cached(s, found ? ST_UPDATE : ST_INSERT);
		if (bind_item(st, it, hash, now)) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
			goto done;
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_fail(s, err, found ? "updating an item" : "inserting an item");
			goto done;
		}
		if (found) {
			st = store_cached(s, ST_EDIT);
			store_bind_text(st, 1, id);
			sqlite3_bind_int64(st, 2, now);
			store_bind_text(st, 3, old_hash);
			store_bind_text(st, 4, hash);
			store_bind_text(st, 5, old_text);
			if (sqlite3_step(st) != SQLITE_DONE) {
				store_fail(s, err, "recording an upstream edit");
				goto done;
			}
			char detail[160];
			snprintf(detail, sizeof detail, "content hash %.12s -> %.12s", old_hash, hash);
			if (store_audit_add(s, now, id, actor, "edited_upstream", NULL, NULL, detail, err) ||
			    store_excerpt_invalidate(s, id, actor, now, err))
				goto done;
		}
		*outcome = found ? KUDOS_UPSERT_UPDATED : KUDOS_UPSERT_NEW;
	}
	if (it->consent_scopes && strcmp(rights, "none") == 0) {
		struct kudos_grant_input g = {.scopes = it->consent_scopes,
		                              .evidence = it->consent_evidence};
		if (kudos_store_grant(s, id, &g, actor, terms, now, err))
			goto done;
	}
	rc = 0;
done:
	free(old_text);
	return rc;
}

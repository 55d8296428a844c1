/* The host service table handed to plugins, and plugin instances; the
 * services for outputs and filters are in host_output.c and host_filter.c
 * (host_services.h). */
#include "instance.h"

#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "gate.h"
#include "host_files.h"
#include "host_services.h"
#include "html.h"
#include "rights.h"
#include "zone.h"
#include "text.h"

/* ---- logging and errors --------------------------------------------- */

static void vlog_line(struct kudos_instance *self, int level, const char *fmt, va_list ap)
{
	static const char *const tags[] = {"error", "warning", "", ""};
	/* By default a run says only what went wrong and its own summary;
	 * -v adds the plugins' progress notes. */
	int threshold = self->verbosity <= 0 ? KUDOS_LOG_ERROR
	                : self->verbosity == 1 ? KUDOS_LOG_WARN : KUDOS_LOG_DEBUG;
	if (level > threshold)
		return;
	if (level < 0)
		level = 0;
	char line[2048], out[2200];
	vsnprintf(line, sizeof line, fmt, ap);
	if (self->progress) /* the bar is drawn again by its next update */
		kudos_progress_end(self->progress);
	if (level <= KUDOS_LOG_WARN)
		snprintf(out, sizeof out, "kudos: %s: %s: %s\n", self->desc->name, tags[level], line);
	else
		snprintf(out, sizeof out, "kudos: %s: %s\n", self->desc->name, line);
	/* A file read by each_file_parallel: printed in file order later. */
	if (self->batch)
		kudos_batch_line(self->batch, out);
	else
		fputs(out, stderr);
}

void kudos_host_log(struct kudos_instance *self, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog_line(self, level, fmt, ap);
	va_end(ap);
}

void kudos_host_set_error(struct kudos_instance *self, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(self->error, sizeof self->error, fmt, ap);
	va_end(ap);
}

static void *host_alloc(size_t n) { return malloc(n ? n : 1); }
static void *host_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }
static void host_free(void *p) { free(p); }

/* ---- configuration and context -------------------------------------- */

/* Services that touch the instance's shared state (its config values, the
 * store) are not for a callback of each_file_parallel, which may run on
 * several threads at once.  RETURN VALUE 1 (refused, error set) if `self`
 * is such a callback's view. */
static int refused_in_file_call(struct kudos_instance *self, const char *service)
{
	if (!self->batch)
		return 0;
	kudos_host_set_error(self, "%s is not available inside an each_file_parallel callback; "
	                           "call it from collect() before or after reading the files",
	                     service);
	return 1;
}

static const char *host_config_get(struct kudos_instance *self, const char *key)
{
	if (refused_in_file_call(self, "config_get"))
		return NULL;
	return key ? kudos_config_text(&self->cs, self->jp->entry, key) : NULL;
}

static const char *host_job_dir(struct kudos_instance *self)
{
	return self->job->dir;
}

static const char *host_job_get(struct kudos_instance *self, const char *key)
{
	if (refused_in_file_call(self, "job_get"))
		return NULL;
	return key ? kudos_config_text(&self->cs, self->job->root, key) : NULL;
}

static int host_should_stop(struct kudos_instance *self)
{
	return self->stop && *self->stop;
}

static int64_t host_run_time(struct kudos_instance *self)
{
	return self->run_time;
}

/* ---- building items -------------------------------------------------- */

int kudos_host_text_ok(const char *s)
{
	return kudos_utf8_valid(s, strlen(s));
}

static struct kudos_item *host_item_new(struct kudos_instance *self, const char *external_id)
{
	if (!external_id || !*external_id || strlen(external_id) > 512 ||
	    !kudos_host_text_ok(external_id)) {
		kudos_host_log(self, KUDOS_LOG_WARN, "an item id must be 1-512 bytes of UTF-8; "
		                                     "item skipped");
		return NULL;
	}
	for (const unsigned char *p = (const unsigned char *)external_id; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			kudos_host_log(self, KUDOS_LOG_WARN, "item id '%s' holds a control character; "
			                                     "item skipped", external_id);
			return NULL;
		}
	}
	struct kudos_item *it = kudos_item_new(self->desc->name, external_id);
	if (!it)
		kudos_host_log(self, KUDOS_LOG_ERROR, "out of memory");
	return it;
}

static int writable_field(int field)
{
	switch (field) {
	case KUDOS_FIELD_KIND: case KUDOS_FIELD_TEXT: case KUDOS_FIELD_TITLE:
	case KUDOS_FIELD_AUTHOR_NAME: case KUDOS_FIELD_AUTHOR_HANDLE:
	case KUDOS_FIELD_AUTHOR_URL: case KUDOS_FIELD_AUTHOR_AVATAR:
	case KUDOS_FIELD_AUTHOR_ROLE: case KUDOS_FIELD_LANGUAGE:
	case KUDOS_FIELD_PERMALINK: case KUDOS_FIELD_IN_REPLY_TO:
		return 1;
	default:
		return 0;
	}
}

static int host_item_set(struct kudos_item *it, int field, const char *value)
{
	if (!it || !writable_field(field))
		return KUDOS_EINVAL;
	if (!value)
		return kudos_item_put(it, field, NULL);
	if (field == KUDOS_FIELD_KIND && !kudos_kind_valid(value))
		return KUDOS_EINVAL;
	/* Text is stored in NFC so that the same words hash the same however
	 * the platform composed them. */
	size_t len;
	int st = kudos_utf8_nfc_check(value, &len);
	if (st < 0)
		return KUDOS_EINVAL;
	if (st == 0)
		return kudos_item_put_n(it, field, value, len);
	char *nfc = kudos_utf8_nfc(value);
	if (!nfc)
		return KUDOS_ENOMEM;
	kudos_item_take(it, field, nfc);
	return KUDOS_OK;
}

static int host_item_set_rating(struct kudos_item *it, double value, double scale)
{
	if (!it || !(scale > 0) || !(value >= 0) || value > scale || scale > 100)
		return KUDOS_EINVAL;
	it->has_rating = 1;
	it->rating = value;
	it->rating_scale = scale;
	return KUDOS_OK;
}

static int host_item_set_time(struct kudos_item *it, int which, int64_t utc)
{
	if (!it || (which != KUDOS_TIME_CREATED && which != KUDOS_TIME_UPDATED))
		return KUDOS_EINVAL;
	/* Years 1970..9999 are what RFC 3339 output can say. */
	if (utc < 0 || utc > 253402300799LL)
		return KUDOS_EINVAL;
	it->has_time[which] = 1;
	it->time[which] = utc;
	return KUDOS_OK;
}

static int host_item_add_media(struct kudos_item *it, const char *type, const char *url,
                               const char *alt)
{
	if (!it || !type || !url || !kudos_host_text_ok(type) || !kudos_host_text_ok(url) ||
	    (alt && !kudos_host_text_ok(alt)))
		return KUDOS_EINVAL;
	return kudos_item_add_media(it, type, url, alt);
}

static int host_item_add_badges(struct kudos_item *it, unsigned badges)
{
	if (!it || (badges & ~7u))
		return KUDOS_EINVAL;
	it->badges |= badges;
	return KUDOS_OK;
}

static int host_item_set_meta(struct kudos_item *it, const char *key, const char *value)
{
	if (!it || !key || !value || !*key || !kudos_host_text_ok(key) || !kudos_host_text_ok(value))
		return KUDOS_EINVAL;
	return kudos_item_set_meta(it, key, value);
}

static int host_item_set_consent(struct kudos_item *it, const char *scopes,
                                 const char *evidence)
{
	if (!it || !scopes || !evidence || !kudos_host_text_ok(evidence))
		return KUDOS_EINVAL;
	char *canon = kudos_scopes_canonical(scopes), *ev = strdup(evidence);
	if (!canon || !ev) {
		free(canon);
		free(ev);
		return KUDOS_EINVAL;
	}
	free(it->consent_scopes);
	free(it->consent_evidence);
	it->consent_scopes = canon;
	it->consent_evidence = ev;
	return KUDOS_OK;
}

/* Store one emitted item: on the writer thread during a collect (see
 * writer.h), or directly.  (transfer full) */
int kudos_instance_store_item(void *ud, struct kudos_item *it)
{
	struct kudos_instance *self = ud;
	int outcome, rc = -1;
	if (kudos_store_upsert(self->store, it, self->desc->name, &self->job->terms,
	                       self->run_time, &outcome, &self->store_err))
		goto done;
	/* A reply may answer a request for permission; an unchanged one has
	 * been seen before and already counted. */
	if (outcome != KUDOS_UPSERT_UNCHANGED && it->field[KUDOS_FIELD_IN_REPLY_TO] &&
	    kudos_rights_on_reply(self->store, &self->job->rights, it, self->run_time,
	                          &self->n_granted_by_reply, &self->n_replied, &self->store_err))
		goto done;
	if (outcome == KUDOS_UPSERT_NEW)
		self->n_new++;
	else if (outcome == KUDOS_UPSERT_UPDATED)
		self->n_updated++;
	else
		self->n_unchanged++;
	if (self->on_item)
		self->on_item(self->on_item_ud, self->n_new + self->n_updated + self->n_unchanged);
	rc = 0;
done:
	kudos_item_free(it);
	return rc;
}

static int host_item_emit(struct kudos_instance *self, struct kudos_item *it)
{
	if (!it)
		return KUDOS_EINVAL;
	const char *text = it->field[KUDOS_FIELD_TEXT];
	if (!text || !*text) {
		kudos_host_log(self, KUDOS_LOG_WARN, "item %s has no text; skipped",
		               it->field[KUDOS_FIELD_ID]);
		/* A page read by each_file_parallel counts in its batch: its
		 * view of the instance is dropped when the page is handed on. */
		if (self->batch)
			self->batch->n_invalid++;
		else
			self->n_invalid++;
		kudos_item_free(it);
		return KUDOS_EINVAL;
	}
	if (self->batch) {
		kudos_batch_item(self->batch, it);
		return self->batch->oom ? KUDOS_ENOMEM : KUDOS_OK;
	}
	/* Sealed on the source's thread, the store writer has less to do; one
	 * that fails is sealed by the store instead. */
	if (self->writer)
		(void)kudos_item_seal(it);
	/* The store failed (now or for an earlier item): stop collecting. */
	return kudos_instance_emit(self, it) ? KUDOS_EFAIL : KUDOS_OK;
}

int kudos_instance_emit(struct kudos_instance *self, struct kudos_item *it)
{
	return self->writer ? kudos_writer_push(self->writer, it)
	                    : kudos_instance_store_item(self, it);
}

static void host_item_free(struct kudos_item *it)
{
	kudos_item_free(it);
}

/* ---- reading items --------------------------------------------------- */

static const char *host_item_get(const struct kudos_item *it, int field)
{
	return it && field >= 0 && field < KUDOS_FIELD_COUNT_ ? it->field[field] : NULL;
}

static int host_item_get_rating(const struct kudos_item *it, double *value, double *scale)
{
	if (!it || !it->has_rating)
		return 0;
	if (value)
		*value = it->rating;
	if (scale)
		*scale = it->rating_scale;
	return 1;
}

static int host_item_get_time(const struct kudos_item *it, int which, int64_t *utc)
{
	if (it && which == KUDOS_TIME_APPROVED && it->has_approved_at) {
		if (utc)
			*utc = it->approved_at;
		return 1;
	}
	if (!it || (which != KUDOS_TIME_CREATED && which != KUDOS_TIME_UPDATED) ||
	    !it->has_time[which])
		return 0;
	if (utc)
		*utc = it->time[which];
	return 1;
}

static size_t host_item_media_count(const struct kudos_item *it)
{
	return it ? it->n_media : 0;
}

static int host_item_media(const struct kudos_item *it, size_t i, const char **type,
                           const char **url, const char **alt)
{
	if (!it || i >= it->n_media)
		return KUDOS_EINVAL;
	if (type)
		*type = it->media[i].type;
	if (url)
		*url = it->media[i].url;
	if (alt)
		*alt = it->media[i].alt;
	return KUDOS_OK;
}

static unsigned host_item_badges(const struct kudos_item *it)
{
	return it ? it->badges : 0;
}

static const char *host_item_get_meta(const struct kudos_item *it, const char *key)
{
	return it && key ? kudos_item_meta(it, key) : NULL;
}

/* ---- cursors --------------------------------------------------------- */

static const char *host_cursor_get(struct kudos_instance *self, const char *key)
{
	char *value = NULL;
	struct kudos_error err = {0};
	if (!key || !self->state_key || refused_in_file_call(self, "cursor_get"))
		return NULL;
	if (self->writer)
		kudos_writer_sync(self->writer); /* the store is the writer's until then */
	if (kudos_store_cursor_get(self->store, self->state_key, key, &value, &err)) {
		kudos_host_log(self, KUDOS_LOG_WARN, "%s", err.msg);
		return NULL;
	}
	/* Kept with the config values, so it lives until exit(). */
	if (value) {
		void **n = realloc(self->cs.owned, (self->cs.n_owned + 1) * sizeof *n);
		if (!n) {
			free(value);
			return NULL;
		}
		self->cs.owned = n;
		n[self->cs.n_owned++] = value;
	}
	return value;
}

static int host_cursor_set(struct kudos_instance *self, const char *key, const char *value)
{
	if (!key || !value || !self->state_key || !kudos_host_text_ok(key) || !kudos_host_text_ok(value) ||
	          refused_in_file_call(self, "cursor_set"))
		return KUDOS_EINVAL;
	if (self->writer)
		kudos_writer_sync(self->writer);
	if (kudos_store_cursor_set(self->store, self->state_key, key, value, &self->store_err)) {
		kudos_host_set_error(self, "%s", self->store_err.msg);
		return KUDOS_EFAIL;
	}
	return KUDOS_OK;
}

/* ---- text helpers ------------------------------------------------------ */

static int host_utf8_check(const char *s, size_t len, size_t *bad)
{
	return s ? kudos_utf8_check(s, len, bad) : 0;
}

static int host_time_parse(const char *s, int64_t *utc)
{
	return s && utc && kudos_time_parse(s, utc) == 0 ? KUDOS_OK : KUDOS_EINVAL;
}

static int host_time_parse_zone(const char *s, const char *zone, int64_t *utc)
{
	return s && zone && utc && kudos_time_parse_zone(s, zone, utc) == 0 ? KUDOS_OK
	                                                                   : KUDOS_EINVAL;
}

static char *host_html_to_text(const char *html, size_t len)
{
	return html ? kudos_html_to_text(html, len) : NULL;
}

static int host_zone_to_utc(const char *zone, const struct kudos_civil_time *local,
                            int64_t *utc, int *shifted)
{
	int moved = 0;
	if (!zone || !local || !utc || local->struct_size < sizeof *local ||
	    kudos_zone_to_utc(zone, local, utc, &moved))
		return KUDOS_EINVAL;
	if (shifted)
		*shifted = moved;
	return KUDOS_OK;
}

static int host_zone_from_utc(const char *zone, int64_t utc, struct kudos_civil_time *local)
{
	if (!zone || !local || local->struct_size < sizeof *local ||
	    kudos_zone_from_utc(zone, utc, local))
		return KUDOS_EINVAL;
	return KUDOS_OK;
}

const struct kudos_host kudos_host_table = {
	.struct_size = sizeof(struct kudos_host),
	.abi_version = KUDOS_ABI_VERSION,
	.log = kudos_host_log,
	.set_error = kudos_host_set_error,
	.alloc = host_alloc,
	.realloc = host_realloc,
	.free = host_free,
	.config_get = host_config_get,
	.job_dir = host_job_dir,
	.job_get = host_job_get,
	.should_stop = host_should_stop,
	.run_time = host_run_time,
	.item_new = host_item_new,
	.item_set = host_item_set,
	.item_set_rating = host_item_set_rating,
	.item_set_time = host_item_set_time,
	.item_add_media = host_item_add_media,
	.item_add_badges = host_item_add_badges,
	.item_set_meta = host_item_set_meta,
	.item_set_consent = host_item_set_consent,
	.item_emit = host_item_emit,
	.item_free = host_item_free,
	.item_get = host_item_get,
	.item_get_rating = host_item_get_rating,
	.item_get_time = host_item_get_time,
	.item_media_count = host_item_media_count,
	.item_media = host_item_media,
	.item_badges = host_item_badges,
	.item_get_meta = host_item_get_meta,
	.cursor_get = host_cursor_get,
	.cursor_set = host_cursor_set,
	.output_dir = kudos_host_output_dir,
	.output_write = kudos_host_output_write,
	.aggregate_rating = kudos_host_aggregate_rating,
	.utf8_check = host_utf8_check,
	.time_parse = host_time_parse,
	.html_to_text = host_html_to_text,
	.zone_to_utc = host_zone_to_utc,
	.zone_from_utc = host_zone_from_utc,
	.time_parse_zone = host_time_parse_zone,
	.each_file = kudos_host_each_file,
	.output_write_item = kudos_host_output_write_item,
	.output_keep_item = kudos_host_output_keep_item,
	.item_artifact = kudos_host_item_artifact,
	.item_grant_window = kudos_host_item_grant_window,
	.output_write_report = kudos_host_output_write_report,
	.output_place = kudos_host_output_place,
	.output_horizon = kudos_host_output_horizon,
	.gate_check_at = kudos_host_gate_check_at,
	.each_file_parallel = kudos_host_each_file_parallel,
	.filter_flag = kudos_host_filter_flag,
	.filter_tag = kudos_host_filter_tag,
	.filter_score = kudos_host_filter_score,
	.filter_set_language = kudos_host_filter_set_language,
	.item_excerpt = kudos_host_item_excerpt,
	.jobs = kudos_host_jobs,
	.output_write_item_id = kudos_host_output_write_item_id,
	.output_leave_out = kudos_host_output_leave_out,
	.output_progress = kudos_host_output_progress,
};

/* ---- instances ------------------------------------------------------- */

int kudos_instance_new(const struct kudos_plugin_lib *lib, const struct kudos_job *job,
                       const struct kudos_job_plugin *jp, struct kudos_store *store,
                       struct kudos_instance **out, struct kudos_error *err)
{
	struct kudos_instance *in = calloc(1, sizeof *in);
	char where[256];
	if (!in)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	in->desc = &lib->desc;
	in->job = job;
	in->jp = jp;
	in->store = store;
	in->verbosity = 1;
	snprintf(in->label, sizeof in->label, "%s", jp->where);
	if (lib->desc.context_size && !(in->ctx = calloc(1, lib->desc.context_size))) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto fail;
	}
	snprintf(where, sizeof where, "%s: %s", job->path, jp->where);
	if (kudos_config_apply(&lib->desc, jp->entry, where, job->dir, in->ctx, &in->cs, err))
		goto fail;
	*out = in;
	return 0;
fail:
	kudos_instance_free(in);
	return -1;
}

int kudos_instance_init(struct kudos_instance *in, struct kudos_error *err)
{
	if (in->desc->init) {
		in->in_init = 1;
		int rc = in->desc->init(&kudos_host_table, in, in->ctx);
		in->in_init = 0;
		if (rc < 0)
			return kudos_instance_failed(in, "init", rc, err);
	}
	in->initialized = 1;
	return 0;
}

int kudos_instance_failed(struct kudos_instance *in, const char *callback, int status,
                          struct kudos_error *err)
{
	if (in->store_err.status)
		return kudos_fail(err, in->store_err.status, "%s", in->store_err.msg);
	if (status == KUDOS_ESTOP)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "%s: stopped by the user", in->label);
	/* Bad payloads and bad settings are the user's to fix; anything else
	 * is a failed run. */
	int exit_status = status == KUDOS_EINVAL || status == KUDOS_EPATH ? KUDOS_EXIT_INPUT
	                                                                  : KUDOS_EXIT_FAIL;
	if (in->error[0])
		return kudos_fail(err, exit_status, "%s: %s", in->label, in->error);
	return kudos_fail(err, exit_status,
	                  "%s: plugin %s failed in %s() (status %d) without saying why; "
	                  "run with -v for its log, and report it to the plugin's author",
	                  in->label, in->desc->name, callback, status);
}

static void noop_free(void *node)
{
	(void)node; /* the entries belong to in->placed */
}

void kudos_instance_free(struct kudos_instance *in)
{
	if (!in)
		return;
	if (in->initialized && in->desc->exit)
		in->desc->exit(&kudos_host_table, in, in->ctx);
	kudos_config_store_free(&in->cs);
	kudos_staged_discard(&in->staged); /* a render that failed */
	for (size_t i = 0; i < in->n_written; i++)
		free(in->written[i]);
	free(in->written);
	for (size_t i = 0; i < in->n_item_files; i++) {
		free(in->item_files[i].item_id);
		free(in->item_files[i].path);
	}
	free(in->item_files);
	for (size_t i = 0; i < in->n_placements; i++) {
		free(in->placements[i].item_id);
		free(in->placements[i].path);
	}
	free(in->placements);
	tdestroy(in->placed_index, noop_free);
	for (size_t i = 0; i < in->n_placed; i++)
		free(in->placed[i]);
	free(in->placed);
	free(in->artifact);
	kudos_gate_book_free(&in->book);
	cJSON_Delete(in->found);
	free(in->ctx);
	free(in->state_key);
	free(in->output_dir);
	free(in);
}

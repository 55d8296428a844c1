/*
 * source-example: testimonials from a plain text file, one per line.
 *
 * This is the kudos plugin template: copy this folder, rename the plugin,
 * and replace collect() with your platform's reader.  It uses nothing but
 * <kudos/plugin.h> and the C library.
 *
 * The file (job key "path", required) holds one testimonial per line:
 *
 *     author<TAB>rating<TAB>text[<TAB>date]
 *
 *   author  the author's name; may be empty (no author)
 *   rating  a number from 0 to rating_scale; may be empty (no rating)
 *   text    the testimonial, UTF-8; may not contain a tab
 *   date    optional, YYYY-MM-DD (UTC): when it was written
 *
 * Blank lines and lines starting with '#' are skipped.  Line N becomes the
 * item with external id "line-N".  That keeps the template short, but it is
 * not stable: inserting a line renumbers every line after it, and kudos
 * then sees new items.  A real source uses the platform's own id (kept as a
 * string) or a hash of the fields that identify the content.
 *
 * Job keys (see `config` below): path, rating_scale, kind.
 */
#define _POSIX_C_SOURCE 200809L /* getline() */

#include <kudos/plugin.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ */
/* Configuration                                                        */

/* The plugin's context.  The host allocates context_size bytes, zeroed,
 * and stores each job key at the offset the config table gives, in the
 * C type of the entry's type.  The strings are the host's (transfer none)
 * and stay valid until exit() returns. */
struct example_ctx {
	const char *path;    /* KUDOS_CONFIG_PATH: absolute, resolved against
	                        the job file's folder */
	double rating_scale; /* KUDOS_CONFIG_DOUBLE */
	const char *kind;    /* KUDOS_CONFIG_STRING */
};

static const struct kudos_config_entry config[] = {
	/* type, key, default, required, offset, help */
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct example_ctx, path),
	 "the text file: author<TAB>rating<TAB>text[<TAB>YYYY-MM-DD] per line"},
	/* Defaults are JSON for every type but STRING and PATH ... */
	{KUDOS_CONFIG_DOUBLE, "rating_scale", "5", 0,
	 offsetof(struct example_ctx, rating_scale),
	 "the top of the rating scale (default 5)"},
	/* ... and literal text for STRING and PATH (no JSON quotes). */
	{KUDOS_CONFIG_STRING, "kind", "review", 0,
	 offsetof(struct example_ctx, kind),
	 "item kind: review (default), social_post, form_answer, video_comment"},
	{0},
};

/* ------------------------------------------------------------------ */
/* Callbacks                                                            */

/* init(): check the configuration before any work.  A value the user must
 * fix is KUDOS_EINVAL (kudos exits with status 2), with a message that
 * names the key and says what to write instead. */
static int example_init(const struct kudos_host *host, struct kudos_instance *self,
                        void *ctx)
{
	struct example_ctx *cx = ctx;
	static const char *const kinds[] = {"review", "social_post", "form_answer",
	                                    "video_comment", NULL};
	size_t i = 0;

	if (!(cx->rating_scale > 0 && cx->rating_scale <= 100)) {
		host->set_error(self, "rating_scale %g is out of range; give the top of "
		                      "the scale, e.g. 5 or 10",
		                cx->rating_scale);
		return KUDOS_EINVAL;
	}
	while (kinds[i] && strcmp(kinds[i], cx->kind) != 0)
		i++;
	if (!kinds[i]) {
		host->set_error(self, "kind \"%s\" is not an item kind; use review, "
		                      "social_post, form_answer or video_comment",
		                cx->kind);
		return KUDOS_EINVAL;
	}
	return KUDOS_OK;
}

/* "YYYY-MM-DD" to seconds since the epoch at 00:00 UTC; -1 if malformed.
 * (Days from the civil calendar, without mktime() and the process's TZ.) */
static int64_t parse_date(const char *s)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || s[n] ||
	    y < 1970 || m < 1 || m > 12 || d < 1)
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	int64_t yy = m <= 2 ? y - 1 : y;
	int64_t era = yy / 400, yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * 86400;
}

/* One line, already split into fields, becomes one item.  RETURN VALUE
 * KUDOS_OK (emitted, or refused by the host with the reason logged), or a
 * negative code after set_error(). */
static int emit_line(const struct kudos_host *host, struct kudos_instance *self,
                     const struct example_ctx *cx, long lineno, char **fld, int nfld)
{
	char id[32], *end = NULL;
	int64_t created = -1;

	/* Check the line before building anything, so that an error leaves
	 * nothing to clean up. */
	if (nfld < 3 || nfld > 4) {
		host->set_error(self, "%s:%ld: expected author<TAB>rating<TAB>text "
		                      "(and optionally <TAB>YYYY-MM-DD), found %d "
		                      "field%s; separate the fields with one tab each",
		                cx->path, lineno, nfld, nfld == 1 ? "" : "s");
		return KUDOS_EINVAL;
	}
	double rating = *fld[1] ? strtod(fld[1], &end) : 0;
	if (*fld[1] && (*end || !(rating >= 0 && rating <= cx->rating_scale))) {
		host->set_error(self, "%s:%ld: rating \"%s\" is not a number from 0 to "
		                      "%g; write e.g. 4, or leave it empty",
		                cx->path, lineno, fld[1], cx->rating_scale);
		return KUDOS_EINVAL;
	}
	if (nfld == 4 && (created = parse_date(fld[3])) < 0) {
		host->set_error(self, "%s:%ld: date \"%s\" is not a date written YYYY-MM-DD; "
		                      "write e.g. 2026-03-14, or leave the date out",
		                cx->path, lineno, fld[3]);
		return KUDOS_EINVAL;
	}

	/* item_new(): (transfer full), the item is ours until item_emit(). */
	snprintf(id, sizeof id, "line-%ld", lineno);
	struct kudos_item *item = host->item_new(self, id);
	if (!item) {
		host->set_error(self, "%s:%ld: out of memory", cx->path, lineno);
		return KUDOS_ENOMEM;
	}
	/* Setters copy their strings (transfer none): fld[] is ours to reuse.
	 * They refuse text that is not valid UTF-8 with KUDOS_EINVAL. */
	int rc = host->item_set(item, KUDOS_FIELD_KIND, cx->kind);
	if (rc == KUDOS_OK)
		rc = host->item_set(item, KUDOS_FIELD_TEXT, fld[2]);
	if (rc == KUDOS_OK && *fld[0])
		rc = host->item_set(item, KUDOS_FIELD_AUTHOR_NAME, fld[0]);
	if (rc == KUDOS_OK && *fld[1])
		rc = host->item_set_rating(item, rating, cx->rating_scale);
	if (rc == KUDOS_OK && created >= 0)
		rc = host->item_set_time(item, KUDOS_TIME_CREATED, created);
	if (rc != KUDOS_OK) {
		host->item_free(item); /* not emitted: still ours to release */
		if (rc == KUDOS_ENOMEM) {
			host->set_error(self, "%s:%ld: out of memory", cx->path, lineno);
			return rc;
		}
		host->set_error(self, "%s:%ld: the line is not valid UTF-8; save the "
		                      "file as UTF-8",
		                cx->path, lineno);
		return KUDOS_EINVAL;
	}

	/* item_emit(): (transfer full), the host owns `item` from here on,
	 * whatever it returns; never touch it again. */
	rc = host->item_emit(self, item);
	if (rc == KUDOS_EINVAL)
		return KUDOS_OK; /* refused (e.g. no text), reason logged: go on */
	return rc;           /* a store failure: the host has set the error */
}

/* collect(): read the file and emit one item per line.  Returning a
 * negative code discards everything this run emitted from this source. */
static int example_collect(const struct kudos_host *host, struct kudos_instance *self,
                           void *ctx)
{
	struct example_ctx *cx = ctx;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0, n = 0;
	int rc = KUDOS_OK;

	FILE *f = fopen(cx->path, "r");
	if (!f) {
		host->set_error(self, "%s: cannot open: %s; check the source's \"path\" "
		                      "key (relative paths start at the job file's folder)",
		                cx->path, strerror(errno));
		return KUDOS_EIO;
	}
	while (rc == KUDOS_OK && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		/* Ctrl-C: stop between items, and say where. */
		if (host->should_stop(self)) {
			host->set_error(self, "%s: stopped at line %ld", cx->path, lineno);
			rc = KUDOS_ESTOP;
			break;
		}
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (strlen(line) != (size_t)len) {
			host->set_error(self, "%s:%ld: the line holds a NUL byte; is this a "
			                      "text file?", cx->path, lineno);
			rc = KUDOS_EINVAL;
			break;
		}
		/* Split on tabs, in place; count every field, keep the first 4. */
		char *fld[4];
		int nfld = 0;
		for (char *p = line;;) {
			char *tab = strchr(p, '\t');
			if (nfld < 4)
				fld[nfld] = p;
			nfld++;
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		rc = emit_line(host, self, cx, lineno, fld, nfld);
		n++;
	}
	if (rc == KUDOS_OK && ferror(f)) {
		host->set_error(self, "%s: read error after line %ld: %s", cx->path,
		                lineno, strerror(errno));
		rc = KUDOS_EIO;
	}
	free(line);
	fclose(f);
	if (rc == KUDOS_OK)
		host->log(self, KUDOS_LOG_INFO, "%ld line%s read from %s", n,
		          n == 1 ? "" : "s", cx->path);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Descriptor                                                           */

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "example", /* what a job's "plugin" key names: [a-z0-9-]+ */
	.version = "0.1.0",
	.description = "testimonials from a tab-separated text file (SDK template)",
	.config = config,
	.context_size = sizeof(struct example_ctx),
	.init = example_init,
	.collect = example_collect,
	/* .exit: release what init() or collect() kept in the context; this
	 * plugin keeps nothing. */
};

/* Exports kudos_plugin_entry(), the only symbol kudos looks up.  Build with
 * -fvisibility=hidden (pkg-config --cflags kudos-plugin gives it) so that
 * nothing else is exported. */
KUDOS_PLUGIN_DEFINE(descriptor)

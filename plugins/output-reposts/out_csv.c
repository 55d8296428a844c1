/*
 * out_csv.c: the CSV files, for bulk import into scheduling tools.
 *
 * Contract: fields are quoted per RFC 4180 (a field holding a comma, a
 * double quote, CR or LF is enclosed in double quotes, and its quotes are
 * doubled), records end in CRLF, UTF-8 without a byte-order mark.  Times
 * are wall-clock times in the job's zone.  One file per platform,
 * schedule-<platform>.csv, listing the posts still ahead, by csv_format:
 *   hootsuite     no header: "dd/mm/yyyy HH:MM",message,link (Hootsuite's
 *                 bulk composer; pick the day-first date form on upload)
 *   hootsuite-us  the same with mm/dd/yyyy
 *   highlevel     HighLevel's "Basic CSV": a header, then
 *                 "YYYY-MM-DD HH:mm:ss",content,link,imageUrls,gifUrl,videoUrls
 *   sprout        Sprout Social's headers date,time_24hr,message_text
 *                 (dd/mm/yyyy; choose that form at import)
 * "link" is the item's permalink when the message does not carry it
 * already (the tools attach it to the post), else empty.  The card image
 * is a local file, so it is not put in an image-URL column: it is in
 * schedule.json and schedule.ics.
 * cancelled.csv: a header, then post_id,item,platform,local,utc,reason for
 * every cancellation (local as YYYY-MM-DD HH:MM, utc as RFC 3339; no quote
 * and no name, on purpose: the creator may have asked for erasure).
 */
#include "reposts.h"

#include <stdio.h>
#include <string.h>

static void field(struct rp_buf *b, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n")) {
		rp_buf_str(b, s);
		return;
	}
	rp_buf_add(b, "\"", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			rp_buf_add(b, "\"", 1);
		rp_buf_add(b, p, 1);
	}
	rp_buf_add(b, "\"", 1);
}

static void sep(struct rp_buf *b)
{
	rp_buf_add(b, ",", 1);
}

static void end(struct rp_buf *b)
{
	rp_buf_add(b, "\r\n", 2);
}

int rp_csv_schedule(const struct kudos_host *host, const struct rp_ctx *ctx, int platform,
                    char **out, size_t *len)
{
	struct rp_buf b = {0};
	if (ctx->csv_fmt == RP_CSV_HIGHLEVEL) {
		rp_buf_str(&b, "postAtSpecificTime (YYYY-MM-DD HH:mm:ss),content,link (OGmetaUrl),"
		              "imageUrls,gifUrl,videoUrls");
		end(&b);
	} else if (ctx->csv_fmt == RP_CSV_SPROUT) {
		rp_buf_str(&b, "date,time_24hr,message_text");
		end(&b);
	}
	for (size_t i = 0; i < ctx->nposts; i++) {
		const struct rp_post *x = &ctx->posts[i];
		if (x->platform != platform || x->status == RP_PAST)
			continue;
		const struct rp_post_text *pt = &x->it->post[platform];
		const char *link = x->it->permalink && !strstr(pt->text, x->it->permalink)
		                       ? x->it->permalink
		                       : "";
		struct kudos_civil_time c;
		char when[32];
		if (rp_local(host, ctx, x->utc, &c) != KUDOS_OK) {
			rp_buf_free(&b);
			return -1;
		}
		int y = c.year % 10000;
		switch (ctx->csv_fmt) {
		case RP_CSV_HOOTSUITE_US:
			snprintf(when, sizeof when, "%02d/%02d/%04d %02d:%02d", c.month, c.day, y, c.hour,
			         c.minute);
			break;
		case RP_CSV_HIGHLEVEL:
			snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d:%02d", y, c.month, c.day,
			         c.hour, c.minute, c.second);
			break;
		case RP_CSV_SPROUT:
			snprintf(when, sizeof when, "%02d/%02d/%04d,%02d:%02d", c.day, c.month, y, c.hour,
			         c.minute);
			break;
		default:
			snprintf(when, sizeof when, "%02d/%02d/%04d %02d:%02d", c.day, c.month, y, c.hour,
			         c.minute);
			break;
		}
		if (ctx->csv_fmt == RP_CSV_SPROUT)
			rp_buf_str(&b, when); /* two plain fields */
		else
			field(&b, when);
		sep(&b);
		field(&b, pt->text);
		if (ctx->csv_fmt != RP_CSV_SPROUT) {
			sep(&b);
			field(&b, link);
		}
		if (ctx->csv_fmt == RP_CSV_HIGHLEVEL)
			rp_buf_str(&b, ",,,");
		end(&b);
	}
	*out = rp_buf_take(&b, len);
	return *out ? 0 : -1;
}

int rp_csv_cancelled(const struct kudos_host *host, const struct rp_ctx *ctx, char **out,
                     size_t *len)
{
	struct rp_buf b = {0};
	rp_buf_str(&b, "post_id,item,platform,local,utc,reason");
	end(&b);
	for (size_t i = 0; i < ctx->ncancels; i++) {
		const struct rp_cancel *x = &ctx->cancels[i];
		struct kudos_civil_time c;
		char local[32], utc[32];
		if (rp_local(host, ctx, x->utc, &c) != KUDOS_OK) {
			rp_buf_free(&b);
			return -1;
		}
		snprintf(local, sizeof local, "%04d-%02d-%02d %02d:%02d", c.year % 10000, c.month,
		         c.day, c.hour, c.minute);
		rp_fmt_utc(x->utc, utc);
		field(&b, x->id);
		sep(&b);
		field(&b, x->item);
		sep(&b);
		field(&b, rp_platforms[x->platform].name);
		sep(&b);
		field(&b, local);
		sep(&b);
		field(&b, utc);
		sep(&b);
		field(&b, x->reason);
		end(&b);
	}
	*out = rp_buf_take(&b, len);
	return *out ? 0 : -1;
}

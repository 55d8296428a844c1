/* One Typeform response -> one item; see tf_response.h. */
#include "tf_response.h"

#include "tf_answer.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The answer to the question named `name` (a ref or an id), or NULL. */
static const cJSON *find_answer(const cJSON *answers, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, answers)
	{
		const char *ref = tf_answer_ref(a), *id = tf_answer_id(a);
		if ((ref && strcmp(ref, name) == 0) || (id && strcmp(id, name) == 0))
			return a;
	}
	return NULL;
}

/* A hidden field's value as text (transfer full), or NULL. */
static char *hidden_value(const cJSON *hidden, const char *name, int *oom)
{
	const cJSON *v = cJSON_IsObject(hidden)
	                         ? cJSON_GetObjectItemCaseSensitive(hidden, name)
	                         : NULL;
	char num[40];
	const char *s = NULL;

	*oom = 0;
	if (cJSON_IsString(v) && v->valuestring) {
		s = v->valuestring;
	} else if (cJSON_IsNumber(v) && v->valuedouble > -1e15 &&
	           v->valuedouble < 1e15 &&
	           v->valuedouble == (double)(int64_t)v->valuedouble) {
		snprintf(num, sizeof num, "%" PRId64, (int64_t)v->valuedouble);
		s = num;
	}
	if (!s)
		return NULL;
	char *out = kudos_jp_trim_dup(s);
	*oom = !out;
	return out;
}

/* The text of `role`: its fields' values joined with `sep`.  RETURN VALUE
 * 0 with *out (transfer full; NULL when nothing was answered), -1 out of
 * memory. */
static int resolve(const struct tf_collect *c, int role, const cJSON *answers,
                   const cJSON *hidden, const char *sep, char **out)
{
	const struct tf_map *m = &c->cx->map;
	char *acc = NULL;
	size_t len = 0;

	*out = NULL;
	for (int i = 0; i < m->n[role]; i++) {
		const struct tf_part *p = &m->part[role][i];
		int oom = 0;
		char *v = p->hidden ? hidden_value(hidden, p->name, &oom)
		                    : tf_answer_text(find_answer(answers, p->name),
		                                     &oom);
		if (!v && oom)
			goto nomem;
		if (!v || !v[0]) {
			free(v);
			continue;
		}
		size_t n = strlen(v), s = len ? strlen(sep) : 0;
		char *grown = realloc(acc, len + s + n + 1);
		if (!grown) {
			free(v);
			goto nomem;
		}
		acc = grown;
		memcpy(acc + len, sep, s);
		memcpy(acc + len + s, v, n + 1);
		len += s + n;
		free(v);
	}
	*out = acc;
	return 0;
nomem:
	free(acc);
	return -1;
}

/* The title of the question `id` in the form's definition, as plain text
 * on one line (transfer full, host->free), or NULL. */
static char *question_title(const struct tf_collect *c,
                            const struct tf_form *form, const char *id)
{
	const cJSON *f;
	if (!id || !form->definition)
		return NULL;
	cJSON_ArrayForEach(f, kudos_jp_arr(form->definition, "fields"))
	{
		const char *fid = kudos_jp_str(f, "id"), *title = kudos_jp_text(f, "title");
		if (!fid || !title || strcmp(fid, id) != 0)
			continue;
		char *t = c->r.host->html_to_text(title, strlen(title));
		/* One line, one space between words (html_to_text may put
		 * paragraph breaks in a title such as "<strong>A</strong> b"). */
		char *w = t;
		for (const char *p = t; p && *p; p++) {
			int sp = *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
			if (!sp)
				*w++ = *p;
			else if (w > t && w[-1] != ' ')
				*w++ = ' ';
		}
		if (w && w > t && w[-1] == ' ')
			w--;
		if (w)
			*w = '\0';
		return t;
	}
	return NULL;
}

/* printf into a new string (transfer full, free()), or NULL. */
KUDOS_PRINTF(1, 2)
static char *fmt_alloc(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *out = need >= 0 ? malloc((size_t)need + 1) : NULL;
	if (!out)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(out, (size_t)need + 1, fmt, ap);
	va_end(ap);
	return out;
}

/* Grant consent when fields.consent reads yes.  RETURN VALUE KUDOS_OK or
 * KUDOS_ENOMEM after set_error(). */
static int set_consent(struct tf_collect *c, struct kudos_item *item,
                       const cJSON *resp, const char *at, const char *id,
                       const struct tf_form *form)
{
	const struct kudos_host *h = c->r.host;
	const struct tf_part *p = &c->cx->map.part[TF_CONSENT][0];
	const cJSON *a = find_answer(kudos_jp_arr(resp, "answers"), p->name);
	int yes = tf_answer_yes(a), oom = 0;
	char *shown = tf_answer_text(a, &oom);

	if (oom) {
		h->set_error(c->r.self, "%s: %s: out of memory", c->r.file, at);
		return KUDOS_ENOMEM;
	}
	if (yes < 0)
		kudos_jp_warn(&c->r, "%s: %s (response %.60s): consent answer \"%.80s\" "
		               "to \"%s\" is neither yes nor no; no consent "
		               "recorded",
		        c->r.base, at, id, shown ? shown : "", p->name);
	if (yes <= 0) {
		free(shown);
		return KUDOS_OK;
	}

	const cJSON *def = form->definition;
	const char *ftitle = kudos_jp_text(def, "title");
	const char *submitted = kudos_jp_text(resp, "submitted_at");
	const char *ref = tf_answer_ref(a), *fid = tf_answer_id(a);
	char *qtitle = question_title(c, form, fid);
	/* Whole strings, never cut: a cut could split a UTF-8 sequence. */
	char *ev = fmt_alloc(
	        "Typeform response %s to form%s%s%s%s%s%s: question %s%s%s(ref "
	        "%s, id %s) answered \"%s\"; submitted %s; read from %s, %s",
	        id, ftitle ? " \"" : "", ftitle ? ftitle : "", ftitle ? "\"" : "",
	        form->form_id ? " " : "", form->form_id ? form->form_id : "",
	        form->form_id ? "" : " (form id not in the file)",
	        qtitle ? "\"" : "", qtitle ? qtitle : "", qtitle ? "\" " : "",
	        ref ? ref : "none", fid ? fid : "none", shown ? shown : "yes",
	        submitted ? submitted : "(no time)", c->r.base, at);
	h->free(qtitle);
	free(shown);
	if (!ev) {
		h->set_error(c->r.self, "%s: %s: out of memory", c->r.file, at);
		return KUDOS_ENOMEM;
	}
	int rc = h->item_set_consent(item, c->cx->scopes, ev);
	free(ev);
	if (rc == KUDOS_OK)
		c->consented++;
	else
		kudos_jp_warn(&c->r, "%s: %s (response %.60s): the consent could not be "
		               "recorded (its evidence is not valid UTF-8?); no "
		               "consent recorded",
		        c->r.base, at, id);
	return KUDOS_OK;
}

static void set_rating(struct tf_collect *c, struct kudos_item *item,
                       const cJSON *answers, const char *at, const char *id)
{
	const struct tf_part *p = &c->cx->map.part[TF_RATING][0];
	const cJSON *a = find_answer(answers, p->name);
	double v, scale = c->cx->rating_scale;
	if (!a)
		return;
	if (!tf_answer_number(a, &v) ||
	    c->r.host->item_set_rating(item, v, scale) != KUDOS_OK)
		kudos_jp_warn(&c->r, "%s: %s (response %.60s): the answer to \"%s\" is "
		               "not a number from 0 to %g (rating_scale); rating "
		               "left unset",
		        c->r.base, at, id, p->name, scale);
}

/* Title, author and rating.  RETURN VALUE 0, or -1 out of memory. */
static int set_fields(struct tf_collect *c, struct kudos_item *item,
                      const cJSON *answers, const cJSON *hidden,
                      const char *at, const char *id)
{
	static const struct {
		int role, field;
		const char *sep;
	} text_roles[] = {
		{TF_TITLE, KUDOS_FIELD_TITLE, " "},
		{TF_AUTHOR_NAME, KUDOS_FIELD_AUTHOR_NAME, " "},
		{TF_AUTHOR_ROLE, KUDOS_FIELD_AUTHOR_ROLE, " "},
	};
	int named = 0;

	for (size_t i = 0; i < sizeof text_roles / sizeof text_roles[0]; i++) {
		char *v = NULL;
		if (resolve(c, text_roles[i].role, answers, hidden,
		            text_roles[i].sep, &v) < 0)
			return -1;
		kudos_jp_set(&c->r, item, text_roles[i].field, v, at,
		       tf_role_names[text_roles[i].role]);
		if (v && text_roles[i].role == TF_AUTHOR_NAME)
			named = 1;
		free(v);
	}
	if (!named)
		kudos_jp_meta(&c->r, item, "author_missing", "true", at);
	if (c->cx->map.n[TF_RATING])
		set_rating(c, item, answers, at, id);
	return 0;
}

int tf_response(struct tf_collect *c, const cJSON *resp, const char *at,
                const struct tf_form *form)
{
	const struct kudos_host *h = c->r.host;
	char idbuf[32];
	const char *id = NULL;
	char *text = NULL;

	c->r.entries++;
	if (!cJSON_IsObject(resp)) {
		c->r.skipped++;
		kudos_jp_warn(&c->r, "%s: %s is not a response object; skipped",
		        c->r.base, at);
		return KUDOS_OK;
	}
	tf_note_response(c, resp, form->definition);
	if (kudos_jp_id(resp, "token", idbuf, &id) != KUDOS_JP_ID_OK &&
	    kudos_jp_id(resp, "response_id", idbuf, &id) != KUDOS_JP_ID_OK) {
		c->r.skipped++;
		kudos_jp_warn(&c->r, "%s: %s has no token or response_id; skipped",
		        c->r.base, at);
		return KUDOS_OK;
	}
	const char *type = kudos_jp_str(resp, "response_type");
	if (type && strcmp(type, "completed") != 0) {
		c->unfinished++; /* partial / started: not submitted */
		return KUDOS_OK;
	}
	const cJSON *answers = cJSON_GetObjectItemCaseSensitive(resp, "answers");
	if (answers && !cJSON_IsArray(answers) && !cJSON_IsNull(answers)) {
		c->r.skipped++;
		kudos_jp_warn(&c->r, "%s: %s (response %.60s): \"answers\" is not a "
		               "list; skipped",
		        c->r.base, at, id);
		return KUDOS_OK;
	}
	const cJSON *hidden = kudos_jp_obj(resp, "hidden");
	if (resolve(c, TF_TEXT, answers, hidden, "\n\n", &text) < 0)
		goto nomem;
	if (!text) {
		c->no_text++; /* the quote question was left blank */
		return KUDOS_OK;
	}

	struct kudos_item *item = h->item_new(c->r.self, id);
	if (!item) {
		free(text);
		c->r.skipped++;
		kudos_jp_warn(&c->r, "%s: %s: id \"%.80s\" was refused (see above); "
		               "skipped",
		        c->r.base, at, id);
		return KUDOS_OK;
	}
	if (h->item_set(item, KUDOS_FIELD_KIND, "form_answer") != KUDOS_OK ||
	    h->item_set(item, KUDOS_FIELD_TEXT, text) != KUDOS_OK) {
		free(text);
		h->item_free(item);
		c->r.skipped++;
		kudos_jp_warn(&c->r, "%s: %s (response %.60s): the answer text was "
		               "refused (not valid UTF-8?); skipped",
		        c->r.base, at, id);
		return KUDOS_OK;
	}
	free(text);
	if (set_fields(c, item, answers, hidden, at, id) < 0) {
		h->item_free(item);
		goto nomem;
	}
	const char *submitted = kudos_jp_text(resp, "submitted_at");
	if (submitted)
		kudos_jp_set_time(&c->r, item, KUDOS_TIME_CREATED, submitted, NULL, at,
		            "submitted_at");
	kudos_jp_meta(&c->r, item, "form_id", form->form_id, at);
	if (c->cx->map.n[TF_CONSENT]) {
		int rc = set_consent(c, item, resp, at, id, form);
		if (rc != KUDOS_OK) {
			h->item_free(item);
			return rc;
		}
	}
	return kudos_jp_emit(&c->r, item);
nomem:
	h->set_error(c->r.self, "%s: %s: out of memory", c->r.file, at);
	return KUDOS_ENOMEM;
}

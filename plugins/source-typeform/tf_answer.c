/* Reading one Typeform answer; see tf_answer.h. */
#include "tf_answer.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h> /* isfinite, a macro */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys that hold a value, in the order an answer without `type` is read. */
static const char *const value_keys[] = {
	"text", "email", "url", "phone_number", "date", "file_url",
	"number", "boolean", "choice", "choices", NULL,
};

static const cJSON *item(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = item(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *tf_answer_ref(const cJSON *answer)
{
	return str(item(answer, "field"), "ref");
}

const char *tf_answer_id(const cJSON *answer)
{
	return str(item(answer, "field"), "id");
}

/* The value's kind and node.  NULL when the answer has none. */
static const cJSON *value_of(const cJSON *answer, const char **kind)
{
	const char *type = str(answer, "type");
	for (size_t i = 0; value_keys[i]; i++) {
		if (type && strcmp(type, value_keys[i]) != 0)
			continue;
		const cJSON *v = item(answer, value_keys[i]);
		if (v && !cJSON_IsNull(v)) {
			*kind = value_keys[i];
			return v;
		}
	}
	return NULL;
}

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Append s (trimmed) to the buffer, after sep if the buffer is not empty. */
static int append(char **buf, size_t *len, const char *s, const char *sep)
{
	while (*s && blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && blank(s[n - 1]))
		n--;
	if (n == 0)
		return 0;
	size_t seplen = *len ? strlen(sep) : 0;
	char *grown = realloc(*buf, *len + seplen + n + 1);
	if (!grown)
		return -1;
	memcpy(grown + *len, sep, seplen);
	memcpy(grown + *len + seplen, s, n);
	*len += seplen + n;
	grown[*len] = '\0';
	*buf = grown;
	return 0;
}

static void format_number(double d, char buf[40])
{
	if (d > -9007199254740992.0 && d < 9007199254740992.0 &&
	    d == (double)(int64_t)d)
		snprintf(buf, 40, "%" PRId64, (int64_t)d);
	else
		snprintf(buf, 40, "%.15g", d);
}

char *tf_answer_text(const cJSON *answer, int *oom)
{
	const char *kind = NULL;
	const cJSON *v = value_of(answer, &kind);
	char *out = NULL, num[40];
	size_t len = 0;
	int rc = 0;

	*oom = 0;
	if (!v)
		return NULL;
	if (cJSON_IsString(v)) {
		rc = append(&out, &len, v->valuestring, "");
	} else if (cJSON_IsNumber(v)) {
		if (isfinite(v->valuedouble)) {
			format_number(v->valuedouble, num);
			rc = append(&out, &len, num, "");
		}
	} else if (cJSON_IsBool(v)) {
		rc = append(&out, &len, cJSON_IsTrue(v) ? "yes" : "no", "");
	} else if (strcmp(kind, "choice") == 0) {
		const char *label = str(v, "label");
		rc = append(&out, &len, label ? label : "", "");
		if (rc == 0 && !len && str(v, "other"))
			rc = append(&out, &len, str(v, "other"), "");
	} else if (strcmp(kind, "choices") == 0) {
		const cJSON *labels = item(v, "labels"), *l;
		if (!cJSON_IsArray(labels))
			labels = NULL;
		cJSON_ArrayForEach(l, labels)
		{
			if (rc == 0 && cJSON_IsString(l))
				rc = append(&out, &len, l->valuestring, ", ");
		}
		if (rc == 0 && str(v, "other"))
			rc = append(&out, &len, str(v, "other"), ", ");
	}
	if (rc < 0) {
		free(out);
		*oom = 1;
		return NULL;
	}
	return out;
}

int tf_answer_number(const cJSON *answer, double *v)
{
	const char *kind = NULL;
	const cJSON *n = value_of(answer, &kind);
	const char *s = NULL;

	if (cJSON_IsNumber(n)) {
		*v = n->valuedouble;
		return isfinite(*v);
	}
	if (cJSON_IsString(n))
		s = n->valuestring;
	else if (kind && strcmp(kind, "choice") == 0)
		s = str(n, "label");
	if (!s)
		return 0;
	while (blank(*s))
		s++;
	/* A digit first: refuses "inf", "nan" and negatives; no hex. */
	if (!isdigit((unsigned char)s[0]) ||
	    (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
		return 0;
	char *end = NULL;
	*v = strtod(s, &end);
	return end != s && isfinite(*v);
}

/* s trimmed and lowercased (ASCII) into buf, cut at size - 1 bytes. */
static void fold(const char *s, char *buf, size_t size)
{
	while (blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && blank(s[n - 1]))
		n--;
	if (n > size - 1)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[n] = '\0';
}

static int word_in(const char *w, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		if (strcmp(w, set[i]) == 0)
			return 1;
	return 0;
}

/* Starts with `word` followed by the end or a non-letter. */
static int starts_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	return strncmp(s, word, n) == 0 && !isalnum((unsigned char)s[n]);
}

static int text_yes(const char *s)
{
	static const char *const yes[] = {"yes", "y", "true", "1", "x",
	                                  "agree", "i agree", "accept",
	                                  "i accept", NULL};
	static const char *const no[] = {"no", "n", "false", "0", "disagree",
	                                 "i disagree", "i do not agree",
	                                 "i don't agree", NULL};
	char buf[64];
	fold(s, buf, sizeof buf);
	if (!buf[0])
		return 0;
	if (word_in(buf, yes) || starts_word(buf, "yes"))
		return 1;
	if (word_in(buf, no) || starts_word(buf, "no"))
		return 0;
	return -1;
}

int tf_answer_yes(const cJSON *answer)
{
	const char *kind = NULL;
	const cJSON *v = value_of(answer, &kind);

	if (!v)
		return 0;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	if (cJSON_IsNumber(v))
		return v->valuedouble == 1 ? 1 : v->valuedouble == 0 ? 0 : -1;
	if (cJSON_IsString(v))
		return text_yes(v->valuestring);
	if (strcmp(kind, "choice") == 0) {
		const char *label = str(v, "label");
		if (!label)
			label = str(v, "other");
		return label ? text_yes(label) : 0;
	}
	if (strcmp(kind, "choices") == 0) {
		const cJSON *labels = item(v, "labels");
		if (cJSON_GetArraySize(labels) == 1 &&
		    cJSON_IsString(cJSON_GetArrayItem(labels, 0)))
			return text_yes(cJSON_GetArrayItem(labels, 0)->valuestring);
		return cJSON_GetArraySize(labels) == 0 ? 0 : -1;
	}
	return -1;
}

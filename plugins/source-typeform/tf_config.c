/* The typeform source's job keys; see tf_config.h. */
#include "tf_config.h"

#include <stdlib.h>
#include <string.h>

const char *const tf_role_names[TF_ROLES] = {
	"text", "title", "author_name", "author_role", "rating", "consent",
};

static const char hidden_prefix[] = "hidden:";

static const char *const known_scopes[] = {"web", "print", "social", "ads",
                                           NULL};

static int role_of(const char *key)
{
	for (int i = 0; i < TF_ROLES; i++)
		if (strcmp(key, tf_role_names[i]) == 0)
			return i;
	return -1;
}

/* Split one value into parts.  RETURN VALUE KUDOS_OK or a KUDOS_E* after
 * set_error(). */
static int split_value(const struct kudos_host *host,
                       struct kudos_instance *self, struct tf_map *m,
                       int role, const char *value)
{
	const char *key = tf_role_names[role];

	if (m->buf[role]) {
		host->set_error(self, "fields: \"%s\" is given twice; keep one",
		                key);
		return KUDOS_EINVAL;
	}
	if (!(m->buf[role] = strdup(value))) {
		host->set_error(self, "out of memory");
		return KUDOS_ENOMEM;
	}
	char *p = m->buf[role];
	for (;;) {
		char *plus = strchr(p, '+');
		if (plus)
			*plus = '\0';
		if (!*p) {
			host->set_error(self,
			                "fields.%s: \"%s\" has an empty field name; "
			                "write a field ref or id, or several joined "
			                "with \"+\"",
			                key, value);
			return KUDOS_EINVAL;
		}
		if (m->n[role] == TF_MAX_PARTS) {
			host->set_error(self,
			                "fields.%s: more than %d fields joined with "
			                "\"+\"",
			                key, TF_MAX_PARTS);
			return KUDOS_EINVAL;
		}
		struct tf_part *part = &m->part[role][m->n[role]++];
		part->name = p;
		if (strncmp(p, hidden_prefix, sizeof hidden_prefix - 1) == 0) {
			part->hidden = 1;
			part->name = p + sizeof hidden_prefix - 1;
			if (!*part->name) {
				host->set_error(self,
				                "fields.%s: \"hidden:\" needs the hidden "
				                "field's name, e.g. \"hidden:name\"",
				                key);
				return KUDOS_EINVAL;
			}
			if (role != TF_TITLE && role != TF_AUTHOR_NAME &&
			    role != TF_AUTHOR_ROLE) {
				host->set_error(self,
				                "fields.%s: a hidden field cannot fill "
				                "%s (hidden fields come from the form's "
				                "link, not from the respondent); name a "
				                "question's ref or id",
				                key, key);
				return KUDOS_EINVAL;
			}
		}
		if (!plus)
			break;
		p = plus + 1;
	}
	if ((role == TF_RATING || role == TF_CONSENT) && m->n[role] > 1) {
		host->set_error(self,
		                "fields.%s names %d fields; it takes one field's "
		                "ref or id",
		                key, m->n[role]);
		return KUDOS_EINVAL;
	}
	return KUDOS_OK;
}

static int build_map(const struct kudos_host *host,
                     struct kudos_instance *self, struct tf_ctx *cx)
{
	for (size_t i = 0; cx->fields && cx->fields[i]; i += 2) {
		const char *key = cx->fields[i], *value = cx->fields[i + 1];
		int role = role_of(key);
		if (role < 0) {
			host->set_error(self,
			                "fields: \"%s\" is not an item field; use "
			                "text, title, author_name, author_role, "
			                "rating or consent",
			                key);
			return KUDOS_EINVAL;
		}
		int rc = split_value(host, self, &cx->map, role, value ? value : "");
		if (rc != KUDOS_OK)
			return rc;
	}
	if (!cx->map.n[TF_TEXT]) {
		host->set_error(self,
		                "fields has no \"text\": name the question whose "
		                "answer is the quote, e.g. {\"text\": "
		                "\"what_did_you_like\"}");
		return KUDOS_EINVAL;
	}
	return KUDOS_OK;
}

static int join_scopes(const struct kudos_host *host,
                       struct kudos_instance *self, struct tf_ctx *cx)
{
	size_t need = 1;
	for (size_t i = 0; cx->consent_scopes && cx->consent_scopes[i]; i++) {
		const char *s = cx->consent_scopes[i];
		size_t k = 0;
		while (known_scopes[k] && strcmp(known_scopes[k], s) != 0)
			k++;
		if (!known_scopes[k]) {
			host->set_error(self,
			                "consent_scopes: \"%s\" is not a scope; use "
			                "web, print, social or ads",
			                s);
			return KUDOS_EINVAL;
		}
		need += strlen(s) + 1;
	}
	if (need == 1) {
		host->set_error(self, "consent_scopes is empty; list what a yes "
		                      "allows, e.g. [\"web\"]");
		return KUDOS_EINVAL;
	}
	if (!(cx->scopes = malloc(need))) {
		host->set_error(self, "out of memory");
		return KUDOS_ENOMEM;
	}
	cx->scopes[0] = '\0';
	for (size_t i = 0; cx->consent_scopes[i]; i++) {
		if (i)
			strcat(cx->scopes, ",");
		strcat(cx->scopes, cx->consent_scopes[i]);
	}
	return KUDOS_OK;
}

int tf_config_init(const struct kudos_host *host, struct kudos_instance *self,
                   struct tf_ctx *cx)
{
	int rc;

	if (!(cx->rating_scale > 0) || cx->rating_scale > 100) {
		host->set_error(self,
		                "rating_scale %g is not a number from 1 to 100; set "
		                "it to the top of the form's scale, e.g. 5 or 10",
		                cx->rating_scale);
		return KUDOS_EINVAL;
	}
	if ((rc = build_map(host, self, cx)) != KUDOS_OK ||
	    (rc = join_scopes(host, self, cx)) != KUDOS_OK) {
		tf_config_free(cx);
		return rc;
	}
	if (!cx->map.n[TF_CONSENT] && host->config_get(self, "consent_scopes"))
		host->log(self, KUDOS_LOG_WARN,
		          "consent_scopes has no effect without fields.consent");
	return KUDOS_OK;
}

void tf_config_free(struct tf_ctx *cx)
{
	for (int i = 0; i < TF_ROLES; i++) {
		free(cx->map.buf[i]);
		cx->map.buf[i] = NULL;
		cx->map.n[i] = 0;
	}
	free(cx->scopes);
	cx->scopes = NULL;
}

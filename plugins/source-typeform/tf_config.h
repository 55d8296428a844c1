/*
 * The typeform source's job keys and the field mapping they describe.
 *
 * "fields" maps an item field (a role) to the form field that fills it:
 *   text         the quote (required)
 *   title        a headline
 *   author_name  the respondent's name
 *   author_role  their role or company
 *   rating       a number (opinion scale, rating, number, or a choice
 *                whose label starts with a number) on rating_scale
 *   consent      a yes/no question (boolean, legal, yes_no, or a choice
 *                labelled yes/no); a yes grants consent_scopes
 * A value names a form field by its `ref` or its `id` (Typeform answers
 * carry both; forms made before refs existed carry only ids).  Several
 * fields joined with "+" are read in order and joined: with a space for
 * title, author_name and author_role (first name + last name), with a
 * blank line for text.  "hidden:<name>" reads the hidden field <name>
 * (a URL parameter the form was opened with) and is allowed for title,
 * author_name and author_role.  rating and consent name one field.
 *
 * Contract: tf_config_init() checks the keys the config table cannot
 * (roles, shapes, scale range, scopes) and builds cx->map and cx->scopes;
 * on failure it has called set_error() and returns KUDOS_EINVAL or
 * KUDOS_ENOMEM with nothing left to free.  tf_config_free() releases what
 * init built (safe on a zeroed context).
 */
#ifndef KUDOS_TF_CONFIG_H
#define KUDOS_TF_CONFIG_H

#include <kudos/plugin.h>

enum tf_role {
	TF_TEXT,
	TF_TITLE,
	TF_AUTHOR_NAME,
	TF_AUTHOR_ROLE,
	TF_RATING,
	TF_CONSENT,
	TF_ROLES
};

#define TF_MAX_PARTS 8

extern const char *const tf_role_names[TF_ROLES];

struct tf_part {
	const char *name; /* a ref, an id, or a hidden field's name */
	int hidden;       /* 1: "hidden:<name>" */
};

struct tf_map {
	char *buf[TF_ROLES]; /* owned copies of the job's values, split */
	struct tf_part part[TF_ROLES][TF_MAX_PARTS];
	int n[TF_ROLES]; /* 0: the role is not mapped */
};

struct tf_ctx {
	/* filled by the host from the config table */
	const char *path;
	const char *const *fields; /* STRING_MAP pairs */
	double rating_scale;
	const char *const *consent_scopes;
	/* built by tf_config_init() */
	struct tf_map map;
	char *scopes; /* "web,print" */
};

int tf_config_init(const struct kudos_host *host, struct kudos_instance *self,
                   struct tf_ctx *cx);
void tf_config_free(struct tf_ctx *cx);

#endif

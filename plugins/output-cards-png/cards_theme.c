/*
 * The card's theme: the job's "theme" object, over a default that looks
 * good with no settings (a warm paper background, dark text, a coral quote
 * mark and gold stars, Noto Sans).
 *
 * Contract: theme_parse() accepts exactly the keys below (others are
 * refused with the list), checks every value's type and range, and says in
 * `msg` which key is wrong and what to write.  Lengths are pixels of a
 * 1080x1080 card (scaled for other sizes); colours are "#rrggbb" or
 * "#rgb"; font files are made absolute against the job's folder and must
 * exist.  Font files left unset stay NULL: cards_fonts.c picks them.
 */
#include "cards.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { K_COLOR, K_NUM, K_BOOL, K_FONT, K_ALIGN, K_TEXT };

struct key {
	const char *name;
	enum kind kind;
	size_t off;
	const char *def;     /* default as text */
	double lo, hi;       /* K_NUM range */
	const char *help;
};

#define O(f) offsetof(struct theme, f)
static const struct key keys[] = {
	{"background", K_COLOR, O(background), "#f7f3ec", 0, 0, "the card's colour"},
	{"text", K_COLOR, O(text), "#1f2430", 0, 0, "the quote and the name"},
	{"muted", K_COLOR, O(muted), "#6b6f7b", 0, 0, "role, source and footer"},
	{"accent", K_COLOR, O(accent), "#e4572e", 0, 0, "the quote mark and initials badge"},
	{"star", K_COLOR, O(star), "#f2a900", 0, 0, "filled rating stars"},
	{"star_empty", K_COLOR, O(star_empty), "#ddd6c8", 0, 0, "empty rating stars"},
	{"badge_text", K_COLOR, O(badge_text), "#ffffff", 0, 0, "initials on the badge"},
	{"font", K_FONT, O(font), NULL, 0, 0, "font file for the quote and details"},
	{"font_bold", K_FONT, O(font_bold), NULL, 0, 0, "font file for the name and title"},
	{"quote_max", K_NUM, O(quote_max), "80", 8, 400, "largest quote size, px"},
	{"quote_min", K_NUM, O(quote_min), "26", 6, 400, "smallest quote size, px"},
	{"line_height", K_NUM, O(line_height), "1.35", 0.9, 3, "line spacing, times the size"},
	{"name_size", K_NUM, O(name_size), "38", 6, 200, "the author's name, px"},
	{"detail_size", K_NUM, O(detail_size), "28", 6, 200, "role and source, px"},
	{"footer_size", K_NUM, O(footer_size), "24", 6, 200, "the footer line, px"},
	{"margin", K_NUM, O(margin), "88", 0, 400, "space around everything, px"},
	{"corner_radius", K_NUM, O(corner_radius), "0", 0, 540, "rounded card corners, px (transparent outside)"},
	{"avatar_size", K_NUM, O(avatar_size), "120", 16, 600, "the avatar's diameter, px"},
	{"logo_height", K_NUM, O(logo_height), "64", 8, 400, "the logo's height, px"},
	{"star_size", K_NUM, O(star_size), "30", 6, 200, "one rating star, px"},
	{"mark_size", K_NUM, O(mark_size), "150", 0, 600, "the decorative quote mark, px"},
	{"align", K_ALIGN, O(align), "start", 0, 0, "quote alignment: start, center, end, left, right"},
	{"avatar", K_BOOL, O(avatar), "true", 0, 0, "show the avatar (or initials)"},
	{"quote_mark", K_BOOL, O(quote_mark), "true", 0, 0, "draw a large quote mark"},
	{"show_source", K_BOOL, O(show_source), "true", 0, 0, "name the platform"},
	{"show_title", K_BOOL, O(show_title), "true", 0, 0, "a review's title above the quote"},
	{"anonymous_label", K_TEXT, O(anonymous_label), "", 0, 0, "name line for anonymous credit"},
	{NULL, 0, 0, NULL, 0, 0, NULL}};
#undef O

static void list_keys(char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = 0;
	for (const struct key *k = keys; k->name && n + 1 < size; k++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", k->name);
}

static int set_value(struct theme *t, const struct key *k, const cJSON *v,
                     const char *text, const char *job_dir, char *msg, size_t size)
{
	char *base = (char *)t + k->off;

	switch (k->kind) {
	case K_COLOR:
		if ((v && !cJSON_IsString(v)) ||
		    parse_color(v ? v->valuestring : text, (struct rgb *)base) < 0) {
			snprintf(msg, size, "theme: \"%s\" (%s) must be a colour like "
			         "\"#1f2430\"", k->name, k->help);
			return -1;
		}
		return 0;
	case K_NUM: {
		double d = v ? v->valuedouble : atof(text);
		if ((v && !cJSON_IsNumber(v)) || d < k->lo || d > k->hi) {
			snprintf(msg, size, "theme: \"%s\" (%s) must be a number from "
			         "%g to %g", k->name, k->help, k->lo, k->hi);
			return -1;
		}
		*(double *)base = d;
		return 0;
	}
	case K_BOOL:
		if (v && !cJSON_IsBool(v)) {
			snprintf(msg, size, "theme: \"%s\" (%s) must be true or false",
			         k->name, k->help);
			return -1;
		}
		*(int *)base = v ? cJSON_IsTrue(v) : strcmp(text, "true") == 0;
		return 0;
	case K_ALIGN: {
		const char *s = v ? (cJSON_IsString(v) ? v->valuestring : "") : text;
		enum align *a = (enum align *)base;
		if (!strcmp(s, "start"))
			*a = ALIGN_START;
		else if (!strcmp(s, "center") || !strcmp(s, "centre"))
			*a = ALIGN_CENTER;
		else if (!strcmp(s, "end"))
			*a = ALIGN_END;
		else if (!strcmp(s, "left"))
			*a = ALIGN_LEFT;
		else if (!strcmp(s, "right"))
			*a = ALIGN_RIGHT;
		else {
			snprintf(msg, size, "theme: \"align\" must be \"start\", "
			         "\"center\", \"end\", \"left\" or \"right\" (start "
			         "and end follow the quote's direction)");
			return -1;
		}
		return 0;
	}
	case K_TEXT:
	case K_FONT: {
		char **dst = (char **)base;
		const char *s = v ? (cJSON_IsString(v) ? v->valuestring : NULL) : text;
		if (v && (s == NULL || (k->kind == K_FONT && !*s))) {
			snprintf(msg, size, "theme: \"%s\" (%s) must be %s", k->name,
			         k->help, k->kind == K_FONT ? "a font file path" : "text");
			return -1;
		}
		if (s == NULL)
			return 0;
		if (k->kind == K_FONT && s[0] != '/') {
			size_t n = strlen(job_dir) + strlen(s) + 2;
			*dst = malloc(n);
			if (*dst)
				snprintf(*dst, n, "%s/%s", job_dir, s);
		} else {
			*dst = strdup(s);
		}
		if (*dst == NULL) {
			snprintf(msg, size, "out of memory reading the theme");
			return -1;
		}
		if (k->kind == K_FONT && access(*dst, R_OK) != 0) {
			snprintf(msg, size, "theme: \"%s\": cannot read the font file %s; "
			         "give the path of a .ttf, .otf or .ttc file (relative "
			         "to the job file)", k->name, *dst);
			return -1;
		}
		return 0;
	}
	}
	return 0;
}

int theme_parse(struct theme *t, const char *json, const char *job_dir,
                char *msg, size_t msg_size)
{
	cJSON *root = NULL, *v;
	int rc = -1;

	memset(t, 0, sizeof *t);
	if (json != NULL) {
		root = cJSON_Parse(json);
		if (!cJSON_IsObject(root)) {
			snprintf(msg, msg_size, "\"theme\" must be an object of settings, "
			         "e.g. {\"background\": \"#ffffff\", \"align\": \"center\"}");
			goto done;
		}
		cJSON_ArrayForEach(v, root) {
			const struct key *k = keys;
			while (k->name && strcmp(k->name, v->string) != 0)
				k++;
			if (k->name == NULL) {
				char list[900];
				list_keys(list, sizeof list);
				snprintf(msg, msg_size, "theme: unknown key \"%s\"; the theme "
				         "takes: %s", v->string, list);
				goto done;
			}
		}
	}
	for (const struct key *k = keys; k->name; k++) {
		v = root ? cJSON_GetObjectItemCaseSensitive(root, k->name) : NULL;
		if (v == NULL && k->def == NULL)
			continue;
		if (set_value(t, k, v, k->def, job_dir, msg, msg_size) < 0)
			goto done;
	}
	if (t->quote_min > t->quote_max) {
		snprintf(msg, msg_size, "theme: \"quote_min\" (%g) is larger than "
		         "\"quote_max\" (%g); make the minimum the smaller one",
		         t->quote_min, t->quote_max);
		goto done;
	}
	rc = 0;
done:
	cJSON_Delete(root);
	if (rc < 0)
		theme_free(t);
	return rc;
}

void theme_free(struct theme *t)
{
	free(t->font);
	free(t->font_bold);
	free(t->anonymous_label);
	t->font = t->font_bold = t->anonymous_label = NULL;
}

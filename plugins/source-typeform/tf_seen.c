/*
 * Which form fields the collected pages had, so that a mapping naming a
 * field the form does not have is reported (with the refs that exist)
 * instead of silently filling nothing.  See tf_response.h.
 */
#include "tf_response.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_name(struct tf_collect *c, struct tf_names *set,
                     const char *name)
{
	if (!name || !name[0])
		return;
	for (int i = 0; i < set->n; i++)
		if (strcmp(set->name[i], name) == 0)
			return;
	if (set->n == TF_NAMES_MAX) {
		set->more = 1;
		return;
	}
	if (!(set->name[set->n] = strdup(name))) {
		c->oom = 1;
		return;
	}
	set->n++;
}

static void note_field(struct tf_collect *c, const cJSON *field)
{
	const char *ref = kudos_jp_text(field, "ref");
	const char *id = kudos_jp_text(field, "id");
	const struct tf_map *m = &c->cx->map;

	if (!ref && !id)
		return;
	for (int role = 0; role < TF_ROLES; role++) {
		for (int i = 0; i < m->n[role]; i++) {
			const struct tf_part *p = &m->part[role][i];
			if (!p->hidden && ((ref && strcmp(ref, p->name) == 0) ||
			                   (id && strcmp(id, p->name) == 0)))
				c->seen[role][i] = 1;
		}
	}
	add_name(c, &c->fields, ref ? ref : id);
}

static void note_hidden(struct tf_collect *c, const char *name)
{
	const struct tf_map *m = &c->cx->map;
	for (int role = 0; role < TF_ROLES; role++)
		for (int i = 0; i < m->n[role]; i++)
			if (m->part[role][i].hidden &&
			    strcmp(m->part[role][i].name, name) == 0)
				c->seen[role][i] = 1;
	add_name(c, &c->hidden, name);
}

void tf_note_response(struct tf_collect *c, const cJSON *resp,
                      const cJSON *definition)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, kudos_jp_arr(definition, "fields"))
		note_field(c, e);
	cJSON_ArrayForEach(e, kudos_jp_arr(definition, "hidden"))
		if (cJSON_IsString(e) && e->valuestring)
			note_hidden(c, e->valuestring);
	cJSON_ArrayForEach(e, kudos_jp_arr(resp, "answers"))
		note_field(c, kudos_jp_obj(e, "field"));
	cJSON_ArrayForEach(e, kudos_jp_obj(resp, "hidden"))
		if (e->string)
			note_hidden(c, e->string);
}

/* "a, b, c" (and ", ..." when some were not kept), or "none". */
static void list(const struct tf_names *set, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < set->n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		                        i ? ", " : "", set->name[i]);
	if (len >= size && size > 4)
		memcpy(buf + size - 5, "...", 4);
	else if (set->more && len + 6 < size)
		memcpy(buf + len, ", ...", 6);
	if (!buf[0])
		snprintf(buf, size, "none");
}

void tf_report(struct tf_collect *c)
{
	const struct kudos_host *h = c->r.host;
	const struct tf_map *m = &c->cx->map;
	char seen[640];

	if (c->r.entries == 0)
		return; /* no response: nothing to compare with */
	for (int role = 0; role < TF_ROLES; role++) {
		for (int i = 0; i < m->n[role]; i++) {
			const struct tf_part *p = &m->part[role][i];
			if (c->seen[role][i])
				continue;
			list(p->hidden ? &c->hidden : &c->fields, seen, sizeof seen);
			if (p->hidden)
				h->log(c->r.self, KUDOS_LOG_WARN,
				       "fields.%s: no response in %s has the hidden "
				       "field \"%s\" (hidden fields seen: %s); it filled "
				       "nothing",
				       tf_role_names[role], c->cx->path, p->name, seen);
			else
				h->log(c->r.self, KUDOS_LOG_WARN,
				       "fields.%s: no question with ref or id \"%s\" "
				       "appears in %s (refs seen: %s); it filled "
				       "nothing: check the ref in the form's question "
				       "settings and the job's \"fields\"",
				       tf_role_names[role], p->name, c->cx->path, seen);
		}
	}
}

struct tf_seen_page {
	struct tf_seen_page *next;
	char *file;
	int seen[TF_ROLES][TF_MAX_PARTS];
	struct tf_names fields, hidden;
};

static void free_names(struct tf_names *set)
{
	for (int i = 0; i < set->n; i++)
		free(set->name[i]);
	set->n = 0;
}

static void free_pages(struct tf_seen_page *p)
{
	while (p) {
		struct tf_seen_page *next = p->next;
		free_names(&p->fields);
		free_names(&p->hidden);
		free(p->file);
		free(p);
		p = next;
	}
}

int tf_seen_keep(struct tf_totals *t, struct tf_collect *c, const char *file)
{
	struct tf_seen_page *p = calloc(1, sizeof *p);

	if (!p || !(p->file = strdup(file))) {
		free(p);
		c->r.host->set_error(c->r.self, "%s: out of memory", file);
		return KUDOS_ENOMEM;
	}
	memcpy(p->seen, c->seen, sizeof p->seen);
	p->fields = c->fields;
	p->hidden = c->hidden;
	c->fields.n = c->hidden.n = 0;
	/* Pages finish in any order: push without a lock, sort when merging. */
	struct tf_seen_page *head = atomic_load(&t->seen);
	do
		p->next = head;
	while (!atomic_compare_exchange_weak(&t->seen, &head, p));
	return KUDOS_OK;
}

/* add_name(), but taking `name` (transfer full): kept, or freed when the
 * set has it already or is full. */
static void move_name(struct tf_names *set, char *name)
{
	for (int i = 0; i < set->n; i++) {
		if (strcmp(set->name[i], name) == 0) {
			free(name);
			return;
		}
	}
	if (set->n == TF_NAMES_MAX) {
		set->more = 1;
		free(name);
		return;
	}
	set->name[set->n++] = name;
}

static void move_names(struct tf_names *to, struct tf_names *from)
{
	for (int i = 0; i < from->n; i++)
		move_name(to, from->name[i]);
	/* A page that could not keep every name it saw had more than fit. */
	to->more |= from->more;
	from->n = 0;
}

static int by_file(const void *a, const void *b)
{
	const struct tf_seen_page *const *x = a, *const *y = b;
	return strcmp((*x)->file, (*y)->file);
}

int tf_seen_merge(struct tf_totals *t, struct tf_collect *all)
{
	struct tf_seen_page *head = atomic_exchange(&t->seen, NULL), **pages = NULL;
	size_t n = 0, i = 0;
	int rc = KUDOS_OK;

	for (struct tf_seen_page *p = head; p; p = p->next)
		n++;
	if (n && !(pages = malloc(n * sizeof *pages))) {
		all->r.host->set_error(all->r.self, "out of memory");
		rc = KUDOS_ENOMEM;
		goto done;
	}
	for (struct tf_seen_page *p = head; p; p = p->next)
		pages[i++] = p;
	/* Name order is each_file's page order: kudos sorts with strcmp
	 * (it never sets LC_COLLATE), and every page of a folder has the
	 * same "folder/" prefix. */
	qsort(pages, n, sizeof *pages, by_file);
	for (i = 0; i < n; i++) {
		for (int role = 0; role < TF_ROLES; role++)
			for (int k = 0; k < TF_MAX_PARTS; k++)
				all->seen[role][k] |= pages[i]->seen[role][k];
		move_names(&all->fields, &pages[i]->fields);
		move_names(&all->hidden, &pages[i]->hidden);
	}
done:
	free(pages);
	free_pages(head);
	return rc;
}

void tf_seen_free(struct tf_totals *t)
{
	free_pages(atomic_exchange(&t->seen, NULL));
}

void tf_collect_free(struct tf_collect *c)
{
	free_names(&c->fields);
	free_names(&c->hidden);
}

#include "blocklist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../fsutil.h"

/* Entries are token sequences.  The index maps the hash of an entry's first
 * token to a chain of the entries starting with that token, longest first,
 * so matching a text costs one lookup per text token. */
struct btok {
	uint64_t hash;
	uint32_t cp0, ncp; /* into cp[] */
};

struct bentry {
	char *text;
	uint32_t tok0, ntok; /* into tok[] */
	uint32_t next;       /* next entry of the chain + 1; 0 ends it */
};

struct kudos_blocklist {
	struct bentry *e;
	size_t n, cap;
	struct btok *tok;
	size_t ntok, tokcap;
	uint32_t *cp;
	size_t ncp, cpcap;
	uint64_t *key;   /* slot -> first-token hash */
	uint32_t *head;  /* slot -> first entry of the chain + 1; 0: empty slot */
	size_t nslot, used;
	struct kudos_fold fold;
};

struct kudos_blocklist *kudos_blocklist_new(void)
{
	struct kudos_blocklist *bl = calloc(1, sizeof *bl);
	if (bl)
		kudos_fold_init(&bl->fold);
	return bl;
}

void kudos_blocklist_free(struct kudos_blocklist *bl)
{
	if (!bl)
		return;
	for (size_t i = 0; i < bl->n; i++)
		free(bl->e[i].text);
	free(bl->e);
	free(bl->tok);
	free(bl->cp);
	free(bl->key);
	free(bl->head);
	kudos_fold_release(&bl->fold);
	free(bl);
}

size_t kudos_blocklist_count(const struct kudos_blocklist *bl)
{
	return bl->n;
}

/* The slot holding `h`, or the empty slot where it belongs. */
static size_t slot_of(const uint64_t *key, const uint32_t *head, size_t nslot, uint64_t h)
{
	size_t mask = nslot - 1, s = (size_t)(h ^ (h >> 29)) & mask;
	while (head[s] && key[s] != h)
		s = (s + 1) & mask;
	return s;
}

static int rehash(struct kudos_blocklist *bl)
{
	size_t nslot = bl->nslot ? bl->nslot * 2 : 64;
	uint64_t *key = calloc(nslot, sizeof *key);
	uint32_t *head = calloc(nslot, sizeof *head);
	if (!key || !head) {
		free(key);
		free(head);
		return -1;
	}
	for (size_t s = 0; s < bl->nslot; s++) {
		if (!bl->head[s])
			continue;
		size_t t = slot_of(key, head, nslot, bl->key[s]);
		key[t] = bl->key[s];
		head[t] = bl->head[s];
	}
	free(bl->key);
	free(bl->head);
	bl->key = key;
	bl->head = head;
	bl->nslot = nslot;
	return 0;
}

static int valid_utf8(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			if (p[i] == 0)
				return 0;
			i++;
			continue;
		}
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

/* Whether entry `e` equals the tokens of bl->fold. */
static int same_entry(const struct kudos_blocklist *bl, const struct bentry *e)
{
	const struct kudos_fold *f = &bl->fold;
	if (e->ntok != f->ntok)
		return 0;
	for (uint32_t k = 0; k < e->ntok; k++) {
		const struct btok *t = &bl->tok[e->tok0 + k];
		if (t->hash != f->tok[k].hash || !kudos_fold_tok_is(f, k, bl->cp + t->cp0, t->ncp))
			return 0;
	}
	return 1;
}

static int add_folded(struct kudos_blocklist *bl, const char *entry)
{
	const struct kudos_fold *f = &bl->fold;
	if ((bl->used + 1) * 4 > bl->nslot * 3 && rehash(bl))
		return -1;
	size_t s = slot_of(bl->key, bl->head, bl->nslot, f->tok[0].hash);
	for (uint32_t i = bl->head[s]; i; i = bl->e[i - 1].next)
		if (same_entry(bl, &bl->e[i - 1]))
			return 0; /* already listed */

	if (bl->n == bl->cap) {
		size_t cap = bl->cap ? bl->cap * 2 : 32;
		struct bentry *e = realloc(bl->e, cap * sizeof *e);
		if (!e)
			return -1;
		bl->e = e;
		bl->cap = cap;
	}
	if (bl->ntok + f->ntok > bl->tokcap) {
		size_t cap = bl->tokcap ? bl->tokcap : 64;
		while (cap < bl->ntok + f->ntok)
			cap *= 2;
		struct btok *t = realloc(bl->tok, cap * sizeof *t);
		if (!t)
			return -1;
		bl->tok = t;
		bl->tokcap = cap;
	}
	size_t ncp = f->tok[f->ntok - 1].b - f->tok[0].a;
	if (bl->ncp + ncp > bl->cpcap) {
		size_t cap = bl->cpcap ? bl->cpcap : 256;
		while (cap < bl->ncp + ncp)
			cap *= 2;
		uint32_t *cp = realloc(bl->cp, cap * sizeof *cp);
		if (!cp)
			return -1;
		bl->cp = cp;
		bl->cpcap = cap;
	}
	char *text = strdup(entry);
	if (!text)
		return -1;

	struct bentry *e = &bl->e[bl->n];
	*e = (struct bentry){text, (uint32_t)bl->ntok, (uint32_t)f->ntok, 0};
	for (size_t k = 0; k < f->ntok; k++) {
		const struct kudos_token *t = &f->tok[k];
		uint32_t n = t->b - t->a;
		memcpy(bl->cp + bl->ncp, f->cp + t->a, n * sizeof *bl->cp);
		bl->tok[bl->ntok++] = (struct btok){t->hash, (uint32_t)bl->ncp, n};
		bl->ncp += n;
	}
	/* Insert into the chain, longest entries first. */
	uint32_t idx = (uint32_t)bl->n + 1;
	if (!bl->head[s]) {
		bl->key[s] = f->tok[0].hash;
		bl->head[s] = idx;
		bl->used++;
	} else if (bl->e[bl->head[s] - 1].ntok < e->ntok) {
		e->next = bl->head[s];
		bl->head[s] = idx;
	} else {
		uint32_t i = bl->head[s];
		while (bl->e[i - 1].next && bl->e[bl->e[i - 1].next - 1].ntok >= e->ntok)
			i = bl->e[i - 1].next;
		e->next = bl->e[i - 1].next;
		bl->e[i - 1].next = idx;
	}
	bl->n++;
	return 0;
}

int kudos_blocklist_add(struct kudos_blocklist *bl, const char *entry, struct kudos_error *err)
{
	size_t len = strlen(entry);
	if (!valid_utf8(entry, len))
		return kudos_fail(err, KUDOS_EXIT_INPUT, "blocklist entry is not valid UTF-8");
	if (kudos_fold(&bl->fold, entry, len))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	if (bl->fold.ntok == 0)
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "blocklist entry \"%s\" has nothing to match (blank?)", entry);
	if (add_folded(bl, entry))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	return 0;
}

int kudos_blocklist_add_file(struct kudos_blocklist *bl, const char *path,
                             struct kudos_error *err)
{
	char *data = NULL, *line = NULL;
	size_t len, lineno = 0;
	int rc = -1;
	if (kudos_read_file(path, "blocklist", &data, &len, err))
		return -1;
	line = malloc(len + 1);
	if (!line) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto fail;
	}
	size_t i = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len) {
		size_t end = i;
		while (end < len && data[end] != '\n')
			end++;
		lineno++;
		size_t a = i, n = 0;
		i = end + 1;
		if (end > a && data[end - 1] == '\r')
			end--;
		while (a < end && (data[a] == ' ' || data[a] == '\t'))
			a++;
		if (a == end || data[a] == '#')
			continue;
		for (size_t k = a; k < end; k++) {
			if (data[k] == '\\' && k + 1 < end && data[k + 1] == '#') {
				line[n++] = '#';
				k++;
			} else if (data[k] == '#' && (data[k - 1] == ' ' || data[k - 1] == '\t')) {
				break;
			} else {
				line[n++] = data[k];
			}
		}
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		line[n] = '\0';
		if (n == 0)
			continue;
		if (!valid_utf8(line, n)) {
			kudos_fail(err, KUDOS_EXIT_INPUT,
			           "%s:%zu: not valid UTF-8; save the blocklist as UTF-8", path,
			           lineno);
			goto fail;
		}
		if (kudos_fold(&bl->fold, line, n) || (bl->fold.ntok && add_folded(bl, line))) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
			goto fail;
		}
		if (bl->fold.ntok == 0) {
			kudos_fail(err, KUDOS_EXIT_INPUT,
			           "%s:%zu: entry \"%s\" has nothing to match", path, lineno, line);
			goto fail;
		}
	}
	rc = 0;
fail:
	free(line);
	free(data);
	return rc;
}

static size_t find_slot(const struct kudos_blocklist *bl, uint64_t h, int *found)
{
	size_t s = slot_of(bl->key, bl->head, bl->nslot, h);
	*found = bl->head[s] != 0;
	return s;
}

int kudos_blocklist_match_folded(const struct kudos_blocklist *bl, const struct kudos_fold *f,
                                 struct kudos_block_match *m)
{
	if (bl->n == 0)
		return 0;
	for (size_t i = 0; i < f->ntok; i++) {
		int found;
		size_t s = find_slot(bl, f->tok[i].hash, &found);
		if (!found)
			continue;
		for (uint32_t x = bl->head[s]; x; x = bl->e[x - 1].next) {
			const struct bentry *e = &bl->e[x - 1];
			if (e->ntok > f->ntok - i)
				continue;
			uint32_t k = 0;
			for (; k < e->ntok; k++) {
				const struct btok *t = &bl->tok[e->tok0 + k];
				if (t->hash != f->tok[i + k].hash ||
				    !kudos_fold_tok_is(f, i + k, bl->cp + t->cp0, t->ncp))
					break;
			}
			if (k == e->ntok) {
				m->entry = e->text;
				m->start = kudos_fold_tok_start(f, i);
				m->end = kudos_fold_tok_end(f, i + e->ntok - 1);
				return 1;
			}
		}
	}
	return 0;
}

int kudos_blocklist_match(const struct kudos_blocklist *bl, const char *text, size_t len,
                          struct kudos_fold *scratch, struct kudos_block_match *m)
{
	if (bl->n == 0)
		return 0;
	if (kudos_fold(scratch, text, len))
		return -1;
	return kudos_blocklist_match_folded(bl, scratch, m);
}

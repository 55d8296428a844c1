#include "dupes.h"

#include <stdlib.h>
#include <string.h>

#define K KUDOS_DUPES_BINS /* signature bins */
#define BANDS 42       /* LSH bands ... */
#define ROWS 3         /* ... of ROWS bins: BANDS * ROWS <= K */
#define SHINGLE 9      /* code points per shingle */
#define THRESHOLD 0.45 /* estimated Jaccard similarity of near-duplicates */
#define SHORT 8        /* sets smaller than this group only when equal */
#define CONTAIN_MIN 40 /* smallest set the containment rule applies to */
#define WINDOW 4       /* in a run of items sharing a band value, the ones
                          before an item that it is compared with ... */
#define LONG_RUN 32    /* ... unless the run is longer than this */
#define BUDGET 32      /* comparisons of an item per grouping, at most */

struct kudos_dupes {
	size_t n, cap, max_items;
	size_t grouped;    /* items covered by the last kudos_dupes_group() */
	uint8_t *sig;      /* n * K */
	uint32_t *parent;  /* union-find, as of the last kudos_dupes_group() */
	uint32_t *rep;     /* for a root: its group's representative */
	int64_t *created;
	uint16_t *size;    /* shingles (saturating); 0: nothing to compare */
	char **id;
	size_t idbytes;
	struct kudos_dupes_scratch scratch; /* for kudos_dupes_add_folded */
};

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static uint32_t mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bU;
	h ^= h >> 13;
	h *= 0xc2b2ae35U;
	h ^= h >> 16;
	return h;
}

struct kudos_dupes *kudos_dupes_new(size_t max_items)
{
	struct kudos_dupes *d = calloc(1, sizeof *d);
	if (d)
		d->max_items = max_items;
	return d;
}

void kudos_dupes_free(struct kudos_dupes *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->id[i]);
	free(d->sig);
	free(d->parent);
	free(d->rep);
	free(d->created);
	free(d->size);
	free(d->id);
	kudos_dupes_scratch_release(&d->scratch);
	free(d);
}

void kudos_dupes_scratch_release(struct kudos_dupes_scratch *s)
{
	free(s->sh);
	free(s->norm);
	free(s->drop);
	memset(s, 0, sizeof *s);
}

size_t kudos_dupes_count(const struct kudos_dupes *d)
{
	return d->n;
}

size_t kudos_dupes_memory(const struct kudos_dupes *d)
{
	size_t per = K + 2 * sizeof(uint32_t) + sizeof(int64_t) + sizeof(uint16_t) + sizeof(char *);
	const struct kudos_dupes_scratch *s = &d->scratch;
	return sizeof *d + d->cap * per + d->idbytes + s->shcap * sizeof(uint64_t) +
	       s->normcap * sizeof(uint32_t) + s->dropcap * sizeof(size_t);
}

/* ---- text to signature ------------------------------------------------ */

static int alnum_ascii(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int push_drop(struct kudos_dupes_scratch *d, size_t a, size_t b)
{
	if (d->ndrop + 2 > d->dropcap) {
		size_t cap = d->dropcap ? d->dropcap * 2 : 16;
		size_t *v = realloc(d->drop, cap * sizeof *v);
		if (!v)
			return -1;
		d->drop = v;
		d->dropcap = cap;
	}
	d->drop[d->ndrop++] = a;
	d->drop[d->ndrop++] = b;
	return 0;
}

/* Links and @mentions differ between platforms: they do not count. */
static int find_drops(struct kudos_dupes_scratch *d, const char *s, size_t len)
{
	d->ndrop = 0;
	for (size_t i = 0; i < len; i++) {
		size_t u = (s[i] | 0x20) == 'h' || (s[i] | 0x20) == 'w' ? kudos_url_at(s, len, i) : 0;
		if (u) {
			if (push_drop(d, i, i + u))
				return -1;
			i += u - 1;
			continue;
		}
		if (s[i] == '@' && (i == 0 || !alnum_ascii((unsigned char)s[i - 1])) &&
		    i + 1 < len && (alnum_ascii((unsigned char)s[i + 1]) || s[i + 1] == '_')) {
			size_t j = i + 1;
			while (j < len && (alnum_ascii((unsigned char)s[j]) || strchr("_.@-", s[j])))
				j++;
			while (j > i + 1 && (s[j - 1] == '.' || s[j - 1] == '-'))
				j--;
			if (push_drop(d, i, j))
				return -1;
			i = j - 1;
		}
	}
	return 0;
}

static int dropped(const struct kudos_dupes_scratch *d, size_t at)
{
	for (size_t k = 0; k < d->ndrop; k += 2)
		if (at >= d->drop[k] && at < d->drop[k + 1])
			return 1;
	return 0;
}

/* The folded, unpunctuated text of `f` into d->norm.  RETURN VALUE its
 * length, or (size_t)-1 when out of memory. */
static size_t normalise(struct kudos_dupes_scratch *d, const struct kudos_fold *f)
{
	if (f->n + 1 > d->normcap) {
		size_t cap = d->normcap ? d->normcap : 256;
		while (cap < f->n + 1)
			cap *= 2;
		uint32_t *v = realloc(d->norm, cap * sizeof *v);
		if (!v)
			return (size_t)-1;
		d->norm = v;
		d->normcap = cap;
	}
	size_t n = 0;
	uint32_t prev = 0;
	for (size_t t = 0; t < f->ntok; t++) {
		const struct kudos_token *k = &f->tok[t];
		if (k->kind == KUDOS_TOK_PUNCT || dropped(d, f->from[k->a]))
			continue;
		if (prev && (prev == KUDOS_TOK_WORD || k->kind == KUDOS_TOK_WORD))
			d->norm[n++] = ' ';
		for (uint32_t i = k->a; i < k->b; i++)
			if (f->cp[i] < 0x300 || k->kind == KUDOS_TOK_SOLO ||
			    kudos_fold_cc(f->cp[i]) != KUDOS_CC_MARK)
				d->norm[n++] = f->cp[i];
		prev = k->kind;
	}
	return n;
}

/* Signature of the text folded in `f` into `sig`; RETURN VALUE the number of
 * shingles (0: nothing to compare), or -1 when out of memory. */
static long signature(struct kudos_dupes_scratch *d, const char *text, size_t len,
                      const struct kudos_fold *f, uint8_t sig[K])
{
	memset(sig, 0, K);
	if (find_drops(d, text, len))
		return -1;
	size_t n = normalise(d, f);
	if (n == (size_t)-1)
		return -1;
	if (n == 0)
		return 0;
	size_t m = n < SHINGLE ? 1 : n - SHINGLE + 1;
	if (m > d->shcap) {
		size_t cap = d->shcap ? d->shcap : 256;
		while (cap < m)
			cap *= 2;
		uint64_t *v = realloc(d->sh, cap * sizeof *v);
		if (!v)
			return -1;
		d->sh = v;
		d->shcap = cap;
	}
	if (n < SHINGLE) {
		d->sh[0] = kudos_fold_hash(d->norm, n);
	} else {
		/* rolling polynomial hash of each window of SHINGLE code points */
		const uint64_t B = 0x100000001b3ULL;
		uint64_t top = 1, h = 0;
		for (size_t i = 0; i < SHINGLE - 1; i++)
			top *= B;
		for (size_t i = 0; i < SHINGLE; i++)
			h = h * B + d->norm[i] + 1;
		d->sh[0] = mix64(h);
		for (size_t i = 1; i < m; i++) {
			h = (h - (d->norm[i - 1] + 1) * top) * B + d->norm[i + SHINGLE - 1] + 1;
			d->sh[i] = mix64(h);
		}
	}
	/* a repeated shingle changes no minimum; the set size counts it again,
	 * which only matters for the rare text that repeats itself */
	size_t u = m;

	/* one permutation hashing: the top bits pick a bin, the bin keeps the
	 * smallest low word; empty bins borrow a full bin's value along a
	 * fixed sequence (optimal densification), so equal sets agree. */
	uint32_t minv[K];
	uint8_t full[K];
	memset(full, 0, sizeof full);
	for (size_t b = 0; b < K; b++)
		minv[b] = UINT32_MAX;
	for (size_t i = 0; i < u; i++) {
		size_t b = (size_t)(d->sh[i] >> 57);
		uint32_t v = (uint32_t)d->sh[i];
		if (!full[b] || v < minv[b])
			minv[b] = v;
		full[b] = 1;
	}
	for (size_t b = 0; b < K; b++) {
		uint32_t v = 0;
		if (full[b]) {
			v = minv[b];
		} else {
			size_t src = b;
			for (uint32_t a = 1; a <= 64 && !full[src]; a++)
				src = mix32((uint32_t)b << 8 | a) >> 25;
			for (size_t step = 1; !full[src]; step++)
				src = (b + step) % K;
			v = minv[src];
		}
		sig[b] = (uint8_t)mix32(v);
	}
	return (long)(u > UINT16_MAX ? UINT16_MAX : u);
}

/* ---- grouping --------------------------------------------------------- */

static uint32_t band_key(const struct kudos_dupes *d, size_t item, size_t band)
{
	uint8_t k[4] = {0, 0, 0, 0};
	memcpy(k, d->sig + item * K + band * ROWS, ROWS);
	return (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 | (uint32_t)k[3] << 24;
}

static size_t find(struct kudos_dupes *d, size_t x)
{
	while (d->parent[x] != x) {
		d->parent[x] = d->parent[d->parent[x]];
		x = d->parent[x];
	}
	return x;
}

static size_t find_const(const struct kudos_dupes *d, size_t x)
{
	while (d->parent[x] != x)
		x = d->parent[x];
	return x;
}

/* Whether item a comes before item b: earlier time, then added first. */
static int earlier(const struct kudos_dupes *d, size_t a, size_t b)
{
	if (d->created[a] != d->created[b])
		return d->created[a] < d->created[b];
	return a < b;
}

static void unite(struct kudos_dupes *d, size_t a, size_t b)
{
	size_t ra = find(d, a), rb = find(d, b);
	if (ra == rb)
		return;
	if (ra > rb) { /* the older root stays: chains stay short */
		size_t t = ra;
		ra = rb;
		rb = t;
	}
	d->parent[rb] = (uint32_t)ra;
	if (earlier(d, d->rep[rb], d->rep[ra]))
		d->rep[ra] = d->rep[rb];
}

/* Sixteen bins at a time: a lane of (x == y) is -1 where they agree. */
typedef uint8_t v16u8 __attribute__((vector_size(16)));
typedef int8_t v16i8 __attribute__((vector_size(16)));

static double estimate(const struct kudos_dupes *d, size_t a, size_t b, int *equal)
{
	_Static_assert(K % 16 == 0 && K / 16 <= 127, "bins come in lanes of 16");
	const uint8_t *x = d->sig + a * K, *y = d->sig + b * K;
	v16i8 agree = {0}; /* minus the agreeing bins, per lane */
	for (size_t i = 0; i < K; i += 16) {
		v16u8 u, v;
		memcpy(&u, x + i, 16);
		memcpy(&v, y + i, 16);
		agree += (v16i8)(u == v);
	}
	int8_t lane[16];
	int m = 0;
	memcpy(lane, &agree, sizeof lane);
	for (int i = 0; i < 16; i++)
		m -= lane[i];
	*equal = m == K;
	/* correct for 8-bit values agreeing by chance (1 in 256) */
	double j = ((double)m / K - 1.0 / 256) / (1.0 - 1.0 / 256);
	return j < 0 ? 0 : j > 1 ? 1 : j;
}

static int near_duplicates(const struct kudos_dupes *d, size_t a, size_t b)
{
	double sa = d->size[a], sb = d->size[b], lo = sa < sb ? sa : sb, hi = sa + sb - lo;
	/* J <= lo / hi: sets of too different sizes need no signature */
	if (lo < SHORT ? sa != sb : lo < hi * (lo < CONTAIN_MIN ? THRESHOLD : 0.3))
		return 0;
	int equal;
	double j = estimate(d, a, b, &equal);
	if (lo < SHORT)
		return equal;
	if (j >= THRESHOLD)
		return 1;
	if (lo < CONTAIN_MIN || j < 0.3)
		return 0;
	double inside = j * (sa + sb) / (1.0 + j);
	return inside / lo >= 0.85;
}

static int grow_items(struct kudos_dupes *d)
{
	size_t cap = d->cap ? d->cap * 2 : 1024;
	if (d->max_items && cap > d->max_items)
		cap = d->max_items;
#define GROW(field, per)                                                                 \
	do {                                                                             \
		void *p = realloc(d->field, cap * (per) * sizeof *d->field);           \
		if (!p)                                                                 \
			return -1;                                                      \
		d->field = p;                                                           \
	} while (0)
	GROW(sig, K);
	GROW(parent, 1);
	GROW(rep, 1);
	GROW(created, 1);
	GROW(size, 1);
	GROW(id, 1);
#undef GROW
	d->cap = cap;
	return 0;
}

int kudos_dupes_add(struct kudos_dupes *d, const char *id, const char *text, size_t len,
                    int64_t created, struct kudos_fold *scratch, size_t *index,
                    struct kudos_error *err)
{
	if (kudos_fold(scratch, text, len))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	return kudos_dupes_add_folded(d, id, text, len, scratch, created, index, err);
}

int kudos_dupes_sign(struct kudos_dupes_scratch *scratch, const char *text, size_t len,
                     const struct kudos_fold *f, struct kudos_dupe_sig *out)
{
	long size = signature(scratch, text, len, f, out->bins);
	if (size < 0)
		return -1;
	out->size = (uint16_t)size;
	return 0;
}

int kudos_dupes_add_signed(struct kudos_dupes *d, const char *id, int64_t created,
                           const struct kudos_dupe_sig *sig, size_t *index,
                           struct kudos_error *err)
{
	if (d->max_items && d->n >= d->max_items)
		return kudos_fail(err, KUDOS_EXIT_FAIL,
		                  "duplicate detection holds at most %zu items; raise the limit or "
		                  "curate fewer items per run",
		                  d->max_items);
	if (d->n >= UINT32_MAX - 1)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "too many items for duplicate detection");
	if (d->n == d->cap && grow_items(d))
		goto oom;
	size_t x = d->n;
	char *copy = strdup(id);
	if (!copy)
		goto oom;
	memcpy(d->sig + x * K, sig->bins, K);
	d->id[x] = copy;
	d->idbytes += strlen(copy) + 1;
	d->parent[x] = (uint32_t)x;
	d->rep[x] = (uint32_t)x;
	d->created[x] = created;
	d->size[x] = sig->size;
	d->n++;
	if (index)
		*index = x;
	return 0;
oom:
	return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
}

int kudos_dupes_add_folded(struct kudos_dupes *d, const char *id, const char *text, size_t len,
                           const struct kudos_fold *f, int64_t created, size_t *index,
                           struct kudos_error *err)
{
	struct kudos_dupe_sig sig;
	if (kudos_dupes_sign(&d->scratch, text, len, f, &sig))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	return kudos_dupes_add_signed(d, id, created, &sig, index, err);
}

/* Compare items x and y, unless they are already one group or y has used
 * up its comparisons for this grouping. */
static void consider(struct kudos_dupes *d, uint8_t *budget, size_t x, size_t y)
{
	if (!budget[y] || find(d, x) == find(d, y))
		return;
	budget[y]--;
	if (near_duplicates(d, x, y))
		unite(d, x, y);
}

/* Entries (band value << 32 | item) sorted by band value, items in
 * ascending order within a value (LSD radix sort: stable).  A band value
 * is ROWS bytes: the bytes above them are zero and need no pass. */
static void sort_entries(uint64_t *v, uint64_t *tmp, size_t n)
{
	_Static_assert(ROWS <= 4, "a band value fits the entry's high word");
	for (int shift = 32; shift < 32 + 8 * ROWS; shift += 8) {
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++)
			count[((v[i] >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i] >> shift) & 0xff]++] = v[i];
		memcpy(v, tmp, n * sizeof *v);
	}
}

int kudos_dupes_group(struct kudos_dupes *d, struct kudos_error *err)
{
	size_t n = d->n, m = 0;
	for (size_t x = 0; x < n; x++) {
		d->parent[x] = (uint32_t)x;
		d->rep[x] = (uint32_t)x;
		m += d->size[x] > 0;
	}
	d->grouped = n;
	if (m < 2)
		return 0;
	uint64_t *v = malloc(m * sizeof *v), *tmp = malloc(m * sizeof *tmp);
	uint8_t *budget = malloc(n);
	if (!v || !tmp || !budget) {
		free(v);
		free(tmp);
		free(budget);
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	}
	memset(budget, BUDGET, n);
	for (size_t b = 0; b < BANDS; b++) {
		size_t k = 0;
		for (size_t x = 0; x < n; x++)
			if (d->size[x])
				v[k++] = (uint64_t)band_key(d, x, b) << 32 | x;
		sort_entries(v, tmp, m);
		/* in each run of equal values, an item meets the first of the
		 * run (floods of one text) and the WINDOW items before it */
		for (size_t r = 0; r < m;) {
			size_t e = r + 1;
			while (e < m && v[e] >> 32 == v[r] >> 32)
				e++;
			/* a long run is a common value, telling little: there an
			 * item only meets the first of the run */
			size_t window = e - r > LONG_RUN ? 0 : WINDOW;
			for (size_t j = r + 1; j < e; j++) {
				size_t y = (uint32_t)v[j];
				/* The items of a run come in random order: fetch the
				 * next one's signature while this one is compared. */
				if (j + 1 < e) {
					const uint8_t *next = d->sig + (size_t)(uint32_t)v[j + 1] * K;
					__builtin_prefetch(next);
					__builtin_prefetch(next + K - 1);
				}
				size_t lo = j > r + window ? j - window : r;
				if (lo > r)
					consider(d, budget, (uint32_t)v[r], y);
				for (size_t i = lo; i < j; i++)
					consider(d, budget, (uint32_t)v[i], y);
			}
			r = e;
		}
	}
	free(v);
	free(tmp);
	free(budget);
	return 0;
}

const char *kudos_dupes_representative(const struct kudos_dupes *d, size_t index)
{
	if (index >= d->grouped)
		return d->id[index];
	return d->id[d->rep[find_const(d, index)]];
}

double kudos_dupes_similarity(const struct kudos_dupes *d, size_t a, size_t b)
{
	int equal;
	if (!d->size[a] || !d->size[b])
		return 0.0;
	return estimate(d, a, b, &equal);
}

/* ---- groups ------------------------------------------------------------ */

struct gkey {
	int64_t created; /* of the item, or of the group's representative */
	uint32_t rank;   /* the group's position (items only) */
	uint32_t idx;
};

static int by_time(const void *a, const void *b)
{
	const struct gkey *x = a, *y = b;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int by_group_then_time(const void *a, const void *b)
{
	const struct gkey *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return by_time(a, b);
}

int kudos_dupes_groups(const struct kudos_dupes *d, struct kudos_dupe_group **groups,
                       size_t *ngroups)
{
	*groups = NULL;
	*ngroups = 0;
	size_t n = d->n, nr = 0, ni = 0;
	if (n == 0)
		return 0;
	uint32_t *root = malloc(n * sizeof *root), *count = calloc(n, sizeof *count),
		 *rank = malloc(n * sizeof *rank);
	struct gkey *roots = NULL, *items = NULL;
	struct kudos_dupe_group *g = NULL;
	if (!root || !count || !rank)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		root[i] = (uint32_t)find_const(d, i);
		count[root[i]]++;
	}
	for (size_t i = 0; i < n; i++) {
		nr += count[i] >= 2;
		ni += count[root[i]] >= 2;
	}
	if (nr == 0)
		goto done;
	roots = malloc(nr * sizeof *roots);
	items = malloc(ni * sizeof *items);
	g = calloc(nr, sizeof *g);
	if (!roots || !items || !g)
		goto oom;
	/* roots[].rank holds the root's item number until the sort is done */
	size_t r = 0;
	for (size_t i = 0; i < n; i++)
		if (count[i] >= 2)
			roots[r++] = (struct gkey){d->created[d->rep[i]], (uint32_t)i, d->rep[i]};
	qsort(roots, nr, sizeof *roots, by_time);
	for (size_t k = 0; k < nr; k++)
		rank[roots[k].rank] = (uint32_t)k;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (count[root[i]] >= 2)
			items[m++] = (struct gkey){d->created[i], rank[root[i]], (uint32_t)i};
	qsort(items, ni, sizeof *items, by_group_then_time);

	size_t at = 0;
	for (size_t k = 0; k < nr; k++) {
		size_t size = count[roots[k].rank];
		g[k].representative = d->id[items[at].idx];
		g[k].n_members = size - 1;
		g[k].members = malloc((size - 1) * sizeof *g[k].members);
		if (!g[k].members)
			goto oom;
		for (size_t j = 1; j < size; j++)
			g[k].members[j - 1] = d->id[items[at + j].idx];
		at += size;
	}
	*groups = g;
	*ngroups = nr;
	g = NULL;
done:
	free(root);
	free(count);
	free(rank);
	free(roots);
	free(items);
	return 0;
oom:
	kudos_dupes_groups_free(g, nr);
	free(root);
	free(count);
	free(rank);
	free(roots);
	free(items);
	return -1;
}

void kudos_dupes_groups_free(struct kudos_dupe_group *groups, size_t n)
{
	if (!groups)
		return;
	for (size_t i = 0; i < n; i++)
		free(groups[i].members);
	free(groups);
}

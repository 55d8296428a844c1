#include "sentiment.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../fsutil.h"

/* VADER's empirically derived constants (vaderSentiment.py). */
#define B_INCR 0.293
#define B_DECR -0.293
#define C_INCR 0.733
#define N_SCALAR -0.74
#define ALPHA 15.0

#define KEY_MAX 64

static const char *const negations[] = {
	"aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "ain't",
	"aren't", "can't", "couldn't", "daren't", "didn't", "doesn't", "dont", "hadnt", "hasnt",
	"havent", "isnt", "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't", "haven't",
	"isn't", "mightn't", "mustn't", "neednt", "needn't", "never", "none", "nope", "nor",
	"not", "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
	"oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't", "without", "wont",
	"wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
};

static const char *const boosters_up[] = {
	"absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
	"decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially",
	"exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping",
	"flippin", "frackin", "fracking", "fricking", "frickin", "frigging", "friggin", "fully",
	"fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely",
	"incredible", "incredibly", "intensely", "major", "majorly", "more", "most",
	"particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
	"thoroughly", "total", "totally", "tremendous", "tremendously", "uber", "unbelievably",
	"unusually", "utter", "utterly", "very",
};

static const char *const boosters_down[] = {
	"almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of",
	"less", "little", "marginal", "marginally", "occasional", "occasionally", "partly",
	"scarce", "scarcely", "slight", "slightly", "somewhat", "sort of", "sorta", "sortof",
	"sort-of",
};

static const struct {
	const char *seq;
	double valence;
} special_cases[] = {
	{"the shit", 3}, {"the bomb", 3}, {"bad ass", 1.5}, {"badass", 1.5},
	{"bus stop", 0.0}, {"yeah right", -2}, {"kiss of death", -1.5}, {"to die for", 3},
	{"beating heart", 3.1}, {"broken heart", -2.9},
};

/* Emoji read as the lexicon word they stand for (kudos' own short list;
 * VADER reads emoji through their Unicode names). */
static const struct {
	uint32_t cp;
	const char *word;
} emoji_words[] = {
	{0x2639, "sad"},        {0x2764, "love"},       {0x1f389, "celebrate"},
	{0x1f44d, "good"},      {0x1f44e, "bad"},       {0x1f44f, "applause"},
	{0x1f494, "heartbroken"}, {0x1f495, "love"},    {0x1f496, "love"},
	{0x1f497, "love"},      {0x1f499, "love"},      {0x1f49a, "love"},
	{0x1f49b, "love"},      {0x1f49c, "love"},      {0x1f4a9, "crap"},
	{0x1f4af, "perfect"},   {0x1f600, "grin"},      {0x1f601, "grin"},
	{0x1f602, "laughing"},  {0x1f603, "happy"},     {0x1f604, "happy"},
	{0x1f606, "laughing"},  {0x1f60a, "smile"},     {0x1f60d, "love"},
	{0x1f612, "annoyed"},   {0x1f618, "kiss"},      {0x1f61e, "sad"},
	{0x1f620, "angry"},     {0x1f621, "angry"},     {0x1f622, "cry"},
	{0x1f624, "frustrated"}, {0x1f62d, "cry"},      {0x1f641, "sad"},
	{0x1f642, "smile"},     {0x1f64c, "celebrate"}, {0x1f923, "laughing"},
	{0x1f92c, "angry"},     {0x1f92e, "puke"},      {0x1f970, "love"},
};

/* ---- the lexicon: one hash table of folded keys --------------------- */

/* Words the rules look for, so that a test is one comparison. */
enum {
	SP_NONE, SP_NO, SP_OR, SP_NOR, SP_KIND, SP_OF, SP_NEVER, SP_SO, SP_THIS, SP_WITHOUT,
	SP_DOUBT, SP_LEAST, SP_AT, SP_VERY, SP_BUT
};

static const char *const special_words[] = {
	"", "no", "or", "nor", "kind", "of", "never", "so", "this", "without", "doubt",
	"least", "at", "very", "but",
};

struct lent {
	uint64_t h;
	uint32_t key;      /* offset of the key in the arena; 0: empty slot */
	uint16_t klen;
	uint8_t has_v;     /* in the lexicon proper */
	uint8_t neg;       /* a negation word */
	uint8_t special;   /* SP_* */
	uint8_t idiom;     /* part of a special case or booster n-gram */
	float v;           /* valence */
	float booster;     /* 0, B_INCR or B_DECR */
};

struct kudos_sentiment {
	struct lent *slot;
	size_t nslot, used, n;
	char *arena;
	size_t alen, acap;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static const struct lent *lookup(const struct kudos_sentiment *lex, const char *k, size_t n)
{
	if (n == 0 || n > KEY_MAX)
		return NULL;
	uint64_t h = hash_bytes(k, n);
	size_t mask = lex->nslot - 1;
	for (size_t s = (size_t)h & mask; lex->slot[s].key; s = (s + 1) & mask) {
		const struct lent *e = &lex->slot[s];
		if (e->h == h && e->klen == n && memcmp(lex->arena + e->key, k, n) == 0)
			return e;
	}
	return NULL;
}

static int grow_table(struct kudos_sentiment *lex)
{
	size_t nslot = lex->nslot ? lex->nslot * 2 : 16384;
	struct lent *slot = calloc(nslot, sizeof *slot);
	if (!slot)
		return -1;
	for (size_t i = 0; i < lex->nslot; i++) {
		if (!lex->slot[i].key)
			continue;
		size_t s = (size_t)lex->slot[i].h & (nslot - 1);
		while (slot[s].key)
			s = (s + 1) & (nslot - 1);
		slot[s] = lex->slot[i];
	}
	free(lex->slot);
	lex->slot = slot;
	lex->nslot = nslot;
	return 0;
}

/* The entry for key `k`, created (all zero) when missing; NULL when out of
 * memory. */
static struct lent *intern(struct kudos_sentiment *lex, const char *k, size_t n)
{
	if ((lex->used + 1) * 2 > lex->nslot && grow_table(lex))
		return NULL;
	uint64_t h = hash_bytes(k, n);
	size_t mask = lex->nslot - 1, s = (size_t)h & mask;
	for (; lex->slot[s].key; s = (s + 1) & mask) {
		struct lent *e = &lex->slot[s];
		if (e->h == h && e->klen == n && memcmp(lex->arena + e->key, k, n) == 0)
			return e;
	}
	if (lex->alen + n > lex->acap) {
		size_t cap = lex->acap ? lex->acap * 2 : 65536;
		while (cap < lex->alen + n)
			cap *= 2;
		char *a = realloc(lex->arena, cap);
		if (!a)
			return NULL;
		lex->arena = a;
		lex->acap = cap;
	}
	memcpy(lex->arena + lex->alen, k, n);
	lex->slot[s] = (struct lent){.h = h, .key = (uint32_t)lex->alen, .klen = (uint16_t)n};
	lex->alen += n;
	lex->used++;
	return &lex->slot[s];
}

/* Folded UTF-8 of code points [a, b) of `f`, spaces collapsed to one.
 * RETURN VALUE its length, 0 when empty or longer than KEY_MAX. */
static size_t encode_key(const struct kudos_fold *f, size_t a, size_t b, char key[KEY_MAX + 4])
{
	size_t n = 0;
	int space = 0;
	for (size_t i = a; i < b; i++) {
		uint32_t c = f->cp[i];
		if (kudos_fold_cc(c) == KUDOS_CC_SPACE) {
			space = n > 0;
			continue;
		}
		if (space) {
			key[n++] = ' ';
			space = 0;
		}
		if (c < 0x80) {
			key[n++] = (char)c;
		} else {
			if (n + 4 > KEY_MAX)
				return 0;
			n += (size_t)utf8proc_encode_char((utf8proc_int32_t)c,
			                                  (utf8proc_uint8_t *)key + n);
		}
		if (n > KEY_MAX)
			return 0;
	}
	return n;
}

/* A fixed word (already folded ASCII) into the table. */
static struct lent *intern_word(struct kudos_sentiment *lex, const char *w)
{
	return intern(lex, w, strlen(w));
}

struct kudos_sentiment *kudos_sentiment_parse(const char *data, size_t len, const char *name,
                                              struct kudos_error *err)
{
	struct kudos_sentiment *lex = calloc(1, sizeof *lex);
	struct kudos_fold f;
	kudos_fold_init(&f);
	if (!lex)
		goto oom;
	lex->alen = 1; /* offset 0 of the arena means "empty slot" */

	size_t i = 0, lineno = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && data[end] != '\n')
			end++;
		lineno++;
		size_t a = i;
		i = end + 1;
		if (end > a && data[end - 1] == '\r')
			end--;
		if (a == end)
			continue;
		const char *tab = memchr(data + a, '\t', end - a);
		if (!tab || tab == data + a) {
			kudos_fail(err, KUDOS_EXIT_INPUT,
			           "%s:%zu: expected \"token<TAB>valence\"", name, lineno);
			goto fail;
		}
		char num[32];
		size_t nl = 0;
		for (const char *p = tab + 1; p < data + end && *p != '\t' && nl < sizeof num - 1; p++)
			num[nl++] = *p;
		num[nl] = '\0';
		char *stop;
		double v = strtod(num, &stop);
		if (nl == 0 || *stop != '\0' || !isfinite(v) || v < -4.0 || v > 4.0) {
			kudos_fail(err, KUDOS_EXIT_INPUT,
			           "%s:%zu: the valence \"%s\" is not a number from -4 to 4", name,
			           lineno, num);
			goto fail;
		}
		if (kudos_fold(&f, data + a, (size_t)(tab - (data + a))))
			goto oom;
		char key[KEY_MAX + 4];
		size_t kl = encode_key(&f, 0, f.n, key);
		if (kl == 0)
			continue; /* nothing a token could ever fold to */
		struct lent *e = intern(lex, key, kl);
		if (!e)
			goto oom;
		if (!e->has_v)
			lex->n++;
		e->has_v = 1;
		e->v = (float)v;
	}
	for (size_t k = 0; k < sizeof negations / sizeof *negations; k++) {
		struct lent *e = intern_word(lex, negations[k]);
		if (!e)
			goto oom;
		e->neg = 1;
	}
	for (size_t k = 0; k < sizeof boosters_up / sizeof *boosters_up; k++) {
		struct lent *e = intern_word(lex, boosters_up[k]);
		if (!e)
			goto oom;
		e->booster = (float)B_INCR;
	}
	for (size_t k = 0; k < sizeof boosters_down / sizeof *boosters_down; k++) {
		struct lent *e = intern_word(lex, boosters_down[k]);
		if (!e)
			goto oom;
		e->booster = (float)B_DECR;
	}
	for (size_t k = 1; k < sizeof special_words / sizeof *special_words; k++) {
		struct lent *e = intern_word(lex, special_words[k]);
		if (!e)
			goto oom;
		e->special = (uint8_t)k;
	}
	/* the words of the idioms, one by one */
	static const char *const idioms[] = {"the shit bomb bad ass badass bus stop yeah right kiss",
	                                     "of death to die for beating heart broken just enough",
	                                     "kind sort"};
	for (size_t k = 0; k < sizeof idioms / sizeof *idioms; k++) {
		for (const char *p = idioms[k]; *p;) {
			const char *e = strchr(p, ' ');
			size_t wl = e ? (size_t)(e - p) : strlen(p);
			struct lent *w = intern(lex, p, wl);
			if (!w)
				goto oom;
			w->idiom = 1;
			p += wl + (e != NULL);
		}
	}
	if (lex->n == 0) {
		kudos_fail(err, KUDOS_EXIT_INPUT, "%s: the lexicon has no entries", name);
		goto fail;
	}
	kudos_fold_release(&f);
	return lex;
oom:
	kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
fail:
	kudos_fold_release(&f);
	kudos_sentiment_free(lex);
	return NULL;
}

struct kudos_sentiment *kudos_sentiment_load(const char *path, struct kudos_error *err)
{
	char *data;
	size_t len;
	if (kudos_read_file(path, "sentiment lexicon", &data, &len, err))
		return NULL;
	struct kudos_sentiment *lex = kudos_sentiment_parse(data, len, path, err);
	free(data);
	return lex;
}

void kudos_sentiment_free(struct kudos_sentiment *lex)
{
	if (!lex)
		return;
	free(lex->slot);
	free(lex->arena);
	free(lex);
}

size_t kudos_sentiment_size(const struct kudos_sentiment *lex)
{
	return lex->n;
}

double kudos_sentiment_valence(const struct kudos_sentiment *lex, const char *word, int *found)
{
	struct kudos_fold f;
	kudos_fold_init(&f);
	char key[KEY_MAX + 4];
	size_t kl = 0;
	if (kudos_fold(&f, word, strlen(word)) == 0)
		kl = encode_key(&f, 0, f.n, key);
	kudos_fold_release(&f);
	const struct lent *e = kl ? lookup(lex, key, kl) : NULL;
	if (found)
		*found = e && e->has_v;
	return e && e->has_v ? e->v : 0.0;
}

/* ---- scoring ---------------------------------------------------------- */

struct stok {
	char key[KEY_MAX + 4];
	size_t klen;
	size_t src_a, src_b;  /* source bytes, for the ALL-CAPS test */
	const struct lent *e; /* NULL: unknown word */
	double v;
	int has_v, upper, skip;
};

static int is(const struct stok *t, int special)
{
	return t->e && t->e->special == special;
}

static int idiom(const struct stok *t)
{
	return t->e && t->e->idiom;
}

static int negated(const struct stok *t)
{
	if (t->e && t->e->neg)
		return 1;
	for (size_t i = 0; i + 2 < t->klen; i++)
		if (t->key[i] == 'n' && t->key[i + 1] == '\'' && t->key[i + 2] == 't')
			return 1;
	return 0;
}

static double booster(const struct stok *t)
{
	return t->e ? t->e->booster : 0.0;
}

/* Python's str.isupper(): some cased letter, and no lower-case one. */
static int all_caps(const char *text, size_t a, size_t b)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
	int cased = 0;
	while (a < b) {
		if (p[a] < 0x80) {
			if (p[a] >= 'a' && p[a] <= 'z')
				return 0;
			cased |= p[a] >= 'A' && p[a] <= 'Z';
			a++;
			continue;
		}
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p + a, (utf8proc_ssize_t)(b - a), &c);
		if (k <= 0)
			return 0;
		switch (utf8proc_category(c)) {
		case UTF8PROC_CATEGORY_LU:
		case UTF8PROC_CATEGORY_LT:
			cased = 1;
			break;
		case UTF8PROC_CATEGORY_LL:
			return 0;
		default:
			break;
		}
		a += (size_t)k;
	}
	return cased;
}

/* Whether tokens idx[0..k) joined by single spaces spell `lit`. */
static int seq_is(const struct stok *t, const size_t *idx, int k, const char *lit)
{
	size_t at = 0, n = strlen(lit);
	for (int j = 0; j < k; j++) {
		const struct stok *w = &t[idx[j]];
		if (j > 0) {
			if (at >= n || lit[at] != ' ')
				return 0;
			at++;
		}
		if (n - at < w->klen || memcmp(lit + at, w->key, w->klen) != 0)
			return 0;
		at += w->klen;
	}
	return at == n;
}

static double scalar_inc_dec(const struct stok *w, double valence, int cap_diff)
{
	double scalar = booster(w);
	if (scalar == 0.0)
		return 0.0;
	if (valence < 0)
		scalar = -scalar;
	if (w->upper && cap_diff)
		scalar += valence > 0 ? C_INCR : -C_INCR;
	return scalar;
}

/* vaderSentiment's _negation_check, precedence of its start_i == 2 test
 * included: "so" or "this" just before a word raise it by 1.25 there. */
static double negation_check(double v, const struct stok *t, int start, size_t i)
{
	if (start == 0) {
		if (negated(&t[i - 1]))
			v *= N_SCALAR;
	} else if (start == 1) {
		if (is(&t[i - 2], SP_NEVER) && (is(&t[i - 1], SP_SO) || is(&t[i - 1], SP_THIS)))
			v *= 1.25;
		else if (is(&t[i - 2], SP_WITHOUT) && is(&t[i - 1], SP_DOUBT))
			;
		else if (negated(&t[i - 2]))
			v *= N_SCALAR;
	} else {
		if ((is(&t[i - 3], SP_NEVER) && (is(&t[i - 2], SP_SO) || is(&t[i - 2], SP_THIS))) ||
		    is(&t[i - 1], SP_SO) || is(&t[i - 1], SP_THIS))
			v *= 1.25;
		else if (is(&t[i - 3], SP_WITHOUT) &&
		         (is(&t[i - 2], SP_DOUBT) || is(&t[i - 1], SP_DOUBT)))
			;
		else if (negated(&t[i - 3]))
			v *= N_SCALAR;
	}
	return v;
}

static int special_value(const struct stok *t, const size_t *idx, int k, double *v)
{
	for (int j = 0; j < k; j++)
		if (!idiom(&t[idx[j]]))
			return 0;
	for (size_t s = 0; s < sizeof special_cases / sizeof *special_cases; s++) {
		if (seq_is(t, idx, k, special_cases[s].seq)) {
			*v = special_cases[s].valence;
			return 1;
		}
	}
	return 0;
}

static double special_idioms(double v, const struct stok *t, size_t n, size_t i)
{
	const size_t onezero[] = {i - 1, i}, twoonezero[] = {i - 2, i - 1, i},
		     twoone[] = {i - 2, i - 1}, threetwoone[] = {i - 3, i - 2, i - 1},
		     threetwo[] = {i - 3, i - 2};
	if (!special_value(t, onezero, 2, &v) && !special_value(t, twoonezero, 3, &v) &&
	    !special_value(t, twoone, 2, &v) && !special_value(t, threetwoone, 3, &v))
		special_value(t, threetwo, 2, &v);
	if (n - 1 > i) {
		const size_t zeroone[] = {i, i + 1};
		special_value(t, zeroone, 2, &v);
	}
	if (n - 1 > i + 1) {
		const size_t zeroonetwo[] = {i, i + 1, i + 2};
		special_value(t, zeroonetwo, 3, &v);
	}
	/* booster and dampener n-grams such as "kind of" */
	static const char *const ngrams[] = {"just enough", "kind of", "sort of"};
	if (!idiom(&t[i - 2]))
		return v; /* every n-gram below holds t[i - 2] */
	for (size_t g = 0; g < 3; g++) {
		v += seq_is(t, threetwoone, 3, ngrams[g]) ? B_DECR : 0.0;
		v += seq_is(t, threetwo, 2, ngrams[g]) ? B_DECR : 0.0;
		v += seq_is(t, twoone, 2, ngrams[g]) ? B_DECR : 0.0;
	}
	return v;
}

static double least_check(double v, const struct stok *t, size_t i)
{
	if (i > 1 && !t[i - 1].has_v && is(&t[i - 1], SP_LEAST)) {
		if (!is(&t[i - 2], SP_AT) && !is(&t[i - 2], SP_VERY))
			v *= N_SCALAR;
	} else if (i > 0 && !t[i - 1].has_v && is(&t[i - 1], SP_LEAST)) {
		v *= N_SCALAR;
	}
	return v;
}

static double valence_at(const struct stok *t, size_t n, size_t i, int cap_diff)
{
	if (!t[i].has_v)
		return 0.0;
	double v = t[i].v;
	if (is(&t[i], SP_NO) && i != n - 1 && t[i + 1].has_v)
		v = 0.0;
	if ((i > 0 && is(&t[i - 1], SP_NO)) || (i > 1 && is(&t[i - 2], SP_NO)) ||
	    (i > 2 && is(&t[i - 3], SP_NO) && (is(&t[i - 1], SP_OR) || is(&t[i - 1], SP_NOR))))
		v = t[i].v * N_SCALAR;
	if (t[i].upper && cap_diff)
		v += v > 0 ? C_INCR : -C_INCR;
	for (int start = 0; start < 3; start++) {
		if (i > (size_t)start && !t[i - (size_t)(start + 1)].has_v) {
			double s = scalar_inc_dec(&t[i - (size_t)(start + 1)], v, cap_diff);
			if (start == 1 && s != 0)
				s *= 0.95;
			if (start == 2 && s != 0)
				s *= 0.9;
			v += s;
			v = negation_check(v, t, start, i);
			if (start == 2)
				v = special_idioms(v, t, n, i);
		}
	}
	return least_check(v, t, i);
}

static const char *emoji_word(uint32_t c)
{
	if (c < 0x2600)
		return NULL;
	for (size_t k = 0; k < sizeof emoji_words / sizeof *emoji_words; k++)
		if (emoji_words[k].cp == c)
			return emoji_words[k].word;
	return NULL;
}

static void set_entry(const struct kudos_sentiment *lex, struct stok *t)
{
	t->e = t->klen ? lookup(lex, t->key, t->klen) : NULL;
	t->has_v = t->e && t->e->has_v;
	t->v = t->has_v ? t->e->v : 0.0;
}

/* One whitespace-separated word, VADER style: punctuation stripped from
 * both ends unless that leaves nothing, or leaves one or two characters
 * while the whole is a lexicon entry (":D", "<3"). */
static void word_token(const struct kudos_sentiment *lex, const struct kudos_fold *f,
                       size_t a, size_t b, struct stok *t)
{
	size_t sa = a, sb = b;
	while (sa < sb && kudos_fold_cc(f->cp[sa]) == KUDOS_CC_PUNCT)
		sa++;
	while (sb > sa && kudos_fold_cc(f->cp[sb - 1]) == KUDOS_CC_PUNCT)
		sb--;
	memset(t, 0, sizeof *t);
	if (sb - sa <= 2 && (sa > a || sb < b)) {
		t->klen = encode_key(f, a, b, t->key);
		set_entry(lex, t);
		if (sb == sa || t->has_v)
			goto done;
	}
	a = sa;
	b = sb;
	t->klen = encode_key(f, a, b, t->key);
	set_entry(lex, t);
done:
	t->src_a = f->from[a];
	t->src_b = f->to[b - 1];
}

static size_t tokenize(const struct kudos_sentiment *lex, const char *text,
                       const struct kudos_fold *f, struct stok *t)
{
	size_t n = 0, i = 0;
	while (i < f->n) {
		if (kudos_fold_cc(f->cp[i]) == KUDOS_CC_SPACE) {
			i++;
			continue;
		}
		size_t s = i;
		while (i < f->n && kudos_fold_cc(f->cp[i]) != KUDOS_CC_SPACE) {
			const char *w = emoji_word(f->cp[i]);
			if (w) {
				if (i > s)
					word_token(lex, f, s, i, &t[n++]);
				memset(&t[n], 0, sizeof t[n]);
				t[n].klen = strlen(w);
				memcpy(t[n].key, w, t[n].klen);
				set_entry(lex, &t[n]);
				n++;
				s = i + 1;
			}
			i++;
		}
		if (i > s)
			word_token(lex, f, s, i, &t[n++]);
	}
	for (size_t k = 0; k < n; k++)
		if (t[k].src_b > t[k].src_a)
			t[k].upper = all_caps(text, t[k].src_a, t[k].src_b);
	return n;
}

/* Two-word lexicon entries ("can't stand"): the pair takes the entry's
 * valence on its first word; the second word then counts as neutral. */
static void bigrams(const struct kudos_sentiment *lex, struct stok *t, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (t[i].skip || t[i].klen + 1 + t[i + 1].klen > KEY_MAX)
			continue;
		char key[2 * KEY_MAX + 8];
		memcpy(key, t[i].key, t[i].klen);
		key[t[i].klen] = ' ';
		memcpy(key + t[i].klen + 1, t[i + 1].key, t[i + 1].klen);
		const struct lent *e = lookup(lex, key, t[i].klen + 1 + t[i + 1].klen);
		if (e && e->has_v) {
			t[i].has_v = 1;
			t[i].v = e->v;
			t[i + 1].skip = 1;
		}
	}
}

int kudos_sentiment_score_folded(const struct kudos_sentiment *lex, const char *text,
                                 const struct kudos_fold *f, double *compound, size_t *hits)
{
	*compound = 0.0;
	if (hits)
		*hits = 0;
	if (f->n == 0)
		return 0;
	/* Tokens never outnumber code points. */
	struct stok *t = malloc(f->n * sizeof *t);
	double *sent = malloc(f->n * sizeof *sent);
	if (!t || !sent) {
		free(t);
		free(sent);
		return -1;
	}
	size_t n = tokenize(lex, text, f, t);
	bigrams(lex, t, n);

	size_t upper = 0, found = 0;
	for (size_t i = 0; i < n; i++)
		upper += (size_t)t[i].upper;
	int cap_diff = upper > 0 && upper < n;

	for (size_t i = 0; i < n; i++) {
		sent[i] = 0.0;
		if (t[i].skip)
			continue;
		if (booster(&t[i]) != 0.0)
			continue;
		if (i + 1 < n && is(&t[i], SP_KIND) && is(&t[i + 1], SP_OF))
			continue;
		found += (size_t)t[i].has_v;
		sent[i] = valence_at(t, n, i, cap_diff);
	}
	for (size_t b = 0; b < n; b++) {
		if (!is(&t[b], SP_BUT))
			continue;
		for (size_t i = 0; i < n; i++)
			sent[i] *= i < b ? 0.5 : i > b ? 1.5 : 1.0;
		break;
	}

	double sum = 0.0;
	for (size_t i = 0; i < n; i++)
		sum += sent[i];
	size_t ep = 0, qm = 0;
	for (size_t i = 0; i < f->n; i++) {
		ep += f->cp[i] == '!';
		qm += f->cp[i] == '?';
	}
	double amp = (double)(ep > 4 ? 4 : ep) * 0.292;
	if (qm > 1)
		amp += qm <= 3 ? (double)qm * 0.18 : 0.96;
	if (sum > 0)
		sum += amp;
	else if (sum < 0)
		sum -= amp;
	double c = sum / sqrt(sum * sum + ALPHA);
	*compound = c < -1.0 ? -1.0 : c > 1.0 ? 1.0 : c;
	if (hits)
		*hits = found;
	free(t);
	free(sent);
	return 0;
}

int kudos_sentiment_score(const struct kudos_sentiment *lex, const char *text, size_t len,
                          struct kudos_fold *scratch, double *compound, size_t *hits)
{
	if (kudos_fold(scratch, text, len)) {
		*compound = 0.0;
		if (hits)
			*hits = 0;
		return -1;
	}
	return kudos_sentiment_score_folded(lex, text, scratch, compound, hits);
}

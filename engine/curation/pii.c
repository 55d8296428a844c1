#include "pii.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct found {
	struct kudos_pii *v;
	size_t n, cap;
	int oom;
};

static void add(struct found *fs, int kind, size_t a, size_t b)
{
	if (fs->oom)
		return;
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 8;
		struct kudos_pii *v = realloc(fs->v, cap * sizeof *v);
		if (!v) {
			fs->oom = 1;
			return;
		}
		fs->v = v;
		fs->cap = cap;
	}
	fs->v[fs->n++] = (struct kudos_pii){kind, a, b};
}

static int digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int alnum(unsigned char c)
{
	return digit(c) || alpha(c);
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int ieq_at(const char *s, size_t len, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	if (i > len || len - i < n)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (lower((unsigned char)s[i + k]) != (unsigned char)lit[k])
			return 0;
	return 1;
}

/* ---- e-mail ---------------------------------------------------------- */

static int local_char(unsigned char c)
{
	return alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static int domain_char(unsigned char c)
{
	return alnum(c) || c == '-' || c >= 0x80;
}

/* A domain at s[i]: labels joined by '.' or a bracketed "(dot)" when
 * `disguised`, the last label at least two letters.  RETURN VALUE its end,
 * or 0. */
static size_t domain_at(const char *s, size_t len, size_t i, int disguised)
{
	static const char *const dots[] = {"(dot)", "[dot]", "{dot}"};
	size_t j = i, last = 0;
	int labels = 0;
	for (;;) {
		size_t a = j;
		while (j < len && domain_char((unsigned char)s[j]))
			j++;
		if (j == a)
			return 0;
		labels++;
		last = a;
		size_t k = j;
		if (disguised)
			while (k < len && s[k] == ' ')
				k++;
		size_t next = 0;
		if (k < len && s[k] == '.' && k + 1 < len && domain_char((unsigned char)s[k + 1]))
			next = k + 1;
		for (size_t d = 0; disguised && !next && d < 3; d++)
			if (ieq_at(s, len, k, dots[d]))
				next = k + 5;
		if (!next)
			break;
		if (disguised)
			while (next < len && s[next] == ' ')
				next++;
		j = next;
	}
	if (labels < 2 || j - last < 2)
		return 0;
	for (size_t k = last; k < j; k++)
		if (!alpha((unsigned char)s[k]) && (unsigned char)s[k] < 0x80)
			return 0;
	return j;
}

/* The local part ending at s[end]: RETURN VALUE its start, or `end`. */
static size_t local_before(const char *s, size_t end)
{
	size_t a = end;
	while (a > 0 && local_char((unsigned char)s[a - 1]))
		a--;
	while (a < end && s[a] == '.')
		a++;
	/* "@name@server" is a fediverse handle, not an address */
	if (a < end && a > 0 && s[a - 1] == '@')
		return end;
	return a;
}

static void emails(const char *s, size_t len, struct found *fs)
{
	static const char *const ats[] = {"(at)", "[at]", "{at}"};
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '@' && s[i] != '(' && s[i] != '[' && s[i] != '{')
			continue;
		if (s[i] == '@') {
			size_t a = local_before(s, i), b = domain_at(s, len, i + 1, 0);
			if (a < i && b) {
				add(fs, KUDOS_PII_EMAIL, a, b);
				i = b - 1;
			}
			continue;
		}
		for (size_t k = 0; k < 3; k++) {
			if (!ieq_at(s, len, i, ats[k]))
				continue;
			size_t e = i;
			while (e > 0 && s[e - 1] == ' ')
				e--;
			size_t a = local_before(s, e), d = i + 4;
			while (d < len && s[d] == ' ')
				d++;
			size_t b = domain_at(s, len, d, 1);
			if (a < e && b) {
				add(fs, KUDOS_PII_EMAIL, a, b);
				i = b - 1;
			}
			break;
		}
	}
}

/* ---- phone ----------------------------------------------------------- */

/* Whether a word starting at one of the `n` bytes before `end` (same line)
 * begins with one of `words`; `whole` asks for the whole word. */
static int word_before(const char *s, size_t end, size_t n, const char *const *words,
                       int whole)
{
	size_t a = end > n ? end - n : 0;
	for (size_t i = end; i > a; i--)
		if (s[i - 1] == '\n') {
			a = i;
			break;
		}
	for (size_t i = a; i < end; i++) {
		if (i > 0 && (alpha((unsigned char)s[i - 1]) || (unsigned char)s[i - 1] >= 0x80))
			continue;
		for (size_t w = 0; words[w]; w++) {
			size_t k = strlen(words[w]);
			if (i + k > end || !ieq_at(s, end, i, words[w]))
				continue;
			if (!whole || i + k == end || !alpha((unsigned char)s[i + k]))
				return 1;
		}
	}
	return 0;
}

static const char *const phone_words[] = {
	"tel", "phone", "call", "mobile", "cell", "whatsapp", "sms", "text me", "fax",
	"handy", "telefon", "anruf", "ruf", "mobil", "appel", "portable", "llam", "movil",
	"m\xc3\xb3vil", "celular", "ligue", "ligar", "contact", "kontakt", "reach me",
	"erreichbar", "hotline", "rufnummer", "num\xc3\xa9ro de t", "numero de t", NULL,
};

static const char *const reference_stems[] = {
	"order", "bestell", "auftrag", "commande", "pedido", "encomenda", "ordine", "invoice",
	"rechnung", "factur", "fatura", "tracking", "sendung", "paket", "parcel", "ticket",
	"case", "referen", "kunden", "customer", "account", "konto", "iban", "isbn", "serial",
	"serien", "artikel", "article", "item", "model", "version", "build", "firmware",
	"release", "transaction", "transaktion", "vorgang", "receipt", "beleg", "quittung",
	"booking", "buchung", "reservation", "confirmation", "voucher", "gutschein", "coupon",
	"postal", "postleitzahl", "zip", "member", "mitglied", "lot", "batch", "charge", NULL,
};

static const char *const reference_words[] = {
	"id", "nr", "no", "ref", "rev", "sku", "plz", "ver", "v", "n", "num", NULL,
};

static const char *const currency_words[] = {
	"eur", "euro", "euros", "usd", "dollar", "dollars", "gbp", "chf", "cent", "cents",
	"ct", "kr", "zl", "pln", "sek", "nok", "dkk", "yen", "inr", "aud", "cad", "brl",
	"reais", "mxn", "pesos", "franken", "francs", NULL,
};

static int currency_sign_at(const char *s, size_t len, size_t i)
{
	return s[i] == '$' || ieq_at(s, len, i, "\xe2\x82\xac") /* € */ ||
	       ieq_at(s, len, i, "\xc2\xa3") /* £ */ || ieq_at(s, len, i, "\xc2\xa5"); /* ¥ */
}

/* Money next to the digits [a, b)? */
static int price_context(const char *s, size_t len, size_t a, size_t b)
{
	size_t i = a;
	for (int k = 0; k < 3 && i > 0; k++) {
		i--;
		if (s[i] == ' ')
			continue;
		/* a currency sign ends with one of these bytes */
		if (s[i] == '$' || (unsigned char)s[i] == 0xac || (unsigned char)s[i] == 0xa3 ||
		    (unsigned char)s[i] == 0xa5)
			return 1;
		break;
	}
	size_t j = b;
	while (j < len && s[j] == ' ')
		j++;
	if (j < len && (currency_sign_at(s, len, j) || s[j] == '%'))
		return 1;
	for (size_t w = 0; currency_words[w]; w++) {
		size_t n = strlen(currency_words[w]);
		if (ieq_at(s, len, j, currency_words[w]) &&
		    (j + n == len || !alpha((unsigned char)s[j + n])))
			return 1;
	}
	return 0;
}

struct digits {
	int ngroup;
	int glen[16];
	char sep[16];   /* the separator before group k (k > 0), ' ' for any mix */
	int total;
	int plus, paren;
	int seps_all_dot;
};

static int sep_char(unsigned char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}

/* Read a digit run with separators starting at s[i] (which is '+', '(' or a
 * digit).  RETURN VALUE the end of the last digit, or 0. */
static size_t read_number(const char *s, size_t len, size_t i, struct digits *d)
{
	memset(d, 0, sizeof *d);
	d->seps_all_dot = 1;
	size_t j = i;
	if (s[j] == '+') {
		d->plus = 1;
		j++;
		if (j < len && s[j] == ' ')
			j++;
	}
	if (j < len && s[j] == '(') {
		d->paren = 1;
		j++;
	}
	if (j >= len || !digit((unsigned char)s[j]))
		return 0;
	size_t end = 0;
	while (j < len) {
		size_t a = j;
		while (j < len && digit((unsigned char)s[j]))
			j++;
		if (d->ngroup == 16)
			return 0;
		d->glen[d->ngroup++] = (int)(j - a);
		d->total += (int)(j - a);
		end = j;
		/* up to three separator characters, then more digits */
		size_t k = j;
		char sep = 0;
		int nsep = 0;
		while (k < len && nsep < 3) {
			unsigned char c = (unsigned char)s[k];
			if (sep_char(c)) {
				sep = nsep == 0 ? (char)c : ' ';
				if (c == '(' || c == ')')
					d->paren = 1;
				if (c != '.')
					d->seps_all_dot = 0;
				k++;
			} else if (c == 0xc2 && k + 1 < len && (unsigned char)s[k + 1] == 0xa0) {
				sep = ' ';
				d->seps_all_dot = 0;
				k += 2; /* no-break space */
			} else {
				break;
			}
			nsep++;
		}
		if (nsep == 0 || k >= len || !digit((unsigned char)s[k]))
			break;
		if (nsep > 1 && sep != ' ')
			sep = ' ';
		d->sep[d->ngroup] = sep;
		j = k;
	}
	return end;
}

static int is_thousands_or_decimal(const struct digits *d)
{
	if (d->ngroup == 2 && (d->sep[1] == '.' || d->sep[1] == ',') && d->glen[1] <= 2)
		return 1;
	if (d->ngroup < 2 || d->glen[0] > 3)
		return 0;
	char ts = d->sep[1];
	if (ts != '.' && ts != ',' && ts != ' ')
		return 0;
	int k = 1;
	for (; k < d->ngroup && d->sep[k] == ts && d->glen[k] == 3; k++)
		;
	if (k == d->ngroup)
		return ts != ' ';
	return k == d->ngroup - 1 && d->glen[k] <= 2 && (d->sep[k] == '.' || d->sep[k] == ',') &&
	       d->sep[k] != ts;
}

static int is_date(const struct digits *d)
{
	if (d->ngroup == 2 && d->glen[0] == 4 && d->glen[1] == 4 &&
	    (d->sep[1] == '-' || d->sep[1] == '/'))
		return 1; /* 2019-2024 */
	if (d->ngroup != 3 || !strchr("-./", d->sep[1]) || !strchr("-./", d->sep[2]))
		return 0;
	if (d->glen[0] == 4 && d->glen[1] <= 2 && d->glen[2] <= 2)
		return 1;
	return d->glen[0] <= 2 && d->glen[1] <= 2 && (d->glen[2] == 2 || d->glen[2] == 4);
}

static int is_nanp(const struct digits *d, const char *s, size_t a)
{
	int g0 = 0;
	if (d->ngroup == 4 && d->glen[0] == 1 && s[a + (size_t)d->plus] == '1')
		g0 = 1; /* 1-555-123-4567 */
	if (d->ngroup - g0 != 3 || d->glen[g0] != 3 || d->glen[g0 + 1] != 3 ||
	    d->glen[g0 + 2] != 4)
		return 0;
	return d->sep[g0 + 1] != '/' && d->sep[g0 + 2] != '/';
}

static int phone_shape(const char *s, size_t a, const struct digits *d, int phone_word)
{
	const char *p = s + a;
	while (*p == '+' || *p == '(' || *p == ' ')
		p++;
	if (d->total < 7 || d->total > 15)
		return 0;
	if (d->seps_all_dot && d->ngroup > 1 && !d->plus) {
		/* dotted: versions and IPs, except 555.123.4567 and 06.12.34.56.78 */
		int french = p[0] == '0' && d->ngroup >= 4;
		for (int k = 0; french && k < d->ngroup; k++)
			french = d->glen[k] == 2;
		return is_nanp(d, s, a) || french;
	}
	if (d->plus)
		return d->total >= 8;
	if (p[0] == '0' && p[1] == '0')
		return d->total >= 10;
	if (is_nanp(d, s, a))
		return 1;
	if (p[0] == '0' && d->total >= 9 && d->total <= 12)
		return 1;
	return phone_word;
}

static void phones(const char *s, size_t len, struct found *fs)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!digit(c) && !((c == '+' || c == '(') && i + 1 < len &&
		                   (digit((unsigned char)s[i + 1]) || s[i + 1] == '(' ||
		                    s[i + 1] == ' ')))
			continue;
		if (i > 0) {
			unsigned char p = (unsigned char)s[i - 1];
			if (alnum(p) || p == '#' || p == '_' ||
			    (strchr(".,:/-", (char)p) && p && i > 1 &&
			     digit((unsigned char)s[i - 2])))
				continue;
		}
		struct digits d;
		size_t b = read_number(s, len, i, &d);
		if (!b) {
			continue;
		}
		size_t next = b;
		if (b < len && (alpha((unsigned char)s[b]) || s[b] == '%')) {
			i = b;
			continue;
		}
		int phone_word = word_before(s, i, 40, phone_words, 0);
		int reject = is_thousands_or_decimal(&d) || is_date(&d) || price_context(s, len, i, b);
		if (!reject && !phone_word) {
			size_t k = i;
			while (k > 0 && s[k - 1] == ' ')
				k--;
			reject = (k > 0 && s[k - 1] == '#') ||
			         word_before(s, i, 32, reference_stems, 0) ||
			         word_before(s, i, 12, reference_words, 1);
		}
		if (!reject && phone_shape(s, i, &d, phone_word))
			add(fs, KUDOS_PII_PHONE, i, b);
		i = next;
	}
}

/* ---- street addresses ------------------------------------------------- */

struct ctx {
	const char *s;
	const struct kudos_fold *f;
	struct found *fs;
};

static size_t tlen(const struct ctx *x, size_t t)
{
	return x->f->tok[t].b - x->f->tok[t].a;
}

static uint32_t tcp(const struct ctx *x, size_t t, size_t k)
{
	return x->f->cp[x->f->tok[t].a + k];
}

static int is_word(const struct ctx *x, size_t t)
{
	return t < x->f->ntok && x->f->tok[t].kind == KUDOS_TOK_WORD;
}

static int is_punct(const struct ctx *x, size_t t, uint32_t c)
{
	return t < x->f->ntok && x->f->tok[t].kind == KUDOS_TOK_PUNCT && tlen(x, t) == 1 &&
	       tcp(x, t, 0) == c;
}

static int eq(const struct ctx *x, size_t t, const char *w)
{
	return t < x->f->ntok && kudos_fold_tok_eq(x->f, t, w);
}

static int eq_any(const struct ctx *x, size_t t, const char *const *ws)
{
	for (size_t k = 0; ws[k]; k++)
		if (eq(x, t, ws[k]))
			return 1;
	return 0;
}

static int letters_only(const struct ctx *x, size_t t)
{
	if (!is_word(x, t))
		return 0;
	for (size_t k = 0; k < tlen(x, t); k++)
		if (tcp(x, t, k) < 128 && digit((unsigned char)tcp(x, t, k)))
			return 0;
	return 1;
}

/* A house number: 1 to `maxd` digits and at most one letter (221b, 12a). */
static int house_number(const struct ctx *x, size_t t, size_t maxd)
{
	if (!is_word(x, t))
		return 0;
	size_t n = tlen(x, t), k = 0;
	while (k < n && tcp(x, t, k) < 128 && digit((unsigned char)tcp(x, t, k)))
		k++;
	if (k == 0 || k > maxd)
		return 0;
	return k == n || (k + 1 == n && tcp(x, t, k) >= 'a' && tcp(x, t, k) <= 'z');
}

static int ordinal(const struct ctx *x, size_t t)
{
	if (!is_word(x, t))
		return 0;
	size_t n = tlen(x, t), k = 0;
	while (k < n && tcp(x, t, k) < 128 && digit((unsigned char)tcp(x, t, k)))
		k++;
	if (k == 0 || n - k != 2)
		return 0;
	uint32_t a = tcp(x, t, k), b = tcp(x, t, k + 1);
	return (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
	       (a == 't' && b == 'h');
}

/* Whether the token's first source letter is upper case. */
static int capital(const struct ctx *x, size_t t)
{
	size_t a = x->f->from[x->f->tok[t].a];
	unsigned char b = (unsigned char)x->s[a];
	if (b < 0x80)
		return b >= 'A' && b <= 'Z';
	utf8proc_int32_t c;
	if (utf8proc_iterate((const utf8proc_uint8_t *)x->s + a, 4, &c) <= 0)
		return 0;
	utf8proc_category_t cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

static int ends_with(const struct ctx *x, size_t t, const char *suffix, size_t min_prefix)
{
	size_t n = tlen(x, t), k = strlen(suffix);
	if (n < k + min_prefix)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (tcp(x, t, n - k + i) != (unsigned char)suffix[i])
			return 0;
	return 1;
}

static const char *const en_suffix[] = {
	"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln",
	"drive", "dr", "court", "ct", "way", "place", "pl", "terrace", "crescent", "highway",
	"hwy", "parkway", "pkwy", "square", "sq", NULL,
};

static const char *const compound_suffix[] = {
	"strasse", "str", "weg", "gasse", "allee", "platz", "damm", "ufer", "chaussee", "steig",
	"pfad", "straat", "laan", "gracht", "kade", "plein", "steeg", NULL,
};

static const char *const fr_type_clear[] = {
	"rue", "boulevard", "bd", "bld", "chemin", "impasse", "quai", "allee", NULL,
};

static const char *const fr_type_vague[] = {
	"avenue", "av", "route", "place", "cours", "square", NULL,
};

static const char *const fr_particles[] = {"de", "du", "des", "la", "le", "d", "l", NULL};

static const char *const romance_type[] = {
	"calle", "avenida", "avda", "plaza", "paseo", "camino", "carrera", "rua", "travessa",
	"praca", "estrada", "alameda", "via", "viale", "piazza", "corso", "largo", "vicolo",
	"rambla", "ronda", "carrer", "passeig", NULL,
};

static const char *const romance_particles[] = {
	"de", "del", "la", "las", "los", "da", "do", "dos", "das", "di", "della", "dei",
	"delle", "e", "y", "el", NULL,
};

static const char *const number_words[] = {"n", "no", "nr", "num", "numero", NULL};

static void add_tokens(struct found *fs, const struct ctx *x, size_t first, size_t last)
{
	add(fs, KUDOS_PII_ADDRESS, kudos_fold_tok_start(x->f, first),
	    kudos_fold_tok_end(x->f, last));
}

/* After the name of a street: an optional ',' and "no."/"nº", then a house
 * number.  RETURN VALUE its token, or 0. */
static size_t number_after(const struct ctx *x, size_t t)
{
	if (is_punct(x, t, ','))
		t++;
	if (eq_any(x, t, number_words)) {
		t++;
		if (is_punct(x, t, '.'))
			t++;
	}
	return house_number(x, t, 5) ? t : 0;
}

static int ascii_in(uint32_t c, const char *set)
{
	return c && c < 128 && strchr(set, (int)c);
}

/* German and Dutch (Hauptstraße 5, Berliner Str. 12a), then Spanish,
 * Portuguese and Italian (Calle Mayor 5, Rua Augusta, 123) addresses at
 * token t, a capitalised word.  RETURN VALUE the last token, or 0. */
static size_t street_first(const struct ctx *x, size_t t, uint32_t c0)
{
	struct found *fs = x->fs;
	if (letters_only(x, t)) {
		int compound = 0;
		for (size_t k = 0; compound_suffix[k] && !compound; k++)
			compound = ends_with(x, t, compound_suffix[k], 3);
		int separate = (eq(x, t, "strasse") || eq(x, t, "str") || eq(x, t, "straat")) &&
		               t > 0 && letters_only(x, t - 1) && capital(x, t - 1);
		size_t k = t + 1;
		if (is_punct(x, k, '.'))
			k++;
		if ((compound || separate) && house_number(x, k, 4)) {
			add_tokens(fs, x, separate ? t - 1 : t, k);
			return k;
		}
	}
	int slash = c0 == 'c' && eq(x, t, "c") && is_punct(x, t + 1, '/');
	if (!slash && !(tlen(x, t) <= 8 && ascii_in(c0, "acelprtv") && eq_any(x, t, romance_type)))
		return 0;
	size_t k = t + 1 + (size_t)slash, names = 0;
	while (names < 6 && letters_only(x, k) &&
	       (capital(x, k) || eq_any(x, k, romance_particles))) {
		names++;
		k++;
	}
	size_t num = names ? number_after(x, k) : 0;
	if (num)
		add_tokens(fs, x, t, num);
	return num;
}

static void addresses(const char *s, const struct kudos_fold *f, struct found *fs)
{
	struct ctx x = {s, f, fs};
	size_t n = f->ntok;
	for (size_t t = 0; t < n; t++) {
		/* English: 221B Baker Street, 350 5th Ave */
		if (house_number(&x, t, 5) &&
		    !(t > 0 && (is_punct(&x, t - 1, '$') || is_punct(&x, t - 1, '#')))) {
			size_t k = t + 1, names = 0;
			while (names < 4 && is_word(&x, k) && !eq_any(&x, k, en_suffix) &&
			       ((letters_only(&x, k) && capital(&x, k)) || ordinal(&x, k))) {
				names++;
				k++;
			}
			if (names && eq_any(&x, k, en_suffix) && (letters_only(&x, k))) {
				add_tokens(fs, &x, t, k);
				t = k;
				continue;
			}
			/* French: 12 rue de la Paix, 5, avenue Foch */
			k = t + 1;
			if (is_punct(&x, k, ','))
				k++;
			if (eq(&x, k, "bis") || eq(&x, k, "ter"))
				k++;
			int clear = eq_any(&x, k, fr_type_clear), vague = eq_any(&x, k, fr_type_vague);
			if ((clear && is_word(&x, k + 1) && letters_only(&x, k + 1)) ||
			    (vague && is_word(&x, k + 1) &&
			     (capital(&x, k + 1) || eq_any(&x, k + 1, fr_particles)))) {
				size_t e = k + 1;
				while (eq_any(&x, e, fr_particles) && is_word(&x, e + 1))
					e++;
				if (is_punct(&x, e + 1, '\'') && is_word(&x, e + 2))
					e += 2;
				add_tokens(fs, &x, t, e);
				t = e;
				continue;
			}
		}
		uint32_t c0 = tcp(&x, t, 0);
		/* the patterns below start with a capital letter */
		if (is_word(&x, t) && capital(&x, t)) {
			size_t e = street_first(&x, t, c0);
			if (e) {
				t = e;
				continue;
			}
		}
		/* P.O. Box 123, Postfach 10 02 03, Apartado 123, Caixa Postal 45 */
		if (!is_word(&x, t) || !ascii_in(c0, "pac"))
			continue;
		size_t box = 0;
		if (eq(&x, t, "p") && is_punct(&x, t + 1, '.') && eq(&x, t + 2, "o") &&
		    is_punct(&x, t + 3, '.') && eq(&x, t + 4, "box"))
			box = t + 5;
		else if (eq(&x, t, "po") && eq(&x, t + 1, "box"))
			box = t + 2;
		else if (eq(&x, t, "postfach") || eq(&x, t, "apartado"))
			box = t + 1;
		else if (eq(&x, t, "caixa") && eq(&x, t + 1, "postal"))
			box = t + 2;
		if (box && house_number(&x, box, 8)) {
			add_tokens(fs, &x, t, box);
			t = box;
		}
	}
}

/* ---- all together ----------------------------------------------------- */

static int by_start(const void *a, const void *b)
{
	const struct kudos_pii *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

int kudos_pii_scan(const char *text, size_t len, struct kudos_fold *scratch,
                   struct kudos_pii *hits, size_t max)
{
	if (kudos_fold(scratch, text, len))
		return -1;
	return kudos_pii_scan_folded(text, len, scratch, hits, max);
}

int kudos_pii_scan_folded(const char *text, size_t len, const struct kudos_fold *f,
                          struct kudos_pii *hits, size_t max)
{
	struct found fs = {0};
	emails(text, len, &fs);
	phones(text, len, &fs);
	addresses(text, f, &fs);
	if (fs.oom) {
		free(fs.v);
		return -1;
	}
	if (fs.n > 1)
		qsort(fs.v, fs.n, sizeof *fs.v, by_start);
	size_t n = 0, end = 0;
	for (size_t i = 0; i < fs.n; i++) {
		if (n > 0 && fs.v[i].start < end)
			continue; /* inside an earlier finding */
		if (n < max)
			hits[n] = fs.v[i];
		n++;
		end = fs.v[i].end;
	}
	free(fs.v);
	return (int)n;
}

const char *kudos_pii_kind_name(int kind)
{
	switch (kind) {
	case KUDOS_PII_EMAIL:
		return "email";
	case KUDOS_PII_PHONE:
		return "phone";
	case KUDOS_PII_ADDRESS:
		return "address";
	default:
		return "?";
	}
}

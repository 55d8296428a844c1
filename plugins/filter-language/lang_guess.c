#include "lang_guess.h"

#include <math.h>
#include <string.h>
#include <utf8proc.h>

/* Scripts, by the blocks their letters live in.  Han and kana are kept
 * apart here and weighed together (Japanese writes both). */
enum script {
	S_LATN, S_GREK, S_CYRL, S_ARMN, S_HEBR, S_ARAB, S_DEVA, S_BENG, S_GURU, S_GUJR,
	S_ORYA, S_TAML, S_TELU, S_KNDA, S_MLYM, S_SINH, S_THAI, S_LAOO, S_TIBT, S_MYMR,
	S_GEOR, S_HANG, S_ETHI, S_KHMR, S_KANA, S_HANI, S_OTHER, S_COUNT_
};

static const char *const script_code[S_COUNT_] = {
	"Latn", "Grek", "Cyrl", "Armn", "Hebr", "Arab", "Deva", "Beng", "Guru", "Gujr",
	"Orya", "Taml", "Telu", "Knda", "Mlym", "Sinh", "Thai", "Laoo", "Tibt", "Mymr",
	"Geor", "Hang", "Ethi", "Khmr", "Jpan", "Hani", NULL,
};

/* The language a script is written in, where one script means one
 * language closely enough; L_COUNT_ where words must decide. */
static const struct {
	enum script script;
	const char *language;
	double weight; /* < 1 where other languages share the script */
} script_language[] = {
	{S_GREK, "el", 1},   {S_ARMN, "hy", 1},   {S_HEBR, "he", 0.95}, {S_GEOR, "ka", 1},
	{S_HANG, "ko", 1},   {S_THAI, "th", 1},   {S_LAOO, "lo", 1},    {S_TIBT, "bo", 0.9},
	{S_MYMR, "my", 0.95}, {S_KHMR, "km", 1},  {S_ETHI, "am", 0.8},  {S_SINH, "si", 1},
	{S_TAML, "ta", 1},   {S_TELU, "te", 1},   {S_KNDA, "kn", 1},    {S_MLYM, "ml", 1},
	{S_GUJR, "gu", 1},   {S_GURU, "pa", 1},   {S_BENG, "bn", 0.9},  {S_DEVA, "hi", 0.8},
	{S_ORYA, "or", 1},   {S_KANA, "ja", 1},   {S_HANI, "zh", 0.9},
};

static const struct {
	uint32_t lo, hi;
	enum script s;
} ranges[] = {
	{0x0041, 0x005A, S_LATN}, {0x0061, 0x007A, S_LATN}, {0x00AA, 0x00AA, S_LATN},
	{0x00BA, 0x00BA, S_LATN}, {0x00C0, 0x02AF, S_LATN}, {0x0370, 0x03FF, S_GREK},
	{0x0400, 0x052F, S_CYRL}, {0x0530, 0x058F, S_ARMN}, {0x0590, 0x05FF, S_HEBR},
	{0x0600, 0x06FF, S_ARAB}, {0x0750, 0x077F, S_ARAB}, {0x08A0, 0x08FF, S_ARAB},
	{0x0900, 0x097F, S_DEVA}, {0x0980, 0x09FF, S_BENG}, {0x0A00, 0x0A7F, S_GURU},
	{0x0A80, 0x0AFF, S_GUJR}, {0x0B00, 0x0B7F, S_ORYA}, {0x0B80, 0x0BFF, S_TAML},
	{0x0C00, 0x0C7F, S_TELU}, {0x0C80, 0x0CFF, S_KNDA}, {0x0D00, 0x0D7F, S_MLYM},
	{0x0D80, 0x0DFF, S_SINH}, {0x0E00, 0x0E7F, S_THAI}, {0x0E80, 0x0EFF, S_LAOO},
	{0x0F00, 0x0FFF, S_TIBT}, {0x1000, 0x109F, S_MYMR}, {0x10A0, 0x10FF, S_GEOR},
	{0x1100, 0x11FF, S_HANG}, {0x1200, 0x139F, S_ETHI}, {0x1780, 0x17FF, S_KHMR},
	{0x1C80, 0x1C8F, S_CYRL}, {0x1C90, 0x1CBF, S_GEOR}, {0x1E00, 0x1EFF, S_LATN},
	{0x1F00, 0x1FFF, S_GREK}, {0x2C60, 0x2C7F, S_LATN}, {0x2D00, 0x2D2F, S_GEOR},
	{0x2DE0, 0x2DFF, S_CYRL}, {0x3040, 0x30FF, S_KANA}, {0x3130, 0x318F, S_HANG},
	{0x31F0, 0x31FF, S_KANA}, {0x3400, 0x4DBF, S_HANI}, {0x4E00, 0x9FFF, S_HANI},
	{0xA640, 0xA69F, S_CYRL}, {0xA720, 0xA7FF, S_LATN}, {0xA960, 0xA97F, S_HANG},
	{0xAB30, 0xAB6F, S_LATN}, {0xAC00, 0xD7FF, S_HANG}, {0xF900, 0xFAFF, S_HANI},
	{0xFB13, 0xFB17, S_ARMN}, {0xFB1D, 0xFB4F, S_HEBR}, {0xFB50, 0xFDFF, S_ARAB},
	{0xFE70, 0xFEFF, S_ARAB}, {0xFF21, 0xFF3A, S_LATN}, {0xFF41, 0xFF5A, S_LATN},
	{0xFF66, 0xFF9F, S_KANA}, {0x20000, 0x3FFFF, S_HANI},
};

static enum script script_of(int32_t cp)
{
	size_t lo = 0, hi = sizeof ranges / sizeof ranges[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((uint32_t)cp < ranges[mid].lo)
			hi = mid;
		else if ((uint32_t)cp > ranges[mid].hi)
			lo = mid + 1;
		else
			return ranges[mid].s;
	}
	return S_OTHER;
}

/* Letters (and, for Spanish, its inverted marks) that only some of a
 * script's candidate languages use.  Each counts once per text, as
 * `weight` telling words. */
static const struct {
	int32_t cp;
	enum lang lang;
	double weight;
} letters[] = {
	{0x00DF, L_DE, 1},   /* ß */
	{0x00F1, L_ES, 1},   /* ñ */
	{0x00BF, L_ES, 1},   /* ¿ */
	{0x00A1, L_ES, 0.5}, /* ¡ */
	{0x00E3, L_PT, 1},   /* ã */
	{0x00F5, L_PT, 1},   /* õ */
	{0x0153, L_FR, 1},   /* œ */
	{0x0105, L_PL, 1},   /* ą */
	{0x0119, L_PL, 1},   /* ę */
	{0x0142, L_PL, 1},   /* ł */
	{0x015B, L_PL, 0.5}, /* ś */
	{0x017C, L_PL, 1},   /* ż */
	{0x017A, L_PL, 0.5}, /* ź */
	{0x011F, L_TR, 1},   /* ğ */
	{0x0131, L_TR, 1},   /* ı */
	{0x015F, L_TR, 1},   /* ş */
	{0x00E5, L_SV, 0.5}, /* å */
	{0x044B, L_RU, 1},   /* ы */
	{0x044D, L_RU, 1},   /* э */
	{0x0451, L_RU, 1},   /* ё */
	{0x0456, L_UK, 1},   /* і (also Belarusian) */
	{0x0457, L_UK, 2},   /* ї */
	{0x0454, L_UK, 2},   /* є */
	{0x0491, L_UK, 2},   /* ґ */
	{0x045E, L_BE, 2},   /* ў */
	{0x0452, L_SR, 2},   /* ђ */
	{0x0458, L_SR, 2},   /* ј (also Macedonian) */
	{0x0459, L_SR, 1},   /* љ (also Macedonian) */
	{0x045A, L_SR, 1},   /* њ (also Macedonian) */
	{0x045B, L_SR, 2},   /* ћ */
	{0x045F, L_SR, 1},   /* џ (also Macedonian) */
	{0x0453, L_MK, 2},   /* ѓ */
	{0x045C, L_MK, 2},   /* ќ */
	{0x0455, L_MK, 2},   /* ѕ */
	{0x044A, L_BG, 0.5}, /* ъ (Russian uses it rarely) */
	{0x0679, L_UR, 2},   /* ٹ */
	{0x0688, L_UR, 2},   /* ڈ */
	{0x0691, L_UR, 2},   /* ڑ */
	{0x06BA, L_UR, 2},   /* ں */
	{0x06D2, L_UR, 2},   /* ے */
	{0x067E, L_FA, 1},   /* پ (also Urdu) */
	{0x0686, L_FA, 1},   /* چ (also Urdu) */
	{0x0698, L_FA, 1},   /* ژ */
	{0x06AF, L_FA, 1},   /* گ (also Urdu) */
	{0x06CC, L_FA, 1},   /* ی (also Urdu) */
	{0x06A9, L_FA, 1},   /* ک (also Urdu) */
	{0x0629, L_AR, 1},   /* ة */
	{0x064A, L_AR, 1},   /* ي */
	{0x0643, L_AR, 1},   /* ك */
	{0x0649, L_AR, 0.5}, /* ى */
};

#define N_LETTERS (sizeof letters / sizeof letters[0])

/* The languages words decide between, per shared script. */
static uint32_t candidates(enum script s)
{
	switch (s) {
	case S_LATN:
		return (1u << L_EN) | (1u << L_DE) | (1u << L_FR) | (1u << L_ES) | (1u << L_IT) |
		       (1u << L_NL) | (1u << L_PT) | (1u << L_SV) | (1u << L_PL) | (1u << L_TR);
	case S_CYRL:
		return (1u << L_RU) | (1u << L_UK) | (1u << L_BG) | (1u << L_SR) | (1u << L_BE) |
		       (1u << L_MK);
	case S_ARAB:
		return (1u << L_AR) | (1u << L_FA) | (1u << L_UR);
	default:
		return 0;
	}
}

/* The language a shared script falls back to when no word tells, and how
 * far to trust that: never enough to set a language by default. */
static enum lang fallback(enum script s, double *trust)
{
	*trust = 0.3;
	return s == S_CYRL ? L_RU : s == S_ARAB ? L_AR : L_COUNT_;
}

static uint32_t word_langs(const struct lang_words *t, const char *w)
{
	uint32_t h = 2166136261u;
	for (const char *p = w; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (size_t i = h & (t->size - 1);; i = (i + 1) & (t->size - 1)) {
		if (!t->slot[i].word[0])
			return 0;
		if (strcmp(t->slot[i].word, w) == 0)
			return t->slot[i].langs;
	}
}

struct tally {
	size_t letters[S_COUNT_], total;
	double hits[L_COUNT_];
	unsigned char seen[N_LETTERS];
};

static void count_word(const struct lang_words *t, struct tally *y, const char *word)
{
	uint32_t langs = word_langs(t, word);
	for (int l = 0; langs && l < L_COUNT_; l++)
		if (langs & (1u << l))
			y->hits[l] += 1;
}

static void note_letter(struct tally *y, int32_t cp)
{
	/* Every telling letter is beyond ASCII, as most letters of a text
	 * are not: skip the table for them. */
	if (cp < 0xA1)
		return;
	for (size_t i = 0; i < N_LETTERS; i++) {
		if (letters[i].cp == cp && !y->seen[i]) {
			y->seen[i] = 1;
			y->hits[letters[i].lang] += letters[i].weight;
		}
	}
}

/* One pass: letters per script, and every word (a run of letters, marks
 * dropped, lowercased) looked up in the word table. */
static void scan(const struct lang_words *t, const char *text, struct tally *y)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
	char word[sizeof t->slot[0].word];
	size_t wlen = 0;
	int too_long = 0;
	for (;;) {
		utf8proc_int32_t cp = 0;
		utf8proc_ssize_t n = *p ? utf8proc_iterate(p, -1, &cp) : 0;
		if (n < 0) { /* an invalid byte: skip it */
			p++;
			continue;
		}
		utf8proc_category_t cat;
		if (cp < 0x80) /* ASCII, most of most texts: no table lookups */
			cat = (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z' ? UTF8PROC_CATEGORY_LL
			                                               : UTF8PROC_CATEGORY_PO;
		else
			cat = utf8proc_category(cp);
		int letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
		if (letter) {
			enum script s = cp < 0x80 ? S_LATN : script_of(cp);
			y->letters[s]++;
			y->total++;
			int32_t lower = cp < 0x80 ? (cp | 0x20) : utf8proc_tolower(cp);
			note_letter(y, lower);
			utf8proc_uint8_t buf[4];
			utf8proc_ssize_t m = utf8proc_encode_char(lower, buf);
			if (wlen + (size_t)m < sizeof word) {
				memcpy(word + wlen, buf, (size_t)m);
				wlen += (size_t)m;
			} else {
				too_long = 1;
			}
		} else if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
		           cat == UTF8PROC_CATEGORY_ME) {
			/* Part of the word (Arabic vowel marks, Indic vowel
			 * signs), but not of how it is listed. */
		} else {
			if (n)
				note_letter(y, cp);
			if (wlen && !too_long) {
				word[wlen] = '\0';
				count_word(t, y, word);
			}
			wlen = 0;
			too_long = 0;
		}
		if (!n)
			break;
		p += n;
	}
}

/* How much evidence `best` telling words are: one is half, two enough. */
static double strength(double best)
{
	return best >= 2 ? 1.0 : best / 2.0;
}

void lang_guess(const struct lang_words *t, const char *text, struct lang_guess *g)
{
	struct tally y;
	memset(&y, 0, sizeof y);
	memset(g, 0, sizeof *g);
	scan(t, text ? text : "", &y);
	if (y.total == 0)
		return;
	/* The dominant script, with Japanese's kanji and kana as one. */
	size_t cjk = y.letters[S_HANI] + y.letters[S_KANA];
	enum script top = S_OTHER;
	size_t top_n = 0;
	for (int s = 0; s < S_OTHER; s++) {
		size_t n = s == S_KANA ? (y.letters[S_KANA] ? cjk : 0)
		           : s == S_HANI ? (y.letters[S_KANA] ? 0 : cjk)
		                         : y.letters[s];
		if (n > top_n) {
			top_n = n;
			top = (enum script)s;
		}
	}
	if (top == S_OTHER)
		return;
	g->script = script_code[top];
	double share = (double)top_n / (double)y.total;

	uint32_t cands = candidates(top);
	if (!cands) {
		for (size_t i = 0; i < sizeof script_language / sizeof script_language[0]; i++) {
			if (script_language[i].script != top)
				continue;
			/* Ideographs and syllable blocks say a word in one or
			 * two characters; alphabets need a few letters. */
			int dense = top == S_HANI || top == S_KANA || top == S_HANG;
			double enough = dense ? 3.0 : 6.0;
			double length = (double)top_n >= enough ? 1.0 : (double)top_n / enough;
			g->language = script_language[i].language;
			g->confidence = share * length * script_language[i].weight;
		}
	} else {
		double best = 0, second = 0;
		enum lang best_l = L_COUNT_;
		for (int l = 0; l < L_COUNT_; l++) {
			if (!(cands & (1u << l)))
				continue;
			if (y.hits[l] > best) {
				second = best;
				best = y.hits[l];
				best_l = (enum lang)l;
			} else if (y.hits[l] > second) {
				second = y.hits[l];
			}
		}
		if (best_l != L_COUNT_) {
			g->language = lang_code[best_l];
			g->confidence = share * (best - second) / best * strength(best);
		} else {
			double trust;
			enum lang l = fallback(top, &trust);
			if (l != L_COUNT_) {
				g->language = lang_code[l];
				g->confidence = share * trust;
			}
		}
	}
	g->confidence = round(g->confidence * 100.0) / 100.0;
	if (g->confidence <= 0)
		g->language = NULL;
}

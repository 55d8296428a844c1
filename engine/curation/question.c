#include "question.h"

#include <string.h>

/* Sentence openers: "first|second|third".  The second (and third) field
 * lists the words allowed there, space-separated; "*" allows anything,
 * including nothing; a third field starting with '!' lists words that
 * must not follow.  Words are folded (lower case, no accents). */
#define AUX_SUBJECTS "you u i we they it this that there he she anyone anybody someone somebody one these those"
#define DE_SUBJECTS "ich man ihr sie es das jemand du wir euch"
#define DE_NOT_QUESTION "!nur jedem wirklich echt absolut bedenkenlos uneingeschrankt sehr immer gut auch jederzeit"
#define FR_SUBJECTS "vous on il elle ils elles je t"

static const char *const rules[] = {
	/* English */
	"why|*", "where|*", "which|*", "whose|*", "whom|*",
	"how|do does did can could should would is are was were much many long often to come far soon big old about",
	"what|is are was were do does did can could should would will about if time kind size happens happened s",
	"who|is are was can could would will do does did knows has have sells makes else",
	"when|is are was will do does did can could should would",
	"can|" AUX_SUBJECTS, "could|" AUX_SUBJECTS, "would|" AUX_SUBJECTS, "will|" AUX_SUBJECTS,
	"should|" AUX_SUBJECTS, "do|" AUX_SUBJECTS, "does|" AUX_SUBJECTS, "did|" AUX_SUBJECTS,
	"is|" AUX_SUBJECTS, "are|" AUX_SUBJECTS, "was|" AUX_SUBJECTS, "were|" AUX_SUBJECTS,
	"has|" AUX_SUBJECTS, "have|" AUX_SUBJECTS, "may|" AUX_SUBJECTS, "might|" AUX_SUBJECTS,
	"shall|" AUX_SUBJECTS,
	"anyone|know knows else tried have has got", "anybody|know knows else tried",
	"any|idea ideas chance way update updates news plans",
	/* German */
	"warum|*", "wieso|*", "weshalb|*", "weswegen|*", "wann|*", "wohin|*", "woher|*",
	"welche|*", "welcher|*", "welches|*", "welchen|*", "welchem|*",
	"wie|lange viel oft kann konnen funktioniert geht macht bekomme komme ist sind teuer gross schnell bekommt kommt",
	"was|ist sind kostet kosten kann muss soll passiert mache machen bedeutet heisst genau",
	"wer|hat kann weiss kennt ist verkauft", "wo|ist sind kann bekomme gibt finde kaufe bekommt",
	"kann|" DE_SUBJECTS "|" DE_NOT_QUESTION, "konnt|" DE_SUBJECTS "|" DE_NOT_QUESTION,
	"konnen|" DE_SUBJECTS "|" DE_NOT_QUESTION, "kannst|" DE_SUBJECTS,
	"konnte|" DE_SUBJECTS "|" DE_NOT_QUESTION, "konnten|" DE_SUBJECTS "|" DE_NOT_QUESTION,
	"gibt|es", "habt|ihr", "haben|sie ihr", "hast|du", "hat|jemand man", "wird|es das",
	"werden|sie die", "muss|ich man", "musst|du", "soll|ich man", "sollte|ich man",
	"darf|ich man", "durfen|wir", "funktioniert|das es", "weiss|jemand", "wisst|ihr",
	"ist|es das " DE_SUBJECTS "|" DE_NOT_QUESTION, "sind|sie die",
	/* French */
	"pourquoi|*",
	"comment|faire puis peut fonctionne ca utiliser on vous est avez obtenir savoir",
	"combien|de coute coutent temps faut ca est", "quel|est sont", "quelle|est sont taille",
	"quels|sont", "quelles|sont", "qui|peut sait a est vend connait",
	"ou|est sont trouver acheter puis peut se",
	"quand|est sera va arrive allez pourrai pourrons sortira", "est|ce", "qu|est",
	"pouvez|" FR_SUBJECTS, "peut|" FR_SUBJECTS, "puis|je", "avez|" FR_SUBJECTS,
	"etes|" FR_SUBJECTS, "faut|il", "allez|" FR_SUBJECTS, "savez|" FR_SUBJECTS,
	"sauriez|" FR_SUBJECTS, "pourriez|" FR_SUBJECTS, "auriez|" FR_SUBJECTS,
	"vendez|" FR_SUBJECTS, "livrez|" FR_SUBJECTS, "existe|t", "y|a|t",
	/* Spanish */
	"por|que", "donde|*", "adonde|*", "cuando|llega llegara sale estara vuelve abren",
	"cual|es son", "cuales|son", "cuanto|cuesta cuestan tiempo tarda vale",
	"cuantos|*", "quien|sabe puede tiene me", "alguien|sabe tiene conoce ha",
	"se|puede", "hay|alguna algun manera forma", "pueden|enviar enviarme ayudar decirme",
	"puedo|pagar devolver cambiar usar", "como|puedo se hago funciona faco posso",
	/* Portuguese */
	"onde|*", "quando|chega vai sai volta", "qual|e sao", "quanto|custa tempo",
	"quem|sabe pode tem", "alguem|sabe tem conhece", "voces|tem vendem entregam fazem",
	"tem|como", "e|possivel", "pode|me", "podem|me",
};

static const char *const fillers[] = {
	"so", "but", "and", "also", "ok", "okay", "hi", "hey", "hello", "hallo", "hola",
	"ola", "bonjour", "salut", "btw", "quick", "question", "just", "um", "well", "sorry",
	"please", "bitte", "und", "aber", "mais", "pero", "mas", NULL,
};

/* Whether `w` (a folded word token) is one of the space-separated `list`,
 * which ends at '|' or '\0'. */
static int in_list(const struct kudos_fold *f, size_t w, const char *list)
{
	const struct kudos_token *t = &f->tok[w];
	size_t n = t->b - t->a;
	const char *p = list;
	while (*p && *p != '|') {
		const char *e = p;
		while (*e && *e != ' ' && *e != '|')
			e++;
		if ((size_t)(e - p) == n) {
			size_t k = 0;
			while (k < n && f->cp[t->a + k] == (unsigned char)p[k])
				k++;
			if (k == n)
				return 1;
		}
		p = *e == ' ' ? e + 1 : e;
	}
	return 0;
}

static int opener(const struct kudos_fold *f, const size_t *w, size_t k)
{
	uint32_t first = f->cp[f->tok[w[0]].a];
	for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
		const char *rule = rules[r];
		if ((unsigned char)rule[0] != first || !in_list(f, w[0], rule))
			continue;
		const char *second = strchr(rule, '|') + 1;
		if (second[0] == '*')
			return 1;
		if (k < 2 || !in_list(f, w[1], second))
			continue;
		const char *third = strchr(second, '|');
		if (!third)
			return 1;
		third++;
		if (third[0] == '!') {
			if (k < 3 || !in_list(f, w[2], third + 1))
				return 1;
		} else if (k >= 3 && in_list(f, w[2], third)) {
			return 1;
		}
	}
	return 0;
}

static int is_mark(const struct kudos_fold *f, size_t t, const char *marks)
{
	const struct kudos_token *k = &f->tok[t];
	return k->kind == KUDOS_TOK_PUNCT && k->b - k->a == 1 && f->cp[k->a] < 128 &&
	       strchr(marks, (int)f->cp[k->a]);
}

static int question_mark(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t u = (s[i] | 0x20) == 'h' || (s[i] | 0x20) == 'w' ? kudos_url_at(s, len, i) : 0;
		if (u) {
			i += u - 1;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		if (c == '?')
			return 1;
		if (c == 0xef && i + 2 < len && (unsigned char)s[i + 1] == 0xbc &&
		    (unsigned char)s[i + 2] == 0x9f)
			return 1; /* ？ */
		if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xbf)
			return 1; /* ¿ */
		if (c == 0xd8 && i + 1 < len && (unsigned char)s[i + 1] == 0x9f)
			return 1; /* ؟ */
	}
	return 0;
}

int kudos_question_like_folded(const char *text, size_t len, const struct kudos_fold *f)
{
	if (question_mark(text, len))
		return 1;
	for (size_t t = 0; t < f->ntok; t++) {
		int start = t == 0;
		if (!start && is_mark(f, t - 1, ".!;:"))
			start = 1;
		/* Two tokens can come from one source character (a decomposed
		 * ligature), so the gap between them may be empty or "negative". */
		if (!start) {
			size_t from = kudos_fold_tok_end(f, t - 1), to = kudos_fold_tok_start(f, t);
			start = to > from && memchr(text + from, '\n', to - from) != NULL;
		}
		if (!start || f->tok[t].kind != KUDOS_TOK_WORD)
			continue;
		/* the sentence's first words; '-' and '\'' join them ("est-ce") */
		size_t w[4], k = 0;
		for (size_t u = t; u < f->ntok && k < 4; u++) {
			if (f->tok[u].kind == KUDOS_TOK_WORD) {
				if (k == 0) {
					int filler = 0;
					for (size_t x = 0; fillers[x] && !filler; x++)
						filler = kudos_fold_tok_eq(f, u, fillers[x]);
					if (filler)
						continue;
				}
				w[k++] = u;
			} else if (k > 0 && is_mark(f, u, "-'")) {
				continue;
			} else if (k == 0 && is_mark(f, u, ",:")) {
				continue; /* "Hi, ..." */
			} else {
				break;
			}
		}
		if (k > 0 && opener(f, w, k))
			return 1;
	}
	return 0;
}

int kudos_question_like(const char *text, size_t len, struct kudos_fold *scratch)
{
	if (question_mark(text, len))
		return 1;
	if (kudos_fold(scratch, text, len))
		return -1;
	return kudos_question_like_folded(text, len, scratch);
}

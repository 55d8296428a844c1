/*
 * What tells languages of one script apart: each language's most frequent
 * words (function words, and the words reviews use most: good, very,
 * thanks, recommend, product, delivery), lowercase and in NFC, and the
 * letters only it uses.  A word several languages share counts for each
 * of them, which narrows the lead and so the confidence: that is the
 * point, not a flaw to fix by pruning.  Texts are split into words at
 * every character that is not a letter, apostrophes included, so "c'est"
 * is looked up as "c" and "est": list no word with an apostrophe.
 */
#include "lang_guess.h"

#include <stdlib.h>
#include <string.h>

const char *const lang_code[L_COUNT_] = {
	[L_EN] = "en", [L_DE] = "de", [L_FR] = "fr", [L_ES] = "es", [L_IT] = "it",
	[L_NL] = "nl", [L_PT] = "pt", [L_SV] = "sv", [L_PL] = "pl", [L_TR] = "tr",
	[L_RU] = "ru", [L_UK] = "uk", [L_BG] = "bg", [L_SR] = "sr", [L_BE] = "be",
	[L_MK] = "mk", [L_AR] = "ar", [L_FA] = "fa", [L_UR] = "ur",
};

/* Space-separated, per language.  Serbian, Belarusian and Macedonian are
 * told by their letters alone (see lang_letters in lang_guess.c). */
static const char *const words[L_COUNT_] = {
	[L_EN] = "the and is it to of a i you my we was this that with for are have has "
	         "not but they very great love good best would will so just all be on in "
	         "at our your me from really product service thanks thank recommend "
	         "highly amazing excellent easy what how do does did can could an as "
	         "one been were awesome loved works worth nice perfect "
	         "fast delivery quality happy",
	[L_DE] = "der die das und ist ich nicht sehr gut gute guter gutes mit auf für ein "
	         "eine einen einem es sie wir zu den dem des von auch war sind haben hat "
	         "bin mein meine aber noch nur schon wie was wirklich toll empfehlen "
	         "empfehlenswert immer kann danke vielen alles schnell schnelle "
	         "lieferung produkt hier man oder bei nach dass wenn sich im am zum zur "
	         "gerne einfach klasse prima bestellt würde",
	[L_FR] = "le la les et est un une des du de je il elle nous vous ils pas ne très "
	         "bien bon bonne pour avec dans sur que qui mais ou mon ma mes ce cette "
	         "été était sont ai avons merci produit service recommande recommander "
	         "parfait tout toujours plus aussi au aux en chez vraiment rapide "
	         "livraison qualité adore excellent génial",
	[L_ES] = "el la los las y es un una de del que en muy bien bueno buena buen con "
	         "para por no lo me mi mis su se al pero más como está están son fue "
	         "todo gracias producto servicio recomiendo recomendable excelente "
	         "genial siempre también ya hay esto este esta nos yo tengo calidad "
	         "rápido envío encanta perfecto",
	[L_IT] = "il lo la i gli le e è un una uno di del della che non molto bene buono "
	         "buona con per sono ho ha abbiamo mi ma come anche più tutto tutti "
	         "grazie prodotto servizio consiglio consigliato ottimo ottima perfetto "
	         "sempre questo questa da in al alla nel nella si qualità veloce "
	         "spedizione davvero bellissimo",
	[L_NL] = "de het een en is van ik niet zeer heel goed goede met voor op te dat "
	         "die dit wij we ze zijn was hebben heb heeft maar ook nog erg mijn ons "
	         "onze bedankt dank product service aanrader altijd snel snelle "
	         "levering prima echt wel geen er bij naar om als kan wat hoe super "
	         "tevreden geleverd",
	[L_PT] = "o a os as e é um uma de do da dos das que não muito bem bom boa com para "
	         "por em no na nos nas eu meu minha se mas mais como está são foi tudo "
	         "obrigado obrigada produto serviço recomendo excelente ótimo ótima "
	         "sempre também já isso este esta você qualidade rápido entrega ao "
	         "adorei perfeito",
	[L_SV] = "och är det att en ett jag inte mycket bra med för på som har var vi de "
	         "den till av men också min mitt tack produkt rekommenderar alltid snabb "
	         "leverans om så kan från hade vara ni väldigt nöjd",
	[L_PL] = "i w z na nie jest to się że do bardzo dobry dobra dobrze polecam jak "
	         "ale co tak mi mnie ja od po za o są był była dziękuję produkt szybko "
	         "szybka dostawa wszystko jestem też czy super",
	[L_TR] = "ve bir bu çok iyi için ile de da ben biz değil gibi ama daha en "
	         "teşekkürler teşekkür ederim ürün harika güzel tavsiye hızlı kargo her "
	         "şey var yok mi olarak kadar sonra gerçekten memnun",
	[L_RU] = "и в не на я что это с он как очень но по мы все всё так у за от "
	         "хороший хорошо отличный отлично спасибо рекомендую товар доставка был "
	         "была было есть мне меня его она они уже только ещё еще для до из же "
	         "бы вы если качество быстро",
	[L_UK] = "і й в у не на я що це з він як дуже але по ми все так за від добре "
	         "добрий чудовий чудово дякую рекомендую товар доставка був була було є "
	         "мені мене його вона вони вже тільки ще для до із же би ви якщо якість "
	         "швидко",
	[L_BG] = "и в не на аз че това с той как много но по ние всичко така за от добър "
	         "добре отличен благодаря препоръчвам продукт доставка беше има ми мен "
	         "го тя те вече само още да се ще е качество бързо",
	[L_AR] = "في من على إلى عن مع هذا هذه كان أن لا ما جدا شكرا ممتاز جميل رائع "
	         "المنتج الخدمة أنا هو هي كل",
	[L_FA] = "و در به از که این را با است برای خیلی خوب ممنون من ما بود هم عالی",
	[L_UR] = "اور ہے کے کی میں سے کو یہ بہت اچھا شکریہ نہیں ہیں تھا",
};

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int insert(struct lang_words *t, const char *w, size_t n, enum lang l)
{
	char key[sizeof t->slot[0].word];
	if (n == 0 || n >= sizeof key)
		return 0; /* not listable: never matches, so leave it out */
	memcpy(key, w, n);
	key[n] = '\0';
	for (size_t i = fnv1a(key) & (t->size - 1);; i = (i + 1) & (t->size - 1)) {
		if (!t->slot[i].word[0]) {
			memcpy(t->slot[i].word, key, n + 1);
			t->slot[i].langs = 1u << l;
			return 0;
		}
		if (strcmp(t->slot[i].word, key) == 0) {
			t->slot[i].langs |= 1u << l;
			return 0;
		}
	}
}

int lang_words_build(struct lang_words *t)
{
	size_t count = 0;
	for (int l = 0; l < L_COUNT_; l++)
		for (const char *p = words[l]; p && *p; p++)
			count += *p == ' ';
	count += L_COUNT_;
	/* At most half full, so probes stay short. */
	for (t->size = 64; t->size < count * 2; t->size *= 2)
		;
	if (!(t->slot = calloc(t->size, sizeof *t->slot)))
		return -1;
	for (int l = 0; l < L_COUNT_; l++) {
		for (const char *p = words[l]; p && *p;) {
			size_t n = strcspn(p, " ");
			insert(t, p, n, (enum lang)l);
			p += n + (p[n] == ' ');
		}
	}
	return 0;
}

void lang_words_free(struct lang_words *t)
{
	free(t->slot);
	t->slot = NULL;
	t->size = 0;
}

/*
 * The first-party language filter (plugins/filter-language), loaded with
 * dlopen like kudos loads it and run through the engine's filter call on
 * texts in many languages and scripts, short and empty ones included; and
 * through the binary, a job whose rules use the language it fills in, and
 * English sentiment kept off the items it finds are not English.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "helpers.h"
#include "instance.h"
#include "job.h"
#include "leakcheck.h"
#include "loader.h"

static void setup(void)
{
	cr_assert_geq(sodium_init(), 0);
}

TestSuite(language, .init = setup);

struct guesser {
	char *dir;
	struct kudos_job job;
	struct kudos_plugin_lib *lib;
	struct kudos_instance *in;
};

/* The plugin with the job entry's extra settings ("" for none). */
static void guesser_up(struct guesser *g, const char *settings)
{
	struct kudos_error err = {0};
	char json[256];
	g->dir = kt_tmpdir();
	snprintf(json, sizeof json, "{\"name\": \"l\", \"filters\": [{\"plugin\": \"language\"%s}]}",
	         settings);
	char *job = kt_job(g->dir, json);
	cr_assert_eq(kudos_job_load(job, &g->job, &err), 0, "%s", err.msg);
	free(job);
	cr_assert_eq(kudos_plugin_open(KT_PLUGINS "/filter-language.so", &g->lib, &err), 0, "%s",
	             err.msg);
	cr_assert_eq(g->lib->desc.kind, KUDOS_PLUGIN_FILTER);
	cr_assert_eq(kudos_instance_new(g->lib, &g->job, &g->job.filters[0], NULL, &g->in, &err), 0,
	             "%s", err.msg);
	g->in->verbosity = 0;
	cr_assert_eq(kudos_instance_init(g->in, &err), 0, "%s", err.msg);
}

static void guesser_down(struct guesser *g)
{
	kudos_instance_free(g->in);
	kudos_plugin_close(g->lib);
	kudos_job_free(&g->job);
	kt_rmtree(g->dir);
	free(g->dir);
}

struct verdict {
	char language[16];  /* what the item's language is afterwards ("" none) */
	double confidence;  /* -1: no score */
	char tags[128];     /* "script:Latn lang:de" */
	char flags[64];
};

static struct verdict judge(struct guesser *g, const char *text, const char *given)
{
	struct verdict v = {.confidence = -1};
	struct kudos_item *it = kudos_item_new("t", "1");
	cr_assert_not_null(it);
	cr_assert_eq(kudos_item_put(it, KUDOS_FIELD_TEXT, text), 0);
	cr_assert_eq(kudos_item_put(it, KUDOS_FIELD_LANGUAGE, given), 0);
	cJSON *found = NULL, *e;
	cr_assert_eq(kudos_filter_apply(g->in, it, &found), KUDOS_OK, "on \"%s\": %s", text,
	             g->in->error);
	if (it->field[KUDOS_FIELD_LANGUAGE])
		snprintf(v.language, sizeof v.language, "%s", it->field[KUDOS_FIELD_LANGUAGE]);
	const cJSON *score = cJSON_GetObjectItem(cJSON_GetObjectItem(found, "scores"), "confidence");
	if (score) {
		v.confidence = score->valuedouble;
		cr_assert(v.confidence > 0 && v.confidence <= 1, "confidence %g", v.confidence);
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(found, "tags"))
	{
		if (v.tags[0])
			strcat(v.tags, " ");
		strcat(v.tags, e->valuestring);
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(found, "flags"))
	{
		if (v.flags[0])
			strcat(v.flags, " ");
		strcat(v.flags, e->string);
	}
	cJSON_Delete(found);
	kudos_item_free(it);
	return v;
}

/* Review-length texts, one language each: the guess and its script. */
static const char *const clear_cases[][3] = {
	{"The grinder is quiet and the coffee tastes great, highly recommend it.", "en", "Latn"},
	{"Sehr gutes Produkt, schnelle Lieferung und der Kaffee schmeckt wirklich toll.", "de",
	 "Latn"},
	{"Très bon produit, la livraison était rapide et je le recommande à tous.", "fr", "Latn"},
	{"Muy buen producto, llegó rápido y lo recomiendo a todos mis amigos.", "es", "Latn"},
	{"Prodotto ottimo, spedizione veloce e il caffè è davvero buono.", "it", "Latn"},
	{"Zeer goede molen, snel geleverd en de koffie is echt heel lekker.", "nl", "Latn"},
	{"Produto muito bom, a entrega foi rápida e eu recomendo.", "pt", "Latn"},
	{"Väldigt bra kvarn, snabb leverans och jag är mycket nöjd.", "sv", "Latn"},
	{"Bardzo dobry młynek, szybka dostawa, polecam wszystkim.", "pl", "Latn"},
	{"Çok güzel bir ürün, kargo hızlı geldi, teşekkürler.", "tr", "Latn"},
	{"最高のコーヒーミルです。毎朝使っています。", "ja", "Jpan"},
	{"这个咖啡机非常好用，我每天都用。", "zh", "Hani"},
	{"정말 좋은 커피 그라인더입니다. 매일 사용해요.", "ko", "Hang"},
	{"Отличный товар, очень доволен покупкой, спасибо!", "ru", "Cyrl"},
	{"Чудовий товар, дуже задоволений, дякую за швидку доставку!", "uk", "Cyrl"},
	{"Много добър продукт, благодаря за бързата доставка!", "bg", "Cyrl"},
	{"منتج ممتاز جدا، شكرا على التوصيل السريع", "ar", "Arab"},
	{"این محصول خیلی خوب است، ممنون از ارسال سریع", "fa", "Arab"},
	{"یہ پروڈکٹ بہت اچھا ہے، شکریہ", "ur", "Arab"},
	{"Εξαιρετικό προϊόν, πολύ γρήγορη παράδοση.", "el", "Grek"},
	{"מוצר מעולה, משלוח מהיר מאוד.", "he", "Hebr"},
	{"สินค้าดีมาก ส่งเร็ว ประทับใจครับ", "th", "Thai"},
	{"बहुत अच्छा उत्पाद है, जल्दी डिलीवरी हुई।", "hi", "Deva"},
	{"Շատ լավ ապրանք է, շնորհակալություն", "hy", "Armn"},
	{"ძალიან კარგი პროდუქტია, გმადლობთ", "ka", "Geor"},
};

Test(language, clear_texts_in_many_languages_and_scripts)
{
	struct guesser g;
	guesser_up(&g, "");
	for (size_t i = 0; i < sizeof clear_cases / sizeof clear_cases[0]; i++) {
		const char *text = clear_cases[i][0], *want = clear_cases[i][1];
		struct verdict v = judge(&g, text, NULL);
		cr_assert_str_eq(v.language, want, "\"%s\": guessed '%s' (%.2f), want %s", text,
		                 v.language, v.confidence, want);
		cr_assert_geq(v.confidence, 0.5, "\"%s\": confidence %.2f", text, v.confidence);
		char tags[64];
		snprintf(tags, sizeof tags, "script:%s lang:%s", clear_cases[i][2], want);
		cr_assert_str_eq(v.tags, tags, "\"%s\"", text);
		cr_assert_str_eq(v.flags, "");
	}
	guesser_down(&g);
	KT_ASSERT_NO_LEAKS();
}

/* Short, empty and letterless texts: no guess rather than a wrong one. */
Test(language, short_and_letterless_texts_get_no_language)
{
	struct guesser g;
	guesser_up(&g, "");
	static const char *const none[] = {
		"",           /* empty */
		"👍👍👍",     /* emoji only */
		"5/5 !!! :-)", /* digits and punctuation */
		"Ok",         /* no telling word */
		"No",         /* es, it, pt alike: a tie */
		"Super",      /* everyone's word */
		"Привет",     /* Cyrillic, no telling word: ru is only a hunch */
	};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		struct verdict v = judge(&g, none[i], NULL);
		cr_assert_str_eq(v.language, "", "\"%s\" got language %s (%.2f)", none[i], v.language,
		                 v.confidence);
		cr_assert_null(strstr(v.tags, "lang:"), "\"%s\": %s", none[i], v.tags);
		cr_assert(v.confidence < 0.5, "\"%s\": %.2f", none[i], v.confidence);
	}
	/* Letters, so a script, but no language; and the Cyrillic hunch is
	 * scored without being acted on. */
	cr_assert_str_eq(judge(&g, "Ok", NULL).tags, "script:Latn");
	struct verdict hunch = judge(&g, "Привет", NULL);
	cr_assert_str_eq(hunch.tags, "script:Cyrl");
	cr_assert_float_eq(hunch.confidence, 0.3, 1e-9);
	cr_assert_str_eq(judge(&g, "👍👍👍", NULL).tags, "", "no letters, no script");
	/* One or two telling words are enough. */
	cr_assert_str_eq(judge(&g, "Love it!", NULL).language, "en");
	cr_assert_str_eq(judge(&g, "Gracias!", NULL).language, "es");
	cr_assert_str_eq(judge(&g, "最高", NULL).language, "zh");
	cr_assert_str_eq(judge(&g, "最高です", NULL).language, "ja");
	guesser_down(&g);
	KT_ASSERT_NO_LEAKS();
}

Test(language, mixed_scripts_follow_the_dominant_one)
{
	struct guesser g;
	guesser_up(&g, "");
	struct verdict v = judge(&g, "Love it, the best grinder I have owned! 最高", NULL);
	cr_assert_str_eq(v.language, "en");
	cr_assert_str_eq(v.tags, "script:Latn lang:en");
	cr_assert_lt(v.confidence, 1.0, "the Han letters lower the confidence");
	/* Japanese with more kanji than kana is still Japanese. */
	v = judge(&g, "東京都渋谷区の店舗で購入しました", NULL);
	cr_assert_str_eq(v.language, "ja");
	cr_assert_str_eq(v.tags, "script:Jpan lang:ja");
	guesser_down(&g);
	KT_ASSERT_NO_LEAKS();
}

Test(language, the_sources_language_stands_and_a_mismatch_is_flagged)
{
	struct guesser g;
	guesser_up(&g, "");
	const char *english = "The grinder is quiet and the coffee tastes great, I love it.";
	struct verdict v = judge(&g, english, "de");
	cr_assert_str_eq(v.language, "de", "a filter never overwrites the source's language");
	cr_assert_str_eq(v.flags, "language_mismatch");
	cr_assert(strstr(v.tags, "lang:en"), "%s", v.tags);
	/* A regional tag of the same language is no mismatch. */
	v = judge(&g, english, "en-GB");
	cr_assert_str_eq(v.language, "en-GB");
	cr_assert_str_eq(v.flags, "");
	guesser_down(&g);

	/* The flag can be turned off. */
	guesser_up(&g, ", \"mismatch_confidence\": 0");
	v = judge(&g, english, "de");
	cr_assert_str_eq(v.flags, "");
	guesser_down(&g);
	KT_ASSERT_NO_LEAKS();
}

Test(language, min_confidence_decides_what_is_acted_on)
{
	struct guesser g;
	guesser_up(&g, ", \"min_confidence\": 0.95");
	/* de leads, but "produkt" is Swedish and Polish too. */
	struct verdict v = judge(&g, "Sehr gutes Produkt", NULL);
	cr_assert_str_eq(v.language, "", "below min_confidence: %.2f", v.confidence);
	cr_assert_str_eq(v.tags, "script:Latn", "no lang: tag below min_confidence");
	cr_assert(v.confidence > 0.5 && v.confidence < 0.95, "still scored: %.2f", v.confidence);
	guesser_down(&g);
	KT_ASSERT_NO_LEAKS();
}

/* ---- through the binary ------------------------------------------------- */

static const cJSON *by_id(const cJSON *items, const char *id)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, items)
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")), id) == 0)
			return e;
	}
	cr_assert_fail("no item %s", id);
	return NULL;
}

static const char *str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
	return s ? s : "(null)";
}

static int flagged(const cJSON *o, const char *flag)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(o, "flags")) if (!strcmp(e->valuestring, flag)) return 1;
	return 0;
}

Test(language, a_job_routes_by_the_language_it_fills_in, .timeout = 60)
{
	char *dir = kt_tmpdir(), *csv = kt_path(dir, "s.csv"), *store = kt_path(dir, "k.db");
	kt_write(csv, "id,name,rating,language,text\n"
	              "de1,Anna,5,,\"Sehr gutes Produkt, schnelle Lieferung. Danke!\"\n"
	              "de2,Bert,1,,\"Schrecklich. Das Ding ist nach einer Woche kaputt, "
	              "der Kundendienst antwortet nicht.\"\n"
	              "en1,Cleo,1,,\"Terrible, it broke after a week and support never "
	              "answered. Awful.\"\n"
	              "en2,Dan,5,de,\"The grinder is quiet and the coffee tastes great, I love "
	              "it.\"\n"
	              "ja1,Emi,5,,\"最高のコーヒーミルです。毎朝使っています。\"\n");
	char *job = kt_job(dir, "{\"name\": \"lang\", \"store\": \"k.db\","
	                        " \"sources\": [{\"plugin\": \"csv\", \"path\": \"s.csv\"}],"
	                        " \"filters\": [{\"plugin\": \"language\"}],"
	                        " \"curation\": {\"auto_approve\": [{\"name\": \"german team\","
	                        "   \"all\": {\"languages\": [\"de\"], \"min_rating\": 4,"
	                        "             \"tags\": [\"lang:de\"],"
	                        "             \"min_score\": {\"language.confidence\": 0.6}}}]}}");
	struct kt_run r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "filters looked at 5 new or changed items"), "%s", r.out);
	cr_assert(strstr(r.out, "approved 1 item by the job's rules"), "%s", r.out);
	kt_run_free(&r);
	r = kt_kudos(dir, "list", "--json", "--store", store, NULL);
	cJSON *items = cJSON_Parse(r.out);
	cr_assert(items, "%s", r.out);
	const cJSON *de1 = by_id(items, "csv:de1"), *de2 = by_id(items, "csv:de2");
	const cJSON *en1 = by_id(items, "csv:en1"), *en2 = by_id(items, "csv:en2");
	const cJSON *ja1 = by_id(items, "csv:ja1");
	cr_assert_str_eq(str(de1, "language"), "de");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(de1, "language_guessed")));
	cr_assert_str_eq(str(de1, "curation"), "approved");
	cr_assert_str_eq(str(ja1, "language"), "ja");
	/* German and negative: the English lexicon keeps out of it. */
	cr_assert_str_eq(str(de2, "language"), "de");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(de2, "sentiment")), "de2 was scored");
	cr_assert_not(flagged(de2, "negative"));
	/* English and negative: scored and flagged as before. */
	cr_assert_str_eq(str(en1, "language"), "en");
	cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(en1, "sentiment")));
	cr_assert(flagged(en1, "negative"));
	/* Labelled German by its source, written in English: kept as the
	 * source said, flagged, and (being "de") not scored. */
	cr_assert_str_eq(str(en2, "language"), "de");
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(en2, "language_guessed")));
	cr_assert(flagged(en2, "language_mismatch"));
	/* Its language matches the rule, its words do not: the rule asks
	 * for the filter's lang:de too, so it stays for a person. */
	cr_assert_str_eq(str(en2, "curation"), "new");
	cJSON_Delete(items);
	kt_run_free(&r);
	r = kt_kudos(dir, "list", "--needs-reply", "--store", store, NULL);
	cr_assert(strstr(r.out, "csv:en1") && !strstr(r.out, "csv:de2"), "%s", r.out);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
	free(csv);
	free(store);
	free(job);
}

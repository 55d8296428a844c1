/* Sentiment: the VADER port against the reference implementation's
 * published scores, negation, intensifiers, "but", caps, punctuation,
 * emoji, and the lexicon file. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "curation/sentiment.h"
#include "helpers.h"
#include "leakcheck.h"

#define LEXICON KT_SRC "/engine/curation/vader_lexicon.txt"

static struct kudos_sentiment *lex;
static struct kudos_fold fold;

static void setup(void)
{
	struct kudos_error err = {0};
	lex = kudos_sentiment_load(LEXICON, &err);
	cr_assert(lex, "%s", err.msg);
	kudos_fold_init(&fold);
}

static void teardown(void)
{
	kudos_fold_release(&fold);
	kudos_sentiment_free(lex);
	KT_ASSERT_NO_LEAKS();
}

static double score(const char *text)
{
	double c;
	cr_assert_eq(kudos_sentiment_score(lex, text, strlen(text), &fold, &c, NULL), 0);
	cr_assert(c >= -1.0 && c <= 1.0);
	return c;
}

static size_t hits(const char *text)
{
	double c;
	size_t h;
	cr_assert_eq(kudos_sentiment_score(lex, text, strlen(text), &fold, &c, &h), 0);
	return h;
}

#define SCORE_IS(text, want)                                                             \
	cr_assert(fabs(score(text) - (want)) < 5e-5, "%s: %.4f, want %.4f", text,           \
	          score(text), (double)(want))

TestSuite(sentiment, .init = setup, .fini = teardown);

Test(sentiment, lexicon_loads_whole)
{
	cr_assert_geq(kudos_sentiment_size(lex), 7400);
	int found;
	cr_assert_float_eq(kudos_sentiment_valence(lex, "good", &found), 1.9, 1e-6);
	cr_assert(found);
	cr_assert_float_eq(kudos_sentiment_valence(lex, "GOOD", NULL), 1.9, 1e-6);
	cr_assert_float_eq(kudos_sentiment_valence(lex, ":D", NULL), 2.3, 1e-6);
	cr_assert_float_eq(kudos_sentiment_valence(lex, "</3", NULL), -3.0, 1e-6);
	cr_assert_float_eq(kudos_sentiment_valence(lex, "horrible", NULL), -2.5, 1e-6);
	kudos_sentiment_valence(lex, "grinder", &found);
	cr_assert_not(found);
}

/* Scores vaderSentiment's README and demo print for these sentences. */
Test(sentiment, matches_the_reference_implementation)
{
	SCORE_IS("VADER is smart, handsome, and funny.", 0.8316);
	SCORE_IS("VADER is smart, handsome, and funny!", 0.8439);
	SCORE_IS("VADER is very smart, handsome, and funny.", 0.8545);
	SCORE_IS("VADER is VERY SMART, handsome, and FUNNY.", 0.9227);
	SCORE_IS("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342);
	SCORE_IS("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.9469);
	SCORE_IS("VADER is not smart, handsome, nor funny.", -0.7424);
	SCORE_IS("The book was good.", 0.4404);
	SCORE_IS("At least it isn't a horrible book.", 0.431);
	SCORE_IS("The book was only kind of good.", 0.3832);
	SCORE_IS("The plot was good, but the characters are uncompelling and the dialog is "
	         "not great.",
	         -0.7042);
	SCORE_IS("Today SUX!", -0.5461);
	SCORE_IS("Today only kinda sux! But I'll get by, lol", 0.5249);
	SCORE_IS("Make sure you :) or :D today!", 0.8633);
	SCORE_IS("Not bad at all", 0.431);
	SCORE_IS("Sentiment analysis has never been good.", -0.3412);
	SCORE_IS("Sentiment analysis has never been this good!", 0.5672);
	SCORE_IS("With VADER, sentiment analysis is the shit!", 0.6476);
	SCORE_IS("On the other hand, VADER is quite bad ass", 0.802);
	SCORE_IS("Without a doubt, excellent idea.", 0.7013);
	SCORE_IS("Roger Dodger is at least compelling as a variation on the theme.", 0.2263);
	SCORE_IS("Roger Dodger is one of the least compelling variations on this theme.",
	         -0.1695);
}

Test(sentiment, negation_flips_and_damps)
{
	cr_assert_gt(score("The grinder is good."), 0.3);
	cr_assert_lt(score("The grinder is not good."), -0.3);
	cr_assert_lt(score("The grinder isn't good."), -0.3);
	cr_assert_lt(score("The grinder isn’t good."), -0.3); /* curly apostrophe */
	cr_assert_lt(score("The grinder is not really that good."), 0.0);
	cr_assert_gt(score("Not bad at all."), 0.0);
	cr_assert_gt(score("It was never bad."), 0.0);
	cr_assert_lt(score("No love for this one."), 0.0);
	/* a negated word weighs less than the plain opposite */
	cr_assert_lt(fabs(score("not good")), fabs(score("bad")));
}

Test(sentiment, intensifiers_and_dampeners)
{
	double plain = score("The service was good."), very = score("The service was very good."),
	       extremely = score("The service was extremely good."),
	       kinda = score("The service was kind of good."),
	       barely = score("The service was barely good.");
	cr_assert_gt(very, plain);
	cr_assert_float_eq(very, extremely, 1e-9);
	cr_assert_lt(kinda, plain);
	cr_assert_lt(barely, plain);
	cr_assert_lt(score("The service was very bad."), score("The service was bad."));
	cr_assert_gt(score("The service was somewhat bad."), score("The service was bad."));
}

Test(sentiment, but_shifts_weight_to_the_second_half)
{
	cr_assert_lt(score("The design is great, but the battery is terrible."), 0.0);
	cr_assert_gt(score("The battery is terrible, but the design is great."), 0.0);
	cr_assert_gt(score("Shipping was slow but the coffee is amazing"),
	             score("Shipping was slow and the coffee is amazing"));
}

Test(sentiment, caps_exclamation_and_questions)
{
	cr_assert_gt(score("The support team was GREAT and fast."),
	             score("The support team was great and fast."));
	/* all caps is not emphasis when everything is shouted */
	cr_assert_float_eq(score("THE SUPPORT TEAM WAS GREAT"), score("the support team was great"),
	                   1e-9);
	cr_assert_gt(score("Love it!!"), score("Love it!"));
	cr_assert_float_eq(score("Love it!!!!"), score("Love it!!!!!!!!"), 1e-9);
	cr_assert_gt(score("Great??"), score("Great"));
	cr_assert_float_eq(score("!!!"), 0.0, 1e-12); /* no words, no emphasis */
}

Test(sentiment, emoji_and_emoticons)
{
	cr_assert_gt(score("😍"), 0.5);
	cr_assert_lt(score("👎"), -0.3);
	cr_assert_gt(score("arrived today 😊"), 0.3);
	cr_assert_gt(score("works <3"), 0.3);
	cr_assert_lt(score("broke after a week :("), -0.3);
	cr_assert_lt(score("broke after a week 😡😡"), -0.5);
}

Test(sentiment, two_word_entries)
{
	cr_assert_lt(score("I can't stand this kettle"), -0.3);
	cr_assert_lt(score("fed up with the app"), -0.3);
}

Test(sentiment, no_signal_is_reported)
{
	cr_assert_eq(hits(""), 0);
	cr_assert_eq(hits("Das ist ein tolles Produkt, sehr zu empfehlen"), 0);
	cr_assert_float_eq(score("Das ist ein tolles Produkt"), 0.0, 1e-12);
	cr_assert_eq(hits("The box arrived on Tuesday."), 0);
	cr_assert_eq(hits("Great coffee, terrible lid."), 2);
}

Test(sentiment, stays_in_range_on_floods)
{
	char *text = malloc(64 * 1000 + 1);
	text[0] = '\0';
	for (int i = 0; i < 1000; i++)
		strcat(text, "AMAZING wonderful love best!!! ");
	cr_assert_gt(score(text), 0.99);
	text[0] = '\0';
	for (int i = 0; i < 1000; i++)
		strcat(text, "horrible awful hate worst ");
	cr_assert_lt(score(text), -0.99);
	free(text);
}

static struct kudos_sentiment *parse(const char *data, const char *name,
                                     struct kudos_error *err)
{
	return kudos_sentiment_parse(data, strlen(data), name, err);
}

Test(sentiment, lexicon_file_errors)
{
	struct kudos_error err = {0};
	cr_assert_null(parse("good 1.9\n", "x.txt", &err));
	cr_assert(strstr(err.msg, "x.txt:1:"), "%s", err.msg);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	kudos_error_clear(&err);
	cr_assert_null(parse("good\t1.9\nbad\tvery\n", "x.txt", &err));
	cr_assert(strstr(err.msg, "x.txt:2:"), "%s", err.msg);
	kudos_error_clear(&err);
	cr_assert_null(parse("good\t9\n", "x.txt", &err));
	kudos_error_clear(&err);
	cr_assert_null(parse("", "empty.txt", &err));
	cr_assert(strstr(err.msg, "no entries"), "%s", err.msg);
	kudos_error_clear(&err);
	cr_assert_null(kudos_sentiment_load("/nonexistent/lexicon.txt", &err));
	cr_assert(strstr(err.msg, "/nonexistent/lexicon.txt"), "%s", err.msg);
	kudos_error_clear(&err);

	struct kudos_sentiment *small =
		parse("good\t1.9\t0.9\t[1, 2]\r\nGood\t2.5\r\n", "s", &err);
	cr_assert(small, "%s", err.msg);
	cr_assert_eq(kudos_sentiment_size(small), 1);
	cr_assert_float_eq(kudos_sentiment_valence(small, "good", NULL), 2.5, 1e-6);
	kudos_sentiment_free(small);
}

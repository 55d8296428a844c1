/* Near-duplicate grouping: re-posts across platforms, copy-paste spam and
 * small edits group under their earliest item; different reviews on the
 * same subject and unrelated texts do not. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curation/dupes.h"
#include "leakcheck.h"

static struct kudos_dupes *d;
static struct kudos_fold fold;

static void setup(void)
{
	d = kudos_dupes_new(0);
	cr_assert(d);
	kudos_fold_init(&fold);
}

static void teardown(void)
{
	kudos_fold_release(&fold);
	kudos_dupes_free(d);
	KT_ASSERT_NO_LEAKS();
}

TestSuite(dupes, .init = setup, .fini = teardown);

static size_t add(const char *id, int64_t created, const char *text)
{
	struct kudos_error err = {0};
	size_t i;
	cr_assert_eq(kudos_dupes_add(d, id, text, strlen(text), created, &fold, &i, &err), 0,
	             "%s", err.msg);
	return i;
}

static void regroup(void)
{
	struct kudos_error err = {0};
	cr_assert_eq(kudos_dupes_group(d, &err), 0, "%s", err.msg);
}

static void same_group(size_t a, size_t b)
{
	regroup();
	cr_assert_str_eq(kudos_dupes_representative(d, a), kudos_dupes_representative(d, b),
	                 "items %zu and %zu should group (J~%.2f)", a, b,
	                 kudos_dupes_similarity(d, a, b));
}

static void apart(size_t a, size_t b)
{
	regroup();
	cr_assert_str_neq(kudos_dupes_representative(d, a), kudos_dupes_representative(d, b),
	                  "items %zu and %zu should stay apart (J~%.2f)", a, b,
	                  kudos_dupes_similarity(d, a, b));
}

Test(dupes, reposted_across_platforms)
{
	size_t x = add("x:1", 200,
	               "Love the new Acme grinder, my mornings are so much better now #coffee "
	               "https://t.co/abc123 @acme");
	size_t m = add("mastodon:7", 100,
	               "Love the new Acme grinder, my mornings are so much better now! "
	               "@acme@mastodon.social");
	size_t g = add("google:3", 300,
	               "love the new acme grinder - my mornings are SO much better now");
	same_group(x, m);
	same_group(m, g);
	/* the earliest post represents the group, whatever the order of adding */
	regroup();
	cr_assert_str_eq(kudos_dupes_representative(d, x), "mastodon:7");
	cr_assert_gt(kudos_dupes_similarity(d, x, m), 0.7);
}

Test(dupes, cut_short_by_a_platform)
{
	size_t full = add("csv:1", 1,
	                  "The Acme grinder is the best thing I bought this year. Quiet, fast, "
	                  "and the coffee tastes amazing. Customer service even replaced a "
	                  "part for free.");
	size_t cut = add("x:2", 2,
	                 "The Acme grinder is the best thing I bought this year. Quiet, fast, "
	                 "and the coffee tastes amazing…");
	same_group(full, cut);
}

Test(dupes, copy_paste_spam)
{
	const char *spam[] = {
		"WIN a FREE iPhone!!! Visit bit.ly/xyz now 🎁",
		"Win a free iPhone! Visit bit.ly/abc now",
		"win a free iphone, visit bit.ly/q1 now!!!",
		"Win a free iPhone! Visit bit.ly/xyz NOW 🎁🎁",
		"Win a free iPhone ... visit bit.ly/zz now",
	};
	size_t idx[5];
	for (int i = 0; i < 5; i++) {
		char id[16];
		snprintf(id, sizeof id, "s%d", i);
		idx[i] = add(id, 50 - i, spam[i]);
	}
	for (int i = 1; i < 5; i++)
		same_group(idx[0], idx[i]);
	regroup();
	cr_assert_str_eq(kudos_dupes_representative(d, idx[0]), "s4"); /* earliest time */
}

Test(dupes, small_edits)
{
	size_t a = add("a", 1, "Absolutely love this grinder, best purchase I made this year!");
	size_t b = add("b", 2, "Absolutely love this grinder - best purchase I've made this year!!");
	size_t c = add("c", 3, "Great product, love it, the support team answered within an hour");
	size_t e = add("e", 4, "Great prodcut, love it, the suport team answered within an hour");
	size_t f = add("f", 5, "Best coffee grinder I ever owned, highly recommend it to everyone");
	size_t g = add("g", 6,
	               "Best coffee grinder I have ever owned, highly recommend it to everyone. "
	               "Five stars.");
	same_group(a, b);
	same_group(c, e);
	same_group(f, g);
	apart(a, c);
	apart(a, f);
	apart(c, f);
}

Test(dupes, same_subject_is_not_a_copy)
{
	size_t a = add("a", 1, "Great grinder, fast shipping, love it!");
	size_t b = add("b", 2, "Great coffee, fast delivery, love it!");
	size_t c = add("c", 3,
	               "The grinder is quiet and the burrs are consistent, great value for money");
	size_t e = add("e", 4,
	               "Shipping was fast and the support team was friendly, great experience "
	               "overall");
	size_t f = add("f", 5, "Terrible delivery, the box arrived crushed and the lid was cracked");
	size_t g = add("g", 6, "Beautiful design and very easy to clean, my kids love it too");
	size_t h = add("h", 7, "Die Mühle ist leise und mahlt sehr gleichmäßig, klare Empfehlung");
	size_t all[] = {a, b, c, e, f, g, h};
	for (size_t i = 0; i < 7; i++)
		for (size_t j = i + 1; j < 7; j++)
			apart(all[i], all[j]);
	regroup();
	struct kudos_dupe_group *groups;
	size_t n;
	cr_assert_eq(kudos_dupes_groups(d, &groups, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_null(groups);
}

Test(dupes, short_texts_group_only_when_identical)
{
	size_t a = add("a", 1, "Love it!");
	size_t b = add("b", 2, "love it");
	size_t c = add("c", 3, "Loved it");
	size_t e = add("e", 4, "Great");
	size_t f = add("f", 5, "Good");
	same_group(a, b);
	apart(a, c);
	apart(e, f);
}

Test(dupes, texts_without_words_join_nothing)
{
	size_t a = add("a", 1, "");
	size_t b = add("b", 2, "https://example.com/a");
	size_t c = add("c", 3, "!!! 🎉🎉 ???");
	size_t e = add("e", 4, "");
	regroup();
	cr_assert_str_eq(kudos_dupes_representative(d, a), "a");
	cr_assert_str_eq(kudos_dupes_representative(d, b), "b");
	cr_assert_str_eq(kudos_dupes_representative(d, c), "c");
	cr_assert_str_eq(kudos_dupes_representative(d, e), "e");
	cr_assert_float_eq(kudos_dupes_similarity(d, a, e), 0.0, 1e-12);
}

Test(dupes, scripts_without_spaces)
{
	size_t a = add("a", 1, "本当に素晴らしいコーヒーミルです。毎朝使っています。");
	size_t b = add("b", 2, "本当に素晴らしいコーヒーミルです！毎朝使ってます。");
	size_t c = add("c", 3, "配送が遅くて、箱が壊れていました。");
	same_group(a, b);
	apart(a, c);
}

Test(dupes, groups_list_representatives_and_members_in_time_order)
{
	add("late-copy", 30, "Fantastic support, they fixed my order in ten minutes flat.");
	add("other", 5, "The kettle boils fast and looks great on the counter.");
	add("original", 10, "Fantastic support, they fixed my order in ten minutes flat!");
	add("spam-b", 3, "Follow my page for cheap watches and free gifts today");
	add("mid-copy", 20, "fantastic support - they fixed my order in 10 minutes flat");
	add("spam-a", 4, "Follow my page for cheap watches and free gifts today!!");
	regroup();
	struct kudos_dupe_group *g;
	size_t n;
	cr_assert_eq(kudos_dupes_groups(d, &g, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(g[0].representative, "spam-b");
	cr_assert_eq(g[0].n_members, 1);
	cr_assert_str_eq(g[0].members[0], "spam-a");
	cr_assert_str_eq(g[1].representative, "original");
	cr_assert_eq(g[1].n_members, 2);
	cr_assert_str_eq(g[1].members[0], "mid-copy");
	cr_assert_str_eq(g[1].members[1], "late-copy");
	kudos_dupes_groups_free(g, n);
}

Test(dupes, equal_times_keep_the_first_added)
{
	size_t a = add("first", 7, "Arrived quickly and works perfectly, thank you so much");
	size_t b = add("second", 7, "Arrived quickly and works perfectly, thank you so much!");
	same_group(a, b);
	cr_assert_str_eq(kudos_dupes_representative(d, b), "first");
	/* an item added since the last grouping stands alone until the next */
	size_t c = add("third", 1, "Arrived quickly and works perfectly, thank you so much");
	cr_assert_str_eq(kudos_dupes_representative(d, c), "third");
	regroup();
	cr_assert_str_eq(kudos_dupes_representative(d, c), "third");
	cr_assert_str_eq(kudos_dupes_representative(d, a), "third");
}

Test(dupes, a_cap_bounds_the_items)
{
	struct kudos_dupes *capped = kudos_dupes_new(3);
	struct kudos_error err = {0};
	for (int i = 0; i < 3; i++)
		cr_assert_eq(kudos_dupes_add(capped, "x", "some words here", 15, i, &fold, NULL,
		                             &err),
		             0);
	cr_assert_eq(kudos_dupes_add(capped, "x", "more", 4, 9, &fold, NULL, &err), -1);
	cr_assert(strstr(err.msg, "at most 3 items"), "%s", err.msg);
	cr_assert_eq(kudos_dupes_count(capped), 3);
	kudos_dupes_free(capped);
}

/* Deterministic pseudo-random reviews from a vocabulary of 400 words. */
static void random_review(unsigned *seed, char *buf, size_t cap)
{
	static const char *syll[] = {"ka", "lo", "mi", "ner", "sa", "to", "vi", "gre", "pa",
	                             "dun", "el", "ri", "so", "fa", "qu", "zen", "ba", "wo",
	                             "ti", "ly"};
	size_t n = 0;
	int words = 8 + (int)(rand_r(seed) % 25);
	for (int w = 0; w < words && n + 16 < cap; w++) {
		unsigned v = rand_r(seed) % 400;
		n += (size_t)snprintf(buf + n, cap - n, "%s%s%s ", syll[v % 20], syll[(v / 20) % 20],
		                      v % 3 ? "" : syll[(v * 7) % 20]);
	}
	buf[n] = '\0';
}

Test(dupes, many_items_stay_fast_and_small, .timeout = 60)
{
	unsigned seed = 42;
	char buf[512];
	size_t planted[20][2];
	clock_t t0 = clock();
	for (size_t i = 0; i < 20000; i++) {
		char id[24];
		snprintf(id, sizeof id, "i%zu", i);
		random_review(&seed, buf, sizeof buf);
		size_t at = add(id, (int64_t)i, buf);
		if (i % 1000 == 0) { /* a re-post of this one comes later */
			char id2[24];
			snprintf(id2, sizeof id2, "r%zu", i);
			strcat(buf, "#repost");
			planted[i / 1000][0] = at;
			planted[i / 1000][1] = add(id2, (int64_t)i + 100000, buf);
		}
	}
	/* a flood of one spam text is one group and costs no more per item */
	for (size_t i = 0; i < 3000; i++) {
		char id[24];
		snprintf(id, sizeof id, "spam%zu", i);
		add(id, 500000 + (int64_t)i, "Cheap followers here, visit my profile now for free likes");
	}
	regroup();
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	for (size_t k = 0; k < 20; k++)
		cr_assert_str_eq(kudos_dupes_representative(d, planted[k][1]),
		                 kudos_dupes_representative(d, planted[k][0]));
	struct kudos_dupe_group *g;
	size_t n;
	cr_assert_eq(kudos_dupes_groups(d, &g, &n), 0);
	size_t spam = 0, pairs = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(g[i].representative, "spam0") == 0)
			spam = g[i].n_members + 1;
		else
			pairs++;
	}
	kudos_dupes_groups_free(g, n);
	cr_assert_eq(spam, 3000);
	cr_assert_eq(pairs, 20, "random reviews grouped by accident: %zu groups", pairs);
	size_t per = kudos_dupes_memory(d) / kudos_dupes_count(d);
	cr_assert_lt(per, 400, "%zu bytes per item", per);
	cr_log_info("23020 items in %.2f s, %zu bytes per item", secs, per);
}

/* Signatures made on another thread, with its own scratch and fold, then
 * added by signature, group exactly as texts added directly. */
struct signer {
	const char *const *texts;
	size_t n;
	struct kudos_dupe_sig *sigs;
	int failed;
};

static void *sign_all(void *arg)
{
	struct signer *s = arg;
	struct kudos_dupes_scratch scratch = {0};
	struct kudos_fold f;
	kudos_fold_init(&f);
	for (size_t i = 0; i < s->n; i++) {
		size_t len = strlen(s->texts[i]);
		if (kudos_fold(&f, s->texts[i], len) ||
		    kudos_dupes_sign(&scratch, s->texts[i], len, &f, &s->sigs[i]))
			s->failed = 1;
	}
	kudos_fold_release(&f);
	kudos_dupes_scratch_release(&scratch);
	return NULL;
}

Test(dupes, signatures_from_another_thread_group_the_same)
{
	static const char *const texts[] = {
		"Best headphones I have owned, the noise cancelling is unreal! https://x.example/a",
		"The best headphones I've owned; the noise-cancelling is unreal @acme",
		"Shipping took three weeks and nobody answered my emails.",
		"Best headphones I have owned, the noise cancelling is unreal!!",
		"Shipping took 3 weeks and nobody answered my emails",
	};
	size_t n = sizeof texts / sizeof texts[0];
	struct kudos_dupe_sig sigs[5];
	struct signer s = {texts, n, sigs, 0};
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, sign_all, &s), 0);
	pthread_join(t, NULL);
	cr_assert(!s.failed);

	struct kudos_dupes *signed_d = kudos_dupes_new(0);
	struct kudos_error err = {0};
	char id[16];
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof id, "t%zu", i);
		add(id, (int64_t)i, texts[i]);
		cr_assert_eq(kudos_dupes_add_signed(signed_d, id, (int64_t)i, &sigs[i], NULL, &err), 0,
		             "%s", err.msg);
	}
	regroup();
	cr_assert_eq(kudos_dupes_group(signed_d, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(kudos_dupes_representative(signed_d, i),
		                 kudos_dupes_representative(d, i), "item %zu", i);
	/* and the grouping is the expected one, not merely the same */
	cr_assert_str_eq(kudos_dupes_representative(signed_d, 3), "t0");
	cr_assert_str_eq(kudos_dupes_representative(signed_d, 4), "t2");
	cr_assert_str_eq(kudos_dupes_representative(signed_d, 2), "t2");
	kudos_dupes_free(signed_d);
}

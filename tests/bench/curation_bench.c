/*
 * Curation analyses over many items: fold, blocklist (500 entries),
 * sentiment, PII, question, near-duplicates, each timed on its own.
 *
 *   curation_bench LEXICON [N=100000] [realistic|mastodon]
 *
 * "realistic": reviews of 1-4 sentences drawn from the lexicon's words and
 * English function words (a Zipf-like mix), with re-posts, typo edits,
 * spam floods, personal data and emoji mixed in.  "mastodon": the texts of
 * ../shared/bench/gen_mastodon.py (8-40 words from a vocabulary of 14),
 * the worst case for duplicate detection.  Prints items/s per stage and
 * the peak memory.  Times are CPU seconds of the process, wall-clock in
 * brackets (they differ when other work shares the machine).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "curation/blocklist.h"
#include "curation/dupes.h"
#include "curation/pii.h"
#include "curation/question.h"
#include "curation/sentiment.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double unit(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static const char *const function_words[] = {
	"the", "a", "and", "to", "of", "it", "is", "i", "this", "for", "was", "in", "my", "with",
	"that", "but", "so", "very", "on", "you", "not", "have", "they", "are", "be", "just",
	"after", "we", "our", "all", "when", "at", "from", "one", "really", "would", "will",
	"its", "had", "me", "has", "were", "an", "as", "out", "up", "if", "no", "more", "can",
	"what", "there", "about", "been", "get", "now", "even", "time", "them", "also", "too",
	"than", "only", "their", "your", "product", "order", "coffee", "grinder", "service",
	"shipping", "delivery", "team", "days", "week", "price", "quality", "box", "support",
};

static char **vocab;
static size_t nvocab;

static void load_vocab(const char *lexicon)
{
	FILE *fp = fopen(lexicon, "r");
	if (!fp) {
		perror(lexicon);
		exit(2);
	}
	char line[256];
	size_t cap = 8192;
	vocab = malloc(cap * sizeof *vocab);
	while (fgets(line, sizeof line, fp)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		int ok = tab - line >= 3;
		for (char *p = line; *p && ok; p++)
			ok = *p >= 'a' && *p <= 'z';
		if (ok && nvocab < cap)
			vocab[nvocab++] = strdup(line);
	}
	fclose(fp);
}

static const char *content_word(void)
{
	size_t i = (size_t)pow((double)nvocab, unit()) - 1; /* log-uniform: Zipf-like */
	return vocab[i < nvocab ? i : nvocab - 1];
}

static void review(char *buf, size_t cap)
{
	static const char *const emoji[] = {"😍", "👍", "🔥", "😡", "🎉", "☕"};
	size_t n = 0;
	int sentences = 1 + (int)(next() % 4);
	for (int s = 0; s < sentences && n + 200 < cap; s++) {
		int words = 4 + (int)(next() % 15);
		for (int w = 0; w < words && n + 40 < cap; w++) {
			const char *x = unit() < 0.55 ? function_words[next() % (sizeof function_words /
			                                                         sizeof *function_words)]
			                              : content_word();
			n += (size_t)snprintf(buf + n, cap - n, "%s%c%s", w ? " " : (s ? " " : ""),
			                      w == 0 ? (char)(x[0] - 32) : x[0], x + 1);
		}
		double p = unit();
		n += (size_t)snprintf(buf + n, cap - n, "%s",
		                      p < 0.1 ? "?" : p < 0.13 ? "!!!" : p < 0.4 ? "!" : ".");
	}
	if (unit() < 0.05)
		n += (size_t)snprintf(buf + n, cap - n, " %s", emoji[next() % 6]);
	buf[n] = '\0';
}

static void mastodon(char *buf, size_t cap)
{
	static const char *const w[] = {"great", "fast", "friendly", "support", "quality",
	                                "price", "love", "recommend", "service", "team",
	                                "quick", "helpful", "amazing", "delivery"};
	size_t n = 0;
	int words = 8 + (int)(next() % 33);
	for (int i = 0; i < words; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? " " : "", w[next() % 14]);
	snprintf(buf + n, cap - n, " & more 'yes'");
}

struct timing {
	struct timespec cpu, wall;
};

static double secs(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void start(struct timing *t)
{
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t->cpu);
	clock_gettime(CLOCK_MONOTONIC, &t->wall);
}

static double stop(const struct timing *t, const char *what, size_t n)
{
	struct timespec cpu, wall;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	clock_gettime(CLOCK_MONOTONIC, &wall);
	double c = secs(&t->cpu, &cpu), w = secs(&t->wall, &wall);
	printf("  %-16s %7.3f s [%6.3f]  %9.0f items/s\n", what, c, w, (double)n / c);
	return c;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: curation_bench LEXICON [N] [realistic|mastodon]\n");
		return 2;
	}
	size_t n = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 100000;
	int flat = argc > 3 && strcmp(argv[3], "mastodon") == 0;
	struct kudos_error err = {0};
	load_vocab(argv[1]);

	/* the texts first, so generating them is not timed */
	char **text = malloc(n * sizeof *text);
	char buf[4096];
	for (size_t i = 0; i < n; i++) {
		double p = unit();
		if (flat) {
			mastodon(buf, sizeof buf);
		} else if (i > 100 && p < 0.05) { /* re-post elsewhere */
			snprintf(buf, sizeof buf, "%s #acme https://t.co/%05zu @acme",
			         text[next() % i], i);
		} else if (i > 100 && p < 0.08) { /* typo edit */
			snprintf(buf, sizeof buf, "%s", text[next() % i]);
			size_t len = strlen(buf), k = len / 2;
			if (len > 4 && buf[k] != ' ' && buf[k + 1] != ' ') {
				char c = buf[k];
				buf[k] = buf[k + 1];
				buf[k + 1] = c;
			}
		} else if (p < 0.085) { /* spam flood */
			snprintf(buf, sizeof buf, "Cheap followers and free likes, visit my profile "
			                          "now!!! code %zu",
			         i % 7);
		} else {
			review(buf, sizeof buf);
			if (unit() < 0.01)
				strcat(buf, unit() < 0.5 ? " Call me at +49 30 1234567"
				                         : " mail me: anna.b@example.org");
		}
		text[i] = strdup(buf);
	}

	struct kudos_blocklist *bl = kudos_blocklist_new();
	for (size_t i = 0; kudos_blocklist_count(bl) < 400; i++)
		kudos_blocklist_add(bl, vocab[next() % nvocab], &err);
	for (size_t i = 0; kudos_blocklist_count(bl) < 480; i++) {
		snprintf(buf, sizeof buf, "%s %s", vocab[next() % nvocab], vocab[next() % nvocab]);
		kudos_blocklist_add(bl, buf, &err);
	}
	static const char *const other[] = {"блин", "дерьмо", "バカ", "垃圾", "ห่วย", "σκατά",
	                                    "scheiße", "merde", "mierda", "porra"};
	for (size_t i = 0; kudos_blocklist_count(bl) < 500; i++) {
		snprintf(buf, sizeof buf, "%s%s", other[i % 10], i < 10 ? "" : "x");
		if (i >= 10)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%zu", i);
		kudos_blocklist_add(bl, buf, &err);
	}

	struct kudos_sentiment *lex = kudos_sentiment_load(argv[1], &err);
	if (!lex) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	struct kudos_fold f;
	kudos_fold_init(&f);
	size_t *len = malloc(n * sizeof *len), bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += len[i] = strlen(text[i]);
	printf("%zu %s items, %.1f MB of text; CPU seconds (wall in brackets)\n", n,
	       flat ? "mastodon-like" : "realistic", (double)bytes / 1e6);

	/* each analysis on its own, folding included */
	size_t blocked = 0, pii = 0, questions = 0, negative = 0;
	struct timing tm;
	start(&tm);
	for (size_t i = 0; i < n; i++)
		kudos_fold(&f, text[i], len[i]);
	double fold_cpu = stop(&tm, "fold", n);
	start(&tm);
	for (size_t i = 0; i < n; i++) {
		struct kudos_block_match m;
		blocked += (size_t)kudos_blocklist_match(bl, text[i], len[i], &f, &m);
	}
	stop(&tm, "blocklist (500)", n);
	start(&tm);
	for (size_t i = 0; i < n; i++) {
		double score;
		kudos_sentiment_score(lex, text[i], len[i], &f, &score, NULL);
		negative += score <= -0.05;
	}
	stop(&tm, "sentiment", n);
	start(&tm);
	for (size_t i = 0; i < n; i++)
		pii += kudos_pii_scan(text[i], len[i], &f, NULL, 0) > 0;
	stop(&tm, "pii", n);
	start(&tm);
	for (size_t i = 0; i < n; i++)
		questions += (size_t)kudos_question_like(text[i], len[i], &f);
	stop(&tm, "question", n);
	struct kudos_dupes *d = kudos_dupes_new(0);
	start(&tm);
	for (size_t i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof id, "bench:%zu", i);
		kudos_dupes_add(d, id, text[i], len[i], (int64_t)i, &f, NULL, &err);
	}
	stop(&tm, "dupes add", n);
	start(&tm);
	kudos_dupes_group(d, &err);
	stop(&tm, "dupes group", n);
	struct kudos_dupe_group *groups;
	size_t ngroups, dup_items = 0;
	kudos_dupes_groups(d, &groups, &ngroups);
	for (size_t i = 0; i < ngroups; i++)
		dup_items += groups[i].n_members;
	printf("  (each of the above folds the text itself: fold alone %.3f s)\n", fold_cpu);

	/* all of them on one fold per item, as the engine would run them */
	struct kudos_dupes *d2 = kudos_dupes_new(0);
	start(&tm);
	for (size_t i = 0; i < n; i++) {
		kudos_fold(&f, text[i], len[i]);
		struct kudos_block_match m;
		double score;
		kudos_blocklist_match_folded(bl, &f, &m);
		kudos_sentiment_score_folded(lex, text[i], &f, &score, NULL);
		kudos_pii_scan_folded(text[i], len[i], &f, NULL, 0);
		kudos_question_like_folded(text[i], len[i], &f);
		char id[32];
		snprintf(id, sizeof id, "bench:%zu", i);
		kudos_dupes_add_folded(d2, id, text[i], len[i], &f, (int64_t)i, NULL, &err);
	}
	kudos_dupes_group(d2, &err);
	stop(&tm, "all, one fold", n);
	kudos_dupes_free(d2);

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("  blocked %zu, negative %zu, pii %zu, questions %zu, dupe groups %zu holding %zu "
	       "copies\n",
	       blocked, negative, pii, questions, ngroups, dup_items);
	printf("  dupes memory %.1f MB (%.0f B/item), peak RSS %.1f MB\n",
	       (double)kudos_dupes_memory(d) / 1e6, (double)kudos_dupes_memory(d) / (double)n,
	       (double)ru.ru_maxrss / 1024.0);
	free(len);

	kudos_dupes_groups_free(groups, ngroups);
	kudos_fold_release(&f);
	kudos_dupes_free(d);
	kudos_sentiment_free(lex);
	kudos_blocklist_free(bl);
	for (size_t i = 0; i < n; i++)
		free(text[i]);
	free(text);
	for (size_t i = 0; i < nvocab; i++)
		free(vocab[i]);
	free(vocab);
	return 0;
}

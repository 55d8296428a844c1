/* The folding every curation analysis shares: what it folds, how it cuts
 * tokens, the spans it reports, links; and every analysis fed with random
 * bytes, invalid UTF-8 and odd text (run it under the sanitizers). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curation/blocklist.h"
#include "curation/dupes.h"
#include "curation/fold.h"
#include "curation/pii.h"
#include "curation/question.h"
#include "curation/sentiment.h"
#include "helpers.h"
#include "leakcheck.h"

/* The tokens of `text` as "kind:word" joined by spaces (W, S, P). */
static char *tokens(struct kudos_fold *f, const char *text)
{
	cr_assert_eq(kudos_fold(f, text, strlen(text)), 0);
	char *out = calloc(1, 4096);
	for (size_t t = 0; t < f->ntok; t++) {
		const struct kudos_token *k = &f->tok[t];
		strcat(out, t ? " " : "");
		strcat(out, k->kind == KUDOS_TOK_WORD ? "W:" : k->kind == KUDOS_TOK_SOLO ? "S:" : "P:");
		for (uint32_t i = k->a; i < k->b; i++) {
			char u[8] = {0};
			uint32_t c = f->cp[i];
			if (c < 0x80) {
				u[0] = (char)c;
			} else if (c < 0x800) {
				u[0] = (char)(0xc0 | c >> 6);
				u[1] = (char)(0x80 | (c & 0x3f));
			} else if (c < 0x10000) {
				u[0] = (char)(0xe0 | c >> 12);
				u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
				u[2] = (char)(0x80 | (c & 0x3f));
			} else {
				u[0] = (char)(0xf0 | c >> 18);
				u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
				u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
				u[3] = (char)(0x80 | (c & 0x3f));
			}
			strcat(out, u);
		}
	}
	return out;
}

#define TOKENS_ARE(text, want)                                                           \
	do {                                                                             \
		char *got = tokens(&f, text);                                            \
		cr_assert_str_eq(got, want, "tokens of \"%s\"", text);                    \
		free(got);                                                               \
	} while (0)

Test(fold, folds_case_accents_and_compatibility_forms)
{
	struct kudos_fold f;
	kudos_fold_init(&f);
	TOKENS_ARE("Crème BRÛLÉE", "W:creme W:brulee");
	TOKENS_ARE("Straße ＡＢＣ ﬁne", "W:strasse W:abc W:fine");
	TOKENS_ARE("ΣΟΦΟΣ σοφός", "W:σοφοσ W:σοφοσ");
	TOKENS_ARE("don’t — “quoted”", "W:don P:' W:t P:- P:“ W:quoted P:”"); /* ’ and — lumped */
	TOKENS_ARE("soft\xc2\xadhyphen zero\xe2\x80\x8bwidth", "W:softhyphen W:zerowidth");
	TOKENS_ARE("हिंदी", "W:हिंदी"); /* vowel signs are kept */
	kudos_fold_release(&f);
	KT_ASSERT_NO_LEAKS();
}

Test(fold, tokens_by_script)
{
	struct kudos_fold f;
	kudos_fold_init(&f);
	TOKENS_ARE("abc123 x_y", "W:abc123 W:x P:_ W:y");
	TOKENS_ARE("東京タワー", "S:東 S:京 S:タ S:ワ S:ー");
	TOKENS_ARE("ดีมาก!", "S:ดี S:ม S:า S:ก P:!"); /* a vowel mark stays with its letter */
	TOKENS_ARE("Kyiv/Київ", "W:kyiv P:/ W:\xd0\xba\xd0\xb8\xd1\x96\xd0\xb2"); /* ї -> і */
	TOKENS_ARE("👍🏽 ok", "P:👍 P:🏽 W:ok");
	TOKENS_ARE("", "");
	TOKENS_ARE(" \t\n ", "");
	kudos_fold_release(&f);
	KT_ASSERT_NO_LEAKS();
}

Test(fold, spans_cover_the_source_bytes)
{
	struct kudos_fold f;
	kudos_fold_init(&f);
	const char *t = "  Cafe\xcc\x81! ﬁn";
	cr_assert_eq(kudos_fold(&f, t, strlen(t)), 0);
	cr_assert_eq(f.ntok, 3);
	cr_assert_eq(kudos_fold_tok_start(&f, 0), 2);
	cr_assert_eq(kudos_fold_tok_end(&f, 0), 8); /* the combining accent included */
	cr_assert_eq(kudos_fold_tok_start(&f, 2), 10);
	cr_assert_eq(kudos_fold_tok_end(&f, 2), strlen(t));
	cr_assert(kudos_fold_tok_eq(&f, 2, "fin"));
	kudos_fold_release(&f);
	KT_ASSERT_NO_LEAKS();
}

Test(fold, invalid_utf8_becomes_a_separator)
{
	struct kudos_fold f;
	kudos_fold_init(&f);
	const char t[] = "ok\xff\xfe" "fine\xc3";
	cr_assert_eq(kudos_fold(&f, t, sizeof t - 1), 0);
	cr_assert_eq(f.ntok, 5);
	cr_assert(kudos_fold_tok_eq(&f, 0, "ok"));
	cr_assert(kudos_fold_tok_eq(&f, 3, "fine"));
	cr_assert_eq(f.cp[f.tok[4].a], 0xfffd);
	kudos_fold_release(&f);
	KT_ASSERT_NO_LEAKS();
}

Test(fold, links)
{
	const char *t = "see https://x.example/a?b=1, www.example.org. or xhttp://no";
	size_t len = strlen(t);
	cr_assert_eq(kudos_url_at(t, len, 4), strlen("https://x.example/a?b=1"));
	cr_assert_eq(kudos_url_at(t, len, 29), strlen("www.example.org"));
	cr_assert_eq(kudos_url_at(t, len, 50), 0);
	cr_assert_eq(kudos_url_at(t, len, 0), 0);
	cr_assert_eq(kudos_url_at("http://", 7, 0), 0);
}

static void every_analysis(const char *text, size_t len, struct kudos_fold *f,
                           const struct kudos_blocklist *bl, const struct kudos_sentiment *lex,
                           struct kudos_dupes *d, size_t i)
{
	struct kudos_block_match m;
	struct kudos_pii hits[4];
	double score;
	size_t h;
	cr_assert_neq(kudos_blocklist_match(bl, text, len, f, &m), -1);
	cr_assert_eq(kudos_sentiment_score(lex, text, len, f, &score, &h), 0);
	cr_assert(score >= -1.0 && score <= 1.0);
	cr_assert_geq(kudos_pii_scan(text, len, f, hits, 4), 0);
	cr_assert_neq(kudos_question_like(text, len, f), -1);
	struct kudos_error err = {0};
	char id[24];
	snprintf(id, sizeof id, "r%zu", i);
	cr_assert_eq(kudos_dupes_add(d, id, text, len, (int64_t)i, f, NULL, &err), 0);
}

Test(fold, random_bytes_through_every_analysis, .timeout = 60)
{
	struct kudos_error err = {0};
	struct kudos_sentiment *lex =
		kudos_sentiment_load(KT_SRC "/engine/curation/vader_lexicon.txt", &err);
	cr_assert(lex, "%s", err.msg);
	struct kudos_blocklist *bl = kudos_blocklist_new();
	const char *entries[] = {"bad", "kill yourself", "バカ", "f*ck", "💩", "ห่วย"};
	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(kudos_blocklist_add(bl, entries[i], &err), 0);
	struct kudos_dupes *d = kudos_dupes_new(0);
	struct kudos_fold f;
	kudos_fold_init(&f);
	/* pieces that exercise the rules, glued at random with random bytes */
	static const char *const pieces[] = {
		"+49 30 1234567", "(555) 123-4567", "a@b.co", "@x@y.z", " (at) ", " (dot) ",
		"https://x.y/?q", "www.", "221B Baker Street", "Hauptstraße 5", "12 rue ",
		"Calle ", "P.O. Box ", "not ", "very ", "but ", "NO ", "kind of ", "least ",
		"never so ", "😍", "👎", "🎉", "\xcc\x81", "\xe0\xb9\x88", "ﬁ", "ß", "İ", "？",
		"¿", "Est-ce", "y a-t-il", "$", "€", "1.299,00", "2026-03-14", "v2.1", "#", "\n",
		"!!!", "???", ":)", ":D", "<3", "バカ", "東京", "0", "00", "0171 ", "ok", " ",
	};
	unsigned seed = 7;
	char buf[2048];
	for (size_t i = 0; i < 3000; i++) {
		size_t n = 0, parts = (size_t)(rand_r(&seed) % 40);
		for (size_t p = 0; p < parts && n < sizeof buf - 64; p++) {
			if (rand_r(&seed) % 4 == 0) {
				size_t k = (size_t)(rand_r(&seed) % 8);
				for (size_t b = 0; b < k; b++)
					buf[n++] = (char)(rand_r(&seed) % 256);
			} else {
				const char *s = pieces[rand_r(&seed) % (sizeof pieces / sizeof *pieces)];
				memcpy(buf + n, s, strlen(s));
				n += strlen(s);
			}
		}
		every_analysis(buf, n, &f, bl, lex, d, i);
	}
	/* long texts, long words, only marks, only spaces */
	char *big = malloc(200001);
	memset(big, 'a', 200000);
	big[200000] = '\0';
	every_analysis(big, 200000, &f, bl, lex, d, 90001);
	for (size_t i = 0; i < 200000; i += 2)
		memcpy(big + i, "\xcc\x81", 2);
	every_analysis(big, 200000, &f, bl, lex, d, 90002);
	memset(big, ' ', 200000);
	every_analysis(big, 200000, &f, bl, lex, d, 90003);
	for (size_t i = 0; i + 4 <= 200000; i += 4)
		memcpy(big + i, "no! ", 4);
	every_analysis(big, 200000, &f, bl, lex, d, 90004);
	free(big);
	cr_assert_eq(kudos_dupes_group(d, &err), 0);
	struct kudos_dupe_group *g;
	size_t ng;
	cr_assert_eq(kudos_dupes_groups(d, &g, &ng), 0);
	kudos_dupes_groups_free(g, ng);

	kudos_fold_release(&f);
	kudos_dupes_free(d);
	kudos_blocklist_free(bl);
	kudos_sentiment_free(lex);
	KT_ASSERT_NO_LEAKS();
}

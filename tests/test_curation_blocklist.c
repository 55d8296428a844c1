/* Blocklist matching: case, accents, compatibility forms, scripts, word
 * boundaries, phrases, spans, and list files. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "curation/blocklist.h"
#include "helpers.h"
#include "leakcheck.h"

static struct kudos_blocklist *list_of(const char *const *entries)
{
	struct kudos_blocklist *bl = kudos_blocklist_new();
	cr_assert(bl);
	for (size_t i = 0; entries[i]; i++) {
		struct kudos_error err = {0};
		cr_assert_eq(kudos_blocklist_add(bl, entries[i], &err), 0, "%s: %s", entries[i],
		             err.msg);
	}
	return bl;
}

/* The matched entry and the matched text, "" when nothing matched. */
static void expect(const struct kudos_blocklist *bl, const char *text, const char *entry,
                   const char *matched)
{
	struct kudos_fold f;
	struct kudos_block_match m;
	kudos_fold_init(&f);
	int r = kudos_blocklist_match(bl, text, strlen(text), &f, &m);
	kudos_fold_release(&f);
	cr_assert_neq(r, -1);
	if (!entry) {
		cr_assert_eq(r, 0, "\"%s\" should not match, matched \"%s\"", text, r ? m.entry : "");
		return;
	}
	cr_assert_eq(r, 1, "\"%s\" should match \"%s\"", text, entry);
	cr_assert_str_eq(m.entry, entry, "in \"%s\"", text);
	char *span = strndup(text + m.start, m.end - m.start);
	cr_assert_str_eq(span, matched, "span in \"%s\"", text);
	free(span);
}

Test(blocklist, case_and_accents_fold_both_ways)
{
	struct kudos_blocklist *bl = list_of((const char *const[]){"café", "naive", NULL});
	expect(bl, "Best CAFÉ in town", "café", "CAFÉ");
	expect(bl, "the cafe was fine", "café", "cafe");
	expect(bl, "Cafe\xcc\x81 au lait", "café", "Cafe\xcc\x81");      /* decomposed é */
	expect(bl, "ｃａｆｅ ｌａｔｔｅ", "café", "ｃａｆｅ");            /* full width */
	expect(bl, "a NAÏVE design", "naive", "NAÏVE");
	expect(bl, "caffeine, cafeteria", NULL, NULL);
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, unicode_case_folding_in_other_scripts)
{
	struct kudos_blocklist *bl = list_of(
		(const char *const[]){"scheisse", "λογος", "блин", "istanbul", "straße", "σκατα", NULL});
	expect(bl, "So eine Scheiße!", "scheisse", "Scheiße");
	expect(bl, "SCHEISSE", "scheisse", "SCHEISSE");
	expect(bl, "ΛΌΓΟΣ και λόγος", "λογος", "ΛΌΓΟΣ");   /* final sigma, tonos */
	expect(bl, "ΣΚΑΤΆ!", "σκατα", "ΣΚΑΤΆ");
	expect(bl, "Ну БЛИН, опять", "блин", "БЛИН");
	expect(bl, "İSTANBUL şubesi", "istanbul", "İSTANBUL"); /* dotted capital I */
	expect(bl, "Hauptstrasse 5", NULL, NULL);               /* compound: not a word */
	expect(bl, "in der STRASSE", "straße", "STRASSE");
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, whole_words_only)
{
	struct kudos_blocklist *bl = list_of((const char *const[]){"ass", "hell", NULL});
	expect(bl, "first class glass assistant, shell, hello", NULL, NULL);
	expect(bl, "what an ass!", "ass", "ass");
	expect(bl, "(ass)", "ass", "ass");
	expect(bl, "kick-ass service", "ass", "ass");
	expect(bl, "Hell, yes", "hell", "Hell");
	expect(bl, "hell_yes #hell", "hell", "hell");
	expect(bl, "ass1 2ass hell9", NULL, NULL); /* digits are word characters */
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, phrases_match_across_spaces_not_punctuation)
{
	struct kudos_blocklist *bl =
		list_of((const char *const[]){"kill yourself", "f*ck", "$$$", NULL});
	expect(bl, "just Kill   Yourself", "kill yourself", "Kill   Yourself");
	expect(bl, "kill\nyourself", "kill yourself", "kill\nyourself");
	expect(bl, "kill, yourself", NULL, NULL);
	expect(bl, "killyourself", NULL, NULL);
	expect(bl, "what the F*CK", "f*ck", "F*CK");
	expect(bl, "f * ck", "f*ck", "f * ck");
	expect(bl, "fck", NULL, NULL);
	expect(bl, "Make $$$ fast", "$$$", "$$$");
	expect(bl, "Make $$ fast", NULL, NULL);
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, first_match_wins_and_longest_at_a_position)
{
	struct kudos_blocklist *bl = list_of(
		(const char *const[]){"bad", "bad service", "terrible", "service", NULL});
	expect(bl, "bad service", "bad service", "bad service");
	expect(bl, "Terrible and bad", "terrible", "Terrible");
	expect(bl, "the service was bad", "service", "service");
	expect(bl, "bad bad service", "bad", "bad");
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, scripts_without_spaces_match_character_sequences)
{
	struct kudos_blocklist *bl = list_of(
		(const char *const[]){"バカ", "垃圾", "ห่วย", "ｸｿ", NULL});
	expect(bl, "本当にバカだ", "バカ", "バカ");
	expect(bl, "这是垃圾产品。", "垃圾", "垃圾");
	expect(bl, "สินค้าห่วยมาก", "ห่วย", "ห่วย");
	expect(bl, "それはクソだ", "ｸｿ", "クソ"); /* half-width entry, full-width text */
	expect(bl, "バスが来た", NULL, NULL);
	expect(bl, "สินค้าหวยมาก", NULL, NULL); /* Thai tone mark is not an accent */
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, diacritics_of_arabic_and_hebrew_are_optional)
{
	struct kudos_blocklist *bl = list_of((const char *const[]){"سيء", "רע", NULL});
	expect(bl, "منتج سَيِّء جدا", "سيء", "سَيِّء");
	expect(bl, "שירות רַע מאוד", "רע", "רַע");
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, emoji_entries)
{
	struct kudos_blocklist *bl = list_of((const char *const[]){"🖕", "💩 product", NULL});
	expect(bl, "🖕🏻 you", "🖕", "🖕");
	expect(bl, "a 💩 PRODUCT", "💩 product", "💩 PRODUCT");
	expect(bl, "a 💩 day", NULL, NULL);
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, duplicates_and_bad_entries)
{
	struct kudos_blocklist *bl = kudos_blocklist_new();
	struct kudos_error err = {0};
	cr_assert_eq(kudos_blocklist_add(bl, "Café", &err), 0);
	cr_assert_eq(kudos_blocklist_add(bl, "CAFE", &err), 0);
	cr_assert_eq(kudos_blocklist_add(bl, "cafe\xcc\x81", &err), 0);
	cr_assert_eq(kudos_blocklist_count(bl), 1);
	cr_assert_eq(kudos_blocklist_add(bl, "   ", &err), -1);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, "nothing to match"), "%s", err.msg);
	kudos_error_clear(&err);
	cr_assert_eq(kudos_blocklist_add(bl, "bad\xff", &err), -1);
	cr_assert(strstr(err.msg, "UTF-8"), "%s", err.msg);
	kudos_error_clear(&err);
	cr_assert_eq(kudos_blocklist_add(bl, "\xc2\xad", &err), -1); /* soft hyphen only */
	cr_assert_eq(kudos_blocklist_count(bl), 1);
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, empty_list_matches_nothing)
{
	struct kudos_blocklist *bl = kudos_blocklist_new();
	expect(bl, "anything at all", NULL, NULL);
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, list_files)
{
	char *dir = kt_tmpdir();
	char *path = kt_path(dir, "words.txt");
	kt_write(path, "\xef\xbb\xbf# words we do not publish\r\n"
	               "\r\n"
	               "  damn  \r\n"
	               "bad service   # phrase, with a comment\n"
	               "\t# indented comment\n"
	               "\\#competitor\n"
	               "C#\n"
	               "Damn\n");
	struct kudos_blocklist *bl = kudos_blocklist_new();
	struct kudos_error err = {0};
	cr_assert_eq(kudos_blocklist_add_file(bl, path, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_blocklist_count(bl), 4);
	expect(bl, "DAMN it", "damn", "DAMN");
	expect(bl, "such Bad  Service", "bad service", "Bad  Service");
	expect(bl, "try #Competitor instead", "#competitor", "#Competitor");
	expect(bl, "a competitor", NULL, NULL);
	expect(bl, "written in C#", "C#", "C#");
	kudos_blocklist_free(bl);

	char *bad = kt_path(dir, "bad.txt");
	kt_write(bad, "fine\nalso fine\nbro\xc3\n");
	bl = kudos_blocklist_new();
	cr_assert_eq(kudos_blocklist_add_file(bl, bad, &err), -1);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, "bad.txt:3:"), "%s", err.msg);
	kudos_error_clear(&err);
	char *missing = kt_path(dir, "missing.txt");
	cr_assert_eq(kudos_blocklist_add_file(bl, missing, &err), -1);
	cr_assert(strstr(err.msg, "missing.txt"), "%s", err.msg);
	kudos_blocklist_free(bl);
	kt_rmtree(dir);
	free(missing);
	free(bad);
	free(path);
	free(dir);
	KT_ASSERT_NO_LEAKS();
}

Test(blocklist, folded_text_is_shared_between_analyses)
{
	struct kudos_blocklist *bl = list_of((const char *const[]){"meh", NULL});
	struct kudos_fold f;
	kudos_fold_init(&f);
	const char *t = "It was... MEH.";
	cr_assert_eq(kudos_fold(&f, t, strlen(t)), 0);
	struct kudos_block_match m;
	cr_assert_eq(kudos_blocklist_match_folded(bl, &f, &m), 1);
	cr_assert_eq(m.start, 10);
	cr_assert_eq(m.end, 13);
	kudos_fold_release(&f);
	kudos_blocklist_free(bl);
	KT_ASSERT_NO_LEAKS();
}

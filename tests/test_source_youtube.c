/*
 * source-youtube end to end: `kudos collect` over the fixtures in
 * tests/fixtures/youtube (a folder of commentThreads.list pages, a
 * comments.list page of replies) and over the real payloads in
 * ../shared/fixtures/real/youtube, then `kudos list --json` /
 * `kudos show ID --json` to see what was stored.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define PLUGIN "youtube"
#define FIX KT_SRC "/tests/fixtures/youtube"
#define T1 "UgzAcme111aaaBBBcccDDD4AaABAg"

#include "source_listing_test.h"

Test(source_youtube, thread_pages_with_replies)
{
	char *dir = kt_tmpdir();
	struct kt_run r = collect_in(dir, FIX "/threads", NULL, NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cr_assert_eq(list_count(dir), 7);

	cJSON *t = show(dir, "youtube:" T1);
	assert_str(t, "kind", "video_comment");
	/* textOriginal, not the HTML of textDisplay. */
	assert_str(t, "text", "Honestly the best espresso machine review I've seen.\nThe Acme Duo "
	                      "is *worth every penny* 👌");
	assert_str(t, "author.name", "Priya Sharma");
	assert_null(t, "author.handle");
	assert_str(t, "author.url", "http://www.youtube.com/channel/UCa1b2c3d4e5f6g7h8i9j0kL");
	assert_str(t, "author.avatar", "https://yt3.ggpht.com/ytc/AIdro_priya=s48-c-k-c0x00ffffff-no-rj");
	assert_str(t, "created_at", "2026-01-15T18:22:03Z");
	assert_str(t, "updated_at", "2026-01-16T08:00:00Z");
	assert_str(t, "permalink", "https://www.youtube.com/watch?v=k3Xq9LmPz0A&lc=" T1);
	assert_null(t, "in_reply_to");
	assert_str(t, "meta.likes", "128");
	assert_str(t, "meta.replies", "3");
	assert_str(t, "meta.video_id", "k3Xq9LmPz0A");
	assert_str(t, "meta.channel_id", "UCa1b2c3d4e5f6g7h8i9j0kL");
	cJSON_Delete(t);

	t = show(dir, "youtube:" T1 ".9zAbCdEfGh1");
	assert_str(t, "in_reply_to", T1);
	assert_str(t, "text", "Same here — bought one last week!");
	assert_str(t, "author.name", "@coffeenerd_42");
	assert_str(t, "author.handle", "@coffeenerd_42");
	assert_str(t, "created_at", "2026-01-15T19:01:44Z");
	assert_null(t, "updated_at"); /* not edited */
	assert_str(t, "permalink", "https://www.youtube.com/watch?v=k3Xq9LmPz0A&lc=" T1 ".9zAbCdEfGh1");
	assert_str(t, "meta.likes", "3");
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(t, "meta"),
	                                                "replies"));
	cJSON_Delete(t);

	t = show(dir, "youtube:" T1 ".9zAbCdEfGh2");
	assert_str(t, "in_reply_to", T1);
	assert_str(t, "text", "Is it loud in the morning? My flatmates would kill me 😅");
	cJSON_Delete(t);

	t = show(dir, "youtube:UgxMaria222eeeFFFgggHHH4AaABAg");
	assert_str(t, "text", "¡Me encantó! La máquina de Acme hace un café increíble ☕🇪🇸");
	assert_str(t, "author.handle", "@marialopez"); /* from the /@handle channel URL */
	assert_str(t, "created_at", "2026-01-14T07:05:00Z");
	cJSON_Delete(t);

	/* No author in the payload: nothing invented. */
	t = show(dir, "youtube:UgwGone333iiiJJJkkkLLL4AaABAg");
	assert_str(t, "text", "Great video, thanks Acme");
	assert_null(t, "author.name");
	assert_null(t, "author.url");
	assert_null(t, "author.avatar");
	assert_str(t, "meta.author_missing", "true");
	cJSON_Delete(t);

	/* No textOriginal: textDisplay as the text a reader sees. */
	t = show(dir, "youtube:UgyHtml444mmmNNNoooPPP4AaABAg");
	assert_str(t, "text", "Check \"Acme Duo\" at 1:35 & you'll see the crema\n\nAmazing");
	cJSON_Delete(t);

	t = show(dir, "youtube:UgzTanaka555qqqRRRsssTTT4AaABAg");
	assert_str(t, "text", "アクメのマシン、毎朝使っています。");
	assert_str(t, "author.name", "田中 花子");
	assert_str(t, "created_at", "2026-01-10T23:59:59Z");
	cJSON_Delete(t);
	kt_rmtree(dir);
	free(dir);
}

Test(source_youtube, comments_list_replies)
{
	cJSON *items = kt_collect("youtube", FIX "/replies_by_parent.json", NULL, NULL);
	cr_assert_eq(cJSON_GetArraySize(items), 1);
	const cJSON *t = must(items, T1 ".9zAbCdEfGh3");
	assert_str(t, "in_reply_to", T1);
	assert_str(t, "text", "Agreed, the milk frother alone is worth it.");
	assert_str(t, "author.name", "Jo Park");
	assert_null(t, "permalink"); /* comments.list replies do not name the video */
	cJSON_Delete(items);
}

Test(source_youtube, truncated_json_fails_with_position)
{
	char *dir = kt_tmpdir();
	char *file = kt_path(dir, "threads.json");
	char *src = kt_read(FIX "/threads/page_2.json");
	src[strlen(src) / 2] = '\0';
	kt_write(file, src);
	struct kt_run r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "threads.json:"), "%s", r.err);
	cr_assert(strstr(r.err, "cut short"), "%s", r.err);
	kt_run_free(&r);
	cr_assert_eq(list_count(dir), 0);
	free(src);
	free(file);
	kt_rmtree(dir);
	free(dir);
}

Test(source_youtube, bad_entries_are_skipped_with_their_position)
{
	char *dir = kt_tmpdir();
	char *file = kt_path(dir, "mixed.json");
	kt_write(file,
	         "{\"kind\": \"youtube#commentListResponse\", \"items\": [\n"
	         " {\"kind\": \"youtube#comment\", \"id\": \"ok1\", \"snippet\": {\"authorDisplayName\": "
	         "\"Ana\", \"textOriginal\": \"Lovely\", \"publishedAt\": \"2026-01-01T00:00:00Z\"}},\n"
	         " {\"kind\": \"youtube#comment\"},\n"
	         " {\"kind\": \"youtube#comment\", \"id\": 5, \"snippet\": {\"textOriginal\": \"numeric id\"}},\n"
	         " {\"kind\": \"youtube#comment\", \"id\": \"x4\", \"snippet\": {\"textOriginal\": 4}},\n"
	         " \"a string\",\n"
	         " {\"kind\": \"youtube#video\", \"id\": \"v6\"},\n"
	         " {\"kind\": \"youtube#commentThread\", \"id\": \"t7\", \"snippet\": {}},\n"
	         " {\"kind\": \"youtube#commentThread\", \"id\": \"t8\", \"snippet\": {\"videoId\": \"vid8\", "
	         "\"topLevelComment\": {\"id\": \"t8\", \"snippet\": {\"textOriginal\": \"Top\", "
	         "\"publishedAt\": \"last week\"}}}, \"replies\": {\"comments\": [{\"id\": \"t8.r\"}]}}\n"
	         "]}\n");
	struct kt_run r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	for (int i = 1; i <= 6; i++) {
		char want[48];
		snprintf(want, sizeof want, "mixed.json: items[%d]", i);
		cr_assert(strstr(r.err, want), "no warning for items[%d]: %s", i, r.err);
	}
	cr_assert(strstr(r.err, "items[7].snippet.topLevelComment: publishedAt \"last week\""), "%s",
	          r.err);
	cr_assert(strstr(r.err, "items[7].replies.comments[0] (comment t8.r)"), "%s", r.err);
	kt_run_free(&r);
	cr_assert_eq(list_count(dir), 2);
	cJSON *t = show(dir, "youtube:t8");
	assert_str(t, "permalink", "https://www.youtube.com/watch?v=vid8&lc=t8");
	assert_null(t, "created_at");
	cJSON_Delete(t);
	free(file);
	kt_rmtree(dir);
	free(dir);
}

Test(source_youtube, api_error_response_is_a_warning)
{
	char *dir = kt_tmpdir();
	char *file = kt_path(dir, "page_3.json");
	kt_write(file, "{\"error\": {\"code\": 403, \"message\": \"The video identified by the "
	               "<code><a href=\\\"/youtube/v3/docs/commentThreads/list#videoId\\\">videoId</a>"
	               "</code> parameter has disabled comments.\", \"errors\": [{\"message\": \"...\", "
	               "\"domain\": \"youtube.commentThread\", \"reason\": \"commentsDisabled\"}]}}");
	struct kt_run r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "page_3.json: the file is a YouTube API error response (HTTP 403"),
	          "%s", r.err);
	cr_assert(strstr(r.err, "reason commentsDisabled"), "%s", r.err);
	kt_run_free(&r);
	cr_assert_eq(list_count(dir), 0);

	kt_write(file, "{\"kind\": \"youtube#videoListResponse\"}");
	r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "page_3.json: not a YouTube commentThreads.list"), "%s", r.err);
	kt_run_free(&r);
	free(file);
	kt_rmtree(dir);
	free(dir);
}

Test(source_youtube, real_fixtures)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is missing: the real YouTube payloads were NOT tested");
		cr_skip_test("../shared/fixtures/real/youtube not found");
	}
	char *folder = kt_path(real, "youtube");
	cJSON *items = kt_collect("youtube", folder, NULL, NULL);
	/* 1 single + 5 on page 1 (page 2 repeats them) + 1 search + 2 replies */
	cr_assert_eq(cJSON_GetArraySize(items), 9, "got %d", cJSON_GetArraySize(items));

	const cJSON *t = must(items, "UgwI_ylXVnzPS8Q-oAV4AaABAg");
	assert_str(t, "author.name", "matrix uduma");
	assert_str(t, "created_at", "2019-11-14T23:31:33Z");
	assert_str(t, "permalink",
	           "https://www.youtube.com/watch?v=F1UP7wRCPH8&lc=UgwI_ylXVnzPS8Q-oAV4AaABAg");
	const char *text = jget(t, "text");
	cr_assert(text && strncmp(text, "Lot's of good light coming in from here #ChromeDevSummit the "
	                                "web", 64) == 0, "%s", text);

	t = must(items, "UgxKREWxIgDrw8w2e_Z4AaABAg");
	assert_str(t, "text", "Super video !!!\nWith full power skil  thank a lot ... \nVery nice , "
	                      "coupe \ncan i give Luke Davit and JESSICA EARl- CHA some tea and tall a "
	                      "more ...");
	assert_str(t, "author.name", "Hieu Nguyen");
	assert_str(t, "author.url", "http://www.youtube.com/channel/UClfzT4CU_yaZjJaI4pKqSjQ");
	assert_str(t, "created_at", "2019-04-20T01:03:39Z");

	assert_str(must(items, "UgyZ1jqkHKYvi1-ruOZ4AaABAg"), "text", "Google.com");
	t = must(items, "Ugw5zYU6n9pmIgAZWvN4AaABAg.91zT3cYb5B291za6voUoRh");
	assert_str(t, "in_reply_to", "Ugw5zYU6n9pmIgAZWvN4AaABAg");
	assert_str(t, "text", "this is the third reply!");
	assert_str(t, "author.name", "kun liu");
	assert_str(t, "created_at", "2019-12-01T04:46:31Z");
	assert_null(t, "permalink");
	t = must(items, "UgyUBI0HsgL9emxcZpR4AaABAg");
	assert_str(t, "text", "Hello");
	assert_null(t, "permalink"); /* a channel discussion: no video */
	cJSON_Delete(items);
	free(folder);
}

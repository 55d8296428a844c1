/*
 * ig_item: Instagram Graph API media and comments -> kudos items.
 *
 * Contract:
 *   - ig_entry() classifies one element of a `data[]` list (media, comment,
 *     or a hashtag from ig_hashtag_search, which is noted and skipped) and
 *     hands it to ig_media() or ig_comment().
 *   - ig_media() makes one social_post from a media object: caption as the
 *     text, timestamp, permalink, the media files, like_count and
 *     comments_count as the likes / replies counts, the author from
 *     `username` (or owner.username).  A media without a caption is noted
 *     and skipped (its comments are still read).  Then every comment under
 *     comments.data[] becomes its own item, in reply to the media id.
 *   - ig_comment() makes one social_post from a comment (text, timestamp,
 *     username or from.username, like_count), in reply to its parent_id,
 *     else the enclosing media / comment, else media.id; replies.data[]
 *     follow, in reply to the comment.
 *   - An entry with no usable id, a member of the wrong type, or a time
 *     that does not parse is skipped with a warning naming the file and
 *     its position (e.g. "data[3].comments.data[1]").
 *   - RETURN VALUE of each: KUDOS_OK (collected, or skipped with a note or
 *     warning), or a negative code after set_error() (store failure, out
 *     of memory) or KUDOS_ESTOP, which ends the collect.
 */
#ifndef IG_ITEM_H
#define IG_ITEM_H

#include <cjson/cJSON.h>
#include <kudos/plugin.h>

/* One page (file) being read. */
struct ig_page {
	const struct kudos_host *host;
	struct kudos_instance *self;
	const char *file;
	long items;      /* emitted and accepted */
	long skipped;    /* skipped with a warning, or refused by the host */
	long no_caption; /* media skipped for having no caption */
	long notes;      /* other entries skipped with a note */
};

int ig_entry(struct ig_page *pg, const cJSON *e, const char *pos);
int ig_media(struct ig_page *pg, const cJSON *m, const char *pos);
int ig_comment(struct ig_page *pg, const cJSON *c, const char *pos,
               const char *parent, int depth);

#endif

/*
 * fb_entry: one Facebook Graph API comment or page-feed post -> a kudos
 * item, then the comments nested under it.
 *
 * Contract:
 *   - fb_entry() reads one element of a `data[]` list (a comment from
 *     /{object}/comments or a post from /{page}/feed or /posts) at
 *     position `pos` ("data[3]"); `parent` is the external id of the post or
 *     comment it is nested under, or NULL at the top.  The mapping is
 *     described in source_facebook.c.
 *   - An entry that is not an object, has no usable id, has a member of
 *     the wrong type or a time that does not parse is skipped with a
 *     warning naming the file and position, with everything nested in it.
 *     An entry without a message is skipped with a note when that is
 *     normal (a story-only post, a share without own words, a comment that
 *     is only a sticker or photo), else with a warning; its nested
 *     comments are still read.
 *   - RETURN VALUE KUDOS_OK (collected, or skipped with a note/warning),
 *     or a negative code after set_error() (store failure, out of memory)
 *     or KUDOS_ESTOP, which ends the collect.
 */
#ifndef FB_ENTRY_H
#define FB_ENTRY_H

#include <cjson/cJSON.h>
#include <kudos/plugin.h>

/* One page (file) being read. */
struct fb_page {
	const struct kudos_host *host;
	struct kudos_instance *self;
	const char *file;
	long items;   /* emitted and accepted */
	long skipped; /* skipped with a warning, or refused by the host */
	long notes;   /* skipped with a note (no message of their own) */
};

int fb_entry(struct fb_page *pg, const cJSON *e, const char *pos, const char *parent,
             int depth);

#endif

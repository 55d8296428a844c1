/*
 * json_reader: reading one JSON payload with cJSON the way every kudos
 * source should.
 *
 * Contract:
 *   - kudos_jr_parse() parses a whole page (as each_file() hands it: NUL-
 *     terminated).  A leading UTF-8 BOM is allowed.  Bytes that are not
 *     UTF-8, a NUL byte, invalid or truncated JSON, or trailing garbage
 *     fail the page with set_error() naming the file, line and column
 *     (columns count characters, from 1) and KUDOS_EINVAL.
 *   - The typed readers (kudos_jr_str, kudos_jr_obj, ...) never return a value of the
 *     wrong type: absent and null read as "not there"; any other type is
 *     remembered in `struct kudos_jr_rd` (the first such key), so the caller can
 *     skip the entry with a warning that names the key.
 *   - Ids stay text: a string id is taken as it is; a numeric id only when
 *     it is a whole number below 2^53 (a double holds those exactly).
 *
 * A helper of the SDK, not part of the ABI: its source is
 * sdk/helpers/json_reader.c, compiled into each plugin that lists it in
 * its sdk-helpers file, so a plugin still links nothing of the engine.
 */
#ifndef KUDOS_JSON_READER_H
#define KUDOS_JSON_READER_H

#include <cjson/cJSON.h>
#include <kudos/plugin.h>
#include <stddef.h>

/* Longest id kept (the host's limit for external ids). */
#define KUDOS_JR_ID_MAX 512

/* RETURN VALUE KUDOS_OK and *out (transfer full: cJSON_Delete it), or
 * KUDOS_EINVAL / KUDOS_ENOMEM after set_error(). */
/* `what` names the payload in messages, e.g. "a Graph API page". */
int kudos_jr_parse(const struct kudos_host *host, struct kudos_instance *self,
                   const char *file, const char *what, const char *data, size_t len,
                   cJSON **out);

/* The first member read with the wrong type, or NULL. */
struct kudos_jr_rd {
	const char *bad;
};

/* A string member; NULL when absent or null (or of the wrong type). */
const char *kudos_jr_str(struct kudos_jr_rd *r, const cJSON *obj, const char *key);
/* An object / array member; NULL when absent or null. */
const cJSON *kudos_jr_obj(struct kudos_jr_rd *r, const cJSON *obj, const char *key);
const cJSON *kudos_jr_arr(struct kudos_jr_rd *r, const cJSON *obj, const char *key);
/* A boolean member: 1 true, 0 false or absent. */
int kudos_jr_bool(struct kudos_jr_rd *r, const cJSON *obj, const char *key);
/* A count (a whole number >= 0, or a string of digits) as decimal text in
 * buf; NULL when absent. */
const char *kudos_jr_count(struct kudos_jr_rd *r, const cJSON *obj, const char *key, char buf[32]);

/* The id in `v` as text.  RETURN VALUE 1 and buf filled; 0 when v is
 * NULL, null or ""; -1 when it is not a usable id (another type, a number
 * that is not whole or not below 2^53, a control character, too long). */
int kudos_jr_id(const cJSON *v, char *buf, size_t size);

/* How many bytes of `s` to print so that at most `max` bytes are shown
 * and no UTF-8 sequence is cut: for "%.*s". */
int kudos_jr_clip(const char *s, int max);

#endif

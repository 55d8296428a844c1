/*
 * Items as JSON for people and scripts (`kudos list --json`, `kudos show
 * --json`): the stable shape documented in README.md.  Not the widget
 * format, which outputs build for themselves.
 */
#ifndef KUDOS_ENGINE_ITEM_JSON_H
#define KUDOS_ENGINE_ITEM_JSON_H

#include <cjson/cJSON.h>

#include "item.h"

/* (transfer full) or NULL when out of memory.  `detail` adds the media,
 * metadata, grant and content hash that `show` prints. */
cJSON *kudos_item_to_json(const struct kudos_item *it, int detail);

#endif

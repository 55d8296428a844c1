/*
 * Reading one Typeform answer.  An answer names its value's kind in
 * `type` and holds the value under the key of that name:
 *   text, email, url, phone_number, date, file_url   a string
 *   number      a number (opinion_scale, rating, number questions)
 *   boolean     true / false (yes_no, legal questions)
 *   choice      {"label": "...", "other": "..."}
 *   choices     {"labels": [...] or null, "other": "..."}
 *   payment     not a value kudos reads
 * An answer without `type` is read by the first of those keys it has.
 * The question it answers is `field`: {"id", "ref", "type"}; the field
 * types are spelled differently in a form's definition and in answers
 * (opinion-scale / opinion_scale, list / multiple_choice, textfield /
 * short_text), so kudos never relies on them.
 *
 * Contract: nothing here fails on a wrong type; a value that is not there
 * reads as "no answer".
 */
#ifndef KUDOS_TF_ANSWER_H
#define KUDOS_TF_ANSWER_H

#include <cjson/cJSON.h>

/* The answer's value as text with surrounding blanks trimmed: a choice's
 * label (or its "other" text), several choices joined with ", ", a number
 * as written (4, 4.5), a boolean as "yes" / "no".  (transfer full, free())
 * NULL when there is no value; *oom set to 1 when out of memory. */
char *tf_answer_text(const cJSON *answer, int *oom);

/* The answer as a number: a number value, or a text / choice label that
 * starts with one ("4", "4 stars").  RETURN VALUE 1 and *v, else 0. */
int tf_answer_number(const cJSON *answer, double *v);

/* A yes/no reading of the answer: true/false; a number 1 / 0; a text or
 * single choice that is yes, y, true, 1, x, agree, I agree, accept, I
 * accept, or starts with the word "yes" ("Yes, quote me") -- or the
 * matching no words.  Case and blanks are ignored.
 * RETURN VALUE 1 yes, 0 no (or no answer), -1 neither. */
int tf_answer_yes(const cJSON *answer);

/* The field's ref and id (either may be NULL). */
const char *tf_answer_ref(const cJSON *answer);
const char *tf_answer_id(const cJSON *answer);

#endif

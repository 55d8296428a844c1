/*
 * Errors inside the engine.
 *
 * A function that can fail returns 0 on success and -1 on failure, after
 * filling a struct kudos_error with a sentence for the user and the class
 * of the failure, which becomes the exit status: KUDOS_EXIT_INPUT (2) when
 * the user's input was bad (job file, payload, id, usage), KUDOS_EXIT_FAIL
 * (1) when the run itself could not be done.  The first error set wins, so
 * that cleanup paths never hide the cause.
 */
#ifndef KUDOS_ENGINE_ERROR_H
#define KUDOS_ENGINE_ERROR_H

#include <stddef.h>

enum {
	KUDOS_EXIT_OK = 0,
	KUDOS_EXIT_FAIL = 1,
	KUDOS_EXIT_INPUT = 2
};

struct kudos_error {
	int status;     /* KUDOS_EXIT_*; 0 while no error is set */
	char msg[1024];
};

/* Set the error unless one is already set.  RETURN VALUE always -1, so a
 * caller can write `return kudos_fail(err, ...)`. */
int kudos_fail(struct kudos_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Forget any error, e.g. after reporting it and moving on. */
void kudos_error_clear(struct kudos_error *err);

#endif

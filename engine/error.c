#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int kudos_fail(struct kudos_error *err, int status, const char *fmt, ...)
{
	if (!err || err->status)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	err->status = status ? status : KUDOS_EXIT_FAIL;
	return -1;
}

void kudos_error_clear(struct kudos_error *err)
{
	err->status = 0;
	err->msg[0] = '\0';
}

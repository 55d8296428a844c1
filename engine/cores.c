#include "cores.h"

#include <sched.h>
#include <unistd.h>

int kudos_cores(void)
{
	/* Readers and renderers started beyond the CPUs we may use only
	 * take turns with each other: on one allowed CPU, two page readers
	 * and the store writer shared it. */
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	return online > 0 ? (int)(online < 1024 ? online : 1024) : 1;
}

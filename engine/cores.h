/*
 * How many threads are worth running.
 *
 * Contract: kudos_cores() is the number of CPUs this process may run on:
 * its affinity mask, as taskset, a container's cpuset or a CI runner set
 * it, not every CPU the machine has online.  At least 1.  Thread-safe.
 */
#ifndef KUDOS_ENGINE_CORES_H
#define KUDOS_ENGINE_CORES_H

int kudos_cores(void);

#endif

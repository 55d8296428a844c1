/* Threads follow the CPUs the process may use (taskset, a cpuset), not
 * the CPUs the machine has. */
#include <criterion/criterion.h>
#include <sched.h>

#include "cores.h"

Test(cores, follow_the_affinity_mask)
{
	cpu_set_t all, one;
	cr_assert_eq(sched_getaffinity(0, sizeof all, &all), 0);
	cr_assert_eq(kudos_cores(), CPU_COUNT(&all));

	/* Criterion runs each test in a process of its own: narrowing this
	 * one's mask touches no other test. */
	int first = 0;
	while (!CPU_ISSET(first, &all))
		first++;
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof one, &one), 0);
	cr_assert_eq(kudos_cores(), 1);
	cr_assert_eq(sched_setaffinity(0, sizeof all, &all), 0);
	cr_assert_eq(kudos_cores(), CPU_COUNT(&all));
}

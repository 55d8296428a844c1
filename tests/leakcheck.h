/*
 * Leak checks inside a test.  Under AddressSanitizer, the report
 * LeakSanitizer prints when a criterion worker exits does not fail the
 * test (its result is in by then), so a suite that wants leaks to count
 * calls KT_ASSERT_NO_LEAKS() at the end of a test, after freeing what it
 * owns.  Without the sanitizer it does nothing.
 */
#ifndef KUDOS_TEST_LEAKCHECK_H
#define KUDOS_TEST_LEAKCHECK_H

#include <criterion/criterion.h>

#if defined(__SANITIZE_ADDRESS__)
#define KT_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KT_LSAN 1
#endif
#endif

#ifdef KT_LSAN
#include <sanitizer/lsan_interface.h>
#define KT_ASSERT_NO_LEAKS(...)                                                   \
	cr_assert_eq(__lsan_do_recoverable_leak_check(), 0,                        \
	             "memory leaked (LeakSanitizer's report is on stderr) " __VA_ARGS__)
#else
#define KT_ASSERT_NO_LEAKS(...) ((void)0)
#endif

#endif

/* Hostile test apps for the ring trap channel: each breaks the ring's rules one way (its name picks which). */
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tock/abi.h"
#include "tock/drivers/console.h"
#include "tock/trap_ring.h"

extern uint32_t tock_proc_trap_seq __attribute__((weak));

static struct tock_ring_app_page *const app_page = (struct tock_ring_app_page *)(uintptr_t)TOCK_RING_ADDR;
static struct tock_ring_sup_page *const sup_page =
	(struct tock_ring_sup_page *)(uintptr_t)(TOCK_RING_ADDR + TOCK_RING_PAGE);

static void wake_supervisor(void)
{
	syscall(SYS_futex, &app_page->a2s_head, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Publish one frame by hand, as the runner would, with a chosen stamp. */
static void publish(const struct tock_trap_frame *f, uint32_t stamp_offset)
{
	uint32_t head = app_page->a2s_head;
	struct tock_ring_slot *slot = &app_page->a2s[head % TOCK_RING_SLOTS];

	slot->frame = *f;
	slot->reserved = 0;
	slot->seq = head + 1 + stamp_offset;
	__atomic_store_n(&app_page->a2s_head, head + 1, __ATOMIC_SEQ_CST);
	wake_supervisor();
}

static struct tock_trap_frame command_frame(void)
{
	struct tock_trap_frame f = { .magic = TOCK_TRAP_MAGIC, .version = TOCK_TRAP_VERSION, .kind = TOCK_TRAP_SYSCALL,
		                     .op = TOCK_CLASS_COMMAND, .arg = { TOCK_DRIVER_CONSOLE, 0, 0, 0, 0 } };

	f.seq = ++tock_proc_trap_seq;
	return f;
}

/* Whatever was done, the supervisor must now fault us; coming back from here means it did not. */
static int linger(const char *name)
{
	for (int i = 0; i < 200000000; i++)
		__asm__ volatile("pause");
	printf("ESCAPED (%s was not faulted)\n", name);
	return 3;
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	struct tock_trap_frame f;

	printf("%s: starting\n", name);
	fflush(stdout);
	if (!strcmp(name, "ring_bad_seq")) {
		/* A frame whose slot stamp does not match the head that publishes it. */
		f = command_frame();
		publish(&f, 7);
	} else if (!strcmp(name, "ring_garbage")) {
		/* A head that claims far more frames than the ring holds. */
		__atomic_store_n(&app_page->a2s_head, app_page->a2s_head + 1000, __ATOMIC_SEQ_CST);
		wake_supervisor();
	} else if (!strcmp(name, "ring_write_sup")) {
		/* The supervisor's page is mapped (readable) but read-only here: the write must fault (SIGSEGV). */
		printf("ring_write_sup: answers so far %u, about to write at %#llx\n",
		       (unsigned)*(volatile uint32_t *)&sup_page->s2a_head, (unsigned long long)(uintptr_t)&sup_page->s2a_head);
		fflush(stdout);
		*(volatile uint32_t *)&sup_page->s2a_head = 12345;
	} else if (!strcmp(name, "ring_futex_other")) {
		/* futex is allowed only on the ring's two words: a wait on our own stack must be refused. */
		uint32_t word = 0;

		syscall(SYS_futex, &word, FUTEX_WAIT, 0, NULL, NULL, 0);
	} else if (!strcmp(name, "ring_no_read")) {
		/* Valid syscalls back to back, never consuming an answer: the supervisor's ring fills up. */
		for (int i = 0; i < 4 * (int)TOCK_RING_SLOTS; i++) {
			f = command_frame();
			publish(&f, 0);
			/* Let the supervisor take it (and answer into our ring), so our own ring never overflows. */
			for (int spins = 0; spins < 100000000 &&
			     __atomic_load_n(&sup_page->a2s_taken, __ATOMIC_SEQ_CST) != app_page->a2s_head; spins++)
				__asm__ volatile("pause");
		}
	} else if (!strcmp(name, "ring_wake_others")) {
		/* Wake every app's word of the wake page, over and over: allowed, and it must harm nobody. */
		const uint32_t *words = (const uint32_t *)(uintptr_t)TOCK_RING_WAKE_ADDR;

		printf("ring_wake_others: my word is %u\n", (unsigned)sup_page->wake_index);
		fflush(stdout);
		for (;;)
			for (unsigned i = 0; i < TOCK_RING_WAKE_WORDS; i++)
				syscall(SYS_futex, &words[i], FUTEX_WAKE, 1, NULL, NULL, 0);
	} else if (!strcmp(name, "ring_wait_other_word")) {
		/* Waiting is allowed on our own word only: another app's word must be refused. */
		const uint32_t *words = (const uint32_t *)(uintptr_t)TOCK_RING_WAKE_ADDR;
		uint32_t other = sup_page->wake_index == 1 ? 2 : 1;

		syscall(SYS_futex, &words[other], FUTEX_WAIT, words[other], NULL, NULL, 0);
	} else if (!strcmp(name, "ring_lagging_head")) {
		/*
		 * Not hostile: a frame stamped in its slot whose head moves 20 ms later, as when the runner
		 * is preempted between its two stores. The supervisor may take it by its stamp; the lagging
		 * head is "nothing yet", never a broken ring. The answer's check is our exit status (the
		 * runner's own counters no longer match the ring, so nothing else may go through it).
		 */
		uint32_t head = app_page->a2s_head, answers = sup_page->s2a_head;
		struct tock_ring_slot *slot = &app_page->a2s[head % TOCK_RING_SLOTS];
		const struct tock_ring_slot *answer = &sup_page->s2a[answers % TOCK_RING_SLOTS];
		struct timespec t0, t;

		f = command_frame();
		slot->frame = f;
		slot->reserved = 0;
		__atomic_store_n(&slot->seq, head + 1, __ATOMIC_RELEASE);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t);
		while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 20000000L);
		__atomic_store_n(&app_page->a2s_head, head + 1, __ATOMIC_SEQ_CST);
		wake_supervisor();
		while (__atomic_load_n(&answer->seq, __ATOMIC_ACQUIRE) != answers + 1)
			__asm__ volatile("pause");
		syscall(SYS_exit_group, answer->frame.seq == f.seq && answer->frame.kind == TOCK_TRAP_RETURN &&
		                                        answer->frame.arg[0] == TOCK_RET_SUCCESS
		                                ? 0
		                                : 5);
	} else if (!strcmp(name, "ring_hammer")) {
		/* Wake the supervisor over and over without ever publishing a frame. */
		for (;;)
			wake_supervisor();
	} else {
		printf("ring_hostile: unknown role '%s'\n", name);
		return 1;
	}
	return linger(name);
}

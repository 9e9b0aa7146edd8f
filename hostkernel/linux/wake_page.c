/* The run's wake page (tock/trap_ring.h): one futex word per app process, so a parking app can wake the next itself. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostkernel/linux/backend_internal.h"
#include "tock/trap_ring.h"

/*
 * Why: waking a sleeping app from the supervisor's core takes an inter-processor interrupt, which
 * in a VM costs several times the hand-over itself. The app that blocks is already on the app
 * core, so when it goes to sleep it wakes the next app there instead (the ring's `handoff`), and
 * the supervisor pays the wake-up itself only if that does not happen (event_loop.c).
 */
int lx_wake_page_create(struct hk_linux *lx)
{
	int fd = memfd_create("tock-wake-page", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	void *m;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, TOCK_RING_PAGE) < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0 ||
	    (m = mmap(NULL, TOCK_RING_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED) {
		int r = -errno;

		close(fd);
		return r;
	}
	lx->wake_fd = fd;
	lx->wake_words = m;
	return 0;
}

void lx_wake_page_free(struct hk_linux *lx)
{
	if (lx->wake_words)
		munmap(lx->wake_words, TOCK_RING_PAGE);
	if (lx->wake_fd >= 0)
		close(lx->wake_fd);
	lx->wake_words = NULL;
	lx->wake_fd = -1;
}

/* Give a ring channel a word of its own; without a page or a free word it sleeps on its ring head. */
void lx_wake_attach(struct hk_linux *lx, struct lx_channel *ch)
{
	if (!lx->wake_words || !ch->sup)
		return;
	for (uint32_t i = 1; i < TOCK_RING_WAKE_WORDS; i++) {
		if (lx->wake_claimed[i])
			continue;
		lx->wake_claimed[i] = true;
		ch->wake_claim = &lx->wake_claimed[i];
		ch->wake_word = &lx->wake_words[i];
		ch->wake_index = i;
		ch->sup->wake_index = i;
		return;
	}
}

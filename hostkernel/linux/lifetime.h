/* One lifetime rule for backend objects that io_uring requests and handlers point at (app incarnations, control clients). */
#ifndef TOCKHOST_LINUX_LIFETIME_H
#define TOCKHOST_LINUX_LIFETIME_H

#include <stdbool.h>

/*
 * An object is *held* by each io_uring request armed on it (until its completion has been
 * handled) and by each handler running on it (so a handler that closes it cannot free it under
 * itself or its callers). Closing marks it; it is released exactly once, by whoever sees it
 * closed with no hold left: the closer when nothing holds it, else the last drop. Nothing else
 * may free such an object, which is what keeps a late completion from touching freed memory.
 */
struct lx_life {
	unsigned holds;
	bool closing;
};

static inline void lx_life_hold(struct lx_life *l)
{
	l->holds++;
}

/* Let one hold go: true when the caller must release the object now. */
static inline bool lx_life_drop(struct lx_life *l)
{
	return --l->holds == 0 && l->closing;
}

/* Mark it closed: true (once) when nothing holds it, so the caller releases it now. */
static inline bool lx_life_close(struct lx_life *l)
{
	bool first = !l->closing;

	l->closing = true;
	return first && l->holds == 0;
}

/* Closed and let go by all (for a release check outside lx_life_drop / lx_life_close). */
static inline bool lx_life_releasable(const struct lx_life *l)
{
	return l->closing && l->holds == 0;
}

#endif

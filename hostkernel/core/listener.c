/* Process-state listeners: registration (with the capability) and the synchronous notification of each transition. */
#include <errno.h>
#include <stddef.h>

#include "hostkernel/core/core.h"
#include "hostkernel/core/trace_emit.h"

int hk_process_listener_register(struct hk_kernel *k, const struct hk_cap_process_state *cap,
                                 struct hk_process_listener *listener)
{
	struct hk_process_listener **tail;

	if (!k || cap != &k->cap_state)
		return -EPERM;
	if (!listener || !listener->notify)
		return -EINVAL;
	/* Append: listeners are called in registration order. */
	for (tail = &k->listeners; *tail; tail = &(*tail)->next)
		if (*tail == listener)
			return -EEXIST;
	listener->next = NULL;
	*tail = listener;
	return 0;
}

void hk_core_notify(struct hk_kernel *k, hk_pid pid, hk_pid new_pid, enum hk_process_event ev)
{
	/* Traced first: the listeners' consequences (a client's NODEVICE upcall) follow the cause. */
	if (k->tracer)
		hk_trace_state(k, pid, new_pid, (enum hk_trace_state_change)ev);
	for (struct hk_process_listener *l = k->listeners; l; l = l->next)
		l->notify(l, k, pid, new_pid, ev);
}

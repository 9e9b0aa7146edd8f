/* Trap-channel codec: every field of an app's frame is checked before the kernel sees it. */
#include <errno.h>
#include <string.h>

#include "hostkernel/transport/trap_codec.h"

static int reject(const char **ret_reason, const char *why)
{
	if (ret_reason)
		*ret_reason = why;
	return -EPROTO;
}

int hk_trap_decode(const void *buf, size_t len, struct hk_trap_msg *ret, const char **ret_reason)
{
	struct tock_trap_frame f;

	if (ret_reason)
		*ret_reason = NULL;
	if (!buf || !ret)
		return reject(ret_reason, "no trap frame");
	if (len != sizeof(f))
		return reject(ret_reason, "trap frame has the wrong length");
	memcpy(&f, buf, sizeof(f)); /* the buffer may be unaligned */
	if (f.magic != TOCK_TRAP_MAGIC)
		return reject(ret_reason, "trap frame has a bad magic number");
	if (f.version != TOCK_TRAP_VERSION)
		return reject(ret_reason, "trap frame has an unsupported version");
	memset(ret, 0, sizeof(*ret));
	ret->seq = f.seq;
	switch (f.kind) {
	case TOCK_TRAP_HELLO:
		ret->kind = TOCK_TRAP_HELLO;
		return 0;
	case TOCK_TRAP_SYSCALL:
		ret->kind = TOCK_TRAP_SYSCALL;
		ret->syscall.class_id = f.op;
		memcpy(ret->syscall.r, f.arg, sizeof(ret->syscall.r));
		if (!tock_chain_link_valid(f.arg[4]))
			return reject(ret_reason, "trap frame has an unknown chain link");
		if (f.arg[4] != TOCK_CHAIN_NONE && f.op == TOCK_CLASS_EXIT)
			return reject(ret_reason, "an exit syscall cannot be chained");
		ret->link = f.arg[4];
		return 0;
	case TOCK_TRAP_FAULT:
		if (f.op < TOCK_FAULT_SYSCALL || f.op > TOCK_FAULT_ABORT)
			return reject(ret_reason, "trap frame has an unknown fault cause");
		ret->kind = TOCK_TRAP_FAULT;
		ret->cause = (enum tock_fault_cause)f.op;
		memcpy(ret->fault_arg, f.arg, sizeof(ret->fault_arg));
		return 0;
	case TOCK_TRAP_SHARE_DONE:
		ret->kind = TOCK_TRAP_SHARE_DONE;
		ret->share_status = f.op;
		ret->share_address = f.arg[0];
		return 0;
	case TOCK_TRAP_START:
	case TOCK_TRAP_RETURN:
	case TOCK_TRAP_UPCALL:
	case TOCK_TRAP_SHARE_MAP:
	case TOCK_TRAP_SHARE_UNMAP:
		return reject(ret_reason, "trap frame kind is not allowed from an app");
	default:
		return reject(ret_reason, "trap frame has an unknown kind");
	}
}

int hk_trap_encode(const struct hk_resume *r, uint32_t seq, struct tock_trap_frame *ret)
{
	uint16_t kind;

	if (!r || !ret)
		return -EINVAL;
	switch (r->kind) {
	case HK_RESUME_START:
		kind = TOCK_TRAP_START;
		break;
	case HK_RESUME_RETURN:
		kind = TOCK_TRAP_RETURN;
		break;
	case HK_RESUME_UPCALL:
		kind = TOCK_TRAP_UPCALL;
		break;
	default:
		return -EINVAL;
	}
	memset(ret, 0, sizeof(*ret));
	ret->magic = TOCK_TRAP_MAGIC;
	ret->version = TOCK_TRAP_VERSION;
	ret->kind = kind;
	ret->seq = seq;
	if (kind != TOCK_TRAP_START)
		memcpy(ret->arg, r->arg, sizeof(ret->arg));
	return 0;
}

const char *hk_trap_fault_cause_name(uint32_t cause)
{
	switch (cause) {
	case TOCK_FAULT_SYSCALL:
		return "syscall";
	case TOCK_FAULT_MEMORY:
		return "memory";
	case TOCK_FAULT_ILLEGAL:
		return "illegal instruction";
	case TOCK_FAULT_ABORT:
		return "abort";
	default:
		return "unknown";
	}
}

const char *hk_trap_access_name(uint64_t access)
{
	switch (access) {
	case TOCK_ACCESS_READ: return "read";
	case TOCK_ACCESS_WRITE: return "write";
	case TOCK_ACCESS_EXEC: return "exec";
	default: return "unknown access";
	}
}

/* Where every syscall answer leaves for the app: the one -errno -> TRD104 ErrorCode table and the check of command results. */
#include <errno.h>
#include <string.h>

#include "hostkernel/core/core.h"

/*
 * Inside the kernel an error is a -errno; an app sees TRD104 ErrorCodes. This table is the only
 * translation, one errno per ErrorCode (so the board filter's ErrorCodes survive the round trip).
 * Any other errno reaches the app as FAIL.
 */
static const struct {
	int err;
	uint32_t code;
} errno_codes[] = {
	{ -EIO, TOCK_ERR_FAIL },
	{ -EBUSY, TOCK_ERR_BUSY },
	{ -EALREADY, TOCK_ERR_ALREADY },
	{ -ENETDOWN, TOCK_ERR_OFF },
	{ -EADDRINUSE, TOCK_ERR_RESERVE },
	{ -EINVAL, TOCK_ERR_INVAL },
	{ -EMSGSIZE, TOCK_ERR_SIZE },
	{ -ECANCELED, TOCK_ERR_CANCEL },
	{ -ENOMEM, TOCK_ERR_NOMEM },
	{ -EOPNOTSUPP, TOCK_ERR_NOSUPPORT },
	{ -ENODEV, TOCK_ERR_NODEVICE },
	{ -ENXIO, TOCK_ERR_UNINSTALLED },
	{ -ECOMM, TOCK_ERR_NOACK },
};
#define N_CODES (sizeof(errno_codes) / sizeof(errno_codes[0]))

uint32_t hk_error_code(int err)
{
	for (size_t i = 0; i < N_CODES; i++)
		if (errno_codes[i].err == err)
			return errno_codes[i].code;
	return TOCK_ERR_FAIL;
}

int hk_error_errno(uint32_t code)
{
	for (size_t i = 0; i < N_CODES; i++)
		if (errno_codes[i].code == code)
			return errno_codes[i].err;
	return -EIO;
}

void hk_core_set_return(struct hk_resume *ret, uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3)
{
	memset(ret, 0, sizeof(*ret));
	ret->kind = HK_RESUME_RETURN;
	ret->arg[0] = r0;
	ret->arg[1] = r1;
	ret->arg[2] = r2;
	ret->arg[3] = r3;
}

void hk_core_return_error(struct hk_resume *ret, uint32_t variant, int err, uint64_t v0, uint64_t v1)
{
	hk_core_set_return(ret, variant, hk_error_code(err), v0, v1);
}

/* How many of r1..r3 the variant carries; -1 for a variant a command may not return. */
static int command_words(uint32_t variant)
{
	switch (variant) {
	case TOCK_RET_FAILURE: return 1;
	case TOCK_RET_FAILURE_U32: return 2;
	case TOCK_RET_FAILURE_U32_U32: return 3;
	case TOCK_RET_FAILURE_U64: return 3;
	case TOCK_RET_SUCCESS: return 0;
	case TOCK_RET_SUCCESS_U32: return 1;
	case TOCK_RET_SUCCESS_U32_U32: return 2;
	case TOCK_RET_SUCCESS_U64: return 2;
	case TOCK_RET_SUCCESS_U32_U32_U32: return 3;
	case TOCK_RET_SUCCESS_U32_U64: return 3;
	default: return -1;
	}
}

bool hk_core_command_ret_ok(const struct hk_cmd_ret *r)
{
	int words = command_words(r->variant);
	uint32_t w[3] = { r->r1, r->r2, r->r3 };

	if (words < 0)
		return false;
	if (r->variant < TOCK_RET_SUCCESS && (r->r1 == 0 || r->r1 > TOCK_ERR_MAX))
		return false;
	for (int i = words; i < 3; i++)
		if (w[i] != 0)
			return false; /* a register the variant does not carry: stale capsule data must not leak */
	return true;
}

void hk_core_return_command(struct hk_resume *ret, const struct hk_cmd_ret *r)
{
	/* A capsule can only answer with one of TRD104's command variants; anything else is its bug, and the app
	 * gets a well-formed Failure(FAIL) instead of registers it cannot decode. */
	if (!hk_core_command_ret_ok(r)) {
		hk_core_return_error(ret, TOCK_RET_FAILURE, -EIO, 0, 0);
		return;
	}
	hk_core_set_return(ret, r->variant, r->r1, r->r2, r->r3);
}

/* The board's syscall filter: each process's TBF Permissions TLV decides what it may call (Tock's default-allow filter). */
#include "board/syscall_filter.h"

#include "loader/tbf.h"
#include "tock/abi.h"

static uint32_t tbf_filter_check(const struct hk_syscall_filter *self, const struct hk_process *p, uint32_t class_id,
                                 uint32_t driver, uint32_t number)
{
	const struct tbf_info *info = hk_process_header(p);
	int r;

	(void)self;
	if (!info || !info->has_permissions)
		return 0;
	if (class_id == TOCK_CLASS_COMMAND)
		r = tbf_permission_check_command(info, driver, number);
	else
		r = tbf_permission_check_driver(info, driver);
	return r > 0 ? (uint32_t)r : r < 0 ? TOCK_ERR_NODEVICE : 0;
}

const struct hk_syscall_filter board_tbf_syscall_filter = { .check = tbf_filter_check };

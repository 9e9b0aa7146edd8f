/* The board's syscall filter: Tock's TBF-header permissions filter, default allow. */
#ifndef TOCKHOST_BOARD_SYSCALL_FILTER_H
#define TOCKHOST_BOARD_SYSCALL_FILTER_H

#include "hostkernel/kernel.h"

/*
 * Like Tock's TbfHeaderFilterDefaultAllow: a process whose TBF header (hk_process_header(), a
 * struct tbf_info) has a Permissions TLV may only command the (driver, command) pairs it lists and
 * subscribe/allow on the drivers it names (NODEVICE otherwise, or the ErrorCode the check gives);
 * a process without one, or without a header, may call everything.
 */
extern const struct hk_syscall_filter board_tbf_syscall_filter;

#endif

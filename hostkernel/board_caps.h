/* Minting of the kernel's capabilities: included only by board setup and tests (a lint test enforces it). */
#ifndef TOCKHOST_BOARD_CAPS_H
#define TOCKHOST_BOARD_CAPS_H

#include "capsule.h"

struct hk_kernel_caps {
	const struct hk_cap_process_state *process_state;
	const struct hk_cap_process_info *process_info;
	const struct hk_cap_memory_map *memory_map;
};

/* The kernel's single instance of each capability. Call once, from board setup. */
void hk_kernel_mint_caps(struct hk_kernel *k, struct hk_kernel_caps *ret);

#endif

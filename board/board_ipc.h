/* Board wiring of the IPC capsules: registries, Relay Request, Relay Message, Share, with their capabilities. */
#ifndef TOCKHOST_BOARD_IPC_H
#define TOCKHOST_BOARD_IPC_H

#include "board/board_config.h"
#include "control/control.h"
#include "hostkernel/board_caps.h"

struct board_ipc;

/*
 * Create and register every IPC capsule the board file enables, under its number. Prints one
 * line on failure. 0 or -errno; on failure *ret still owns what was created (free it).
 */
int board_ipc_setup(struct hk_kernel *k, const struct hk_kernel_caps *caps, const struct board_config *c,
                    struct board_ipc **ret);
/* The capsules and numbers the control service reports on (all NULL when ipc is NULL). */
void board_ipc_for_control(const struct board_ipc *ipc, struct control_ipc *ret);
/* Must run after hk_kernel_free(): the capsules' process listeners stay registered until then. Accepts NULL. */
void board_ipc_free(struct board_ipc *ipc);

#endif

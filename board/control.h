/* The board's control-socket service: answers ipcctl requests from kernel and capsule state, streams traces. */
#ifndef TOCKHOST_BOARD_CONTROL_H
#define TOCKHOST_BOARD_CONTROL_H

#include "board/board_config.h"

struct board_control;
struct hk_kernel;
struct hk_linux;

/*
 * Open the control socket (path NULL: the default location) and install the kernel tracer
 * that feeds `stats` and `trace`. Call after every capsule is registered. Prints nothing;
 * 0 or -errno with *ret_why.
 */
int board_control_new(struct hk_linux *lx, struct hk_kernel *k, const struct board_config *cfg, const char *path,
                      struct board_control **ret, const char **ret_why);
const char *board_control_path(const struct board_control *bc);
/* Close every client, unlink the socket, remove the tracer. Call after hk_linux_run and before hk_kernel_free. Accepts NULL. */
void board_control_free(struct board_control *bc);

#endif

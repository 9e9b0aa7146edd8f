/* Board setup: builds the kernel, wires capsules and the Linux backend, loads apps, runs. */
#ifndef TOCKHOST_BOARD_H
#define TOCKHOST_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "board/board_config.h"

struct board_options {
	struct board_config config;
	const char *tock_proc_path;
	const char *stdin_app; /* NULL: stdin is not read */
	uint64_t run_for_ns;   /* 0: no limit */
	bool color, quiet;
	const char *control_socket; /* --control-socket PATH; NULL = default location */
	bool no_control_socket;     /* --no-control-socket */
	char *const *app_paths;
	int n_app_paths;
};

/* Run the apps; returns the process exit status (0 ok, 1 an app failed or did not load, 2 panic). */
int board_run(const struct board_options *o);

#endif

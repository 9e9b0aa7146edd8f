/* The board file ([kernel], [memory], [drivers] INI keys): defaults, parsing and checking. */
#ifndef TOCKHOST_BOARD_CONFIG_H
#define TOCKHOST_BOARD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/kernel.h"
#include "hostkernel/linux/linux_backend.h"

#define BOARD_DEFAULT_FAULT_RESTARTS 3u
#define BOARD_DEFAULT_UPCALL_QUEUE_DEPTH 10u
#define BOARD_DEFAULT_TIMESLICE_MS 10u
/* Under virtual time a real-time slice would let host load reorder apps; only a spinning app should hit this one. */
#define BOARD_DEFAULT_VIRTUAL_TIMESLICE_MS 1000u
#define BOARD_DEFAULT_ALARM_HZ 1000000u
#define BOARD_DEFAULT_RAM_SIZE 65536u
#define BOARD_DEFAULT_STACK_SIZE 16384u
#define BOARD_DEFAULT_GRANT_SIZE 8192u

#define BOARD_MAX_RESERVED_NAMES 16u

struct board_driver_setting {
	bool enabled;
	uint32_t number;
};

struct board_config {
	/* [kernel] */
	struct hk_fault_policy fault_policy;
	uint32_t upcall_queue_depth;
	bool virtual_time;
	uint32_t timeslice_ms; /* 0 = default for the time mode (real 10 ms, virtual 1000 ms) */
	uint32_t alarm_frequency_hz;
	uint32_t mpu_model;   /* enum hk_mpu_kind (hostkernel/mpu_model.h) */
	uint32_t mpu_regions; /* 0 = the model's own count */
	enum hk_linux_trap_channel trap_channel; /* AUTO: $TOCKHOST_TRAP_CHANNEL, else the ring where it runs */
	/* [memory] (bytes) */
	uint32_t ram_size;  /* per-app RAM floor: max(TBF minimum RAM, this) */
	uint32_t ram_extra; /* added on top of that */
	uint32_t stack_size;
	uint32_t grant_size;
	/* [drivers] */
	struct board_driver_setting console, alarm, rng;
	struct board_driver_setting ipc_registry_string_name, ipc_registry_package_name;
	struct board_driver_setting ipc_relay_request, ipc_relay_message;
	struct board_driver_setting ipc_share;
	/* [ipc_names]: string-registry names only one package may register (the registration policy hook). */
	struct board_name_reservation {
		char name[21];     /* 1..20 bytes, NUL-terminated here; the registry compares it zero-padded */
		char package[256]; /* the TBF package name that may register it */
	} reserved_names[BOARD_MAX_RESERVED_NAMES];
	unsigned n_reserved_names;
};

/* One error with enough context for `tockhost: FILE:LINE: message`. */
struct board_config_error {
	unsigned line; /* 0: not tied to a line */
	char message[200];
};

void board_config_defaults(struct board_config *ret);

/*
 * Apply one `key = value` of `section`. 0, or -EINVAL with ret_err->message set (line left
 * alone). Used by the file parser and directly by tests.
 */
int board_config_set(struct board_config *c, const char *section, const char *key, const char *value,
                     struct board_config_error *ret_err);

/* Is `name` a section this board file knows? */
bool board_config_known_section(const char *name);

/* Parse an INI text from a stream; 0 or -EINVAL (ret_err filled, line set) / -EIO. */
int board_config_parse_stream(struct board_config *c, void *file, struct board_config_error *ret_err);
/* Parse a board file. 0, -errno from opening it, or -EINVAL with ret_err filled. */
int board_config_parse_file(struct board_config *c, const char *path, struct board_config_error *ret_err);

/* Cross-key checks after parsing and command-line overrides (e.g. two drivers on one number). */
int board_config_check(const struct board_config *c, struct board_config_error *ret_err);

/* "ring" | "socket" | "auto". 0 or -EINVAL. */
int board_parse_trap_channel(const char *s, enum hk_linux_trap_channel *ret);

/* "panic" | "stop" | "restart" | "restart:N". 0 or -EINVAL. */
int board_parse_fault_policy(const char *s, struct hk_fault_policy *ret);
/* Human form of a policy, e.g. "restart:3", into buf. */
const char *board_fault_policy_str(const struct hk_fault_policy *p, char *buf, size_t len);

#endif

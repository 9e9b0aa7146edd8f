/* Fake-process backend internals shared by its files (not for tests: use fake_backend.h). */
#ifndef TOCKHOST_FAKE_INTERNAL_H
#define TOCKHOST_FAKE_INTERNAL_H

#include "hostkernel/fake/fake_backend.h"

#define KIB 1024u
#define HK_FAKE_WFLASH_SIZE 256u
#define HK_FAKE_FN_AREA 0x100u /* hk_fake_upcall_fn addresses: 64 x 4 bytes after the header */

struct fake_proc {
	struct hk_fake_world *w;
	struct hk_process *p;
	size_t slot;
	struct hk_fake_proc_config cfg;
	char name[24];
	uint8_t *flash, *ram;
	struct hk_memory_map map;
	uint64_t data_next, flash_next;
	uint32_t kills, spawns;
};

/* One shared region mapped into one fake process (fake_share.c). */
struct fake_share_map {
	struct hk_process *p;
	void *handle;
	uint64_t addr, len;
	bool writable;
};

struct hk_fake_world {
	struct hk_kernel *k;
	struct hk_platform_ops ops;
	struct hk_kernel_caps caps;
	struct fake_proc *procs[HK_FAKE_MAX_PROCS];
	size_t n_procs;
	uint64_t real_now;
	hk_fake_filter_fn filter;
	void *filter_ctx;
	struct hk_syscall_filter filter_policy; /* handed to the kernel; calls filter */
	bool fail_next_spawn, panicked;
	const char *panic_why;
	char panic_buf[128];
	struct fake_share_map *share_maps;
	size_t n_share_maps, cap_share_maps;
};

struct fake_proc *hk_fake_fp(struct hk_process *p);

/* fake_share.c: the platform's share ops */
int hk_fake_op_share_create(void *ctx, uint64_t len, void **ret_handle);
int hk_fake_op_share_map(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool writable);
void hk_fake_op_share_unmap(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool ending);
void hk_fake_op_share_destroy(void *ctx, void *handle);

#endif

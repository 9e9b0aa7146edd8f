/* bnull: times the null syscall (console command 0, the existence check) in a tight loop, REPS x ITERS. */
#include "../bench_app.h"

#define CONSOLE_DRIVER 0x1u

/* ITERS round trips; the return is checked so a broken trap cannot pass for a fast one. */
static int null_loop(unsigned iters)
{
	for (unsigned i = 0; i < iters; i++) {
		syscall_return_t r = command(CONSOLE_DRIVER, 0, 0, 0);

		if (r.type != TOCK_SYSCALL_SUCCESS)
			return -1;
	}
	return 0;
}

int main(void)
{
	unsigned reps, iters;

	if (bench_read_params(&reps, &iters) != 0)
		return bench_fail("params", RETURNCODE_EINVAL);
	if (null_loop(iters < 100 ? iters : 100) != 0) /* warm-up: fault in the code path */
		return bench_fail("command", RETURNCODE_FAIL);
	for (unsigned rep = 0; rep < reps; rep++) {
		uint32_t traps0 = bench_traps();
		uint64_t t0 = bench_now_ns(), ns;

		if (null_loop(iters) != 0)
			return bench_fail("command", RETURNCODE_FAIL);
		ns = bench_now_ns() - t0;
		printf("BENCH null rep=%u iters=%u ns=%llu traps=%u\n", rep, iters, (unsigned long long)ns,
		       (unsigned)(bench_traps() - traps0));
	}
	return 0;
}

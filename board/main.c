/* The tockhost command line: `tockhost run [OPTIONS] APP.tbf...`, --help, --version. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "board/board.h"
#include "board/board_config.h"
#include "board/testrun.h"

#ifndef TOCKHOST_VERSION
#define TOCKHOST_VERSION "unknown"
#endif
#ifndef TOCKHOST_PROC_BUILD_PATH
#define TOCKHOST_PROC_BUILD_PATH ""
#endif

static const char usage[] =
	"Usage: tockhost run [OPTIONS] APP.tbf|APP.tab...\n"
	"       tockhost test [--junit FILE] [-v] SPEC   (app tests from a spec file; tockhost test --help)\n"
	"       tockhost --help | --version\n"
	"\n"
	"Run Tock apps (TBF images, or a TAB's x86_64.tbf) as sandboxed Linux processes under a host Tock\n"
	"kernel.\n"
	"App console output goes to stdout as `[app] line`; supervisor messages go to stderr.\n"
	"\n"
	"Options:\n"
	"  --board FILE          board file (INI, keys below); defaults work without one\n"
	"  --fault-policy P      panic | stop | restart | restart:N (overrides [kernel] fault_policy)\n"
	"  --virtual-time        virtual clock: jumps to the next alarm whenever every app waits\n"
	"  --real-time           real clock (overrides [kernel] time = virtual)\n"
	"  --run-for SECONDS     stop cleanly after this long (virtual seconds with --virtual-time)\n"
	"  --stdin-app NAME      feed stdin to the console reads of app NAME (otherwise stdin is not read)\n"
	"  --no-color            never color the [app] prefixes (default: color when stdout is a TTY)\n"
	"  --quiet               no 'loaded' or 'control socket' messages\n"
	"  --control-socket PATH serve ipcctl on this Unix socket (default: $XDG_RUNTIME_DIR/tockhost/PID.sock,\n"
	"                        else /tmp/tockhost-UID/PID.sock; the path is printed on stderr at start)\n"
	"  --no-control-socket   no control socket (ipcctl cannot see this run)\n"
	"  --trap-channel T      ring | socket | auto: how app traps travel (overrides [kernel] trap_channel)\n"
	"  --help, --version\n"
	"\n"
	"Board file keys (unknown sections/keys and bad values are errors naming file and line):\n"
	"  [kernel]\n"
	"  fault_policy = restart:3      panic | stop | restart | restart:N (restart at most N times, then stop)\n"
	"  upcall_queue_depth = 10       per-process upcall queue, 1..1024\n"
	"  time = real                   real | virtual\n"
	"  timeslice_ms = 10             a process that does not trap for this long (real ms) is preempted;\n"
	"                                default 10, or 1000 with virtual time so host load cannot reorder apps\n"
	"  alarm_frequency_hz = 1000000  alarm tick frequency\n"
	"  mpu = cortex-m                MPU model for IPC Share regions: cortex-m (8 regions, sizes 2^n >= 32\n"
	"                                aligned to their size) | pmp (16 regions, 4-byte granules) | host\n"
	"                                (64 regions, 4 KiB pages); flash + RAM take two regions per app\n"
	"  trap_channel = auto           ring (shared memory, spin-then-futex; Linux 6.7+) | socket (socketpair)\n"
	"                                | auto (ring where the host runs it, else socket)\n"
	"  mpu_regions = 8               override the model's regions per app, 3..1024\n"
	"  [memory]                      sizes in bytes, K/M suffixes allowed\n"
	"  ram_size = 64K                per-app RAM floor: RAM = max(TBF minimum RAM, ram_size) + ram_extra\n"
	"  ram_extra = 0\n"
	"  stack_size = 16K\n"
	"  grant_size = 8K               grant region at the top of each app's RAM\n"
	"  [drivers]                     driver number, or off\n"
	"  console = 0x1\n"
	"  alarm = 0x0\n"
	"  rng = 0x40001\n"
	"  ipc_registry_string_name = 0xA0000\n"
	"  ipc_registry_package_name = 0xA0001\n"
	"  ipc_relay_request = 0xA0010\n"
	"  ipc_relay_message = 0xA0011\n"
	"  ipc_share = 0xA0020\n"
	"  [ipc_names]                   string-registry names reserved for one package (registration policy):\n"
	"  NAME = PACKAGE               only the app whose TBF package name is PACKAGE may register NAME\n"
	"\n"
	"Environment: TOCKHOST_PROC = path of the tock-proc runner (default: next to tockhost, then the\n"
	"build tree's). TOCKHOST_TRAP_CHANNEL = ring | socket | auto, used when neither --trap-channel\n"
	"nor the board file sets it. NO_COLOR disables color.\n"
	"\n"
	"Exit status: 0 when every app exited with code 0, or on a requested stop (SIGINT, SIGTERM,\n"
	"--run-for) with no app failed; 1 when an app exited non-zero, was stopped after a fault, or\n"
	"did not load, or on a usage error; 2 on a kernel panic (fault policy panic).\n";

enum {
	OPT_BOARD = 256,
	OPT_FAULT_POLICY,
	OPT_VIRTUAL_TIME,
	OPT_REAL_TIME,
	OPT_RUN_FOR,
	OPT_STDIN_APP,
	OPT_NO_COLOR,
	OPT_QUIET,
	OPT_CONTROL_SOCKET,
	OPT_NO_CONTROL_SOCKET,
	OPT_TRAP_CHANNEL,
	OPT_HELP,
	OPT_VERSION,
};

static const struct option options[] = {
	{ "board", required_argument, NULL, OPT_BOARD },
	{ "fault-policy", required_argument, NULL, OPT_FAULT_POLICY },
	{ "virtual-time", no_argument, NULL, OPT_VIRTUAL_TIME },
	{ "real-time", no_argument, NULL, OPT_REAL_TIME },
	{ "run-for", required_argument, NULL, OPT_RUN_FOR },
	{ "stdin-app", required_argument, NULL, OPT_STDIN_APP },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "control-socket", required_argument, NULL, OPT_CONTROL_SOCKET },
	{ "no-control-socket", no_argument, NULL, OPT_NO_CONTROL_SOCKET },
	{ "trap-channel", required_argument, NULL, OPT_TRAP_CHANNEL },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static bool executable_file(const char *path)
{
	return path && *path && access(path, X_OK) == 0;
}

/* $TOCKHOST_PROC, then next to this binary, then the build tree's copy. */
static const char *find_tock_proc(char *buf, size_t len)
{
	const char *env = getenv("TOCKHOST_PROC");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		snprintf(buf, len, "%s/tock-proc", dirname(self));
		if (executable_file(buf))
			return buf;
	}
	if (executable_file(TOCKHOST_PROC_BUILD_PATH))
		return TOCKHOST_PROC_BUILD_PATH;
	return NULL;
}

struct cli {
	struct board_options o;
	const char *board_path;
	const char *fault_policy;
	const char *trap_channel;
	int time_override; /* 0 none, 1 virtual, -1 real */
	bool no_color;
};

static int parse_run_for(const char *s, uint64_t *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > 1e7)
		return -EINVAL;
	*ret = (uint64_t)(v * 1e9);
	return *ret ? 0 : -EINVAL;
}

/* 0 parsed, 1 done (help/version printed), -1 usage error (message printed). */
static int parse_args(int argc, char **argv, struct cli *cli)
{
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case OPT_BOARD: cli->board_path = optarg; break;
		case OPT_FAULT_POLICY: cli->fault_policy = optarg; break;
		case OPT_VIRTUAL_TIME: cli->time_override = 1; break;
		case OPT_REAL_TIME: cli->time_override = -1; break;
		case OPT_STDIN_APP: cli->o.stdin_app = optarg; break;
		case OPT_NO_COLOR: cli->no_color = true; break;
		case OPT_QUIET: cli->o.quiet = true; break;
		case OPT_CONTROL_SOCKET: cli->o.control_socket = optarg; break;
		case OPT_NO_CONTROL_SOCKET: cli->o.no_control_socket = true; break;
		case OPT_TRAP_CHANNEL: cli->trap_channel = optarg; break;
		case OPT_HELP: fputs(usage, stdout); return 1;
		case OPT_VERSION: printf("tockhost %s\n", TOCKHOST_VERSION); return 1;
		case OPT_RUN_FOR:
			if (parse_run_for(optarg, &cli->o.run_for_ns) < 0) {
				fprintf(stderr, "tockhost: --run-for: '%s' is not a positive number of seconds\n", optarg);
				return -1;
			}
			break;
		default:
			fprintf(stderr, "Try 'tockhost --help'.\n");
			return -1;
		}
	}
	return 0;
}

/* Board file, then command-line overrides, then cross-checks. */
static int build_config(struct cli *cli)
{
	struct board_config_error err = { 0 };
	struct board_config *c = &cli->o.config;
	const char *env;
	int r;

	board_config_defaults(c);
	if (cli->board_path) {
		r = board_config_parse_file(c, cli->board_path, &err);
		if (r < 0) {
			if (err.line)
				fprintf(stderr, "tockhost: %s:%u: %s\n", cli->board_path, err.line, err.message);
			else
				fprintf(stderr, "tockhost: %s: %s\n", cli->board_path, err.message);
			return -1;
		}
	}
	if (cli->fault_policy && board_parse_fault_policy(cli->fault_policy, &c->fault_policy) < 0) {
		fprintf(stderr, "tockhost: --fault-policy: '%s' is not panic, stop, restart or restart:N\n",
		        cli->fault_policy);
		return -1;
	}
	if (cli->time_override)
		c->virtual_time = cli->time_override > 0;
	if (cli->trap_channel && board_parse_trap_channel(cli->trap_channel, &c->trap_channel) < 0) {
		fprintf(stderr, "tockhost: --trap-channel: '%s' is not ring, socket or auto\n", cli->trap_channel);
		return -1;
	}
	/* The environment only picks where neither the command line nor the board file did. */
	env = getenv("TOCKHOST_TRAP_CHANNEL");
	if (c->trap_channel == HK_LINUX_TRAP_AUTO && env && *env &&
	    board_parse_trap_channel(env, &c->trap_channel) < 0) {
		fprintf(stderr, "tockhost: TOCKHOST_TRAP_CHANNEL: '%s' is not ring, socket or auto\n", env);
		return -1;
	}
	if (board_config_check(c, &err) < 0) {
		fprintf(stderr, "tockhost: %s: %s\n", cli->board_path ? cli->board_path : "board", err.message);
		return -1;
	}
	return 0;
}

/*
 * Started with fd 0, 1 or 2 closed, the supervisor's own fds (io_uring, signalfd, an app's memfd or
 * trap socket) would take those numbers and be read as stdin or written as stdout/stderr.
 */
static void keep_std_fds_taken(void)
{
	int fd;

	do
		fd = open("/dev/null", O_RDWR); /* not O_CLOEXEC: it stands in for a standard stream */
	while (fd >= 0 && fd <= STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/* Each app costs the supervisor four fds (trap socket, pidfd, flash and RAM memfds): take the
 * hard limit rather than fail at a few hundred apps on the usual soft limit of 1024. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	char proc_buf[PATH_MAX + 16];
	int r;

	keep_std_fds_taken();
	raise_fd_limit();

	if (argc > 1 && !strcmp(argv[1], "test")) {
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n <= 0) {
			fprintf(stderr, "tockhost: test: cannot find my own binary: %s\n", strerror(errno));
			return TR_SPEC_ERROR;
		}
		self[n] = '\0';
		return tr_main(argc - 1, argv + 1, self);
	}
	/* `tockhost run ...`; `tockhost APP.tbf` works too. */
	if (argc > 1 && !strcmp(argv[1], "run")) {
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	r = parse_args(argc, argv, &cli);
	if (r)
		return r > 0 ? 0 : 1;
	if (optind >= argc) {
		fprintf(stderr, "tockhost: no app given\n%s", usage);
		return 1;
	}
	if (build_config(&cli) < 0)
		return 1;
	cli.o.tock_proc_path = find_tock_proc(proc_buf, sizeof(proc_buf));
	if (!cli.o.tock_proc_path) {
		fprintf(stderr, "tockhost: cannot find the tock-proc runner (set TOCKHOST_PROC)\n");
		return 1;
	}
	cli.o.color = !cli.no_color && !getenv("NO_COLOR") && isatty(STDOUT_FILENO);
	cli.o.app_paths = argv + optind;
	cli.o.n_app_paths = argc - optind;
	return board_run(&cli.o);
}

/* ipcctl: inspect and steer a running tockhost over its control socket (ps, services, relay, trace, stats, control). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "tools/ipcctl/client.h"
#include "tools/ipcctl/render.h"

#define REPLY_TIMEOUT_MS 10000

static const char usage[] =
	"Usage: ipcctl [--socket PATH] [--json] [--no-color] COMMAND [ARGS]\n"
	"\n"
	"Inspect and steer a running tockhost (its control socket).\n"
	"\n"
	"Commands:\n"
	"  ps                      the process table: ProcessId, IPC Identifier, state, counts, memory\n"
	"  services                both IPC registries: names and who holds them\n"
	"  relay                   Relay Request servers and waiting clients; Relay Message receivers\n"
	"  stats                   per-driver counts, Relay Request round-trip latency p50/p99\n"
	"  shares                  IPC Share regions: owners, grantees, mappings; MPU regions used per process\n"
	"  trace [FILTERS]         live IPC events, one per line, until Ctrl-C\n"
	"      --app NAME | --pid ID   only events of this app (by name) or ProcessId\n"
	"      --driver NUM            only this driver (e.g. 0xA0010)\n"
	"      --all                   every driver, not only the IPC ones\n"
	"      -n COUNT                stop after COUNT events\n"
	"  stop APP                pause APP (its host process is SIGSTOPped)\n"
	"  start APP               resume a stopped APP, or restart one that faulted or exited\n"
	"  restart APP             restart APP with a new ProcessId\n"
	"  fault APP [--cause TEXT]  inject a fault: the board's fault policy applies, peers are notified\n"
	"  info                    the instance: supervisor pid, socket, time mode, uptime\n"
	"  list                    every running instance's socket\n"
	"APP is an app name or a ProcessId.\n"
	"\n"
	"Options:\n"
	"  --socket PATH   talk to this instance (default: $IPCCTL_SOCKET, else the only one running)\n"
	"  --json          print the supervisor's JSON replies (trace: one JSON object per line)\n"
	"  --no-color      never color (default: color when stdout is a terminal and NO_COLOR is unset)\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 success, 1 the supervisor refused the request or cannot be reached, 2 usage error.\n";

struct opts {
	const char *socket, *app, *cause;
	bool json, no_color, all, has_pid, has_driver;
	unsigned long pid, driver;
	long count; /* -1 = unlimited */
};

enum { OPT_SOCKET = 256, OPT_JSON, OPT_NO_COLOR, OPT_APP, OPT_PID, OPT_DRIVER, OPT_ALL, OPT_CAUSE, OPT_HELP, OPT_VERSION };

static const struct option long_opts[] = {
	{ "socket", required_argument, NULL, OPT_SOCKET }, { "json", no_argument, NULL, OPT_JSON },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },   { "app", required_argument, NULL, OPT_APP },
	{ "pid", required_argument, NULL, OPT_PID },       { "driver", required_argument, NULL, OPT_DRIVER },
	{ "all", no_argument, NULL, OPT_ALL },             { "cause", required_argument, NULL, OPT_CAUSE },
	{ "help", no_argument, NULL, OPT_HELP },           { "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static volatile int interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static bool parse_ulong(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;

	errno = 0;
	*ret = strtoul(s, &end, 0);
	return s[0] != '-' && !errno && end != s && !*end && *ret <= max;
}

/* 0 ok, 1 help/version done, 2 usage error. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	o->count = -1;
	while ((c = getopt_long(argc, argv, "n:", long_opts, NULL)) != -1) {
		unsigned long v;

		switch (c) {
		case OPT_SOCKET: o->socket = optarg; break;
		case OPT_JSON: o->json = true; break;
		case OPT_NO_COLOR: o->no_color = true; break;
		case OPT_APP: o->app = optarg; break;
		case OPT_ALL: o->all = true; break;
		case OPT_CAUSE: o->cause = optarg; break;
		case OPT_HELP: fputs(usage, stdout); return 1;
		case OPT_VERSION: printf("ipcctl (tockhost control protocol v1)\n"); return 1;
		case OPT_PID:
		case OPT_DRIVER:
		case 'n':
			if (!parse_ulong(optarg, c == 'n' ? 1000000000ul : 0xfffffffful, &v) || (c == 'n' && v == 0)) {
				fprintf(stderr, "ipcctl: %s: '%s' is not a valid number\n",
				        c == 'n' ? "-n" : c == OPT_PID ? "--pid" : "--driver", optarg);
				return 2;
			}
			if (c == OPT_PID) {
				o->has_pid = true;
				o->pid = v;
			} else if (c == OPT_DRIVER) {
				o->has_driver = true;
				o->driver = v;
			} else {
				o->count = (long)v;
			}
			break;
		default:
			fprintf(stderr, "Try 'ipcctl --help'.\n");
			return 2;
		}
	}
	return 0;
}

/* Print the reply's error (exit 1) or render it. */
static int show(struct json_object *reply, const char *cmd, const struct opts *o, bool color)
{
	if (!jbool(reply, "ok")) {
		fprintf(stderr, "ipcctl: %s: %s\n", cmd, *jstr(reply, "error") ? jstr(reply, "error") : "refused");
		if (o->json)
			printf("%s\n", json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN));
		return 1;
	}
	if (o->json) {
		printf("%s\n", json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN));
		return 0;
	}
	if (!strcmp(cmd, "ps"))
		render_ps(reply, color);
	else if (!strcmp(cmd, "services"))
		render_services(reply, color);
	else if (!strcmp(cmd, "relay"))
		render_relay(reply, color);
	else if (!strcmp(cmd, "stats"))
		render_stats(reply, color);
	else if (!strcmp(cmd, "shares"))
		render_shares(reply, color);
	else if (!strcmp(cmd, "hello"))
		render_hello(reply, color);
	else
		render_control(reply, color);
	return 0;
}

static int run_trace(struct ipcctl_conn *c, const struct opts *o, bool color)
{
	long seen = 0;
	bool eof;
	struct json_object *ev;

	while (!interrupted && (o->count < 0 || seen < o->count)) {
		ev = ipcctl_recv(c, -1, &interrupted, &eof);
		if (!ev) {
			if (eof)
				fprintf(stderr, "ipcctl: trace ended: tockhost exited\n");
			break;
		}
		if (jget(ev, "event")) {
			if (strcmp(jstr(ev, "event"), "dropped") != 0)
				seen++;
			if (o->json)
				printf("%s\n", json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
			else
				render_trace_event(ev, color);
			fflush(stdout);
		}
		json_object_put(ev);
	}
	return 0;
}

static bool targets_process(const char *cmd)
{
	return !strcmp(cmd, "stop") || !strcmp(cmd, "start") || !strcmp(cmd, "restart") || !strcmp(cmd, "fault");
}

/* The request for cmd and its arguments; NULL (message printed) on a usage error. */
static struct json_object *build_request(const char *cmd, int nargs, char **args, const struct opts *o)
{
	struct json_object *req;

	if (targets_process(cmd)) {
		if (nargs != 1) {
			fprintf(stderr, "ipcctl: %s needs exactly one APP (a name or a ProcessId)\n", cmd);
			return NULL;
		}
	} else if (nargs != 0) {
		fprintf(stderr, "ipcctl: %s takes no argument '%s'\n", cmd, args[0]);
		return NULL;
	}
	if (o->app && o->has_pid) {
		fprintf(stderr, "ipcctl: --app and --pid exclude each other\n");
		return NULL;
	}
	req = ipcctl_request(cmd);
	if (targets_process(cmd))
		json_object_object_add(req, "app", json_object_new_string(args[0]));
	if (!strcmp(cmd, "trace")) {
		if (o->app)
			json_object_object_add(req, "app", json_object_new_string(o->app));
		if (o->has_pid)
			json_object_object_add(req, "pid", json_object_new_int64((int64_t)o->pid));
		if (o->has_driver)
			json_object_object_add(req, "driver", json_object_new_int64((int64_t)o->driver));
		if (o->all)
			json_object_object_add(req, "all", json_object_new_boolean(1));
	}
	if (!strcmp(cmd, "fault") && o->cause)
		json_object_object_add(req, "cause", json_object_new_string(o->cause));
	return req;
}

static const char *const commands[] = { "ps", "services", "relay", "stats", "trace", "stop", "start",
	                                "restart", "fault", "info", "list", "shares" };

static int run(const char *cmd, int nargs, char **args, const struct opts *o)
{
	bool color = !o->no_color && !getenv("NO_COLOR") && isatty(STDOUT_FILENO), eof;
	struct ipcctl_conn c;
	struct json_object *req, *reply;
	int status;

	if (!strcmp(cmd, "list"))
		return ipcctl_list(o->json) > 0 ? 0 : 1;
	if (!strcmp(cmd, "info"))
		cmd = "hello";
	req = build_request(cmd, nargs, args, o);
	if (!req)
		return 2;
	if (ipcctl_connect(&c, o->socket) < 0) {
		json_object_put(req);
		return 1;
	}
	if (ipcctl_send(&c, req) < 0) {
		fprintf(stderr, "ipcctl: cannot send to %s: %s\n", c.path, strerror(errno));
		json_object_put(req);
		ipcctl_close(&c);
		return 1;
	}
	json_object_put(req);
	reply = ipcctl_recv(&c, REPLY_TIMEOUT_MS, &interrupted, &eof);
	if (!reply) {
		fprintf(stderr, "ipcctl: %s: %s\n", c.path, eof ? "tockhost closed the connection" : "no reply");
		ipcctl_close(&c);
		return 1;
	}
	if (!strcmp(cmd, "trace") && jbool(reply, "ok"))
		status = 0; /* the stream's acknowledgement: nothing to show */
	else
		status = show(reply, cmd, o, color);
	if (status == 0 && !strcmp(cmd, "trace") && !o->json && color)
		fprintf(stderr, "tracing %s (Ctrl-C ends)\n", c.path);
	if (status == 0 && !strcmp(cmd, "trace"))
		status = run_trace(&c, o, color);
	json_object_put(reply);
	ipcctl_close(&c);
	return status;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	const char *cmd;
	bool known = false;
	int r;

	r = parse_opts(argc, argv, &o);
	if (r)
		return r == 1 ? 0 : 2;
	if (optind >= argc) {
		fprintf(stderr, "ipcctl: no command given\n%s", usage);
		return 2;
	}
	cmd = argv[optind];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		known = known || !strcmp(cmd, commands[i]);
	if (!known) {
		fprintf(stderr, "ipcctl: unknown command '%s'; try 'ipcctl --help'\n", cmd);
		return 2;
	}
	/* No SA_RESTART: Ctrl-C interrupts the wait, and the trace loop ends cleanly. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return run(cmd, argc - optind - 1, argv + optind + 1, &o);
}

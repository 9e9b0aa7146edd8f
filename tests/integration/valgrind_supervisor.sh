#!/bin/sh
# Runs the supervisor under valgrind through restarts, RPCs and shared memory: any memory error or leak fails.
# usage: valgrind_supervisor.sh TOCKHOST APPS_DIR
set -u
tockhost=$1 apps=$2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
# Exit status 99 is valgrind's (a memory error or a definite/indirect leak), never tockhost's.
valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	"$tockhost" run --quiet --no-control-socket --virtual-time --fault-policy restart:3 --run-for 20 \
	"$apps/hello.tbf" "$apps/crasher.tbf" \
	"$apps/echo_server.tbf" "$apps/echo_client.tbf" \
	"$apps/shm_producer.tbf" "$apps/shm_consumer.tbf" >"$out" 2>"$err"
status=$?
fail() { echo "valgrind_supervisor: $*"; grep -vE 'unhandled amd64-linux syscall|handler|README_MISSING|consider this a bug|bug_reports' "$err" | head -40; exit 1; }
[ $status -eq 99 ] && fail "valgrind found memory errors or leaks"
# tockhost itself exits 1 here: crasher is stopped after its third restart, as asked.
[ $status -eq 1 ] || fail "tockhost exited $status, expected 1 (crasher stopped after fault)"
grep -q 'echo_client: 1000 RPCs ok, 0 errors' "$out" || fail "the echo RPCs did not all complete"
grep -q 'shm_consumer: 1000 samples in order' "$out" || fail "the shared-memory samples did not all arrive"
grep -q "process 'crasher' (ProcessId [0-9]*) stopped after fault" "$err" || fail "crasher was not restarted 3 times then stopped"
grep -q '^==' "$err" && fail "valgrind printed a report"
echo "valgrind_supervisor: no memory errors or leaks"

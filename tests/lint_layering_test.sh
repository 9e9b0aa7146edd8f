#!/bin/sh
# Proves the layering lint can fail: each deliberate violation planted in a copy of the tree must be reported.
# Usage: lint_layering_test.sh LINT SOURCE_ROOT
lint=$1
src=$2
[ -x "$lint" ] && [ -d "$src" ] || { echo "usage: $0 LINT SOURCE_ROOT"; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0

copy_tree() {
	rm -rf "$tmp/tree" && mkdir "$tmp/tree" || exit 2
	for d in apps basic board capsules control hostkernel include loader tests tools; do
		[ -d "$src/$d" ] && cp -R "$src/$d" "$tmp/tree/$d"
	done
}

copy_tree
if ! out=$("$lint" "$tmp/tree"); then
	echo "FAIL: the unmodified tree does not pass: $out"
	exit 1
fi

# One case per line: the file that gets the include, then the include line. Each case is planted
# in the one copy and taken out again (the file is restored) before the next.
while IFS='|' read -r file line; do
	[ -n "$file" ] || continue
	[ -f "$tmp/tree/$file" ] || { echo "FAIL: $file is missing: update this test"; status=1; continue; }
	cp "$tmp/tree/$file" "$tmp/saved" || exit 2
	printf '%s\n' "$line" >> "$tmp/tree/$file"
	if out=$("$lint" "$tmp/tree"); then
		echo "FAIL: not caught: $line in $file"
		status=1
	elif ! printf '%s\n' "$out" | grep -qF "$file"; then
		echo "FAIL: $line in $file: the report does not name the file: $out"
		status=1
	else
		echo "ok: caught $line in $file"
	fi
	cp "$tmp/saved" "$tmp/tree/$file" || exit 2
done <<'CASES'
capsules/rng.c|#include "control/control.h"
hostkernel/core/kernel.c|#include "control/internal.h"
hostkernel/linux/backend.c|#include "control/control.h"
tools/ipcctl/client.c|#include "hostkernel/kernel.h"
control/trace.c|#include "hostkernel/linux/backend_internal.h"
control/decode.c|#include "hostkernel/core/core.h"
capsules/console.c|#include "hostkernel/linux/backend_internal.h"
hostkernel/core/process.c|#include <unistd.h>
hostkernel/linux/spawn.c|#include "capsules/rng.h"
apps/libtock/tock.c|#include "capsules/console.h"
include/tock/drivers/rng.h|#include "hostkernel/capsule.h"
hostkernel/fake/fake_backend.c|#include "hostkernel/core/core.h"
board/board.c|#include "hostkernel/core/share.h"
tests/fuzz/fuzz_ipc.h|#include "hostkernel/core/core.h"
basic/clock.c|#include "hostkernel/kernel.h"
basic/file.c|#include <json-c/json.h>
capsules/alarm.c|#include "hostkernel/kernel_ext.h"
capsules/console.c|#include "hostkernel/trace.h"
hostkernel/core/syscall.c|#include "hostkernel/transport/trap_codec.h"
hostkernel/core/kernel.c|#include "hostkernel/linux/linux_backend.h"
hostkernel/core/driver.c|#include "board/board.h"
hostkernel/transport/trap_codec.c|#include <stdio.h>
hostkernel/core/clock.c|static unsigned long t(void) { return (unsigned long)clock_gettime(0, 0); }
CASES
exit $status

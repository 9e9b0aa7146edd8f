#!/bin/sh
# Keeps DESIGN §1-3's layering true: fails when a file includes what its layer may not use.
cd "$1" || exit 2
status=0
fail() { echo "layering: $*"; status=1; }

# Capsules: only the capsule API and ABI headers; no Linux, no kernel internals.
for f in $(find capsules -name '*.[ch]' 2>/dev/null); do
	grep -nE '#include *[<"](liburing|seccomp|unistd|fcntl|signal|pthread|sys/[a-z_]+|hostkernel/(kernel|board_caps)|hostkernel/core/|hostkernel/linux/)' "$f" \
		&& fail "$f includes a Linux or kernel-internal header"
done
# Kernel core: pure C, no Linux calls.
for f in hostkernel/core/*.[ch]; do
	[ -e "$f" ] || continue
	grep -nE '#include *[<"](liburing|seccomp|unistd|fcntl|signal|pthread|sys/[a-z_]+|stdio)\.h' "$f" \
		&& fail "$f: the kernel core may not use Linux or stdio"
	grep -nE '\b(fork|execve?|mmap|socket|printf|fprintf|write|read|close|open)\s*\(' "$f" | grep -vE '^\s*[0-9]+:\s*(/\*|\*)' \
		&& fail "$f: the kernel core may not call Linux"
done
# Neither the kernel core nor the Linux backend knows any capsule (board setup wires them).
for f in hostkernel/core/*.[ch] hostkernel/linux/*.[ch]; do
	[ -e "$f" ] || continue
	grep -nE '#include *"capsules/' "$f" && fail "$f includes a capsule header"
done
# The control service (control/) sits above the kernel, backend and capsules: none of them includes it,
# and ipcctl reaches the supervisor only through the control protocol header.
for f in $(find capsules hostkernel loader tools -name '*.[ch]' 2>/dev/null); do
	grep -nE '#include *"control/' "$f" && fail "$f includes the control service"
done
# The control service sees the kernel, backend and capsules through their public headers only.
for f in $(find control -name '*.[ch]' 2>/dev/null); do
	grep -nE '#include *"(hostkernel/core/|hostkernel/[a-z_/]*_internal\.h|capsules/[a-z_/]*_internal\.h)' "$f" \
		&& fail "$f: the control service may use only public kernel, backend and capsule headers"
done
for f in $(find tools/ipcctl -name '*.[ch]' 2>/dev/null); do
	grep -nE '#include *"(hostkernel|capsules|control|board)/' "$f" && fail "$f: ipcctl may include only ABI and tockhost/ headers"
done
# Capabilities are minted only by board setup (and tests may mint their own).
for f in $(grep -rlE '#include *"hostkernel/board_caps\.h"' --include='*.c' --include='*.h' . 2>/dev/null); do
	case "$f" in ./board/*|./hostkernel/core/*|./hostkernel/fake/*|./tests/*) ;; *) fail "$f includes board_caps.h";; esac
done
# The ABI headers (include/tock/, driver ABIs included) are plain C that apps compile: libc and each other only.
for f in $(find include/tock -name '*.h' 2>/dev/null); do
	grep -nE '#include *"' "$f" | grep -vE '#include *"tock/' && fail "$f: an ABI header may include only tock/ headers"
done
# Apps see only the ABI and libtock.
for f in $(find apps tests/apps -name '*.[ch]' 2>/dev/null); do
	grep -nE '#include *"(hostkernel|capsules|loader|board)/' "$f" && fail "$f includes kernel-side headers"
done
[ $status -eq 0 ] && echo "layering: ok"
exit $status

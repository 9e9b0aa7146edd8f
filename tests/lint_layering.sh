#!/bin/sh
# Keeps DESIGN §1-3's layering true: fails when a file includes what its layer may not use.
cd "$1" || exit 2
status=0
fail() { echo "layering: $*"; status=1; }

# basic/ is used by every layer and uses only libc: no project header outside basic/, no other library.
for f in $(find basic -name '*.[ch]' 2>/dev/null); do
	grep -nE '#include *"' "$f" | grep -vE '#include *"basic/' && fail "$f: basic/ may include only basic/ and libc headers"
	grep -nE '#include *<(liburing|seccomp|json-c/|check|nettle/|ini|pthread)' "$f" && fail "$f: basic/ may use only libc"
done
# The kernel core's headers are private: nothing outside hostkernel/core/ includes them (the public kernel
# interface is hostkernel/*.h).
for f in $(find . -path ./hostkernel/core -prune -o -path './build*' -prune -o -name '*.[ch]' -print 2>/dev/null); do
	grep -nE '#include *"hostkernel/core/' "$f" && fail "$f includes a kernel-core header (use the public hostkernel/*.h)"
done
# Capsules: only the capsule API, basic/ and ABI headers; no Linux, no other kernel header.
for f in $(find capsules -name '*.[ch]' 2>/dev/null); do
	grep -nE '#include *[<"](liburing|seccomp|unistd|fcntl|signal|pthread|sys/[a-z_]+)' "$f" \
		&& fail "$f includes a Linux header"
	grep -nE '#include *"hostkernel/' "$f" | grep -vE '#include *"hostkernel/capsule\.h"' \
		&& fail "$f includes a kernel header other than the capsule API"
done
# Kernel core and trap transport: pure C, no Linux calls.
for f in hostkernel/core/*.[ch] hostkernel/transport/*.[ch]; do
	[ -e "$f" ] || continue
	grep -nE '#include *[<"](liburing|seccomp|unistd|fcntl|signal|pthread|sys/[a-z_]+|stdio)\.h' "$f" \
		&& fail "$f: the kernel core and transport may not use Linux or stdio"
	grep -nE '\b(fork|execve?|mmap|socket|printf|fprintf|write|read|close|open|clock_gettime)\s*\(' "$f" | grep -vE '^\s*[0-9]+:\s*(/\*|\*)' \
		&& fail "$f: the kernel core and transport may not call Linux"
done
# The kernel core knows no backend, no transport and no board: it includes only its own headers, the public
# kernel interface, basic/ and the ABI.
for f in hostkernel/core/*.[ch]; do
	[ -e "$f" ] || continue
	grep -nE '#include *"' "$f" | grep -vE '#include *"(hostkernel/core/|hostkernel/[a-z_]+\.h"|basic/|tock/)' \
		&& fail "$f: the kernel core may include only core/, public hostkernel/*.h, basic/ and tock/ headers"
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

#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: install what is missing, build, then run the demo or every test.
#   ./setup.sh demo   install + build + run the demo (the default)
#   ./setup.sh test   install + build + run the whole test suite (plain, integration on the socket
#                     transport, ASan+UBSan, then valgrind)
set -euo pipefail
cd "$(dirname "$0")"

packages=(build-essential meson ninja-build pkg-config libseccomp-dev liburing-dev check
          libjson-c-dev libinih-dev nettle-dev clang libclang-rt-14-dev valgrind
          libxml2-utils libarchive-dev)

install_missing() {
	local missing=()
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "setup: installing ${missing[*]}"
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

build() { # build DIR [meson options...]
	local dir=$1; shift
	if [ -d "$dir" ]; then meson setup --reconfigure "$dir" "$@" >/dev/null; else meson setup "$dir" "$@" >/dev/null; fi
	ninja -C "$dir"
}

cmd=${1:-demo}
case "$cmd" in
demo)
	install_missing
	build build
	exec scripts/demo.sh build
	;;
test)
	install_missing
	build build
	meson test -C build --print-errorlogs --num-processes 2
	# The integration suite again on the other trap channel (the plain run used the ring where it works).
	meson test -C build --print-errorlogs --num-processes 2 --setup socket --suite integration
	build build-asan -Dsanitize=true -Dfuzz_runs=2000
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite fuzz
	meson test -C build --print-errorlogs --num-processes 2 --setup valgrind --suite unit
	;;
*)
	echo "usage: $0 [demo|test]" >&2
	exit 2
	;;
esac

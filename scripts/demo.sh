#!/usr/bin/env bash
# The README demo (./setup.sh demo): the Thread Network Server IPC story, then shared memory under an emulated MPU.
set -euo pipefail
here=$(dirname "$0")
build=${1:-build}
"$here/demo_ipc.sh" "$build"
echo
"$here/demo_share.sh" "$build"

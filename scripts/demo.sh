#!/usr/bin/env bash
# The README demo (./setup.sh demo): the Thread Network Server IPC story; demo_basics.sh shows the foundation alone.
set -euo pipefail
exec "$(dirname "$0")/demo_ipc.sh" "$@"

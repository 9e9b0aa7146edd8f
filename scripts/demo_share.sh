#!/usr/bin/env bash
# The IPC Share demo: a producer fills a ring of sensor samples in a region it granted read-only to a consumer.
set -euo pipefail
build=${1:-build}
shift || true
cat <<'TXT'
== tockhost IPC Share demo: a ring buffer of sensor samples in shared memory =====
shm_producer creates a 4 KiB region (IPC Share 0xA0020, Cortex-M MPU model: power-of-two
             sizes, 8 regions per process), hands it over with Relay Request and writes
             1000 samples into a ring inside it
shm_consumer maps the region read-only (the host MMU enforces it) and reads the samples
             with no copy through the kernel
=================================================================================
TXT
exec "$build/tockhost" run --virtual-time --run-for 5 --no-control-socket "$@" \
	"$build/apps/shm_producer.tbf" "$build/apps/shm_consumer.tbf"

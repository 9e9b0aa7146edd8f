#!/usr/bin/env bash
# The IPC demo: the seed RFC's "Thread Network Server", simulated (one server, one client image loaded twice), with a server crash and recovery in the middle.
set -euo pipefail
build=${1:-build}
shift || true
apps="$build/apps"
cat <<'TXT'
== tockhost IPC demo: a network server and two copies of one client ============
netserver    registers as org.tockhost.netserver (package-name registry) and owns the
             "network": clients OPEN ports, LIST the open ones and SEND packets to
             them with Relay Request; it delivers each packet with Relay Message into
             the StreamingProcessSlice of the client that opened the destination port,
             and sends a beacon to every open port each 300 ms.
netclient    loaded twice from the same netclient.tbf (two processes, two ProcessIds):
             each copy discovers the server, asks for any free port (the server hands
             out 7, then 8), names itself after it ("netclient:7", "netclient:8"),
             and sends "hello from <port> #n" to the other open ports.
After 12 deliveries the server writes through a NULL pointer on purpose. The fault
policy restarts it with a new ProcessId; the kernel tells both clients (their
allowlisted sender is gone), they rediscover the new server, allow it, reopen their
old ports and carry on. Each client exits after 20 packets. Virtual time: the output
is the same on every run (about 10 virtual seconds, a fraction of a second of real time).
=================================================================================
TXT
exec "$build/tockhost" run --fault-policy restart --virtual-time --run-for 10 "$@" \
	"$apps/netserver.tbf" "$apps/netclient.tbf" "$apps/netclient.tbf"

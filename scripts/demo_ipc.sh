#!/usr/bin/env bash
# The IPC demo: the seed RFC's "Thread Network Server", simulated, with a server crash and recovery in the middle.
set -euo pipefail
build=${1:-build}
shift || true
apps="$build/apps"
cat <<'TXT'
== tockhost IPC demo: a network server and two clients ==========================
netserver    registers as org.tockhost.netserver (package-name registry) and owns the
             "network": clients OPEN ports and SEND packets to it with Relay Request;
             it delivers each packet with Relay Message into the StreamingProcessSlice
             of the client that opened the destination port, and sends a beacon to
             every open port each 300 ms.
netclient_a  discovers the server, opens port 7, sends "hello from a #n" to port 9
netclient_b  the same on port 9, sending to port 7
After 12 deliveries the server writes through a NULL pointer on purpose. The fault
policy restarts it with a new ProcessId; the kernel tells both clients (their
allowlisted sender is gone), they rediscover the new server, allow it, reopen their
ports and carry on. Each client exits after 20 packets. Virtual time: the output is
the same on every run (about 10 virtual seconds, a fraction of a second of real time).
=================================================================================
TXT
exec "$build/tockhost" run --fault-policy restart --virtual-time --run-for 10 "$@" \
	"$apps/netserver/netserver.tbf" "$apps/netclient_a/netclient_a.tbf" "$apps/netclient_b/netclient_b.tbf"

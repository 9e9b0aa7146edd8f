#!/usr/bin/env bash
# The main demo: several apps under one supervisor, a periodic timer, and an app that faults and is restarted.
set -euo pipefail
build=${1:-build}
cat <<'TXT'
== tockhost demo ==============================================================
Three Tock apps run as sandboxed Linux processes under the tockhost kernel:
  hello        prints a greeting and exits
  blink_timer  a repeating 500 ms alarm, ten ticks
  crasher      ticks three times, then writes through a NULL pointer on purpose;
               the fault policy restarts it with a new ProcessId while the others go on
App output is prefixed [app]; kernel messages start with "tockhost:". Runs 6 seconds.
===============================================================================
TXT
exec "$build/tockhost" run --fault-policy restart --run-for 6 \
	"$build/apps/hello.tbf" "$build/apps/blink_timer.tbf" "$build/apps/crasher.tbf"

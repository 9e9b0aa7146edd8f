#!/bin/sh
# Runs one libFuzzer harness for a bounded number of inputs; new inputs go to a scratch corpus in the build tree.
# usage: run_fuzzer.sh HARNESS SCRATCH_DIR RUNS [libFuzzer options and seed corpus dirs...]
set -eu
harness=$1 scratch=$2 runs=$3
shift 3
mkdir -p "$scratch"
exec "$harness" -runs="$runs" -seed=1 -error_exitcode=1 -timeout_exitcode=1 "$scratch" "$@"

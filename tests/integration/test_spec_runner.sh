#!/usr/bin/env bash
# tockhost test against real runs: pass, a wrong expectation, a timeout, faults, JUnit XML, and bad specs.
set -uo pipefail
: "${TOCKHOST:?}" "${APPS_DIR:?}" "${TEST_APPS_DIR:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run NAME WANT_RC [tockhost test args...]: output in $dir/NAME.out (stdout+stderr)
run() {
	local name=$1 want=$2 rc
	shift 2
	"$TOCKHOST" test "$@" >"$dir/$name.out" 2>&1
	rc=$?
	[ "$rc" -eq "$want" ] || { fail "$name: exit $rc, want $want"; sed 's/^/  | /' "$dir/$name.out"; }
}
has() { grep -qF -- "$2" "$dir/$1.out" || { fail "$1: output lacks '$2'"; sed 's/^/  | /' "$dir/$1.out"; }; }

spec() { cat >"$dir/$1.ini"; }

spec good <<SPEC
[test]
name = good & <hello>
timeout = 30
[app hello]
image = $APPS_DIR/hello.tbf
expect = Hello from Tock on tockhost!
expect_re = ^My RAM is 0x
exit = 0
SPEC
run good 0 --junit "$dir/good.xml" "$dir/good.ini"
has good "PASS good & <hello>"
xmllint --noout "$dir/good.xml" || fail "good.xml is not well formed"
grep -q '<failure' "$dir/good.xml" && fail "good.xml has a <failure>"
grep -qF 'name="good &amp; &lt;hello&gt;"' "$dir/good.xml" || fail "good.xml lacks the escaped test name"

# One wrong line: the diff shows what was expected and what came.
spec wrong <<SPEC
[test]
timeout = 30
[app hello]
image = $APPS_DIR/hello.tbf
expect = Hello from Tock on tockhost!
expect = Goodbye from <Tock>
exit = 0
SPEC
run wrong 1 --junit "$dir/wrong.xml" "$dir/wrong.ini"
has wrong "FAIL"
has wrong '>>   2 "Goodbye from <Tock>"'
has wrong '"My RAM is 0x'
has wrong "exited with code 0 before expected line 2"
xmllint --noout "$dir/wrong.xml" || fail "wrong.xml is not well formed"
grep -q '<failure type="mismatch"' "$dir/wrong.xml" || fail "wrong.xml lacks a <failure>"
grep -qF 'Goodbye from &lt;Tock&gt;' "$dir/wrong.xml" || fail "wrong.xml lacks the escaped expectation"

# strict: an unexpected line where the next expected one was due fails at once.
spec strict <<SPEC
[test]
strict = true
timeout = 30
[app hello]
image = $APPS_DIR/hello.tbf
expect_re = ^My RAM
SPEC
run strict 1 "$dir/strict.ini"
has strict 'got "Hello from Tock on tockhost!" where expected line 1 was due'

# console_echo waits for console input forever (stdin is /dev/null): virtual time has no alarm to jump to.
spec never <<SPEC
[test]
timeout = 1
[app console_echo]
image = $TEST_APPS_DIR/console_echo.tbf
expect = a line that never comes
SPEC
run never 2 --junit "$dir/never.xml" "$dir/never.ini"
has never "TIMEOUT"
has never "timed out after 1 s"
xmllint --noout "$dir/never.xml" || fail "never.xml is not well formed"
grep -q '<failure type="timeout"' "$dir/never.xml" || fail "never.xml lacks a timeout <failure>"

# A crashing app: expected fault passes, expected exit 0 fails, a wrong fault text fails.
spec fault <<SPEC
[test]
timeout = 30
[app crasher]
image = $APPS_DIR/crasher.tbf
expect = crasher: about to write through a NULL pointer
fault_re = ^memory access violation: write at 0x0$
SPEC
run fault 0 "$dir/fault.ini"
spec crash_exit <<SPEC
[test]
timeout = 30
[app crasher]
image = $APPS_DIR/crasher.tbf
exit = 0
SPEC
run crash_exit 1 "$dir/crash_exit.ini"
has crash_exit "faulted (memory access violation: write at 0x0), no fault was expected"
spec wrong_fault <<SPEC
[test]
timeout = 30
[app crasher]
image = $APPS_DIR/crasher.tbf
fault = read at
SPEC
run wrong_fault 1 "$dir/wrong_fault.ini"
has wrong_fault 'expected a fault containing "read at"'
# An exit code other than the expected one.
spec exit_code <<SPEC
[test]
timeout = 30
[app hello]
image = $APPS_DIR/hello.tbf
exit = 3
SPEC
run exit_code 1 "$dir/exit_code.ini"
has exit_code "exited with code 0, expected 3"
# The app name must be the image's process name.
spec misnamed <<SPEC
[test]
timeout = 30
[app hullo]
image = $APPS_DIR/hello.tbf
SPEC
run misnamed 1 "$dir/misnamed.ini"
has misnamed "an image runs as 'hello', which no [app] section names"
has misnamed "app 'hullo': no image loaded under this name"

# Bad specs: one line with file:line, exit 3, nothing run (no console line, no 'loaded').
bad() { # NAME WANT_TEXT, spec on stdin
	spec "$1"
	run "$1" 3 "$dir/$1.ini"
	has "$1" "$2"
	[ "$(wc -l <"$dir/$1.out")" -eq 1 ] || fail "$1: want one line of output"
	grep -q 'loaded' "$dir/$1.out" && fail "$1: something ran"
}
printf '[test]\ntimeout = 5\nbogus = 1\n[app hello]\nimage = %s/hello.tbf\n' "$APPS_DIR" |
	bad unknown_key "unknown_key.ini:3: unknown key 'bogus' in [test]"
printf '[test]\ntimeout = 5\n[app hello]\nexpect = x\n' | bad no_image "no_image.ini:4: app 'hello' has no image"
printf '[app hello]\nimage = nowhere.tbf\n' | bad missing_image "missing_image.ini:2: app 'hello': image"
printf '[app hello]\nimage = %s/hello.tbf\nexpect_re = ([a-z\n' "$APPS_DIR" | bad bad_re "bad_re.ini:3: bad regex"
printf '[test]\ntimeout = 5\n' | bad no_apps "no_apps.ini: no [app NAME] section"
printf '[app hello]\nimage = %s/hello.tbf\n[app hello]\nimage = %s/hello.tbf\n' "$APPS_DIR" "$APPS_DIR" |
	bad dup_app "dup_app.ini:4: duplicate app 'hello' (first at line 2)"
printf '[test]\ntimeout = soon\n[app hello]\nimage = %s/hello.tbf\n' "$APPS_DIR" |
	bad bad_number "bad_number.ini:2: timeout: 'soon' is not a number"
printf '[app hello]\nimage = %s/hello.tbf\nexit = zero\n' "$APPS_DIR" | bad bad_exit "bad_exit.ini:3: exit: 'zero'"
printf '[test]\nthis is not ini\n' | bad syntax "syntax.ini:2: syntax error"
printf '[board]\nx = 1\n' | bad section "section.ini:2: unknown section [board]"

[ "$failures" -eq 0 ] && echo "all tockhost test checks passed"
exit $((failures > 0))

#!/usr/bin/env bash
# Runs one `swift test --skip-build ARGS…` with a time limit, its output shown as it comes and
# appended to LOG. A phase that passes the limit has hung (they take a minute or two): its test
# process's threads are printed, then the tests that started and never ended, and it fails, so a
# hang costs one phase and says where it is instead of running into CI's limit silently.
#
# usage: scripts/run-phase.sh LIMIT_SECONDS LOG ARGS…
set -uo pipefail
limit=$1 log=$2
shift 2

phase_log=$(mktemp)
threads="$phase_log.threads"
trap 'rm -f "$phase_log" "$threads"' EXIT
# Line-buffered: when a test process hangs, what it printed up to the hang is in the log, not in
# a stdio buffer (stdbuf preloads a library; the test support keeps it from the programs the
# tests start). `timeout` runs it in a process group of its own and signals the whole group.
timeout --kill-after=20 "$limit" stdbuf -oL -eL swift test --skip-build "$@" >"$phase_log" 2>&1 &
runner=$!
# No pipe into tee: a process the tests started and left behind would hold the pipe open and
# stall the script after the phase. tail follows the file and ends with the runner.
tail -n +1 -f --pid="$runner" "$phase_log" &
follower=$!

# The watchdog: well before the limit (gdb may take a while), the threads of the test process.
# Its sleep is killed with it, so nothing of it outlives the phase.
(
  trap 'kill "$nap" 2>/dev/null; exit 0' TERM
  sleep $((limit > 180 ? limit - 90 : limit / 2)) &
  nap=$!
  wait "$nap"
  kill -0 "$runner" 2>/dev/null || exit 0
  # The runner is `timeout`; its child is `swift test` (stdbuf execs it), whose children are
  # the test processes.
  for pid in $(pgrep -P "$(pgrep -P "$runner" | head -1)" 2>/dev/null); do
    echo "== threads of the test process $pid (newest frames that are Kode's)"
    timeout 60 gdb -p "$pid" -batch -ex 'thread apply all bt 30' 2>/dev/null |
      swift demangle --simplified | grep -E '^Thread |Kode|kode' | grep -v 'swift_task_' |
      cut -c1-240 | head -200
  done >"$threads"
) >/dev/null 2>&1 &
watchdog=$!

wait "$runner"
status=$?
wait "$follower" 2>/dev/null
cat "$phase_log" >>"$log"

if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  # The watchdog has written the threads by now, or is about to: let it finish.
  wait "$watchdog" 2>/dev/null
  echo
  echo "== the phase did not end within ${limit}s and was stopped: swift test $*"
  [ -s "$threads" ] && cat "$threads"
  echo "== tests that started and did not end:"
  # swift-testing prints `◇ Test NAME started.` and, at the end, `✔ Test NAME passed after …`,
  # `✘ Test NAME failed after …` or `➜ Test NAME skipped`; a name left with more starts than
  # ends is one that hung. A parameterized test's cases start on lines of their own and end with
  # the test (`✔ Test NAME with N test cases passed after …`): they are not counted.
  {
    sed -nE 's/^[^ ]+ Test (.+) started\.$/started \1/p' "$phase_log"
    sed -nE 's/^[^ ]+ Test (.+) (passed|failed) after .*/ended \1/p; s/^[^ ]+ Test (.+) skipped.*/ended \1/p' "$phase_log"
  } | grep -vE '^[a-z]+ (case |run( |$))' | sed -E 's/ with [0-9]+ test cases?$//' |
    awk '{ kind = $1; sub(/^[a-z]+ /, ""); if (kind == "started") open[$0]++; else open[$0]-- }
         END { n = 0; for (t in open) if (open[t] > 0) { print "   " t; n++ }
               if (n == 0) print "   (none: the process hung after its tests)" }'
  # What the stopped tests started and left: their terminals and this checkout's binaries.
  pkill -KILL -f 'tmux -L kode-test-' 2>/dev/null
  pkill -KILL -f "$PWD/.build/" 2>/dev/null
  exit 1
fi
kill "$watchdog" 2>/dev/null
wait "$watchdog" 2>/dev/null
exit "$status"

#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what is missing, builds, runs every test.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tmux >/dev/null 2>&1 || need+=(tmux)
dpkg -s libncurses-dev >/dev/null 2>&1 || need+=(libncurses-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
# The workspace tests make git repositories and worktrees (docs/WORKSPACE.md).
command -v git >/dev/null 2>&1 || need+=(git)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null || {
    echo "could not install ${need[*]}"; exit 1; }
fi

# The MCP tests talk to real servers: mcp-server-time from PyPI, and fixtures on the Python MCP
# SDK. Pinned: mcp-server-time 2025.9.25 is the last release on the 1.x SDK, whose FastMCP the
# HTTP fixture uses.
if ! python3 -c 'import mcp.server.fastmcp' >/dev/null 2>&1 || ! command -v mcp-server-time >/dev/null 2>&1; then
  echo "installing the MCP test servers from PyPI"
  python3 -m pip install -q "mcp>=1.20,<2" "mcp-server-time==2025.9.25" >/dev/null 2>&1 || {
    echo "could not install the MCP test servers (pip install mcp mcp-server-time)"; exit 1; }
fi

export PATH="/opt/swift/usr/bin:$PATH"
# The PostgreSQL tests need a real server: a throwaway one unless KODE_PG_URL names one. If it
# cannot start, the tests run anyway and the PostgreSQL ones fail saying so (they never skip).
if [ -z "${KODE_PG_URL:-}" ]; then
  source scripts/postgres-throwaway.sh
  trap kode_pg_stop EXIT
  kode_pg_start || echo "no PostgreSQL server: the PostgreSQL tests will fail"
fi
mkdir -p .build
rm -f .build/test-output.txt
# The end-to-end tests drive the real binaries, so build every product and test first.
swift build --build-tests > .build/build-output.txt 2>&1
status=$?
grep -E 'error:|warning:' .build/build-output.txt | grep -v 'prohibited flag' | sort -u | head -50
if [ $status -ne 0 ]; then
  tail -40 .build/build-output.txt
  echo "build failed"
  exit $status
fi
if [ $# -gt 0 ]; then
  swift test --skip-build "$@" 2>&1 | tee .build/test-output.txt
  exit "${PIPESTATUS[0]}"
fi
# Phases, so tests that wait for events of an in-process agent never share the two cores with
# the tests that start hundreds of processes (the real binaries, tmux, Python MCP servers,
# PostgreSQL) or kill them (the crash suites).
phases=(
  "KodeKernelTests|KodeStoreTests|KodeConfigTests|KodeProvidersTests|KodeHostTests"
  "KodeTUITests"
  "KodeMCPTests|KodePostgresTests"
  "KodeCLITests"
)
# Every test target must be in a phase: a new one left out would silently never run.
for target in $(grep -o 'testTarget(name: "[A-Za-z]*"' Package.swift | sed 's/.*"\(.*\)"/\1/'); do
  if ! printf '%s\n' "${phases[@]}" | tr '|' '\n' | grep -qx "$target"; then
    echo "scripts/test.sh: test target $target is in no phase"; exit 1
  fi
done
# Each phase takes one to four minutes; one that runs for 12 has hung, and run-phase.sh stops it
# and says which tests were running, so five phases stay inside CI's 90 minutes whatever happens.
limit=${KODE_TEST_PHASE_LIMIT:-720}
failed=0
for phase in "${phases[@]}"; do
  echo "== tests: $phase"
  scripts/run-phase.sh "$limit" .build/test-output.txt --filter "$phase" --skip CrashTests || failed=1
done
echo "== tests: crash suites"
rm -f .build/test-output-crash.txt
scripts/run-phase.sh "$limit" .build/test-output-crash.txt --filter CrashTests || failed=1
exit $failed

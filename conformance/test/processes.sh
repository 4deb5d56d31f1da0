# Helpers for the run-against-* scripts: start a process, wait until its log says it is
# ready, and remember it so that everything started is stopped on exit.
# Source it; call stop_started from the EXIT trap.

started_pids=()

# await_line FILE ERE PID WHAT: waits (up to 60 s) until FILE has a line matching ERE,
# then prints that line; fails early with FILE's tail if PID exits first.
await_line() {
  local file=$1 pattern=$2 pid=$3 what=$4 line
  for _ in $(seq 600); do
    line=$(grep -m1 -E "$pattern" "$file" 2>/dev/null || true)
    if [ -n "$line" ]; then
      printf '%s\n' "$line"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$what exited before it was ready:" >&2
      tail -n 30 "$file" >&2
      return 1
    fi
    sleep 0.1  # a polling interval for a log file, not a wait for something
  done
  echo "$what not ready after 60 s:" >&2
  tail -n 30 "$file" >&2
  return 1
}

# The port of a `listening on http://127.0.0.1:PORT` line.
port_of() { grep -o '[0-9]*$' <<<"$1"; }

# start_smtp_sink DIR: a real SMTP server (server/test/integration/lib/smtp_sink.py) that
# takes every mail; sets smtp_port. Its stdin is a pipe this shell holds: the sink ends
# when the script does, even if the trap never runs.
start_smtp_sink() {
  local dir=$1 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  exec {smtp_stdin}> >(exec /usr/bin/python3 "$root/server/test/integration/lib/smtp_sink.py" >"$dir/smtp.log" 2>&1)
  local pid=$!
  started_pids+=("$pid")
  smtp_port=$(await_line "$dir/smtp.log" '^listening [0-9]+' "$pid" "the SMTP sink" | grep -o '[0-9]*$')
}

# start_process LOG COMMAND...: runs COMMAND in the background with stderr and stdout in
# LOG; sets started_pid.
start_process() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  started_pid=$!
  started_pids+=("$started_pid")
}

# Stops what was started, newest first, and waits for each.
stop_started() {
  local i
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do
    kill "${started_pids[i]}" 2>/dev/null || true
    wait "${started_pids[i]}" 2>/dev/null || true
  done
}

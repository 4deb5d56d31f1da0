"""Runs wsd units' ExecStart lines the way systemd would, and asks the gateways /readyz.

For each unit: its EnvironmentFile= files are read with systemd's rules (KEY=VALUE lines,
quotes stripped, # and ; comments, a leading - makes a missing file fine), its
Environment= lines added, STATE_DIRECTORY set to a fresh directory for its
StateDirectory=, and the ExecStart= words expanded as systemd does (${VAR} stays one word,
a lone $VAR splits on whitespace, $$ is a dollar). The process starts with that
environment and nothing else (systemd gives a unit a clean one), in /, as the unprivileged
user nobody (DynamicUser=yes: anything it tries to write outside its state directory
fails). The only changes: /etc/wsd/ is the test's ETC_DIR (the files installed as
deploy/systemd/README.md says), /usr/local/bin/wsd is WSD_BIN.

Then each unit must say it is up: a gateway (`all`, `serve`) logs "listening on
http://HOST:PORT" and must answer GET /readyz 200 there; a projector logs "projecting",
the mailer "mailer ready", the webhook dispatcher "hooks ready".
Each must then stop on SIGTERM with status 0, as `systemctl stop` asks it.

Usage: run_units.py WSD_BIN ETC_DIR STATE_ROOT UNIT_FILE...
"""

import os
import pwd
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

START_TIMEOUT_S = 90  # a role waits up to --backend-wait (60 s) for Kafka and Redis
READY_TIMEOUT_S = 30  # from "listening" to /readyz 200
UP_LINES = {
    "all": re.compile(r"listening on http://([0-9.]+):(\d+)"),
    "serve": re.compile(r"listening on http://([0-9.]+):(\d+)"),
    "project": re.compile(r"projecting "),
    "mail": re.compile(r"mailer ready"),
    "hooks": re.compile(r"hooks ready"),
}


def unit_settings(path):
    """The [Service] section's settings, in order, as (key, value) pairs."""
    settings, section = [], None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line
                continue
            if section == "[Service]" and "=" in line:
                key, value = line.split("=", 1)
                settings.append((key.strip(), value.strip()))
    return settings


def unquote(value):
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def read_environment_file(path):
    optional = path.startswith("-")
    path = path.lstrip("-")
    if not os.path.exists(path):
        if optional:
            return {}
        raise SystemExit(f"EnvironmentFile {path} is missing")
    env = {}
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if not line or line[0] in "#;" or "=" not in line:
                continue
            key, value = line.split("=", 1)
            env[key.strip()] = unquote(value.strip())
    return env


def expand(word, env):
    """One ExecStart word, expanded: a list of zero or more words."""
    lone = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
    if lone:
        return env.get(lone.group(1), "").split()
    word = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: env.get(m.group(1), ""), word)
    return [word.replace("$$", "$")]


def command_of(unit, wsd, etc_dir, state_root):
    def local(text):
        return text.replace("/etc/wsd/", etc_dir + "/").replace("/usr/local/bin/wsd", wsd)

    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"}
    exec_start = None
    for key, value in unit_settings(unit):
        if key == "EnvironmentFile":
            env.update(read_environment_file(local(value)))
        elif key == "Environment":
            for item in shlex.split(value):
                name, _, val = item.partition("=")
                env[name] = val
        elif key == "StateDirectory":
            state = os.path.join(state_root, value)
            os.makedirs(state, mode=0o700)
            if os.geteuid() == 0:
                os.chown(state, NOBODY.pw_uid, NOBODY.pw_gid)
            env["STATE_DIRECTORY"] = state
        elif key == "ExecStart":
            exec_start = value
    if exec_start is None:
        raise SystemExit(f"{unit}: no ExecStart")
    argv = [w for word in shlex.split(local(exec_start.lstrip("-@+!"))) for w in expand(word, env)]
    return argv, env


NOBODY = pwd.getpwnam("nobody")


def as_nobody():
    if os.geteuid() != 0:
        return  # not root: already unprivileged
    os.setgroups([])
    os.setgid(NOBODY.pw_gid)
    os.setuid(NOBODY.pw_uid)


def wait_until_up(proc, pattern, log):
    """The first line of wsd's stderr that matches, or None if it exits or times out."""
    found = {}

    def read():
        for line in proc.stderr:
            log.append(line)
            m = pattern.search(line)
            if m and "match" not in found:
                found["match"] = m
                ready.set()
        ready.set()

    ready = threading.Event()
    threading.Thread(target=read, daemon=True).start()
    ready.wait(START_TIMEOUT_S)
    return found.get("match")


def readyz_once(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as res:
            return res.status, res.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError as e:
        return None, str(e)


def readyz(host, port):
    """/readyz's answer once it is 200, else its last one after READY_TIMEOUT_S. A gateway
    listens before its Redis connection is up, so the first answers may be 503, as a
    readiness probe would see them."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        status, body = readyz_once(f"http://{host}:{port}/readyz")
        if status == 200 or time.monotonic() > deadline:
            return status, body
        time.sleep(0.05)  # a polling interval, not a wait for something


def main():
    wsd, etc_dir, state_root, units = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    failures, running = [], []
    try:
        for unit in units:
            name = os.path.basename(unit)
            argv, env = command_of(unit, wsd, etc_dir, state_root)
            role = argv[1]
            print(f"{name}: {shlex.join(argv)}")
            proc = subprocess.Popen(argv, env=env, cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True, preexec_fn=as_nobody)
            log = []
            running.append((name, proc, log))
            up = wait_until_up(proc, UP_LINES[role], log)
            if up is None:
                failures.append(f"{name}: did not come up; wsd said:\n" + "".join(log[-15:]))
                continue
            if role in ("all", "serve"):
                status, body = readyz(up.group(1), up.group(2))
                if status != 200:
                    failures.append(f"{name}: /readyz answered {status}: {body}")
                    continue
                print(f"ok   {name}: /readyz 200 on {up.group(1)}:{up.group(2)}")
            else:
                print(f"ok   {name}: {up.group(0).strip()}")
    finally:
        for name, proc, log in reversed(running):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = "none (killed after 30 s)"
            if code != 0 and not any(f.startswith(name) for f in failures):
                failures.append(f"{name}: exit status {code} after SIGTERM; wsd said:\n" + "".join(log[-15:]))
    for f in failures:
        print(f"FAIL {f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

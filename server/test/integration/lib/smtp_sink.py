#!/usr/bin/python3
"""A real SMTP server for the integration tests (aiosmtpd, Debian's python3-aiosmtpd).

Usage: /usr/bin/python3 smtp_sink.py [--port N] [--fail]

Listens on 127.0.0.1 (port 0 = a free one) and prints `listening PORT` as its first
line. Then one JSON line per message that reached DATA:
  {"mailFrom": ..., "rcptTos": [...], "data": "<the raw message>", "refused": false}
always flushed before the SMTP answer goes out. With --fail every message is answered
`554 5.7.1 relay refused` (and printed with "refused": true), so the sender gets a relay
error. No AUTH, no STARTTLS. Ends on SIGTERM, or when its stdin closes (the test runner
that started it is gone).
"""

import argparse
import json
import signal
import sys
import threading

from aiosmtpd.controller import Controller

_print_lock = threading.Lock()


def emit(line):
    with _print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class Sink:
    def __init__(self, fail):
        self.fail = fail

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or b""
        emit(json.dumps({
            "mailFrom": envelope.mail_from,
            "rcptTos": list(envelope.rcpt_tos),
            # wsd sends 7-bit messages; anything else is kept readable, not hidden.
            "data": raw.decode("utf-8", errors="replace"),
            "refused": self.fail,
        }, ensure_ascii=False))
        return "554 5.7.1 relay refused" if self.fail else "250 2.0.0 OK: queued"


class FreePortController(Controller):
    """Controller that may listen on port 0: the port is read back from the socket
    before the controller's own start-up probe connects to it."""

    def _trigger_server(self):
        if self.port == 0:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail", action="store_true")
    args = parser.parse_args()

    controller = FreePortController(
        Sink(args.fail),
        hostname="127.0.0.1",
        port=args.port,
        server_hostname="smtp-sink.localhost",  # no getfqdn() lookup
        ready_timeout=10,
    )
    controller.start()
    emit(f"listening {controller.port}")

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    while not done.wait(3600):
        pass
    controller.stop()


if __name__ == "__main__":
    main()

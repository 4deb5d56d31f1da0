"""schemas/openapi.yaml against a running wsd.

1. The file is a valid OpenAPI 3.1 document (openapi-spec-validator, external $refs to
   schemas/http/*.json resolved).
2. Every route the gateway's code answers (the path literals it compares requests with)
   is in the file, and every path and method in the file is called below on a real wsd
   (embedded log, a real SMTP server from lib/smtp_sink.py as the mail relay). Every
   answer must have a status the file documents for that operation, the documented
   content type, and a body valid against the documented schema. Every operation's
   success status must have been seen.

Usage: check_openapi.py WSD_BIN REPO_ROOT
"""

import hashlib
import http.client
import json
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile

import jsonschema
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

ROOT = pathlib.Path(sys.argv[2]).resolve()
SCHEMAS = ROOT / "schemas"
SPEC_PATH = SCHEMAS / "openapi.yaml"
# Routes that serve pages, not the API (the dashboard).
PAGES = {"/", "/dashboard", "/dashboard/"}
ADMIN = "openapi-check-admin"

failures = []
seen = {}  # (path, method) -> set of statuses


def fail(message):
    failures.append(message)


def schema_for(ref_or_schema):
    if "$ref" in ref_or_schema:
        ref = ref_or_schema["$ref"]
        return json.loads((SCHEMAS / ref).read_text(encoding="utf-8")), jsonschema.Draft7Validator
    return ref_or_schema, jsonschema.Draft202012Validator


def resolve(spec, node):
    """Follows local references (#/components/...)."""
    while "$ref" in node and node["$ref"].startswith("#/"):
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


class Wsd:
    """An embedded wsd with a real SMTP relay, on free ports."""

    def __init__(self, wsd):
        self.data = tempfile.mkdtemp(prefix="wsd-openapi-")
        sink = ROOT / "server/test/integration/lib/smtp_sink.py"
        self.smtp = subprocess.Popen(["/usr/bin/python3", str(sink), "--port", "0"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        smtp_port = self.smtp.stdout.readline().split()[1]  # "listening PORT": waits for it
        self.proc = subprocess.Popen(
            [wsd, "all", "--listen", "127.0.0.1:0", "--data-dir", self.data, "--admin-token", ADMIN,
             "--smtp-url", f"smtp://127.0.0.1:{smtp_port}", "--mail-limit", "1", "--poll-timeout", "0.2"],
            stderr=subprocess.PIPE, text=True)
        self.port = None
        for line in self.proc.stderr:  # waits for the line, never sleeps
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            raise RuntimeError("wsd did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.smtp.stdin.close()  # smtp_sink.py ends when its stdin closes
        self.smtp.wait(timeout=10)
        subprocess.run(["rm", "-rf", self.data], check=True)


class Checker:
    def __init__(self, spec, wsd):
        self.spec = spec
        self.wsd = wsd

    def operation(self, path, method):
        return self.spec["paths"].get(path, {}).get(method.lower())

    def template(self, path):
        """The documented path `path` is an instance of (/api/rooms/r1/send -> /api/rooms/{roomId}/send)."""
        if path in self.spec["paths"]:
            return path
        parts = path.split("/")
        for documented in self.spec["paths"]:
            pattern = documented.split("/")
            if len(pattern) == len(parts) and all(
                    p == q or (p.startswith("{") and p.endswith("}") and q) for p, q in zip(pattern, parts)):
                return documented
        return path

    def check(self, path, method, status, content_type, body):
        """Checks one answer against the file; returns the parsed body (JSON) or text."""
        path = self.template(path)
        seen.setdefault((path, method), set()).add(status)
        op = self.operation(path, method)
        where = f"{method} {path} -> {status}"
        if op is None:
            if status == 405 and path in self.spec["paths"]:  # documented once, in info.description
                errors = list(jsonschema.Draft7Validator(schema_for({"$ref": "./http/error_response.json"})[0])
                              .iter_errors(json.loads(body)))
                if errors:
                    fail(f"{where}: {errors[0].message}")
                return None
            fail(f"{method} {path}: not in openapi.yaml")
            return None
        response = op["responses"].get(str(status))
        if response is None:
            fail(f"{where}: status not documented (documented: {sorted(op['responses'])}); body {body[:200]!r}")
            return None
        response = resolve(self.spec, response)
        content = response.get("content")
        if not content:
            return None
        base = (content_type or "").split(";")[0].strip()
        media = next((m for m in content if m.split(";")[0].strip() == base), None)
        if media is None:
            fail(f"{where}: content type {content_type!r}, documented {list(content)}")
            return None
        if ";" in media and media.replace(" ", "") != (content_type or "").replace(" ", ""):
            fail(f"{where}: content type {content_type!r}, documented {media!r}")
        schema, validator = schema_for(content[media]["schema"])
        value = json.loads(body) if base == "application/json" else body
        errors = sorted(validator(schema).iter_errors(value), key=str)
        if errors:
            fail(f"{where}: body does not match the documented schema: {errors[0].message}; body {body[:200]!r}")
        return value

    def call(self, method, path, query="", body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.wsd.port, timeout=10)
        hdrs = {"content-type": "application/json", **(headers or {})}
        data = body if isinstance(body, (str, type(None))) else json.dumps(body)
        conn.request(method, path + (f"?{query}" if query else ""), body=data, headers=hdrs)
        res = conn.getresponse()
        text = res.read().decode("utf-8")
        conn.close()
        return res.status, self.check(path, method, res.status, res.getheader("content-type"), text), res

    def admin(self, method, path, query="", body=None, token=ADMIN):
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return self.call(method, path, query, body, headers)[:2]


def expect(got, status, what):
    if got != status:
        fail(f"{what}: expected {status}, got {got}")


def conn_id_of(proof):
    """The connId a session secret names (docs/protocol.md, "A session belongs to its client")."""
    secret = proof["wsd-session-secret"]
    return hashlib.sha256(("wsd.session.conn\n" + secret).encode()).hexdigest()[:32]


def sse_open(checker, query, headers=None):
    """Opens GET /sse, checks the answer, returns (connection, response, first message)."""
    conn = http.client.HTTPConnection("127.0.0.1", checker.wsd.port, timeout=10)
    conn.request("GET", f"/sse?{query}", headers=headers or {})
    res = conn.getresponse()
    if res.status != 200:
        checker.check("/sse", "GET", res.status, res.getheader("content-type"), res.read().decode())
        conn.close()
        return None, res, None
    checker.check("/sse", "GET", res.status, res.getheader("content-type"), "")
    first = None
    while first is None:  # reads until the first event's data line
        line = res.fp.readline().decode()
        if line.startswith("data: "):
            first = json.loads(line[6:])
    return conn, res, first


def admin_api(c):
    status, body = c.admin("POST", "/project", body={"key": "oa", "name": "OpenAPI"})
    expect(status, 200, "POST /project")
    expect(c.admin("POST", "/project", body={"key": "oa"})[0], 409, "POST /project twice")
    expect(c.admin("POST", "/project", body={"name": "no key"})[0], 400, "POST /project without key")
    expect(c.admin("POST", "/project", body={"key": "x"}, token="wrong")[0], 401, "POST /project bad token")
    expect(c.admin("GET", "/project")[0], 200, "GET /project")
    expect(c.admin("GET", "/project", token=None)[0], 401, "GET /project without token")
    status, token = c.admin("POST", "/token", body={"projectKey": "oa"})
    expect(status, 200, "POST /token")
    expect(c.admin("POST", "/token", body={"projectKey": "nope"})[0], 404, "POST /token unknown project")
    expect(c.admin("PATCH", "/token", body={"projectKey": "oa", "token": token["token"], "expiresAt": None})[0], 200,
           "PATCH /token")
    expect(c.admin("PATCH", "/token", body={"projectKey": "oa", "token": "nope", "expiresAt": None})[0], 404,
           "PATCH /token unknown")
    status, spare = c.admin("POST", "/token", body={"projectKey": "oa", "expiresAt": None})
    expect(c.admin("DELETE", "/token", f"projectKey=oa&token={spare['token']}")[0], 200, "DELETE /token")
    expect(c.admin("DELETE", "/token", f"projectKey=oa&token={spare['token']}")[0], 404, "DELETE /token again")
    expect(c.admin("PATCH", "/project", body={"key": "oa", "settings": {"maxConnections": 100}})[0], 200,
           "PATCH /project")
    expect(c.admin("PATCH", "/project", body={"key": "oa", "settings": {}})[0], 400, "PATCH /project empty")
    expect(c.admin("PATCH", "/project", body={"key": "nope", "settings": {"signedBind": False}})[0], 404,
           "PATCH /project unknown")
    expect(c.admin("POST", "/project/secret", body={"key": "oa"})[0], 200, "POST /project/secret")
    expect(c.admin("POST", "/project/secret", body={"key": "nope"})[0], 404, "POST /project/secret unknown")
    expect(c.admin("POST", "/project/secret", body={"key": "oa", "graceSeconds": -1})[0], 400,
           "POST /project/secret bad grace")
    c.admin("POST", "/project", body={"key": "gone"})
    expect(c.admin("DELETE", "/project", "key=gone")[0], 200, "DELETE /project")
    expect(c.admin("DELETE", "/project", "key=gone")[0], 404, "DELETE /project again")
    expect(c.admin("DELETE", "/project")[0], 400, "DELETE /project without key")
    return token["token"]


def server_api(c):
    """The server API (/api/*): with a server secret of the project and with the admin token."""
    status, issued = c.admin("POST", "/project/secret", body={"key": "oa"})
    secret = issued["secret"] if status == 200 else "missing"
    auth = {"authorization": f"Bearer {secret}"}
    api = lambda method, name, query="", body=None, headers=auth: c.call(method, f"/api/{name}", query, body,
                                                                          headers)[0]
    expect(api("POST", "send", "project=oa", {"to": "api-user", "msg": {"n": 1}}), 200, "POST /api/send")
    expect(api("POST", "multicast", "project=oa", {"to": ["a", "b"], "msg": "m"}), 200, "POST /api/multicast")
    expect(api("POST", "broadcast", "project=oa", {"msg": "b", "from": "ops"}), 200, "POST /api/broadcast")
    expect(api("POST", "kick", "project=oa", {"uid": "api-user", "reason": "bye"}), 200, "POST /api/kick")
    expect(api("GET", "online", "project=oa&uid=api-user"), 200, "GET /api/online")
    expect(api("GET", "list", "project=oa"), 200, "GET /api/list")
    expect(api("GET", "room", "project=oa&roomId=r1"), 200, "GET /api/room")
    expect(api("POST", "rooms/r1/send", "project=oa", {"msg": {"n": 1}, "from": "ops"}), 200,
           "POST /api/rooms/{roomId}/send")
    expect(api("POST", "rooms/r1/send", "project=oa", {"from": "ops"}), 400, "POST /api/rooms/{roomId}/send without msg")
    expect(api("GET", "list", "project=oa", headers={"authorization": f"Bearer {ADMIN}"}), 200,
           "GET /api/list with the admin token")
    expect(api("GET", "list", "project=oa", headers={"authorization": "Bearer wrong"}), 401, "GET /api/list bad secret")
    expect(api("GET", "list", "project=oa", headers={}), 401, "GET /api/list without a credential")
    expect(api("GET", "list", "project=nope"), 404, "GET /api/list unknown project")
    expect(api("GET", "list"), 400, "GET /api/list without project")
    expect(api("GET", "online", "project=oa"), 400, "GET /api/online without uid")
    expect(api("POST", "send", "project=oa", {"to": "x"}), 400, "POST /api/send without msg")
    expect(api("POST", "kick", "project=oa", {"uid": "a", "conn": "b"}), 400, "POST /api/kick with uid and conn")
    expect(api("POST", "multicast", "project=oa", {"to": ["a"], "msg": "x" * 70000}), 413, "POST /api/multicast too big")
    expect(api("GET", "send", "project=oa"), 405, "GET /api/send")


def webhooks(c):
    """POST, GET and DELETE /webhook (the endpoint is never called: it chose only `room`)."""
    hook = {"projectKey": "oa", "url": "http://127.0.0.1:9/hook", "events": ["room"]}
    status, added = c.admin("POST", "/webhook", body=hook)
    expect(status, 200, "POST /webhook")
    expect(c.admin("POST", "/webhook", body={**hook, "events": []})[0], 400, "POST /webhook without events")
    expect(c.admin("POST", "/webhook", body={**hook, "projectKey": "nope"})[0], 404, "POST /webhook unknown project")
    expect(c.admin("POST", "/webhook", body=hook, token="wrong")[0], 401, "POST /webhook bad token")
    expect(c.admin("GET", "/webhook", "projectKey=oa")[0], 200, "GET /webhook")
    expect(c.admin("GET", "/webhook")[0], 400, "GET /webhook without projectKey")
    expect(c.admin("GET", "/webhook", "projectKey=nope")[0], 404, "GET /webhook unknown project")
    hook_id = added["id"] if status == 200 else "missing"
    expect(c.admin("DELETE", "/webhook", f"projectKey=oa&id={hook_id}")[0], 200, "DELETE /webhook")
    expect(c.admin("DELETE", "/webhook", f"projectKey=oa&id={hook_id}")[0], 404, "DELETE /webhook again")
    expect(c.admin("DELETE", "/webhook", "projectKey=oa")[0], 400, "DELETE /webhook without id")
    expect(c.admin("PATCH", "/webhook", body={})[0], 405, "PATCH /webhook")


def admin_events(c):
    """GET /admin/events: the stream's first event is `ready`, valid against its schema."""
    conn = http.client.HTTPConnection("127.0.0.1", c.wsd.port, timeout=10)
    conn.request("GET", "/admin/events?project=oa", headers={"authorization": f"Bearer {ADMIN}"})
    res = conn.getresponse()
    c.check("/admin/events", "GET", res.status, res.getheader("content-type"), "" if res.status == 200 else
            res.read().decode())
    if res.status == 200:
        event = data = None
        while data is None:  # reads the first event: `event: ready` then its data line
            line = res.fp.readline().decode()
            if line.startswith("event: "):
                event = line[7:].strip()
            elif line.startswith("data: "):
                data = json.loads(line[6:])
        expect(event, "ready", "GET /admin/events first event")
        schema = json.loads((SCHEMAS / "http/admin_events_ready.json").read_text())
        for e in jsonschema.Draft7Validator(schema).iter_errors(data):
            fail(f"GET /admin/events ready event: {e.message}")
    conn.close()
    expect(c.admin("GET", "/admin/events", "project=oa", token="wrong")[0], 401, "GET /admin/events bad token")
    expect(c.admin("GET", "/admin/events")[0], 400, "GET /admin/events without project")
    expect(c.admin("GET", "/admin/events", "project=nope")[0], 404, "GET /admin/events unknown project")


def state_snapshot(c):
    """GET /admin/state-snapshot: the projections (project oa among them) and their position."""
    status, body = c.admin("GET", "/admin/state-snapshot")
    expect(status, 200, "GET /admin/state-snapshot")
    if status == 200 and '"wsd:projects"' not in json.dumps(body):
        fail("GET /admin/state-snapshot: no wsd:projects key")
    expect(c.admin("GET", "/admin/state-snapshot", token="wrong")[0], 401, "GET /admin/state-snapshot bad token")


def mail_api(c, token):
    q = f"project=oa&token={token}"
    mail = {"to": "someone@example.com", "subject": "OpenAPI check", "text": "hello"}
    expect(c.call("POST", "/mail", q, mail)[0], 200, "POST /mail")
    expect(c.call("POST", "/mail", q, mail)[0], 429, "POST /mail over the limit (--mail-limit 1)")
    expect(c.call("POST", "/mail", q, {"to": "x"})[0], 400, "POST /mail without subject")
    expect(c.call("POST", "/mail", q, {"to": "not an address", "subject": "s"})[0], 400, "POST /mail bad address")
    expect(c.call("POST", "/mail", "project=oa&token=nope", mail)[0], 401, "POST /mail bad token")
    expect(c.call("POST", "/mail", f"project=nope&token={token}", mail)[0], 404, "POST /mail unknown project")
    expect(c.call("GET", "/mail", q)[0], 405, "GET /mail")


def streams(c, token):
    q = f"project=oa&token={token}"
    conn, _, first = sse_open(c, q)
    if first is None:
        fail("GET /sse did not open a stream")
        return
    conn_id = first["connId"]
    validate_message("server", first)
    proof = {"wsd-session-secret": first.get("secret", "")}
    unknown = {"wsd-session-secret": "f" * 32}  # a secret that names no session
    expect(c.call("POST", "/sse", f"{q}&connId={conn_id}", {"type": "bind", "uid": "sse-user"}, proof)[0], 200,
           "POST /sse")
    expect(c.call("POST", "/sse", "", {"type": "list"}, {"cookie": f"wsd_conn={first.get('secret')}"})[0], 200,
           "POST /sse by cookie")
    expect(c.call("POST", "/sse", f"{q}&connId={conn_id}", {"type": "list"})[0], 403, "POST /sse without the secret")
    expect(c.call("POST", "/sse", "", {"type": "list"}, unknown)[0], 404, "POST /sse unknown session")
    expect(c.call("POST", "/sse", f"{q}&connId={conn_id}", "{not json", proof)[0], 400, "POST /sse bad JSON")
    conn.close()
    expect(sse_open(c, "project=oa&token=nope")[1].status, 401, "GET /sse bad token")
    expect(sse_open(c, "project=oa")[1].status, 400, "GET /sse without token")
    expect(sse_open(c, f"project=nope&token={token}")[1].status, 404, "GET /sse unknown project")

    status, messages, _ = c.call("GET", "/poll", q)
    expect(status, 200, "GET /poll (new session)")
    poll_id = messages[0]["connId"] if messages else "missing"
    poll_proof = {"wsd-session-secret": messages[0].get("secret", "") if messages else ""}
    for m in messages or []:
        validate_message("server", m)
    expect(c.call("POST", "/poll", f"{q}&connId={poll_id}", {"type": "bind", "uid": "poll-user"}, poll_proof)[0], 200,
           "POST /poll")
    status, messages, _ = c.call("GET", "/poll", f"{q}&connId={poll_id}", None, poll_proof)
    expect(status, 200, "GET /poll (pending)")
    for m in messages if isinstance(messages, list) else []:
        validate_message("server", m)
    expect(c.call("GET", "/poll", f"{q}&connId={poll_id}")[0], 403, "GET /poll without the secret")
    expect(c.call("GET", "/poll", f"{q}&connId={conn_id_of(unknown)}", None, unknown)[0], 404,
           "GET /poll unknown session")
    expect(c.call("POST", "/poll", "", {"type": "list"}, unknown)[0], 404, "POST /poll unknown session")
    expect(c.call("GET", "/poll", "project=oa&token=nope")[0], 401, "GET /poll bad token")

    expect(c.call("GET", "/ws", q)[0], 426, "GET /ws without an upgrade")
    expect(websocket_status(c, q), 101, "GET /ws with an upgrade")
    expect(websocket_status(c, "project=nope&token=x"), 404, "GET /ws unknown project")


def websocket_status(c, query):
    """The status line of a real RFC 6455 upgrade request (then the socket is closed)."""
    with socket.create_connection(("127.0.0.1", c.wsd.port), timeout=10) as s:
        s.sendall((f"GET /ws?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            if not chunk:
                break
            head += chunk
    status = int(head.split(b" ", 2)[1])
    text = head.decode("utf-8", "replace")
    body = text.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in text else ""
    content_type = re.search(r"(?im)^content-type: *(.*?)\r$", text)
    if status == 101:
        seen.setdefault(("/ws", "GET"), set()).add(101)
    elif body.strip():
        c.check("/ws", "GET", status, content_type.group(1) if content_type else None, body)
    else:
        seen.setdefault(("/ws", "GET"), set()).add(status)
    return status


def operations(c):
    for path in ("/healthz", "/readyz", "/metrics"):
        expect(c.call("GET", path)[0], 200, f"GET {path}")
        expect(c.call("POST", path, body="{}")[0], 405, f"POST {path}")


def validate_message(side, message):
    path = SCHEMAS / side / f"{message.get('type')}.json"
    if not path.exists():
        fail(f"no schema for {side} message {message}")
        return
    errors = list(jsonschema.Draft7Validator(json.loads(path.read_text())).iter_errors(message))
    if errors:
        fail(f"{side}/{message['type']}: {errors[0].message}")


def routes_in_code():
    """The request paths the gateway's code compares with: its routes."""
    found = set()
    for source in (ROOT / "server/src/gateway").glob("*.[ch]*"):
        found |= set(re.findall(r'path [!=]= "(/[a-z0-9/_.-]*)"', source.read_text(encoding="utf-8")))
    return found


def main():
    wsd_bin = sys.argv[1]
    spec, _ = read_from_filename(str(SPEC_PATH))
    try:
        validate(spec, base_uri=SPEC_PATH.as_uri())
    except Exception as e:
        fail(f"openapi.yaml is not valid OpenAPI: {e}")
    for route in sorted(routes_in_code() - PAGES):
        if route not in spec["paths"]:
            fail(f"the gateway answers {route}, which openapi.yaml does not document")
    wsd = Wsd(wsd_bin)
    try:
        c = Checker(spec, wsd)
        token = admin_api(c)
        admin_events(c)
        state_snapshot(c)
        webhooks(c)
        mail_api(c, token)
        streams(c, token)
        server_api(c)
        operations(c)
    finally:
        wsd.stop()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            statuses = seen.get((path, method.upper()), set())
            if not statuses:
                fail(f"{method.upper()} {path}: documented but never called")
            success = {int(s) for s in op["responses"] if s.startswith(("1", "2"))}
            if success and not success & statuses:
                fail(f"{method.upper()} {path}: never answered its documented success {sorted(success)}")
    for f in failures:
        print(f"FAIL {f}")
    if failures:
        sys.exit(1)
    calls = sum(len(s) for s in seen.values())
    print(f"schemas/openapi.yaml: {len(seen)} operations, {calls} distinct answers, all as documented")


if __name__ == "__main__":
    main()

"""Offline check of deploy/k8s: schema, consistency, and agreement with wsd itself.

1. Every manifest validates, strictly (no unknown fields), against Kubernetes' own
   OpenAPI schemas for KUBERNETES_VERSION, as packaged on PyPI by kubernetes-validate.
2. What the schemas cannot see: selectors match the pods they select, Services, the
   PodDisruptionBudget and the Ingress point at ports and Services that exist, every
   $(VAR) and secretKeyRef/configMapRef resolves, the mailer and the webhook dispatcher
   are each a single replica replaced with Recreate, every container is unprivileged and
   read-only.
3. Agreement with wsd: every container's role and --flag is one `wsd --help` lists, the
   gateway listens on its containerPort, and its probe paths answer 200 on a real wsd.

Usage: check_manifests.py WSD_BIN   (run by check.sh, in its virtualenv)
"""

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import kubernetes_validate
import yaml

KUBERNETES_VERSION = "1.30.0"
HERE = os.path.dirname(os.path.abspath(__file__))
K8S = os.path.dirname(HERE)
ROLES = {"all", "serve", "project", "mail", "hooks"}

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def load():
    with open(os.path.join(K8S, "kustomization.yaml")) as f:
        listed = yaml.safe_load(f)["resources"]
    present = sorted(n for n in os.listdir(K8S) if n.endswith(".yaml") and n != "kustomization.yaml")
    if sorted(listed) != present:
        fail("kustomization.yaml", f"resources {sorted(listed)} differ from the files {present}")
    docs = []
    for name in listed:
        with open(os.path.join(K8S, name)) as f:
            for doc in yaml.safe_load_all(f):
                if doc is not None:
                    docs.append((name, doc))
    return docs


def where(name, doc):
    return f"{name} {doc['kind']}/{doc['metadata']['name']}"


def check_schemas(docs):
    for name, doc in docs:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as e:
            fail(where(name, doc), f"invalid against Kubernetes {KUBERNETES_VERSION}: {e.message} at {list(e.path)}")
        except Exception as e:  # an unknown kind or version is a failure too
            fail(where(name, doc), f"cannot validate: {e}")


def by_kind(docs, kind):
    return [(n, d) for n, d in docs if d["kind"] == kind]


def selects(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def wsd_help(wsd):
    text = subprocess.run([wsd, "--help"], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"^  (--[a-z-]+)", text, re.M))


def check_deployment(name, d, flags, configmaps, secrets):
    at = where(name, d)
    spec = d["spec"]
    pod = spec["template"]
    if not selects(spec["selector"]["matchLabels"], pod["metadata"]["labels"]):
        fail(at, "selector.matchLabels does not select the pod template's labels")
    if not pod["spec"].get("securityContext", {}).get("runAsNonRoot"):
        fail(at, "pod securityContext must set runAsNonRoot")
    for c in pod["spec"]["containers"]:
        sc = c.get("securityContext", {})
        if sc.get("allowPrivilegeEscalation") is not False or sc.get("readOnlyRootFilesystem") is not True:
            fail(at, f"container {c['name']}: allowPrivilegeEscalation false and readOnlyRootFilesystem true, please")
        if sc.get("capabilities", {}).get("drop") != ["ALL"]:
            fail(at, f"container {c['name']}: capabilities must drop ALL")
        env = {e["name"] for e in c.get("env", [])}
        for e in c.get("env", []):
            ref = e.get("valueFrom", {}).get("secretKeyRef")
            if ref and ref["key"] not in secrets.get(ref["name"], set()):
                fail(at, f"secretKeyRef {ref['name']}/{ref['key']} does not exist")
        for source in c.get("envFrom", []):
            cm = source.get("configMapRef", {}).get("name")
            if cm is not None:
                if cm not in configmaps:
                    fail(at, f"configMapRef {cm} does not exist")
                env |= configmaps.get(cm, set())
        args = c.get("args", [])
        if not args or args[0] not in ROLES:
            fail(at, f"first argument must be a wsd role {sorted(ROLES)}, not {args[:1]}")
        for arg in args[1:]:
            if arg.startswith("--") and arg.split("=")[0] not in flags:
                fail(at, f"wsd --help has no option {arg}")
            for var in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", arg):
                if var not in env:
                    fail(at, f"$({var}) is defined neither in env nor in a ConfigMap it loads")
    return pod


def arg_after(args, flag):
    return args[args.index(flag) + 1] if flag in args else None


def check_gateway(name, d, services, pdbs, ingresses):
    at = where(name, d)
    pod = d["spec"]["template"]
    c = pod["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    listen = arg_after(c["args"], "--listen") or ""
    if not listen.endswith(f":{ports.get('http')}"):
        fail(at, f"--listen {listen} is not the containerPort http ({ports.get('http')})")
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        got = c.get(probe, {}).get("httpGet", {})
        if got.get("path") != path or got.get("port") not in ports:
            fail(at, f"{probe} must GET {path} on a named container port, not {got}")
    labels = pod["metadata"]["labels"]
    mine = [s for s in services if selects(s["spec"]["selector"], labels)]
    if not mine:
        fail(at, "no Service selects the gateways")
    for s in mine:
        for p in s["spec"]["ports"]:
            if p["targetPort"] not in ports and p["targetPort"] not in ports.values():
                fail(where("", s), f"targetPort {p['targetPort']} is not a gateway container port")
    if not any(selects(p["spec"]["selector"]["matchLabels"], labels) for p in pdbs):
        fail(at, "no PodDisruptionBudget covers the gateways")
    service_names = {s["metadata"]["name"]: {p["name"] for p in s["spec"]["ports"]} for s in services}
    for ing in ingresses:
        for rule in ing["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                if backend["port"].get("name") not in service_names.get(backend["name"], set()):
                    fail(where("", ing), f"backend {backend} is not a Service port")
    return c


def check_single(name, d, what="mailer"):
    at = where(name, d)
    if d["spec"].get("replicas") != 1:
        fail(at, f"exactly one {what} per topic: replicas must be 1")
    if d["spec"].get("strategy", {}).get("type") != "Recreate":
        fail(at, f"a rolling update would run two {what}s at once: strategy must be Recreate")


def check_probes_on_wsd(wsd, container):
    """Starts an embedded wsd and asks it the gateway's probe paths."""
    data = subprocess.run(["mktemp", "-d"], capture_output=True, text=True, check=True).stdout.strip()
    proc = subprocess.Popen(
        [wsd, "all", "--listen", "127.0.0.1:0", "--data-dir", data, "--admin-token", "k8s-check"],
        stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for line in proc.stderr:  # waits for the line, never sleeps
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if m:
                port = m.group(1)
                break
        if port is None:
            fail("wsd", "did not start")
            return
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            path = container.get(probe, {}).get("httpGet", {}).get("path")
            if path is None:
                continue
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as res:
                    status = res.status
            except urllib.error.HTTPError as e:
                status = e.code
            if status != 200:
                fail("gateway", f"{probe} {path} answered {status} on a healthy wsd")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        subprocess.run(["rm", "-rf", data], check=True)


def main():
    wsd = sys.argv[1]
    docs = load()
    check_schemas(docs)
    flags = wsd_help(wsd)
    configmaps = {d["metadata"]["name"]: set(d.get("data", {})) for _, d in by_kind(docs, "ConfigMap")}
    secrets = {d["metadata"]["name"]: set(d.get("stringData", {})) | set(d.get("data", {}))
               for _, d in by_kind(docs, "Secret")}
    services = [d for _, d in by_kind(docs, "Service")]
    pdbs = [d for _, d in by_kind(docs, "PodDisruptionBudget")]
    ingresses = [d for _, d in by_kind(docs, "Ingress")]
    roles = {}
    for name, d in by_kind(docs, "Deployment"):
        pod = check_deployment(name, d, flags, configmaps, secrets)
        role = pod["spec"]["containers"][0]["args"][0]
        roles[role] = (name, d)
    for role in ("serve", "project", "mail", "hooks"):
        if role not in roles:
            fail("deploy/k8s", f"no Deployment runs wsd {role}")
    if "mail" in roles:
        check_single(*roles["mail"])
    if "hooks" in roles:
        check_single(*roles["hooks"], what="webhook dispatcher")
    if "serve" in roles:
        container = check_gateway(*roles["serve"], services, pdbs, ingresses)
        check_probes_on_wsd(wsd, container)
    for line in failures:
        print(f"FAIL {line}")
    if failures:
        sys.exit(1)
    print(f"deploy/k8s: {len(docs)} manifests valid against Kubernetes {KUBERNETES_VERSION} and consistent with wsd")


if __name__ == "__main__":
    main()

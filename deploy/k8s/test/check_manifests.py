"""Offline check of deploy/k8s: schema, consistency, and agreement with wsd itself.

Two shapes, each a folder applied with `kubectl apply -k`: embedded/ (one `wsd all` pod,
a StatefulSet with its volume) and distributed/ (gateways, projector, mailer and webhook
dispatcher on Kafka and Redis). For each:

1. Every manifest validates, strictly (no unknown fields), against Kubernetes' own
   OpenAPI schemas for KUBERNETES_VERSION, as packaged on PyPI by kubernetes-validate.
2. What the schemas cannot see: selectors match the pods they select, Services, the
   PodDisruptionBudget and the Ingress point at ports and Services that exist, every
   $(VAR) and secretKeyRef/configMapRef resolves, the mailer and the webhook dispatcher
   are each a single replica replaced with Recreate, every container is unprivileged and
   read-only and runs the image deploy/container/Containerfile builds; embedded: one
   replica, the data dir on the volumeClaimTemplate, the TOML of its ConfigMap mounted
   where --config reads it.
3. Agreement with wsd: every container's role and --flag is one `wsd --help` lists, a
   mounted TOML file is one `wsd config print` accepts, the gateway listens on its
   containerPort, and its probe paths answer 200 on a real wsd started with the pod's
   arguments and configuration (embedded: the very TOML file of the ConfigMap).

Usage: check_manifests.py WSD_BIN   (run by check.sh, in its virtualenv)
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request

import kubernetes_validate
import yaml

KUBERNETES_VERSION = "1.30.0"
HERE = os.path.dirname(os.path.abspath(__file__))
K8S = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(K8S))
SHAPES = ("embedded", "distributed")
ROLES = {"all", "serve", "project", "mail", "hooks"}
# What `podman build -t ...` in deploy/container names the image (its header says so).
IMAGE = "localhost/wsd:0.1.0"

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def load(shape):
    folder = os.path.join(K8S, shape)
    with open(os.path.join(folder, "kustomization.yaml")) as f:
        listed = yaml.safe_load(f)["resources"]
    present = sorted(n for n in os.listdir(folder) if n.endswith(".yaml") and n != "kustomization.yaml")
    if sorted(listed) != present:
        fail(f"{shape}/kustomization.yaml", f"resources {sorted(listed)} differ from the files {present}")
    docs = []
    for name in listed:
        with open(os.path.join(folder, name)) as f:
            for doc in yaml.safe_load_all(f):
                if doc is not None:
                    docs.append((f"{shape}/{name}", doc))
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


def mounted_files(pod, configmaps):
    """The files the pod's ConfigMap volumes put in the container: path -> text."""
    volumes = {v["name"]: v["configMap"]["name"] for v in pod["spec"].get("volumes", []) if "configMap" in v}
    files = {}
    for m in pod["spec"]["containers"][0].get("volumeMounts", []):
        for key, text in configmaps.get(volumes.get(m["name"]), {}).items():
            files[f"{m['mountPath']}/{key}"] = text
    return files


def wsd_accepts(wsd, text):
    """`wsd config print` on the text as a config file: None if it is accepted, else why."""
    with tempfile.NamedTemporaryFile("w", suffix=".toml") as f:
        f.write(text)
        f.flush()
        res = subprocess.run([wsd, "config", "print", "--config", f.name], capture_output=True, text=True,
                             env={"PATH": os.environ.get("PATH", "")})
    return None if res.returncode == 0 else (res.stderr or res.stdout).strip()


def check_workload(name, d, flags, configmaps, secrets, wsd):
    at = where(name, d)
    spec = d["spec"]
    pod = spec["template"]
    if not selects(spec["selector"]["matchLabels"], pod["metadata"]["labels"]):
        fail(at, "selector.matchLabels does not select the pod template's labels")
    if not pod["spec"].get("securityContext", {}).get("runAsNonRoot"):
        fail(at, "pod securityContext must set runAsNonRoot")
    files = mounted_files(pod, configmaps)
    for c in pod["spec"]["containers"]:
        if c.get("image") != IMAGE:
            fail(at, f"container {c['name']}: image {c.get('image')} is not {IMAGE}, what deploy/container builds")
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
                env |= set(configmaps.get(cm, {}))
        args = c.get("args", [])
        if not args or args[0] not in ROLES:
            fail(at, f"first argument must be a wsd role {sorted(ROLES)}, not {args[:1]}")
        for arg in args[1:]:
            if arg.startswith("--") and arg.split("=")[0] not in flags:
                fail(at, f"wsd --help has no option {arg}")
            for var in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", arg):
                if var not in env:
                    fail(at, f"$({var}) is defined neither in env nor in a ConfigMap it loads")
        config = arg_after(args, "--config")
        if config is not None:
            if config not in files:
                fail(at, f"--config {config} is no file of a mounted ConfigMap {sorted(files)}")
            elif (why := wsd_accepts(wsd, files[config])) is not None:
                fail(at, f"wsd refuses {config}: {why}")
    return pod, files


def arg_after(args, flag):
    return args[args.index(flag) + 1] if flag in args else None


def option(container, files, name):
    """An option's value as the container gives it: its arguments, else its --config file."""
    value = arg_after(container.get("args", []), f"--{name}")
    config = arg_after(container.get("args", []), "--config")
    if value is None and config in files:
        value = tomllib.loads(files[config]).get(name)
    return value


def check_gateway(name, d, files, services, pdbs, ingresses, wants_pdb=True):
    at = where(name, d)
    pod = d["spec"]["template"]
    c = pod["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    listen = option(c, files, "listen") or ""
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
    if wants_pdb and not any(selects(p["spec"]["selector"]["matchLabels"], labels) for p in pdbs):
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


def check_embedded_volume(name, d, files, services):
    """One replica, its data dir on the claim, and the Service the StatefulSet names."""
    at = where(name, d)
    spec = d["spec"]
    if spec.get("replicas") != 1:
        fail(at, "the embedded log has one writer: replicas must be 1")
    c = spec["template"]["spec"]["containers"][0]
    claims = {t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])}
    data_dir = option(c, files, "data-dir")
    on_claim = [m for m in c.get("volumeMounts", []) if m["name"] in claims and m["mountPath"] == data_dir]
    if not on_claim:
        fail(at, f"the data dir {data_dir} is not the mount of a volumeClaimTemplate {sorted(claims)}")
    if spec.get("serviceName") not in {s["metadata"]["name"] for s in services}:
        fail(at, f"serviceName {spec.get('serviceName')} is not a Service")


def started_wsd(argv, env):
    """Starts wsd; returns (process, port) once it logs where it listens, port None if it never does."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    for line in proc.stderr:  # waits for the line, never sleeps
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if m:
            return proc, m.group(1)
    return proc, None


def check_probes_on_wsd(wsd, container, files):
    """Starts wsd and asks it the gateway's probe paths. A pod that runs `wsd all` on its
    mounted config file is started as it is (only the address and the data dir differ);
    a distributed gateway's probes are asked of an embedded wsd."""
    work = tempfile.mkdtemp()
    env = {"PATH": os.environ.get("PATH", ""), "WSD_LISTEN": "127.0.0.1:0", "WSD_DATA_DIR": work,
           "WSD_ADMIN_TOKEN": "k8s-check"}
    args = container["args"]
    if args[0] == "all" and "--listen" not in args and "--data-dir" not in args:
        argv = [wsd]
        for arg in args:
            if arg in files:
                path = os.path.join(work, os.path.basename(arg))
                with open(path, "w") as f:
                    f.write(files[arg])
                arg = path
            argv.append(arg)
    else:
        argv = [wsd, "all"]
    proc, port = started_wsd(argv, env)
    try:
        if port is None:
            fail("wsd", f"did not start: {' '.join(argv)}")
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
        shutil.rmtree(work)


def check_shape(shape, wsd, flags):
    docs = load(shape)
    check_schemas(docs)
    configmaps = {d["metadata"]["name"]: d.get("data", {}) for _, d in by_kind(docs, "ConfigMap")}
    secrets = {d["metadata"]["name"]: set(d.get("stringData", {})) | set(d.get("data", {}))
               for _, d in by_kind(docs, "Secret")}
    services = [d for _, d in by_kind(docs, "Service")]
    pdbs = [d for _, d in by_kind(docs, "PodDisruptionBudget")]
    ingresses = [d for _, d in by_kind(docs, "Ingress")]
    roles = {}
    for name, d in by_kind(docs, "Deployment") + by_kind(docs, "StatefulSet"):
        pod, files = check_workload(name, d, flags, configmaps, secrets, wsd)
        role = pod["spec"]["containers"][0]["args"][0]
        roles[role] = (name, d, files)
    wanted = ["all"] if shape == "embedded" else ["serve", "project", "mail", "hooks"]
    if sorted(roles) != sorted(wanted):
        fail(f"deploy/k8s/{shape}", f"runs wsd {sorted(roles)}, not {wanted}")
    if shape == "embedded" and "all" in roles:
        name, d, files = roles["all"]
        if d["kind"] != "StatefulSet":
            fail(where(name, d), "wsd all keeps its log on a volume: a StatefulSet, please")
        check_embedded_volume(name, d, files, services)
        container = check_gateway(name, d, files, services, pdbs, ingresses, wants_pdb=False)
        check_probes_on_wsd(wsd, container, files)
    if "mail" in roles:
        check_single(*roles["mail"][:2])
    if "hooks" in roles:
        check_single(*roles["hooks"][:2], what="webhook dispatcher")
    if "serve" in roles:
        name, d, files = roles["serve"]
        container = check_gateway(name, d, files, services, pdbs, ingresses)
        check_probes_on_wsd(wsd, container, files)
    return len(docs)


def main():
    wsd = sys.argv[1]
    flags = wsd_help(wsd)
    with open(os.path.join(ROOT, "deploy", "container", "Containerfile")) as f:
        if f"-t {IMAGE}" not in f.read():
            fail("deploy/container/Containerfile", f"does not say it builds {IMAGE}")
    counts = {shape: check_shape(shape, wsd, flags) for shape in SHAPES}
    for line in failures:
        print(f"FAIL {line}")
    if failures:
        sys.exit(1)
    for shape, count in counts.items():
        print(f"deploy/k8s/{shape}: {count} manifests valid against Kubernetes {KUBERNETES_VERSION} and consistent with wsd")


if __name__ == "__main__":
    main()

"""docs/protocol.md against schemas/: every message has an example, every example is valid.

The examples are the fenced blocks of docs/protocol.md whose info string is `json client`
or `json server`: each must be one JSON object whose `type` names a schema in
schemas/client/ or schemas/server/, and must validate against it (draft-07). Every
schema in those two folders must have at least one example. Usage:
check_protocol_examples.py DOC SCHEMAS_DIR
"""

import json
import os
import re
import sys

import jsonschema

FENCE = re.compile(r"^```json (client|server)\n(.*?)^```$", re.M | re.S)


def main():
    doc, schemas = sys.argv[1], sys.argv[2]
    text = open(doc, encoding="utf-8").read()
    failures = []
    covered = {"client": set(), "server": set()}
    blocks = 0
    for match in FENCE.finditer(text):
        blocks += 1
        side, body = match.group(1), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        try:
            message = json.loads(body)
        except json.JSONDecodeError as e:
            failures.append(f"{doc}:{line}: not JSON: {e}")
            continue
        kind = message.get("type") if isinstance(message, dict) else None
        path = os.path.join(schemas, side, f"{kind}.json")
        if not isinstance(kind, str) or not os.path.exists(path):
            failures.append(f"{doc}:{line}: no schemas/{side}/{kind}.json for this example")
            continue
        schema = json.load(open(path, encoding="utf-8"))
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(message), key=str)
        if errors:
            failures.append(f"{doc}:{line}: invalid {side}/{kind}: {errors[0].message}")
            continue
        covered[side].add(kind)
    for side in ("client", "server"):
        for name in sorted(os.listdir(os.path.join(schemas, side))):
            kind = name.removesuffix(".json")
            if name.endswith(".json") and kind not in covered[side]:
                failures.append(f"{doc}: no valid ```json {side} example of {kind}")
    for failure in failures:
        print(f"FAIL {failure}")
    if failures:
        sys.exit(1)
    print(f"{doc}: {blocks} examples, every client and server message covered and valid")


if __name__ == "__main__":
    main()

"""Reads a Prometheus text exposition on stdin with Prometheus' own parser
(prometheus_client.parser, pinned in tools/ci/requirements.txt) and prints its families
as JSON: [{name, type, help, samples: [{name, labels, value}]}]. A line the parser
refuses ends it with status 1 and the parser's message on stderr.

Beside the parse, for each family: whether its `# HELP` and `# TYPE` lines were there
(the parser fills in defaults when they are not), taken from the raw text.
"""
import json
import math
import re
import sys

from prometheus_client.parser import text_string_to_metric_families


def declared(text, keyword):
    return set(re.findall(rf"^# {keyword} ([a-zA-Z_:][a-zA-Z0-9_:]*) ", text, re.MULTILINE))


def main():
    text = sys.stdin.read()
    helps, types = declared(text, "HELP"), declared(text, "TYPE")
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as error:  # the parser raises ValueError and friends; all mean "not parsed"
        print(f"not parsed by prometheus_client: {error}", file=sys.stderr)
        return 1
    out = []
    for family in families:
        # A counter's family loses its _total; its `# TYPE` line keeps it.
        declared_as = family.name + ("_total" if family.type == "counter" else "")
        out.append({
            "name": family.name,
            "type": family.type,
            "help": family.documentation,
            "helpLine": declared_as in helps or family.name in helps,
            "typeLine": declared_as in types or family.name in types,
            "samples": [
                {"name": s.name, "labels": s.labels, "value": s.value if math.isfinite(s.value) else str(s.value)}
                for s in family.samples
            ],
        })
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

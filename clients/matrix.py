#!/usr/bin/env python3
"""Regenerates the README's client matrix: one row per operation that some suite calls,
one column per official client.

- Go: the operations that e2e/*_test.go calls on the aws-sdk-go-v2 client
  (`c.<Operation>(` or `.<Operation>(ctx`), except calls whose next line expects
  NotImplementedException (those check that an operation is *not* implemented).
- JavaScript, Python (boto3), AWS CLI: clients/results/{js,python,cli}.json, written by
  each suite's last run: a list of {"operation": ..., "ok": true/false}.

✅ verified, ❌ failed in the last run, blank: not covered. Operation names are the
Connect model's (../shared/aws-models/connect/2017-08-08/service-2.json from the project
root).

It rewrites only the lines between `<!-- matrix:start -->` and `<!-- matrix:end -->` in
README.md, and leaves the file alone if those markers are absent.

Usage: clients/matrix.py [--print] [--readme FILE]
  --print writes the table to stdout instead; --readme rewrites FILE instead of README.md.
"""

import glob
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
MODEL = os.path.join(ROOT, "..", "shared", "aws-models", "connect", "2017-08-08", "service-2.json")
README = os.path.join(ROOT, "README.md")
START, END = "<!-- matrix:start -->", "<!-- matrix:end -->"
CLIENTS = [("js", "JavaScript"), ("python", "Python (boto3)"), ("cli", "AWS CLI")]


def operations():
    with open(MODEL) as f:
        return set(json.load(f)["operations"])


def go_operations(names):
    """The operations the Go end-to-end suite calls."""
    found = set()
    call = re.compile(r"\bc\.([A-Z]\w*)\(|\.([A-Z]\w*)\(ctx\b")
    for path in sorted(glob.glob(os.path.join(ROOT, "e2e", "*_test.go"))):
        lines = open(path, encoding="utf-8").read().splitlines()
        for i, line in enumerate(lines):
            for m in call.finditer(line):
                op = m.group(1) or m.group(2)
                following = line[m.end():] + "\n".join(lines[i + 1:i + 2])
                if op in names and "NotImplementedException" not in following:
                    found.add(op)
    return {op: True for op in found}


def client_results(client, names):
    """A suite's {operation: ok} from its last run, or {} if it has not run."""
    path = os.path.join(ROOT, "clients", "results", f"{client}.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        rows = json.load(f)
    return {r["operation"]: bool(r["ok"]) for r in rows if r.get("operation") in names}


def table():
    names = operations()
    columns = [("Go", go_operations(names))] + [(title, client_results(key, names)) for key, title in CLIENTS]
    rows = sorted(set().union(*(results for _, results in columns)))
    mark = {True: "✅", False: "❌", None: ""}
    out = ["| Operation | " + " | ".join(title for title, _ in columns) + " |",
           "| --- |" + " :---: |" * len(columns)]
    for op in rows:
        out.append(f"| {op} | " + " | ".join(mark[results.get(op)] for _, results in columns) + " |")
    out.append("")
    out.append(f"✅ verified, ❌ failed in the suite's last run, blank: not covered. {len(rows)} of the model's "
               f"{len(names)} operations are called by some suite.")
    return "\n".join(out)


def main():
    import argparse

    parser = argparse.ArgumentParser(description="Regenerates the README's client matrix.")
    parser.add_argument("--print", action="store_true", help="write the table to stdout, touch no file")
    parser.add_argument("--readme", default=README, help="the file to rewrite (default: the project's README.md)")
    args = parser.parse_args()
    text = table()
    if args.print:
        print(text)
        return
    readme = args.readme
    if not os.path.exists(readme):
        print(f"matrix: no {readme}; nothing rewritten")
        return
    with open(readme, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if START not in lines or END not in lines or lines.index(END) < lines.index(START):
        print(f"matrix: {readme} has no {START} ... {END} lines; left alone")
        return
    start, end = lines.index(START), lines.index(END)
    new = lines[:start + 1] + [""] + text.split("\n") + [""] + lines[end:]
    if new == lines:
        print(f"matrix: {readme} is up to date")
        return
    with open(readme, "w", encoding="utf-8") as f:
        f.write("\n".join(new))
    print(f"matrix: {readme} rewritten between the matrix markers")


if __name__ == "__main__":
    main()

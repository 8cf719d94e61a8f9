#!/usr/bin/env python3
"""Write the licences of every crate compiled into demarc for one target (normal dependencies
only: no build or dev dependencies) to a text file, for release archives and the .deb.

usage: scripts/third-party-licenses.py TARGET_TRIPLE OUT_FILE
Reads `cargo metadata` (offline: the crates are already downloaded by the build) and copies each
crate's LICENSE*, LICENCE*, COPYING* and NOTICE* files.
"""
import json
import os
import subprocess
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    target, out_path = sys.argv[1], sys.argv[2]
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--locked",
         "--filter-platform", target]))
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = meta["resolve"]["root"]
    seen, stack = set(), [root]
    while stack:
        node = nodes[stack.pop()]
        for dep in node["deps"]:
            normal = any(k["kind"] is None for k in dep["dep_kinds"])
            if normal and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                stack.append(dep["pkg"])
    texts = {}  # licence text -> number, so that identical texts are printed once
    crates = []
    missing = []
    for pkg in sorted((packages[i] for i in seen), key=lambda p: (p["name"], p["version"])):
        directory = os.path.dirname(pkg["manifest_path"])
        files = sorted(f for f in os.listdir(directory)
                       if f.upper().startswith(("LICENSE", "LICENCE", "COPYING", "NOTICE"))
                       and os.path.isfile(os.path.join(directory, f)))
        refs = []
        for name in files:
            with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as f:
                text = f.read().strip()
            number = texts.setdefault(text, len(texts) + 1)
            refs.append(f"{name}: text {number}")
        if not files:
            missing.append(pkg["name"])
            refs.append("ships no licence file; its licence expression is given")
        head = f"{pkg['name']} {pkg['version']} ({pkg.get('license') or 'no licence field'})"
        crates.append(f"- {head}" + (f" {pkg['repository']}" if pkg.get("repository") else "")
                      + "\n    " + "; ".join(refs))
    lines = [
        "Third-party software in demarc",
        "",
        f"demarc for {target} contains the following {len(crates)} crates, each with its licence",
        "expression and the licence files it ships; the texts follow, each printed once.",
        "",
        *crates,
        "",
    ]
    for text, number in sorted(texts.items(), key=lambda item: item[1]):
        lines += ["=" * 78, f"text {number}", "=" * 78, text, ""]
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"{out_path}: {len(seen)} crates, {len(missing)} without a licence file", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Simplified text against human text: UD Chinese GSD (Traditional) beside
GSDSimp, its hand-corrected Simplified edition.

Converts the 500 sentences of ../shared/bench-data/gsd-dev.tsv (never
committed: CC BY-NC-SA 4.0) with `jianfan convert --plain`, OpenCC 1.4.2
(PyPI `opencc`) and zhconv-rs (PyPI `zhconv-rs`, MediaWiki's tables), and
prints, side by side, how many sentences come out identical to the human
text and how many characters differ (edit distance), punctuation apart
(GSDSimp writes 「」 as “”). GSD is Taiwan Wikipedia text, so it is
converted as a Taiwan source (tw2s) and as the shipped site's hk2s.

    pip install opencc==1.4.2 zhconv-rs
    python3 bench/gsd.py [--show] [TSV]

JIANFAN names the binary (default: target/release/jianfan, else
target/debug/jianfan). --show prints jianfan's sentences that differ.
"""
import os
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def bare(text):
    """The text without punctuation and spaces."""
    return "".join(
        c for c in text if not unicodedata.category(c).startswith(("P", "Z")) and not c.isspace()
    )


def distance(a, b):
    """Levenshtein distance, by characters."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def jianfan(config, sentences):
    binary = os.environ.get("JIANFAN")
    if not binary:
        for build in ("release", "debug"):
            candidate = os.path.join(REPO, "target", build, "jianfan")
            if os.path.exists(candidate):
                binary = candidate
                break
    # A folder without site.yaml: the built-in Hong Kong site, its OpenCC
    # configs replaced by `config`.
    with tempfile.TemporaryDirectory() as root:
        out = subprocess.run(
            [binary, "--root", root, "convert", "--plain", "--opencc", config],
            input="\n".join(sentences) + "\n",
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return out.rstrip("\n").split("\n")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--show" in sys.argv
    path = args[0] if args else os.path.join(REPO, "..", "shared", "bench-data", "gsd-dev.tsv")
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")][1:]
    traditional = [r[1] for r in rows]
    human = [r[2] for r in rows]

    import opencc
    import zhconv_rs

    systems = {}
    for config in ("tw2s", "hk2s"):
        systems[f"jianfan convert --opencc {config}"] = jianfan(config, traditional)
    for config in ("tw2s", "hk2s"):
        cc = opencc.OpenCC(f"{config}.json")
        systems[f"OpenCC 1.4.2 {config}"] = [cc.convert(t) for t in traditional]
    systems["zhconv-rs 0.4 zh-hans"] = [zhconv_rs.zhconv(t, "zh-hans") for t in traditional]

    print(f"{len(rows)} sentences of UD Chinese GSD against GSDSimp, punctuation apart")
    print(f"{'system':<34} {'identical':>9} {'char errors':>11}")
    for name, out in systems.items():
        assert len(out) == len(human), f"{name}: {len(out)} lines"
        same = sum(bare(o) == bare(h) for o, h in zip(out, human))
        errors = sum(distance(bare(o), bare(h)) for o, h in zip(out, human))
        print(f"{name:<34} {same:>9} {errors:>11}")
        if show and name.startswith("jianfan") and "tw2s" in name:
            for row, o, h in zip(rows, out, human):
                if bare(o) != bare(h):
                    print(f"  {row[0]}\n    jianfan {o}\n    human   {h}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""`check` on Hong Kong text nobody tuned the lint on: the Hong Kong
Cantonese Corpus (HKCanCor, CC BY) and Common Voice's Hong Kong Cantonese
sentences (CC0), both shipped with PyCantonese 5.0. Every sentence is
correct Hong Kong text, so every warning is either a real Simplified
character the corpus holds or a false alarm, and every review place is
printed for reading.

    pip install pycantonese==5.0.0
    python3 bench/heldout.py

JIANFAN names the binary (default: target/release/jianfan, else
target/debug/jianfan). The corpus is written to a temporary site, never
into the project.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def binary():
    found = os.environ.get("JIANFAN")
    for build in ("release", "debug"):
        candidate = os.path.join(REPO, "target", build, "jianfan")
        if not found and os.path.exists(candidate):
            found = candidate
    return found


def sentences():
    import pycantonese

    sample = set(open(os.path.join(REPO, "tests", "corpus", "hkcancor-sample.txt"), encoding="utf-8").read().split("\n"))
    corpus = pycantonese.hkcancor()
    hkcancor = []
    for utterance in corpus.utterances():
        text = "".join(t.word for t in utterance.tokens)
        if text and text not in sample:
            hkcancor.append(text)
    voice_file = os.path.join(os.path.dirname(pycantonese.__file__), "data", "common_voice", "sents.json")
    voice = [s for s in json.load(open(voice_file, encoding="utf-8")) if s.strip()]
    return {"hkcancor": hkcancor, "common-voice": voice}


def main():
    with tempfile.TemporaryDirectory() as root:
        shutil.copy(os.path.join(REPO, "site.yaml"), root)
        shutil.copytree(os.path.join(REPO, "templates"), os.path.join(root, "templates"))
        content = os.path.join(root, "content")
        os.makedirs(content)
        counts = {}
        for name, lines in sentences().items():
            counts[name] = len(lines)
            # Articles of 500 lines each, one sentence a paragraph.
            for part in range(0, len(lines), 500):
                body = "\n\n".join(lines[part : part + 500])
                with open(os.path.join(content, f"{name}-{part // 500:03}.md"), "w", encoding="utf-8") as f:
                    f.write(f"---\ntitle: 語料\ndate: 2026-03-09\ntopics: [ai]\n---\n\n{body}\n")
        out = subprocess.run(
            [binary(), "--root", root, "check", "--format", "json"], capture_output=True, text=True
        ).stdout
        report = json.loads(out)
        warnings = [d for d in report["warnings"] if d["kind"] in ("wrong-script", "markdown")]
        reviews = report["review"]
        places = sum(max(1, len(d.get("notes") or [])) for d in reviews)
        print(", ".join(f"{n}: {c} sentences" for n, c in counts.items()))
        print(f"{len(warnings)} warnings, {len(reviews)} review entries, {places} review places")
        for d in warnings:
            print(f"  warning {d['file']}:{d['line']} {d['message']}")
        for d in reviews:
            print(f"  review {d['kind']} {d['file']}:{d['line']} {d['message']}")
            for note in d.get("notes") or []:
                print(f"      {note}")


if __name__ == "__main__":
    sys.exit(main())

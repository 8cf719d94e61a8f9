#!/usr/bin/env bash
# On macOS: assemble demarc.app from a release binary and zip it.
#   scripts/macos-bundle.sh TARGET_TRIPLE   (after cargo build --release --target TARGET_TRIPLE)
# Produces target/dist/demarc-<version>-<arch>-macos.zip holding demarc.app (icon, bundle id,
# the .demarc.json document type from packaging/macos/Info.plist). Uses sips, iconutil and ditto,
# which ship with macOS.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/macos-bundle.sh TARGET_TRIPLE}
arch=${target%%-*}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
dist=target/dist
app="$dist/demarc.app"
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp "target/$target/release/demarc" "$app/Contents/MacOS/demarc"
sed "s/VERSION/$version/g" packaging/macos/Info.plist > "$app/Contents/Info.plist"
iconset=$(mktemp -d)/demarc.iconset
mkdir -p "$iconset"
for size in 16 32 128 256 512; do
  sips -z "$size" "$size" assets/icon-512.png --out "$iconset/icon_${size}x${size}.png" >/dev/null
  double=$((size * 2))
  sips -z "$double" "$double" assets/icon-512.png --out "$iconset/icon_${size}x${size}@2x.png" >/dev/null
done
iconutil -c icns "$iconset" -o "$app/Contents/Resources/demarc.icns"
cp LICENSE-MIT LICENSE-APACHE "$app/Contents/Resources/"
plutil -lint "$app/Contents/Info.plist"
ditto -c -k --keepParent "$app" "$dist/demarc-$version-$arch-macos.zip"
echo "$dist/demarc-$version-$arch-macos.zip"

#!/usr/bin/env bash
# Build every release artefact that can be built on Linux into target/dist/:
#   demarc_<version>-1_amd64.deb           Debian/Ubuntu package (binary, desktop entry, icons,
#                                          MIME type for *.demarc.json)
#   demarc-<version>-x86_64-linux.tar.gz   the binary, icons, desktop entry, licences, README
#   demarc-<version>-x86_64-windows.zip    demarc.exe (icon embedded), licences, README
#   SHA256SUMS
# macOS bundles are built on macOS runners (.github/workflows/release.yml, scripts/macos-bundle.sh).
#
# Needs: cargo-deb (cargo install cargo-deb --locked), the Windows target
# (rustup target add x86_64-pc-windows-gnu) and MinGW-w64 (apt-get install -y gcc-mingw-w64-x86-64),
# zip. Usage: scripts/package.sh [--skip-windows]
set -euo pipefail
cd "$(dirname "$0")/.."

skip_windows=false
for arg in "$@"; do
  case $arg in
    --skip-windows) skip_windows=true ;;
    *) echo "usage: scripts/package.sh [--skip-windows]" >&2; exit 2 ;;
  esac
done

version=$(cargo metadata --no-deps --format-version 1 --locked \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
dist=target/dist
rm -rf "$dist"
mkdir -p "$dist"

echo "== Linux x86_64 release build"
cargo build --release --locked
strip target/release/demarc -o "$dist/demarc.stripped" 2>/dev/null || cp target/release/demarc "$dist/demarc.stripped"

echo "== third-party licences"
python3 scripts/third-party-licenses.py x86_64-unknown-linux-gnu target/THIRD-PARTY-LICENSES.txt

echo "== .deb"
cargo deb --no-build --locked --output "$dist/"

echo "== Linux archive"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/demarc-$version-x86_64-linux"
mkdir -p "$root/icons"
install -m 755 "$dist/demarc.stripped" "$root/demarc"
cp README.md LICENSE-MIT LICENSE-APACHE target/THIRD-PARTY-LICENSES.txt "$root/"
cp assets/demarc.desktop packaging/linux/demarc-mime.xml "$root/"
cp assets/icon.svg assets/icon-*.png "$root/icons/"
cat > "$root/INSTALL.txt" <<TXT
demarc $version for Linux x86_64

Run it from here:   ./demarc            (the window)      ./demarc --help   (the command line)
Install for you:    install -Dm755 demarc ~/.local/bin/demarc
                    install -Dm644 demarc.desktop ~/.local/share/applications/demarc.desktop
                    install -Dm644 icons/icon-256.png ~/.local/share/icons/hicolor/256x256/apps/demarc.png
                    install -Dm644 demarc-mime.xml ~/.local/share/mime/packages/demarc.xml
                    update-mime-database ~/.local/share/mime
The window needs OpenGL (Mesa) and X11 or Wayland; the command line needs nothing.
TXT
tar -C "$stage" -czf "$dist/demarc-$version-x86_64-linux.tar.gz" "demarc-$version-x86_64-linux"
rm "$dist/demarc.stripped"

if ! $skip_windows; then
  echo "== Windows x86_64 (cross-compiled with MinGW-w64)"
  cargo build --release --locked --target x86_64-pc-windows-gnu
  exe=target/x86_64-pc-windows-gnu/release/demarc.exe
  wroot="$stage/demarc-$version-x86_64-windows"
  mkdir -p "$wroot"
  x86_64-w64-mingw32-strip "$exe" -o "$wroot/demarc.exe" 2>/dev/null || cp "$exe" "$wroot/demarc.exe"
  cp LICENSE-MIT LICENSE-APACHE "$wroot/"
  python3 scripts/third-party-licenses.py x86_64-pc-windows-gnu "$wroot/THIRD-PARTY-LICENSES.txt"
  cp README.md "$wroot/README.md"
  (cd "$stage" && zip -qr -X "$OLDPWD/$dist/demarc-$version-x86_64-windows.zip" "demarc-$version-x86_64-windows")
fi

(cd "$dist" && sha256sum -- * > SHA256SUMS)
echo "== artefacts in $dist"
ls -l "$dist"

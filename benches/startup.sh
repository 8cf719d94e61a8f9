#!/usr/bin/env bash
# Time to first frame of the release binary under Xvfb, against an empty eframe window built
# the same way (examples/empty_window.rs). Both exit after their first frame
# (DEMARC_EXIT_AFTER_FRAMES=1), so each run measures process start -> window -> first frame ->
# exit. Needs xvfb and hyperfine (Debian packages). Target: demarc within 2x of the empty window.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin demarc --example empty_window
Xvfb :93 -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb' EXIT
sleep 1
export DISPLAY=:93 DEMARC_EXIT_AFTER_FRAMES=1 HOME="${TMPDIR:-/tmp}/demarc-startup-home"
mkdir -p "$HOME"
hyperfine --warmup 3 --runs "${RUNS:-20}" --export-markdown "${OUT:-/dev/stdout}" \
    -n "empty eframe window" ./target/release/examples/empty_window \
    -n "demarc" ./target/release/demarc

#!/usr/bin/env bash
# Regenerates docs/img/report.png, the README's picture of report.html: the default scenario
# run at its default samples and seed, its report rendered by headless Chromium at 1200 px
# wide (the first screens of the page).
#   scripts/screenshot.sh            # needs chromium (Debian: apt-get install chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$browser" ]; then
  echo "scripts/screenshot.sh needs Chromium: apt-get install chromium, or set CHROMIUM" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --release --quiet -- run --out "$work/report" --quiet
mkdir -p docs/img
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$work/profile" --window-size=1200,1700 \
  --screenshot="$PWD/docs/img/report.png" "file://$work/report/report.html" 2>/dev/null
test -s docs/img/report.png
echo "wrote docs/img/report.png"

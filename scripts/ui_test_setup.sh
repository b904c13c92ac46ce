#!/usr/bin/env bash
# System package the browser test (tests/ui/test_browser.py) needs: Debian's chromium,
# driven by the Python `playwright` package (a test extra). Never run `playwright install`:
# it downloads a browser of its own.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu /usr/bin/chromium cho kiểm thử giao diện; hãy chạy với quyền root: sudo bash $0" >&2
  exit 1
fi
echo "Cài chromium cho kiểm thử giao diện…"
apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

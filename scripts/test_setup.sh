#!/usr/bin/env bash
# System packages the tests need (installed only when missing; root on these machines).
set -euo pipefail
need=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "Cài gói hệ thống cho kiểm thử: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Headless Chromium for the end-to-end browser test (Debian's package; never `playwright install`).
bash "$(dirname "$0")/ui_test_setup.sh"
# PostgreSQL and a Node OpenID Connect provider for the server tests (tests/server).
bash "$(dirname "$0")/postgres_test_setup.sh"
bash "$(dirname "$0")/oidc_test_setup.sh"

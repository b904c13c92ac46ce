#!/usr/bin/env bash
# System packages the tests need (installed only when missing; root on these machines).
set -euo pipefail
need=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "Cài gói hệ thống cho kiểm thử: ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=900 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${need[@]}" >/dev/null
fi
# Tesseract and its Vietnamese model for scanned PDFs (the OCR tests need them).
bash "$(dirname "$0")/ocr_setup.sh"
# Headless Chromium for the end-to-end browser test (Debian's package; never `playwright install`).
bash "$(dirname "$0")/ui_test_setup.sh"
# PostgreSQL and a Node OpenID Connect provider for the server tests (tests/server).
bash "$(dirname "$0")/postgres_test_setup.sh"
bash "$(dirname "$0")/oidc_test_setup.sh"
# nginx in front of two replicas, with the shipped config (deploy/nginx), for the replica tests.
bash "$(dirname "$0")/nginx_test_setup.sh"

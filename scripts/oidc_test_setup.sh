#!/usr/bin/env bash
# Node and the npm package oidc-provider (pinned in tests/server/oidc/package-lock.json)
# for the sign-in test (tests/server/test_signin.py), which starts it on 127.0.0.1.
set -euo pipefail
dir="$(cd "$(dirname "$0")/.." && pwd)/tests/server/oidc"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Thiếu Node.js cho kiểm thử đăng nhập; hãy cài nodejs và npm (kiểm thử sẽ được bỏ qua)" >&2
    exit 0
  fi
  echo "Cài Node.js (gói Debian) cho kiểm thử đăng nhập…"
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq nodejs npm >/dev/null \
    || { echo "Không cài được Node.js; kiểm thử đăng nhập sẽ được bỏ qua" >&2; exit 0; }
fi
if [ -f "$dir/node_modules/oidc-provider/package.json" ] && [ "$dir/package-lock.json" -ot "$dir/node_modules/.package-lock.json" ]; then
  exit 0
fi
echo "Cài oidc-provider (npm ci) cho kiểm thử đăng nhập…"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) \
  || echo "Không cài được oidc-provider; kiểm thử đăng nhập sẽ được bỏ qua" >&2

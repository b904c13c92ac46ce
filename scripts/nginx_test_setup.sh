#!/usr/bin/env bash
# nginx for the replica tests (tests/server/test_replicas.py): Debian's package. The tests
# run their own nginx on a free loopback port with deploy/nginx/troly.conf; nothing is
# configured or left running here.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu nginx cho kiểm thử bản sao; hãy chạy với quyền root: sudo bash $0 (kiểm thử cần nó sẽ được bỏ qua)" >&2
  exit 0
fi
echo "Cài nginx (gói Debian) cho kiểm thử bản sao…"
# the package must not start its own nginx on port 80 (policy-rc.d answering 101 = "not now")
made_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
fi
apt-get -o DPkg::Lock::Timeout=900 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq nginx >/dev/null \
  || echo "Không cài được nginx; kiểm thử cần nó sẽ được bỏ qua" >&2
if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi

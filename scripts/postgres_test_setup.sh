#!/usr/bin/env bash
# PostgreSQL server binaries for the API/database tests (tests/server): Debian's packages.
# The tests start their own throw-away cluster on 127.0.0.1 (tests/server/pg.py); no
# cluster is created or started here, and none is left running.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu PostgreSQL cho kiểm thử máy chủ; hãy chạy với quyền root: sudo bash $0 (các kiểm thử cần nó sẽ được bỏ qua)" >&2
  exit 0
fi
echo "Cài PostgreSQL (gói Debian) cho kiểm thử máy chủ…"
# no default cluster: the tests make their own in a temporary folder
mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/troly-tests.conf
apt-get -o DPkg::Lock::Timeout=900 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq postgresql >/dev/null \
  || echo "Không cài được PostgreSQL; các kiểm thử cần nó sẽ được bỏ qua" >&2

"""A real nginx in front of API replicas for the tests, configured with the files deploy/
ships: deploy/nginx/troly.conf as it is (only its `listen` port and the path of its
upstreams file changed) and deploy/nginx/upstreams-local.conf with the replicas' ports in
place of 8081/8082, in a temporary prefix, on a free loopback port."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx

from assistant.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy" / "nginx"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


class NginxProcess:
    def __init__(self, prefix: Path, port: int, api_ports: list[int], ui_ports: list[int]):
        self.prefix, self.port = prefix, port
        self.url = f"http://127.0.0.1:{port}"
        prefix.mkdir(parents=True, exist_ok=True)
        os.chmod(prefix, 0o777)  # nginx's workers run as nobody under root
        upstreams = (DEPLOY / "upstreams-local.conf").read_text("utf-8")
        for shipped, port_ in zip(("8081", "8082"), api_ports):
            upstreams = upstreams.replace(f"127.0.0.1:{shipped}", f"127.0.0.1:{port_}")
        for shipped, port_ in zip(("8501", "8502"), ui_ports):
            upstreams = upstreams.replace(f"127.0.0.1:{shipped}", f"127.0.0.1:{port_}")
        (prefix / "troly-upstreams.conf").write_text(upstreams, "utf-8")
        site = (DEPLOY / "troly.conf").read_text("utf-8")
        site = site.replace("include /etc/nginx/troly-upstreams.conf;", f"include {prefix}/troly-upstreams.conf;")
        assert "    listen 80;" in site
        site = site.replace("    listen 80;", f"    listen 127.0.0.1:{port};")
        (prefix / "troly.conf").write_text(site, "utf-8")
        temp = "".join(
            f"    {kind}_temp_path {prefix}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (prefix / "nginx.conf").write_text(
            f"worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
            f"events {{ worker_connections 512; }}\n"
            f"http {{\n    access_log {prefix}/access.log;\n{temp}    include {prefix}/troly.conf;\n}}\n",
            "utf-8",
        )
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> NginxProcess:
        self.proc = subprocess.Popen(
            [nginx_binary(), "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.proc.stderr.read().decode(errors='replace')}")
            try:
                httpx.get(self.url + "/healthz", timeout=2)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text("utf-8", errors="replace") if path.exists() else ""

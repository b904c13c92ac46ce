"""Running the API under uvicorn: JSON logs, no access log of uvicorn's own (ours has the
request id and the user), graceful shutdown (SIGTERM/SIGINT: stop accepting, let the
requests in flight finish within ``shutdown_grace_s``), one or several worker processes."""

from __future__ import annotations

import ipaddress
import logging
import logging.config
from typing import Any

from ..settings import Settings
from .logs import LOGGER, log_config


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Run until stopped. Several workers are separate processes, each with its own
    Assistant: with the offline generator one HTTP process feeds K answer processes in
    arrival order (answers.py); with an LLM, K uvicorn workers (each reading the same
    settings from the environment) with answer threads of their own."""
    import uvicorn

    logging.config.dictConfig(log_config())
    log = logging.getLogger(LOGGER)
    if not settings.api_keys and not _loopback(host):
        log.warning(
            "no API keys configured on a non-loopback address: anyone who can reach it may ask",
            extra={"fields": {"host": host, "fix": 'đặt TROLY_API_KEYS=\'{"tên": "khoá"}\''}},
        )
    common: dict[str, Any] = dict(
        host=host,
        port=port,
        log_config=log_config(),
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        proxy_headers=True,
        server_header=False,
        timeout_keep_alive=30,
    )
    from .answers import answers_in_processes

    if workers > 1 and answers_in_processes(settings):
        from .app import create_app

        uvicorn.run(create_app(settings, processes=workers), **common)
        return
    if workers > 1:
        # a worker imports the app and loads its index first: give it time on a busy machine
        # before the supervisor takes it for dead (uvicorn's default is 5 s)
        uvicorn.run(
            "assistant.server.app:create_app", factory=True, workers=workers, timeout_worker_healthcheck=120, **common
        )
        return
    from .app import create_app

    uvicorn.run(create_app(settings), **common)

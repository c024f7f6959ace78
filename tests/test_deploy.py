"""The deployment recipe, as far as this machine allows (no Docker here): the compose file
names what an operator needs, and the processes it runs start together against the local
PostgreSQL, answer their health check and stop cleanly."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text

from storage.db import connect
from tests.conftest import POSTGRES_URL, ROOT, postgres_url_for

READOUT = shutil.which("readout") or str(Path(sys.executable).parent / "readout")
COMPOSE = ROOT / "docker-compose.yml"


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def interpolate(value: str) -> str:
    """Compose's `${NAME:-default}` with nothing set: the default."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def test_the_compose_file_names_postgres_a_migration_and_three_workers() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "migrate", "web", "worker"}
    db = services["db"]
    assert db["image"].startswith("postgres:")
    assert any("pg_isready" in part for part in db["healthcheck"]["test"])
    assert db["volumes"] == ["pgdata:/var/lib/postgresql/data"] and "pgdata" in compose()["volumes"]
    assert services["migrate"]["command"] == ["readout", "db", "upgrade"]
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("web", "worker"):
        service = services[name]
        assert service["command"] == ["readout", "run"]
        assert service["restart"] == "unless-stopped"
        assert service["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
        assert service["healthcheck"]["test"] == ["CMD", "readout", "health"]
        assert service["environment"]["READOUT_TELEGRAM_MODE"] == "webhook"
        mount = service["volumes"][0]
        assert mount.endswith(":/home/readout/readout.toml:ro")
        assert (ROOT / interpolate(mount).split(":")[0]).is_file()
    assert services["worker"]["deploy"]["replicas"] == 3
    assert services["web"]["ports"] == ["${READOUT_PORT:-8080}:8080"]
    assert "ports" not in services["worker"]  # replicas cannot share a host port


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(not POSTGRES_URL, reason="READOUT_TEST_POSTGRES_URL is not set")
def test_the_processes_it_names_start_together_and_stop(tmp_path: Path) -> None:
    """migrate, then web and three workers at once, with the compose file's environment
    (the database the local PostgreSQL, each its own port as they share one host), the
    example config mounted as readout.toml: each answers `readout health`, then stops on
    SIGTERM."""
    assert POSTGRES_URL
    services = compose()["services"]
    schema = f"readout_compose_{uuid.uuid4().hex[:10]}"
    admin = connect(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    shutil.copy(ROOT / "config.example.toml", tmp_path / "readout.toml")

    def environment(service: str, port: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("READOUT_")}
        env.update({k: interpolate(str(v)) for k, v in services[service]["environment"].items()})
        env = {k: v for k, v in env.items() if v != ""}  # unset, as compose leaves them
        env["READOUT_DATABASE_URL"] = postgres_url_for(schema)
        env["READOUT_HTTP_PORT"] = str(port)
        return env

    started: list[tuple[subprocess.Popen[str], dict[str, str]]] = []
    try:
        migrate = subprocess.run(
            services["migrate"]["command"],
            cwd=tmp_path,
            env=environment("migrate", _free_port()),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
        replicas = [("web", 1), ("worker", services["worker"]["deploy"]["replicas"])]
        for service, count in replicas:
            for _ in range(count):
                env = environment(service, _free_port())
                process = subprocess.Popen(
                    services[service]["command"],
                    cwd=tmp_path,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                started.append((process, env))
        assert len(started) == 4
        for process, env in started:
            deadline = time.monotonic() + 60
            while True:  # wait for the event: the worker answers its health check
                check = subprocess.run(
                    [READOUT, *services["worker"]["healthcheck"]["test"][2:]],
                    cwd=tmp_path,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=30,
                    check=False,
                )
                if check.returncode == 0:
                    break
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, check.stdout
                time.sleep(0.2)
        for process, _ in started:
            process.send_signal(signal.SIGTERM)
        for process, _ in started:
            _, err = process.communicate(timeout=30)
            assert process.returncode == 0, err
            assert "worker stopped" in err
    finally:
        for process, _ in started:
            process.kill()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

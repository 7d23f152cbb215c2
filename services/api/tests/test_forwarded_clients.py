"""Behind a proxy, clients are told apart by ``X-Forwarded-For`` only when the proxy is trusted.

The API runs as its own command, as in the images, with ``FORWARDED_ALLOW_IPS`` naming the one
trusted proxy (127.0.0.1); another loopback address (127.0.0.2) plays an untrusted peer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from workout_common.redis_support import free_port
from workout_testkit.service_process import BIN, ServiceProcess

READS_PER_MINUTE = 3


@pytest.fixture
def api_url(migrated_sqlite_url: str, redis_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    api = ServiceProcess(
        "api",
        [str(BIN / "workout-api"), "--host", "127.0.0.1", "--port", str(port)],
        {
            "ENVIRONMENT": "development",
            "DATABASE_URL": migrated_sqlite_url,
            "REDIS_URL": redis_url,
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "RATELIMIT_READ_ANONYMOUS": f"{READS_PER_MINUTE}/minute",
        },
        port,
        tmp_path / "api.log",
    )
    api.start()
    try:
        api.wait_healthy()
        yield api.url
    finally:
        api.stop()


def _reads(url: str, source: str, forwarded_for: list[str]) -> list[int]:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=10) as client:
        return [
            client.get(f"{url}/exercises", headers={"X-Forwarded-For": address}).status_code
            for address in forwarded_for
        ]


def test_a_trusted_proxy_gives_each_client_its_own_limit(api_url: str) -> None:
    first = _reads(api_url, "127.0.0.1", ["203.0.113.5"] * (READS_PER_MINUTE + 1))
    assert first == [200] * READS_PER_MINUTE + [429]
    # Another client behind the same proxy is not held back by the first one's reads.
    assert _reads(api_url, "127.0.0.1", ["203.0.113.6"]) == [200]


def test_an_untrusted_peer_cannot_escape_its_limit_by_rotating_the_header(api_url: str) -> None:
    rotating = [f"198.51.100.{n}" for n in range(READS_PER_MINUTE + 2)]
    answers = _reads(api_url, "127.0.0.2", rotating)
    assert answers[:READS_PER_MINUTE] == [200] * READS_PER_MINUTE
    assert set(answers[READS_PER_MINUTE:]) == {429}

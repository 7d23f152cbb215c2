"""What an attacker and a careless client tried against the running services, kept as tests.

Each test is one finding of the hardening review, replayed against the API and the coach as
real processes (the same command and server settings as the images): bodies and headers,
numbers and text JSON allows, spreadsheet formulas, unbounded weights, tokens that outlived
their account, retried writes, the coach's limits, response headers, names, and accounts.
The per-proxy client addresses are checked in services/api/tests/test_forwarded_clients.py,
the write faults in tests/faults/.
"""

from __future__ import annotations

import csv
import io
import os
import select
import socket
import subprocess
import sys
import uuid
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.security.conftest import COACHING_PER_MINUTE, LOGINS_PER_ACCOUNT, LivePlatform


def _raw_request(url: str, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send a hand-made request; the status and body of the answer. The body goes in pieces,
    and sending stops once the server has answered: it may refuse before reading it all."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(head.encode("latin-1") + b"\r\n")
        for start in range(0, len(body), 65536):
            # Paced, as a slow uploader: an answer that came meanwhile ends the upload before
            # more bytes reach a closed connection (which would reset it, answer unread).
            if select.select([connection], [], [], 0.1)[0]:
                break
            try:
                connection.sendall(body[start : start + 65536])
            except (BrokenPipeError, ConnectionResetError):
                break
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
        headers, _, rest = received.partition(b"\r\n\r\n")
        status = int(headers.split(b" ", 2)[1])
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in headers.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        while len(rest) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            rest += chunk
    return status, rest


# --- 1. one anonymous request must not hold the server ---------------------------------------


def test_a_huge_body_is_refused_before_it_is_read(live: LivePlatform) -> None:
    declared = 20 * 1024 * 1024
    head = (
        "POST /auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {declared}\r\nConnection: close\r\n"
    )
    status, body = _raw_request(live.api.url, head, b"[" + b"1," * 1000)
    assert status == 413
    assert len(body) < 1024, "the refusal must not echo the input"
    # Served while and after: the refused upload held nothing.
    assert httpx.get(f"{live.api.url}/health", timeout=10).status_code == 200


def test_a_huge_chunked_body_is_refused_while_it_is_read(live: LivePlatform) -> None:
    chunk = b"1," * 32768
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(64))  # 4 MiB
    head = (
        "POST /exercises HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n"
    )
    status, body = _raw_request(live.api.url, head, chunks + b"0\r\n\r\n")
    assert status == 413
    assert len(body) < 1024


@pytest.mark.parametrize("service", ["api", "coach"])
def test_a_huge_header_is_refused(live: LivePlatform, service: str) -> None:
    url = getattr(live, service).url
    answer = httpx.get(f"{url}/health", headers={"Authorization": "Bearer " + "a" * 65536})
    assert answer.status_code == 431


# --- 2. numbers and text JSON allows but Python cannot encode back --------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/exercises", '{"name": "Squat", "sets": 5, "reps": 5, "weight": 1e999}'),
        ("/exercises", '{"name": "Squat", "sets": 5, "reps": 5, "weight": NaN}'),
        ("/auth/login", '{"username": "\\ud800", "password": "x"}'),
        ("/auth/refresh", '{"refresh_token": Infinity}'),
    ],
)
def test_unusable_json_is_a_clear_422(live: LivePlatform, path: str, body: str) -> None:
    headers = {"Content-Type": "application/json", **live.headers()}
    answer = httpx.post(f"{live.api.url}{path}", content=body.encode(), headers=headers)
    assert answer.status_code == 422, answer.text
    assert "not usable JSON" in answer.text
    assert "Traceback" not in live.api.log_path.read_text(errors="replace")


def test_the_coach_refuses_unusable_json_clearly(live: LivePlatform) -> None:
    answer = httpx.post(
        f"{live.coach.url}/chat",
        content=b'{"message": "\\ud800"}',
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 422, answer.text
    assert "Traceback" not in live.coach.log_path.read_text(errors="replace")


# --- 3. spreadsheet formulas in every CSV the platform writes --------------------------------


def test_csv_cells_that_would_run_as_formulas_are_neutralised(live: LivePlatform) -> None:
    headers = live.headers()
    names = ["=HYPERLINK(1)", "+cmd", "-1+1", "@SUM(1)"]
    for name in names:
        created = httpx.post(
            f"{live.api.url}/exercises",
            json={"name": name, "sets": 1, "reps": 1},
            headers=headers,
        )
        assert created.status_code == 201, created.text
    exported = httpx.get(f"{live.api.url}/exercises", params={"format": "csv"})
    assert exported.status_code == 200
    cells = {row["name"] for row in csv.DictReader(io.StringIO(exported.text))}
    for name in names:
        assert f"'{name}" in cells, (name, cells)
        assert name not in cells


# --- 4. weights are bounded; no sum overflows -------------------------------------------------


def test_weights_beyond_ten_tonnes_are_refused(live: LivePlatform) -> None:
    headers = live.headers()
    for weight in (1e308, 10000.5):
        answer = httpx.post(
            f"{live.api.url}/exercises",
            json={"name": "Heavy", "sets": 1, "reps": 1, "weight": weight},
            headers=headers,
        )
        assert answer.status_code == 422, answer.text
        assert "weight" in answer.text


# --- 5. tokens end with what they stand for --------------------------------------------------


def _account(live: LivePlatform, password: str) -> str:
    username = f"lifter-{uuid.uuid4().hex[:8]}"
    created = httpx.post(
        f"{live.api.url}/admin/users",
        json={"username": username, "password": password},
        headers=live.headers("admin", "admin123"),
    )
    assert created.status_code == 201, created.text
    return username


def test_a_password_change_ends_every_earlier_token(live: LivePlatform) -> None:
    username = _account(live, "first-password")
    tokens = httpx.post(
        f"{live.api.url}/auth/login", json={"username": username, "password": "first-password"}
    ).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    changed = httpx.post(
        f"{live.api.url}/auth/password",
        json={"current_password": "first-password", "new_password": "second-password"},
        headers=bearer,
    )
    assert changed.status_code == 204, changed.text
    assert httpx.get(f"{live.api.url}/auth/me", headers=bearer).status_code == 401
    refreshed = httpx.post(
        f"{live.api.url}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401


def test_logout_ends_the_refresh_token(live: LivePlatform) -> None:
    tokens = httpx.post(
        f"{live.api.url}/auth/login", json={"username": "user", "password": "user123"}
    ).json()
    body = {"refresh_token": tokens["refresh_token"]}
    assert httpx.post(f"{live.api.url}/auth/logout", json=body).status_code == 204
    assert httpx.post(f"{live.api.url}/auth/refresh", json=body).status_code == 401


# --- 6. a retried write is stored once --------------------------------------------------------


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(
    live: LivePlatform,
) -> None:
    headers = {**live.headers(), "Idempotency-Key": uuid.uuid4().hex}
    body = {"name": "Retried row", "sets": 3, "reps": 8}
    first = httpx.post(f"{live.api.url}/exercises", json=body, headers=headers)
    again = httpx.post(f"{live.api.url}/exercises", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    other = httpx.post(f"{live.api.url}/exercises", json={**body, "reps": 9}, headers=headers)
    assert other.status_code == 422


# --- 7 and 8. the coach's door, and sign-in throttling per account ---------------------------


def test_the_coach_limits_each_anonymous_caller(live: LivePlatform) -> None:
    question = {"message": "How do I progress my squat?", "include_workout_context": False}
    answers = [
        httpx.post(f"{live.coach.url}/chat", json=question, timeout=60)
        for _ in range(COACHING_PER_MINUTE + 1)
    ]
    assert [a.status_code for a in answers[:COACHING_PER_MINUTE]] == [200] * COACHING_PER_MINUTE
    assert answers[-1].status_code == 429
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_the_coach_refuses_a_token_the_api_refuses(live: LivePlatform) -> None:
    answer = httpx.get(
        f"{live.coach.url}/analyze", headers={"Authorization": "Bearer forged.token.here"}
    )
    assert answer.status_code == 401


def test_sign_in_attempts_on_one_account_are_limited_from_any_address(
    live: LivePlatform,
) -> None:
    username = _account(live, "right-password")
    wrong = {"username": username, "password": "wrong-password"}
    statuses = [
        httpx.post(f"{live.api.url}/auth/login", json=wrong).status_code
        for _ in range(LOGINS_PER_ACCOUNT + 1)
    ]
    assert statuses[:LOGINS_PER_ACCOUNT] == [401] * LOGINS_PER_ACCOUNT
    assert statuses[-1] == 429


# --- 9 and 12. no development key or weak secret outside development ------------------------


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"ENVIRONMENT": "test"}, "SECRET_KEY"),
        ({"ENVIRONMENT": "production", "SECRET_KEY": "a" * 48}, "SECRET_KEY"),
    ],
)
def test_the_api_refuses_to_start_with_an_unsafe_key(env: dict[str, str], problem: str) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "SECRET"))}
    started = subprocess.run(
        [sys.executable, "-m", "workout_api.cli", "--port", "1"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert started.returncode != 0
    assert problem in started.stderr


# --- 10. headers of every answer ---------------------------------------------------------------


@pytest.mark.parametrize("service", ["api", "coach"])
def test_answers_carry_the_security_headers_and_no_banner(live: LivePlatform, service: str) -> None:
    url = getattr(live, service).url
    answer = httpx.get(f"{url}/health")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "Referrer-Policy" in answer.headers
    assert answer.headers.get("X-Frame-Options") == "DENY" or "frame-ancestors" in (
        answer.headers.get("Content-Security-Policy", "")
    )
    assert "server" not in answer.headers
    proxied = httpx.get(f"{url}/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 404


# --- 11 and 15. names and accounts -------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        {"name": "\u202eevil"},
        {"name": "\u200b\u200b"},
        {"name": "   "},
        {"sets": "5"},
        {"reps": True},
    ],
)
def test_invisible_names_and_coerced_numbers_are_refused(
    live: LivePlatform, field: dict[str, Any]
) -> None:
    body = {"name": "Squat", "sets": 5, "reps": 5, **field}
    answer = httpx.post(f"{live.api.url}/exercises", json=body, headers=live.headers())
    assert answer.status_code == 422, answer.text


def test_usernames_are_unique_in_any_case_and_no_service_accounts_are_made(
    live: LivePlatform,
) -> None:
    admin = live.headers("admin", "admin123")
    name = f"Casey{uuid.uuid4().hex[:6]}"
    first = httpx.post(
        f"{live.api.url}/admin/users",
        json={"username": name, "password": "long-enough"},
        headers=admin,
    )
    assert first.status_code == 201, first.text
    clash = httpx.post(
        f"{live.api.url}/admin/users",
        json={"username": name.lower(), "password": "long-enough"},
        headers=admin,
    )
    assert clash.status_code in {400, 409}, clash.text
    service = httpx.post(
        f"{live.api.url}/admin/users",
        json={
            "username": f"svc{uuid.uuid4().hex[:6]}",
            "password": "long-enough",
            "role": "service",
        },
        headers=admin,
    )
    assert service.status_code == 422, service.text

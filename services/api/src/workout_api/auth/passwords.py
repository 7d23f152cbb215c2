"""bcrypt hashing, run in a bounded thread pool so it never blocks the event loop.

At cost 12 a hash takes ~0.2-0.3 s of CPU. The number of hashes computed at once is
capped below the core count, and the hashing threads run at a lower CPU priority, so a
burst of sign-ins cannot starve the event loop serving other requests.
"""

from __future__ import annotations

import contextlib
import os
import threading

import anyio
import bcrypt

MAX_PASSWORD_BYTES = 72
HASHING_NICENESS = 10


def _yield_cpu_to_the_event_loop() -> None:
    # On Linux the nice value is per thread: only this hashing thread is deprioritised.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


def _concurrent_hashes() -> int:
    return max(1, (os.cpu_count() or 2) // 2)


class PasswordHasher:
    def __init__(self, rounds: int = 12) -> None:
        self.rounds = rounds
        self._limiter = anyio.CapacityLimiter(_concurrent_hashes())
        # Verified when the username is unknown, so both failures take the same time.
        self._dummy_hash = bcrypt.hashpw(b"unknown-user", bcrypt.gensalt(rounds)).decode()

    def _hash_sync(self, password: str) -> str:
        _yield_cpu_to_the_event_loop()
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(self.rounds)).decode()

    @staticmethod
    def _verify_sync(password: str, hashed: str) -> bool:
        _yield_cpu_to_the_event_loop()
        secret = password.encode()
        if len(secret) > MAX_PASSWORD_BYTES:
            return False  # never stored: longer passwords are refused when set
        try:
            return bcrypt.checkpw(secret, hashed.encode())
        except ValueError:  # a malformed stored hash
            return False

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._hash_sync, password, limiter=self._limiter)

    async def verify(self, password: str, hashed: str | None) -> bool:
        target = hashed or self._dummy_hash
        ok = await anyio.to_thread.run_sync(
            self._verify_sync, password, target, limiter=self._limiter
        )
        return ok and hashed is not None

    @staticmethod
    def cost_of(hashed: str) -> int:
        """The work factor recorded in a bcrypt hash (``$2b$12$...`` → 12)."""
        return int(hashed.split("$")[2])

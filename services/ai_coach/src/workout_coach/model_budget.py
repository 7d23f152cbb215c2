"""How many answers a caller may have from a provider's model a day (``COACH_DAILY_MODEL_CALLS``).

A model answer costs money; the built-in offline coach costs nothing. Past the day's budget
(a moving 24 hours, counted per account, or per address when not signed in, in the coach's
Redis and in memory while Redis is down) the caller is answered by the offline coach instead,
never refused. The service identity (the worker's warm-up of shared answers) is not counted.
"""

from __future__ import annotations

from workout_coach.callers import Caller
from workout_common.rate_limits import MovingWindowCounter, RateLimitExceededError

EXHAUSTED_NOTE = (
    "Your daily limit of AI model answers ({limit}) is reached: this answer comes from the "
    "built-in coach, and the model answers you again within a day."
)


class ModelBudget:
    def __init__(self, counter: MovingWindowCounter, per_day: int) -> None:
        self._counter = counter
        self.per_day = per_day
        self._item = counter.item(f"{per_day}/day") if per_day > 0 else None

    async def spend(self, caller: Caller | None) -> bool:
        """Count one model answer for ``caller``; False when their day's budget is spent."""
        if self._item is None or caller is None or caller.role == "service":
            return True
        try:
            await self._counter.hit(self._item, "model-answers", caller.key)
        except RateLimitExceededError:
            return False
        return True

    def note(self) -> str:
        return EXHAUSTED_NOTE.format(limit=self.per_day)

"""The worker's three scheduled tasks; each is a plain coroutine over :class:`Resources`."""

"""Failures that stop a whole task run (as opposed to one item failing)."""


class TaskUnavailableError(RuntimeError):
    """The task could not run: a dependency it cannot do without is unreachable."""

"""Workout Tracker REST API."""

import logging

__version__ = "0.1.0"

# Alembic announces each of its plugins at INFO on every run; only its progress matters.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

"""Workout Tracker AI Coach: training advice grounded in the user's workout log."""

__version__ = "0.1.0"

"""Shared library of the Workout Tracker services."""

__version__ = "0.1.0"

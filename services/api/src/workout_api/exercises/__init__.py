"""Exercises: the workout data the platform tracks."""

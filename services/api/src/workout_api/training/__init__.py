"""The training log: the exercise library, a lifter's workouts and sets, records and statistics."""

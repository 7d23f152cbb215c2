"""Import of Strong, Hevy and JSON exports into the training log, and export back."""

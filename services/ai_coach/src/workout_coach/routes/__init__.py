"""HTTP routes of the coach."""

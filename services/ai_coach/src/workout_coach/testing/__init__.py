"""Real local servers the coach's tests and benchmarks run against (never mocks)."""

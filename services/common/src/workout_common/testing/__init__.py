"""Real PostgreSQL and Redis servers for the platform's tests (never mocks)."""

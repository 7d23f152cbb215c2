"""Per-role rate limits (contract §7.1) on slowapi, backed by Redis DB 2 with an in-memory fallback."""

"""Per-role rate limits (contract §7.1): fixed windows in Redis DB 2, in memory while Redis is down."""

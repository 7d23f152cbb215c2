"""Metrics only the Workout API has (the HTTP ones come from ``workout_common.metrics``)."""

from __future__ import annotations

from prometheus_client import Counter

RATE_LIMITED = Counter(
    "workout_api_rate_limited_total",
    "Requests refused with 429 because a rate limit was exceeded, by route template.",
    ["route"],
)
ETAG_NOT_MODIFIED = Counter(
    "workout_api_etag_not_modified_total",
    "Exercise list requests answered 304 Not Modified thanks to If-None-Match.",
)

"""The coach's own Prometheus metrics (the HTTP ones come from ``workout_common.metrics``)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from workout_common.metrics import LATENCY_BUCKETS

MODEL_REQUESTS = Counter(
    "workout_coach_model_requests_total",
    "Model runs by endpoint, model and outcome (success, error, timeout).",
    ["endpoint", "model", "outcome"],
)
MODEL_REQUEST_DURATION = Histogram(
    "workout_coach_model_request_duration_seconds",
    "Time a model run took, by endpoint and model.",
    ["endpoint", "model"],
    buckets=LATENCY_BUCKETS,
)
MODEL_TOKENS = Counter(
    "workout_coach_model_tokens_total",
    "Tokens used by model runs, by model and kind (input, output).",
    ["model", "kind"],
)
MODEL_COST = Counter(
    "workout_coach_model_cost_dollars_total",
    "What model runs cost, in US dollars, from COACH_MODEL_INPUT_PRICE and _OUTPUT_PRICE.",
    ["model"],
)
MODEL_BUDGET_EXHAUSTED = Counter(
    "workout_coach_model_budget_exhausted_total",
    "Answers given by the offline coach because the caller had spent the day's model answers.",
    ["endpoint"],
)
CACHE_REQUESTS = Counter(
    "workout_coach_cache_requests_total",
    "Look-ups of the /recommend cache by result (hit, miss, error).",
    ["result"],
)

# Every series exists from the start, so rates and ratios are defined before the first miss.
for _result in ("hit", "miss", "error"):
    CACHE_REQUESTS.labels(_result)

# AI coach (services/ai_coach): convenience targets; `make test` and `make bench` already run its suites.
.PHONY: run-coach test-coach bench-coach

run-coach: $(STAMP)  ## start only the AI coach on :8001 (offline coach unless AI_MODEL + key are set)
	$(PY) workout-coach

test-coach: $(STAMP)  ## the AI coach's tests (live Workout API app, PostgreSQL, Redis)
	$(PY) pytest -m "not bench" services/ai_coach/tests $(PYTEST_ARGS)

bench-coach: $(STAMP)  ## the AI coach's benchmark only (COACH_BENCH_EXERCISES=10000 by default)
	$(PY) pytest -m bench -p no:cacheprovider -s tests/bench/test_coach_bench.py

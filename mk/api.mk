# Workout API (services/api): shortcuts. `make test` and `make bench` already include it.
.PHONY: api-run api-migrate api-test api-schemathesis api-bench training-log-bench import-bench

api-run: $(STAMP)  ## Workout API alone on :8000 (SQLite in data/, dev users admin/admin123, user/user123)
	$(PY) workout-api

api-migrate: $(STAMP)  ## upgrade the database named by DATABASE_URL to the latest schema
	$(PY) workout-api migrate

api-test: $(STAMP)  ## the Workout API's tests only (PostgreSQL, SQLite, Redis, schemathesis)
	$(PY) pytest services/api/tests $(PYTEST_ARGS)

api-schemathesis: $(STAMP)  ## fuzz the live API from its OpenAPI schema
	$(PY) pytest services/api/tests/test_schemathesis.py $(PYTEST_ARGS)

api-bench: $(STAMP)  ## the Workout API benchmark (figures into docs/benchmarks.md)
	$(PY) pytest -m bench -p no:cacheprovider -s tests/bench/test_api_bench.py

training-log-bench: $(STAMP)  ## the training log's benchmark (TRAINING_BENCH_CROWD=100 lifters + a 50,000-set user)
	$(PY) pytest -m bench -p no:cacheprovider -s tests/bench/test_training_log_bench.py

import-bench: $(STAMP)  ## POST /imports of a 100,000-row Strong and Hevy file: rows/s, peak server memory
	$(PY) pytest -m bench -p no:cacheprovider -s tests/bench/test_import_bench.py

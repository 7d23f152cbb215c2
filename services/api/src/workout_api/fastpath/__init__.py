"""The API's measured fast path: what the hottest requests skip, and what that saves.

Each piece earned its place in ``make bench`` (``tests/bench/test_api_bench.py``; the
figures and the log of each change are in ``docs/benchmarks.md``, "Workout API"). A change
here needs a ``make bench`` run before and after, in the same session, on the same machine.

* :mod:`.driver_reads`: the hottest reads (a list page with the data version, the version
  alone, one exercise) as SQLAlchemy Core statements compiled once per dialect and run on
  the driver's own connection, kept checked out between reads (``KeptConnections``). Saves
  the compilation-cache lookup, result processing and greenlet switch of each call, and the
  pool checkout (about 80 us): list throughput 0.50 -> 0.58 of the baseline.
* :mod:`.shared_reads`: conditional list requests share one fresh data-version read, never
  one that started before they arrived. One query serves a batch: 304s 1,672 -> 2,505 req/s.
* :mod:`.plain_routes`: ``GET /exercises`` documented by FastAPI but called without its
  per-request handler (dependency solving, sub-response): about 60 us per request,
  0.44 -> 0.50 of the baseline.
* :mod:`.query_models`: the list's query validated as one Pydantic model in one call instead
  of FastAPI's per-parameter solving: about 125 us of CPU per list request.

``GET /workouts`` (``training/workout_list.py``) uses all four, and folds the check of the
account behind the access token into its first statement ("Training log" in the benchmarks).
"""

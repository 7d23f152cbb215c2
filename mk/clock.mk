# The worker and API suites with the clock moved to the instants where date bugs hide.
# Not part of `make test` (four more runs of two suites); run it after touching time logic.
CLOCK_INSTANTS ?= 2026-11-30T00:00:30Z 2026-12-06T23:59:50Z 2028-02-29T12:00:00Z 2026-12-31T23:59:50Z
CLOCK_SUITES ?= services/worker/tests services/api/tests

.PHONY: test-clock

test-clock: $(STAMP)  ## worker and API tests under faketime: a Monday 00:00:30, a Sunday 23:59:50, 29 Feb, 31 Dec
	@command -v faketime >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends faketime; }
	@failed=""; for instant in $(CLOCK_INSTANTS); do \
	  offset=$$(( $$(date -d "$$instant" +%s) - $$(date +%s) )); \
	  echo "== clock at $$instant (offset $$offset s)"; \
	  faketime -f "$$( [ $$offset -ge 0 ] && echo +)$$offset" $(PY) pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile $(CLOCK_SUITES) $(PYTEST_ARGS) || failed="$$failed $$instant"; \
	done; \
	if [ -n "$$failed" ]; then echo "failed with the clock at:$$failed"; exit 1; fi; \
	echo "passed at every instant: $(CLOCK_INSTANTS)"

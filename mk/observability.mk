# Observability: Prometheus/promtool (Debian package), alert rule checks, a local Prometheus.
PROMETHEUS_PORT ?= 9090

PY_TEST_PREREQS += prometheus-tools

.PHONY: prometheus-tools monitoring-check monitoring-files prometheus

prometheus-tools:  ## install prometheus and promtool (Debian package) when missing
	@command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || { \
		echo "installing the prometheus Debian package"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null; }

monitoring-check: prometheus-tools  ## promtool: check the local config and alert rules, run the rule unit tests
	promtool check config monitoring/prometheus.yml
	promtool test rules monitoring/tests/*.test.yml

monitoring-files: $(STAMP)  ## regenerate the Grafana dashboards and the PrometheusRule template
	$(PY) python monitoring/build_chart_files.py

prometheus: prometheus-tools  ## a local Prometheus scraping `make run` on 127.0.0.1:9090 (PROMETHEUS_PORT=...)
	@data=$$(mktemp -d); trap 'rm -rf "$$data"' EXIT; \
	echo "Prometheus on http://127.0.0.1:$(PROMETHEUS_PORT) (data in $$data)"; \
	prometheus --config.file=monitoring/prometheus.yml --storage.tsdb.path=$$data \
		--web.listen-address=127.0.0.1:$(PROMETHEUS_PORT)

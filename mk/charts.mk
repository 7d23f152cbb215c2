# Helm chart checks, images and the local kind cluster.
HELM := $(CURDIR)/.tools/bin/helm
CHART := charts/workout-tracker
export HELM_CACHE_HOME := $(CURDIR)/.tools/helm/cache
export HELM_CONFIG_HOME := $(CURDIR)/.tools/helm/config
export HELM_DATA_HOME := $(CURDIR)/.tools/helm/data

PY_TEST_PREREQS += $(HELM)
LINT_TARGETS += chart-lint

.PHONY: helm chart-lint chart-test kind-up kind-down

$(HELM): scripts/get-helm.sh
	@scripts/get-helm.sh $(HELM)
	@touch $(HELM)

helm: $(HELM)  ## install helm into .tools/bin

chart-lint: $(HELM)  ## helm lint --strict of the platform chart
	$(HELM) lint --strict $(CHART)

chart-test: $(STAMP) $(HELM)  ## chart tests only: render, validate, probe and schema checks
	$(PY) pytest tests/charts $(PYTEST_ARGS)

kind-up: $(HELM)  ## create a kind cluster, build and load the images, install the chart
	HELM=$(HELM) scripts/kind-up.sh

kind-down:  ## delete the kind cluster
	kind delete cluster --name $${KIND_CLUSTER_NAME:-workout-tracker}

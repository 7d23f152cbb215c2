# Helm chart checks, images and the local kind cluster.
HELM := $(CURDIR)/.tools/bin/helm
CHART := charts/workout-tracker
export HELM_CACHE_HOME := $(CURDIR)/.tools/helm/cache
export HELM_CONFIG_HOME := $(CURDIR)/.tools/helm/config
export HELM_DATA_HOME := $(CURDIR)/.tools/helm/data

PY_TEST_PREREQS += $(HELM)
LINT_TARGETS += chart-lint

.PHONY: helm chart-lint chart-test images kind-up kind-down

$(HELM): scripts/get-helm.sh
	@scripts/get-helm.sh $(HELM)
	@touch $(HELM)

helm: $(HELM)  ## install helm into .tools/bin

chart-lint: $(HELM)  ## helm lint --strict of the platform chart
	$(HELM) lint --strict $(CHART)

chart-test: $(STAMP) $(HELM)  ## chart tests only: render, validate, probe and schema checks
	$(PY) pytest tests/charts $(PYTEST_ARGS)

IMAGE_REGISTRY ?= workout-tracker.local
IMAGE_TAG ?= dev

images:  ## build the five images with docker (IMAGE_REGISTRY, IMAGE_TAG)
	docker build -f services/api/Dockerfile -t $(IMAGE_REGISTRY)/workout-tracker-api:$(IMAGE_TAG) .
	docker build -f services/ai_coach/Dockerfile -t $(IMAGE_REGISTRY)/workout-tracker-ai-coach:$(IMAGE_TAG) .
	docker build -f services/worker/Dockerfile -t $(IMAGE_REGISTRY)/workout-tracker-worker:$(IMAGE_TAG) .
	docker build -f operator/Dockerfile -t $(IMAGE_REGISTRY)/workout-tracker-operator:$(IMAGE_TAG) .
	docker build -t $(IMAGE_REGISTRY)/workout-tracker-frontend:$(IMAGE_TAG) frontend

kind-up: $(HELM)  ## create a kind cluster, build and load the images, install the chart
	HELM=$(HELM) scripts/kind-up.sh

kind-down:  ## delete the kind cluster
	kind delete cluster --name $${KIND_CLUSTER_NAME:-workout-tracker}

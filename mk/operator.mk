# The Kopf operator: its tests, its chart's lint, and running it against the current kube context.
HELM ?= $(CURDIR)/.tools/bin/helm
OPERATOR_CHART := charts/workout-tracker-operator

LINT_TARGETS += operator-chart-lint

.PHONY: operator-test operator-chart-lint operator-run operator-crds

operator-test: $(STAMP) $(HELM)  ## operator tests only: plain logic, kmock end to end, its chart
	HELM_BINARY=$(HELM) $(PY) pytest operator/tests tests/operator $(PYTEST_ARGS)

operator-chart-lint: $(HELM)  ## helm lint --strict of the operator chart
	$(HELM) lint --strict $(OPERATOR_CHART)

operator-crds:  ## install the WorkoutTracker CRD into the current kube context
	kubectl apply -f k8s/crds/

operator-run: $(STAMP) $(HELM)  ## run the operator locally against the current kube context
	HELM_BINARY=$(HELM) WORKOUT_CHART_PATH=$(CURDIR)/charts/workout-tracker \
	WORKOUT_OPERATOR_HEALTH_CHECKS=false $(PY) workout-operator

# Web app (frontend/): packages, unit tests, type check, lint, and browser tests against the
# real running platform.
FRONTEND := frontend
CHROMIUM ?= /usr/bin/chromium
NGINX ?= /usr/sbin/nginx

RUN_PREREQS += $(FRONTEND)/node_modules
TEST_TARGETS += test-frontend test-e2e
# tests/bench/test_web_bench.py builds the bundle and drives Chromium on the logging screen.
BENCH_TARGETS += $(FRONTEND)/node_modules $(CHROMIUM)
# tests/e2e/test_frontend_nginx.py builds the bundle and serves it with the image's nginx set-up.
PY_TEST_PREREQS += $(FRONTEND)/node_modules $(NGINX)

.PHONY: test-frontend test-e2e frontend-build web-bench

$(FRONTEND)/node_modules: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	@touch $@

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

# Debian's nginx, to test the image's config without a container engine (not started as a service).
$(NGINX):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx

test-frontend: $(FRONTEND)/node_modules  ## web app: unit tests (Vitest), tsc --noEmit, eslint, prettier
	cd $(FRONTEND) && npx tsc --noEmit
	cd $(FRONTEND) && npx eslint . && npx prettier --check .
	cd $(FRONTEND) && npx vitest run

test-e2e: $(STAMP) $(FRONTEND)/node_modules $(CHROMIUM)  ## web app in Chromium against the running platform
	cd $(FRONTEND) && CHROMIUM_PATH=$(CHROMIUM) npx playwright test

frontend-build: $(FRONTEND)/node_modules  ## production bundle in frontend/dist
	cd $(FRONTEND) && npm run build

.PHONY: api-types
API_TYPES := $(FRONTEND)/src/api/generated

# The web app's types of the API and the coach, generated from their OpenAPI documents
# (tests/contract/test_web_app_types.py fails while they are stale).
api-types: $(STAMP) $(FRONTEND)/node_modules  ## regenerate the web app's API types from the OpenAPI documents
	@tmp=$$(mktemp -d) && $(PY) python scripts/openapi_documents.py $$tmp >/dev/null && \
	for name in workout-api ai-coach; do \
		(cd $(FRONTEND) && npx openapi-typescript $$tmp/$$name.json -o src/api/generated/$$name.ts) || exit 1; \
	done; rm -rf $$tmp

web-bench: $(STAMP) $(FRONTEND)/node_modules $(CHROMIUM)  ## web app benchmark only: initial JS size, input to paint at 4x CPU
	$(PY) pytest -m bench -p no:cacheprovider -s tests/bench/test_web_bench.py

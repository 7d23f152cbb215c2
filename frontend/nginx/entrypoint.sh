#!/bin/sh
# Writes the runtime configuration of the web app image from its environment, then runs nginx.
#
#   API_BASE_URL / AI_COACH_BASE_URL   where the browser calls the backends (absolute URLs;
#                                      empty: same origin, /api and /ai-coach)
#   API_UPSTREAM / AI_COACH_UPSTREAM   where nginx proxies /api and /ai-coach
#                                      (e.g. http://release-api:8000); unset: those paths answer 502
#   PORT                               listen port (3000)
set -eu

RUNTIME_DIR="${FRONTEND_RUNTIME_DIR:-/tmp/workout-frontend}"
WEB_ROOT="${FRONTEND_WEB_ROOT:-/usr/share/nginx/html}"
PORT="${PORT:-3000}"
mkdir -p "$RUNTIME_DIR"

js_string() {
  # A JavaScript string literal: backslashes, quotes and "<" escaped.
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/</\\u003c/g')"
}

valid_upstream() {
  case "$1" in
    http://* | https://*) ;;
    *) echo "entrypoint: $2 must start with http:// or https:// (got '$1')" >&2; exit 64 ;;
  esac
  case "$1" in
    *[!A-Za-z0-9.:/_-]*) echo "entrypoint: $2 has characters nginx cannot take: '$1'" >&2; exit 64 ;;
  esac
}

origin_of() {
  # " scheme://host[:port]" of the absolute URL $1 (nothing when empty), for the CSP; $2 names it.
  [ -z "$1" ] && return 0
  origin="$(printf '%s' "$1" | sed -nE 's#^(https?://[A-Za-z0-9.:-]+)(/.*)?$#\1#p')"
  if [ -z "$origin" ]; then
    echo "entrypoint: $2 must be an absolute http:// or https:// URL (got '$1')" >&2
    exit 64
  fi
  printf ' %s' "$origin"
}

API_ORIGIN="$(origin_of "${API_BASE_URL:-}" API_BASE_URL)"
COACH_ORIGIN="$(origin_of "${AI_COACH_BASE_URL:-}" AI_COACH_BASE_URL)"
CONNECT_SRC="'self'$API_ORIGIN$COACH_ORIGIN"
# The app keeps its tokens in localStorage, so no script but its own may run: no inline
# script, no other origin, no framing. Repeated in every location because an add_header
# there hides the server's own.
CSP="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src $CONNECT_SRC; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
SECURITY_HEADERS="add_header Content-Security-Policy \"$CSP\" always;
    add_header X-Content-Type-Options nosniff always;
    add_header X-Frame-Options DENY always;
    add_header Referrer-Policy no-referrer always;"

cat > "$RUNTIME_DIR/env.js" <<JS
window.__WORKOUT_CONFIG__ = { apiBaseUrl: $(js_string "${API_BASE_URL:-}"), aiCoachBaseUrl: $(js_string "${AI_COACH_BASE_URL:-}") };
JS

proxy_location() {
  # $1 path prefix, $2 upstream URL (may be empty), $3 read timeout, $4 variable name
  if [ -z "$2" ]; then
    cat <<CONF
  location $1/ {
    default_type application/json;
    return 502 '{"detail":"$4 is not configured in the web app container"}';
  }
CONF
    return
  fi
  valid_upstream "$2" "$4"
  cat <<CONF
  location $1/ {
    proxy_pass ${2%/}/;
    proxy_http_version 1.1;
    proxy_set_header Host \$proxy_host;
    proxy_set_header X-Real-IP \$remote_addr;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_set_header X-Forwarded-Prefix $1;
    proxy_connect_timeout 5s;
    proxy_read_timeout $3;
    proxy_send_timeout $3;
  }
CONF
}

{
  cat <<CONF
server {
  listen $PORT;
  root $WEB_ROOT;
  index index.html;

  location = /healthz {
    access_log off;
    default_type text/plain;
    return 200 "ok\n";
  }

  location = /env.js {
    alias $RUNTIME_DIR/env.js;
    default_type application/javascript;
    add_header Cache-Control "no-store";
    $SECURITY_HEADERS
  }

  # The service worker is checked on every visit, so a new deploy reaches installed apps;
  # never index.html in its place.
  location = /sw.js {
    add_header Cache-Control "no-cache";
    $SECURITY_HEADERS
    try_files \$uri =404;
  }

  # Vite puts a content hash in every file name under /assets/: cache them for good.
  location /assets/ {
    add_header Cache-Control "public, max-age=31536000, immutable";
    $SECURITY_HEADERS
    try_files \$uri =404;
  }

  # Everything else is the single-page app: unknown paths get index.html, never cached.
  location / {
    add_header Cache-Control "no-cache";
    $SECURITY_HEADERS
    try_files \$uri /index.html;
  }
CONF
  proxy_location /api "${API_UPSTREAM:-}" 15s API_UPSTREAM
  proxy_location /ai-coach "${AI_COACH_UPSTREAM:-}" 75s AI_COACH_UPSTREAM
  echo "}"
} > "$RUNTIME_DIR/server.conf"

exec "$@"

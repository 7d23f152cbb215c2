{{/* Names */}}
{{- define "wt.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "wt.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of a component's resources: (dict "ctx" $ "component" "api") */}}
{{- define "wt.componentName" -}}
{{- printf "%s-%s" (include "wt.fullname" .ctx | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "wt.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels: (dict "ctx" $ "component" "api") */}}
{{- define "wt.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wt.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "wt.labels" -}}
helm.sh/chart: {{ include "wt.chart" .ctx }}
{{ include "wt.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: workout-tracker
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of resources that belong to the whole release (Secret, ServiceAccount, Ingress) */}}
{{- define "wt.releaseLabels" -}}
helm.sh/chart: {{ include "wt.chart" . }}
app.kubernetes.io/name: {{ include "wt.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: workout-tracker
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Image reference: (dict "ctx" $ "values" .Values.api) */}}
{{- define "wt.image" -}}
{{- $tag := .values.image.tag | default .ctx.Values.image.tag | default .ctx.Chart.AppVersion -}}
{{- if .ctx.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .ctx.Values.image.registry) .values.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* The platform version being deployed: the API image's tag */}}
{{- define "wt.platformVersion" -}}
{{- .Values.api.image.tag | default .Values.image.tag | default .Chart.AppVersion -}}
{{- end -}}

{{/* Security contexts: the top-level defaults with the component's own merged over them */}}
{{- define "wt.podSecurityContext" -}}
{{- toYaml (mustMergeOverwrite (deepCopy .ctx.Values.podSecurityContext) (deepCopy (.values.podSecurityContext | default dict))) -}}
{{- end -}}

{{- define "wt.securityContext" -}}
{{- toYaml (mustMergeOverwrite (deepCopy .ctx.Values.securityContext) (deepCopy (.values.securityContext | default dict))) -}}
{{- end -}}

{{- define "wt.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "wt.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Scheduling and common pod fields: (dict "ctx" $ "values" .Values.api) */}}
{{- define "wt.podScheduling" -}}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Probes: (dict "probes" .Values.api.probes "handler" (dict "httpGet" ...)) */}}
{{- define "wt.probes" -}}
{{- $start := .startHandler | default .handler -}}
startupProbe:
  {{- toYaml (merge (deepCopy $start) .probes.startup) | nindent 2 }}
livenessProbe:
  {{- toYaml (merge (deepCopy .handler) .probes.liveness) | nindent 2 }}
readinessProbe:
  {{- toYaml (merge (deepCopy $start) .probes.readiness) | nindent 2 }}
{{- end -}}

{{/* extraEnv map rendered as an env list */}}
{{- define "wt.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* Secrets */}}
{{- define "wt.secretName" -}}
{{- include "wt.fullname" . -}}
{{- end -}}

{{- define "wt.authSecretName" -}}
{{- .Values.auth.existingSecret | default (include "wt.secretName" .) -}}
{{- end -}}

{{- define "wt.adminSecretName" -}}
{{- .Values.auth.initialAdmin.existingSecret | default (include "wt.secretName" .) -}}
{{- end -}}

{{- define "wt.adminSecretKey" -}}
{{- if .Values.auth.initialAdmin.existingSecret -}}
{{- .Values.auth.initialAdmin.passwordKey -}}
{{- else -}}
initial-admin-password
{{- end -}}
{{- end -}}

{{- define "wt.postgresqlSecretName" -}}
{{- .Values.postgresql.existingSecret | default (include "wt.secretName" .) -}}
{{- end -}}

{{- define "wt.redisSecretName" -}}
{{- .Values.redis.existingSecret | default (include "wt.secretName" .) -}}
{{- end -}}

{{- define "wt.postgresqlHost" -}}
{{- include "wt.componentName" (dict "ctx" . "component" "postgresql") -}}
{{- end -}}

{{- define "wt.redisHost" -}}
{{- include "wt.componentName" (dict "ctx" . "component" "redis") -}}
{{- end -}}

{{- define "wt.apiUrl" -}}
{{- printf "http://%s:8000" (include "wt.componentName" (dict "ctx" . "component" "api")) -}}
{{- end -}}

{{- define "wt.aiCoachUrl" -}}
{{- printf "http://%s:8001" (include "wt.componentName" (dict "ctx" . "component" "ai-coach")) -}}
{{- end -}}

{{/*
DATABASE_URL. The in-chart database's URL is composed by Kubernetes from the password variable
defined just before it, so the password lives only in its Secret (generated or existing).
*/}}
{{- define "wt.databaseEnv" -}}
{{- if .Values.postgresql.enabled }}
- name: WORKOUT_DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "wt.postgresqlSecretName" . }}
      key: postgres-password
- name: DATABASE_URL
  value: {{ printf "postgresql://%s:$(WORKOUT_DATABASE_PASSWORD)@%s:5432/%s" .Values.postgresql.username (include "wt.postgresqlHost" .) .Values.postgresql.database | quote }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.externalDatabase.existingSecret | default (include "wt.secretName" .) }}
      key: {{ ternary .Values.externalDatabase.existingSecretKey "database-url" (not (empty .Values.externalDatabase.existingSecret)) }}
{{- end }}
{{- end -}}

{{/* Redis URL under the variable name given: (dict "ctx" $ "name" "REDIS_URL") */}}
{{- define "wt.redisEnv" -}}
{{- $ := .ctx -}}
{{- if $.Values.redis.enabled }}
- name: WORKOUT_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "wt.redisSecretName" $ }}
      key: redis-password
- name: {{ .name }}
  value: {{ printf "redis://:$(WORKOUT_REDIS_PASSWORD)@%s:6379" (include "wt.redisHost" $) | quote }}
{{- else }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.externalRedis.existingSecret | default (include "wt.secretName" $) }}
      key: {{ ternary $.Values.externalRedis.existingSecretKey "redis-url" (not (empty $.Values.externalRedis.existingSecret)) }}
{{- end }}
{{- end -}}

{{/* Service identity credentials under the given variable names */}}
{{- define "wt.serviceIdentityEnv" -}}
- name: {{ .usernameVar }}
  value: {{ .ctx.Values.auth.serviceAccountUsername | quote }}
- name: {{ .passwordVar }}
  valueFrom:
    secretKeyRef:
      name: {{ include "wt.authSecretName" .ctx }}
      key: service-account-password
{{- end -}}

{{/* Everything the API process needs (the API, its migrations and the MCP server) */}}
{{- define "wt.apiEnv" -}}
- name: ENVIRONMENT
  value: production
{{- include "wt.databaseEnv" . }}
{{- include "wt.redisEnv" (dict "ctx" . "name" "REDIS_URL") }}
- name: SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "wt.authSecretName" . }}
      key: secret-key
{{ include "wt.serviceIdentityEnv" (dict "ctx" . "usernameVar" "SERVICE_ACCOUNT_USERNAME" "passwordVar" "SERVICE_ACCOUNT_PASSWORD") }}
- name: INITIAL_ADMIN_USERNAME
  value: {{ .Values.auth.initialAdmin.username | quote }}
- name: INITIAL_ADMIN_EMAIL
  value: {{ .Values.auth.initialAdmin.email | quote }}
- name: INITIAL_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "wt.adminSecretName" . }}
      key: {{ include "wt.adminSecretKey" . }}
{{- end -}}

{{/* Everything a worker process needs (the worker Deployment and the scheduled-task CronJobs) */}}
{{- define "wt.workerEnv" -}}
{{- include "wt.redisEnv" (dict "ctx" . "name" "WORKER_REDIS__URL") }}
{{ include "wt.serviceIdentityEnv" (dict "ctx" . "usernameVar" "WORKER_API_CLIENT__SERVICE_USERNAME" "passwordVar" "WORKER_API_CLIENT__SERVICE_PASSWORD") }}
{{- end -}}

{{/* The proxies whose X-Forwarded-For uvicorn believes; none listed: loopback only (uvicorn's default) */}}
{{- define "wt.forwardedConfig" -}}
{{- with .Values.trustedProxies }}
FORWARDED_ALLOW_IPS: {{ join "," . | quote }}
{{- end }}
{{- end -}}

{{/* OpenTelemetry settings of one service */}}
{{- define "wt.otelConfig" -}}
OTEL_SERVICE_NAME: {{ .service | quote }}
OTEL_RESOURCE_ATTRIBUTES: {{ printf "service.namespace=workout-tracker,service.version=%s,deployment.environment=%s" (include "wt.platformVersion" .ctx) .ctx.Release.Namespace | quote }}
OTEL_TRACES_SAMPLER: parentbased_traceidratio
OTEL_TRACES_SAMPLER_ARG: {{ .ctx.Values.tracing.samplingRatio | toString | quote }}
{{- if .ctx.Values.tracing.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ .ctx.Values.tracing.otlpEndpoint | quote }}
OTEL_EXPORTER_OTLP_PROTOCOL: http/protobuf
{{- else }}
OTEL_TRACES_EXPORTER: none
{{- end }}
{{- end -}}

{{/* Volumes every Python container needs with a read-only root filesystem */}}
{{- define "wt.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "wt.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{/*
Whether the migration hook can run before the release's own resources exist: only when every
Secret it reads (database URL, auth, initial admin) exists beforehand. Otherwise it runs right
after install (the database Secret and in-chart PostgreSQL come with the release), and always
before upgrades.
*/}}
{{- define "wt.migrationsPreInstall" -}}
{{- if and (not .Values.postgresql.enabled) .Values.externalDatabase.existingSecret .Values.auth.existingSecret .Values.auth.initialAdmin.existingSecret -}}
true
{{- end -}}
{{- end -}}

{{/*
The API's startup and readiness handler. /health counts exercises, so it needs the schema; when
the schema comes from the post-install hook, which Helm (and Flux) run only once every resource
is ready under --wait, waiting for /health would never end: the port is checked instead, and
liveness still asks /health.
*/}}
{{- define "wt.apiStartProbe" -}}
{{- if and .Values.migrations.runAsHook (ne (include "wt.migrationsPreInstall" .) "true") -}}
tcpSocket:
  port: http
{{- end -}}
{{- end -}}

{{/* Job name of a non-hook migration: one per platform version */}}
{{- define "wt.migrationJobName" -}}
{{- include "wt.versionedJobName" (dict "ctx" . "purpose" "migrate") -}}
{{- end -}}

{{/* Name of a Job the operator runs once per platform version: (dict "ctx" $ "purpose" "migrate") */}}
{{- define "wt.versionedJobName" -}}
{{- $version := regexReplaceAll "[^a-z0-9-]+" (include "wt.platformVersion" .ctx | lower) "-" | trimAll "-" -}}
{{- $prefix := printf "%s-%s-" (include "wt.fullname" .ctx) .purpose -}}
{{- printf "%s%s" $prefix $version | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Checks of value combinations the schema cannot express clearly */}}
{{- define "wt.validate" -}}
{{- if and (not .Values.postgresql.enabled) (not .Values.externalDatabase.url) (not .Values.externalDatabase.existingSecret) -}}
{{- fail "postgresql.enabled is false: set externalDatabase.url or externalDatabase.existingSecret" -}}
{{- end -}}
{{- if and (not .Values.redis.enabled) (not .Values.externalRedis.url) (not .Values.externalRedis.existingSecret) -}}
{{- fail "redis.enabled is false: set externalRedis.url or externalRedis.existingSecret" -}}
{{- end -}}
{{- if and .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) -}}
{{- fail "ingress.tls.enabled is true: set ingress.tls.secretName" -}}
{{- end -}}
{{- end -}}

{{- define "wt.aiCoachKeyEnv" -}}
- name: ANTHROPIC_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.aiCoach.apiKey.existingSecret }}
      key: {{ .Values.aiCoach.apiKey.key }}
{{- end -}}

{{/* The Deployments of the platform: values key, component label and contract port */}}
{{- define "wt.components" -}}
api: {component: api, port: 8000}
aiCoach: {component: ai-coach, port: 8001}
worker: {component: worker, port: 8002}
frontend: {component: frontend, port: 3000}
mcp: {component: mcp, port: 8003}
{{- end -}}

{{/* The Host names the MCP server answers: its Service, and the public host when it is published. */}}
{{- define "wt.mcpEnv" -}}
{{- $service := include "wt.componentName" (dict "ctx" . "component" "mcp") -}}
{{- $hosts := list $service (printf "%s.%s" $service .Release.Namespace) (printf "%s.%s.svc" $service .Release.Namespace) (printf "%s.%s.svc.cluster.local" $service .Release.Namespace) -}}
{{- if and .Values.mcp.ingressPath .Values.ingress.enabled .Values.ingress.host }}
{{- $hosts = append $hosts .Values.ingress.host -}}
{{- end }}
- name: MCP_ALLOWED_HOSTS
  value: {{ join "," $hosts | quote }}
{{- end }}

{{/* The backup's image: by default the in-chart PostgreSQL's, so pg_dump matches the server */}}
{{- define "wt.backupImage" -}}
{{- $image := .Values.backup.image -}}
{{- printf "%s:%s" ($image.repository | default .Values.postgresql.image.repository) ($image.tag | default .Values.postgresql.image.tag) -}}
{{- end -}}

{{/*
The backup script, run with `sh` (busybox or dash). It writes under $BACKUP_DIR, next to the
dumps, so the rename that publishes a finished dump is atomic; a failed run leaves nothing
behind. File names sort by time, so the newest `retention` are the last ones by name.
*/}}
{{- define "wt.backupScript" -}}
set -eu
retention={{ .Values.backup.retention | int }}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$BACKUP_DIR/workout-tracker-$stamp.dump"
partial="$dump.partial"
trap 'rm -f "$partial"' EXIT
# libpq reads postgresql:// URLs; the API's may name its Python driver (postgresql+psycopg://).
url=$(printf '%s' "$DATABASE_URL" | sed -E 's#^postgres(ql)?\+[A-Za-z0-9_]+://#postgresql://#')
pg_dump --format=custom --file="$partial" --dbname="$url"
mv "$partial" "$dump"
echo "wrote $dump ($(wc -c < "$dump") bytes)"
ls -1 "$BACKUP_DIR" | grep -E '^workout-tracker-[0-9]{8}T[0-9]{6}Z\.dump$' | sort -r \
  | tail -n +"$((retention + 1))" | while read -r old; do
    rm -f "$BACKUP_DIR/$old"
    echo "removed $old"
  done
{{- end -}}

{{/* The Job of one backup: the CronJob's runs and the one before an upgrade */}}
{{- define "wt.backupJobSpec" -}}
backoffLimit: {{ .Values.backup.backoffLimit }}
activeDeadlineSeconds: {{ .Values.backup.activeDeadlineSeconds }}
template:
  metadata:
    labels:
      {{- include "wt.labels" (dict "ctx" . "component" "backup") | nindent 6 }}
      {{- with .Values.podLabels }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    {{- with .Values.podAnnotations }}
    annotations:
      {{- toYaml . | nindent 6 }}
    {{- end }}
  spec:
    restartPolicy: Never
    automountServiceAccountToken: false
    securityContext:
      {{- include "wt.podSecurityContext" (dict "ctx" . "values" .Values.backup) | nindent 6 }}
    {{- with (include "wt.podScheduling" (dict "ctx" . "values" .Values.backup) | trim) }}
    {{- . | nindent 4 }}
    {{- end }}
    containers:
      - name: backup
        image: {{ include "wt.backupImage" . }}
        imagePullPolicy: {{ .Values.backup.image.pullPolicy | default .Values.postgresql.image.pullPolicy }}
        command: ["sh", "-c"]
        args:
          - |
            {{- include "wt.backupScript" . | nindent 12 }}
        env:
          - name: BACKUP_DIR
            value: /backups
          {{- include "wt.databaseEnv" . | trim | nindent 10 }}
        resources:
          {{- toYaml .Values.backup.resources | nindent 10 }}
        securityContext:
          {{- include "wt.securityContext" (dict "ctx" . "values" .Values.backup) | nindent 10 }}
        volumeMounts:
          - name: backups
            mountPath: /backups
          {{- include "wt.tmpVolumeMount" . | nindent 10 }}
    volumes:
      - name: backups
        persistentVolumeClaim:
          claimName: {{ include "wt.componentName" (dict "ctx" . "component" "backup") }}
      {{- include "wt.tmpVolume" . | nindent 6 }}
{{- end -}}

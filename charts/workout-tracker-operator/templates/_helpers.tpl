{{/* Chart name, shortened to the 63 characters a name may have. */}}
{{- define "wto.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: <release>-<chart>, or the release alone when it already holds the chart name. */}}
{{- define "wto.fullname" -}}
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

{{- define "wto.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wto.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "wto.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "wto.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: workout-tracker
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "wto.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "wto.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "wto.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.registry -}}
{{- printf "%s/%s:%s" .Values.image.registry .Values.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Peering is on with several replicas, or when asked for. */}}
{{- define "wto.peering" -}}
{{- if or .Values.peering.enabled (gt (int .Values.replicaCount) 1) -}}
{{- .Values.peering.name -}}
{{- end -}}
{{- end -}}

{{/*
The operator's permissions, verb by verb what its code does: kopf watches and patches the
WorkoutTrackers and posts events; the reconcile server-side applies (create, patch), lists its
children by label, watches the kinds it follows, prunes (delete); Secrets are only read and
applied (the credentials; the chart renders no other Secret for the operator); pods are read
to report why they do not start. No update verb: every write is a patch.
*/}}
{{- define "wto.rules" -}}
- apiGroups: ["workout-tracker.dev"]
  resources: ["workouttrackers"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["workout-tracker.dev"]
  resources: ["workouttrackers/status"]
  verbs: ["patch"]
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["configmaps", "services"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["list", "create", "patch", "delete"]
# The volume of database dumps: never deleted by the operator, which leaves it to outlive the platform.
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["list", "create", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["batch"]
  resources: ["jobs", "cronjobs"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses", "networkpolicies"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["list", "watch", "create", "patch", "delete"]
{{- if .Values.rbac.monitoring }}
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors", "prometheusrules"]
  verbs: ["list", "create", "patch", "delete"]
{{- end }}
{{- if include "wto.peering" . }}
- apiGroups: ["kopf.dev"]
  resources: ["clusterkopfpeerings", "kopfpeerings"]
  verbs: ["get", "list", "watch", "patch"]
{{- end }}
{{- end -}}

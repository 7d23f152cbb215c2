{{/*
A platform Deployment and its Service. Arguments (dict):
  ctx        the root context
  component  the component label (api, ai-coach, worker, frontend, mcp)
  values     the component's values
  port       the contract port of the container (named "http")
  probe      the probe handler (httpGet or tcpSocket)
  startProbe the startup and readiness handler when it must differ from probe, or nil
  env        rendered env entries (string)
  configMap  name of a ConfigMap loaded with envFrom, or ""
  command    container command (list) or nil for the image's entry point
  dirs       extra writable directories (list) given emptyDirs besides /tmp
*/}}
{{- define "wt.deployment" -}}
{{- $ := .ctx -}}
{{- $values := .values -}}
{{- $name := include "wt.componentName" (dict "ctx" $ "component" .component) -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "wt.labels" (dict "ctx" $ "component" .component) | nindent 4 }}
spec:
  {{- if not $values.autoscaling.enabled }}
  replicas: {{ $values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "wt.selectorLabels" (dict "ctx" $ "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "wt.labels" (dict "ctx" $ "component" .component) | nindent 8 }}
        {{- with $.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") $ | sha256sum }}
        {{- /* A changed credential restarts the pods, which read credentials only at start. */}}
        checksum/secret: {{ $.Values.secretChecksum | default (include (print $.Template.BasePath "/secret.yaml") $ | sha256sum) }}
        {{- with $.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "wt.serviceAccountName" $ }}
      automountServiceAccountToken: {{ $.Values.serviceAccount.automountToken }}
      securityContext:
        {{- include "wt.podSecurityContext" (dict "ctx" $ "values" $values) | nindent 8 }}
      {{- with (include "wt.podScheduling" (dict "ctx" $ "values" $values) | trim) }}
      {{- . | nindent 6 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "wt.image" (dict "ctx" $ "values" $values) }}
          imagePullPolicy: {{ $.Values.image.pullPolicy }}
          {{- with .command }}
          command:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            - name: http
              containerPort: {{ .port }}
              protocol: TCP
          {{- if .configMap }}
          envFrom:
            - configMapRef:
                name: {{ .configMap }}
          {{- end }}
          {{- $env := printf "%s%s" (.env | default "") (include "wt.extraEnv" $values.extraEnv) | trim }}
          {{- if $env }}
          env:
            {{- $env | nindent 12 }}
          {{- end }}
          {{- include "wt.probes" (dict "probes" $values.probes "handler" .probe "startHandler" .startProbe) | nindent 10 }}
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          securityContext:
            {{- include "wt.securityContext" (dict "ctx" $ "values" $values) | nindent 12 }}
          volumeMounts:
            {{- range $i, $dir := (.dirs | default (list "/tmp")) }}
            - name: {{ printf "writable-%d" $i }}
              mountPath: {{ $dir }}
            {{- end }}
      volumes:
        {{- range $i, $dir := (.dirs | default (list "/tmp")) }}
        - name: {{ printf "writable-%d" $i }}
          emptyDir:
            sizeLimit: 64Mi
        {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "wt.labels" (dict "ctx" $ "component" .component) | nindent 4 }}
spec:
  type: {{ $values.service.type }}
  selector:
    {{- include "wt.selectorLabels" (dict "ctx" $ "component" .component) | nindent 4 }}
  ports:
    - name: http
      port: {{ .port }}
      targetPort: http
      protocol: TCP
{{- end -}}

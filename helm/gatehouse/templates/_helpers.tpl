{{/* The release's base name, at most 40 characters so that "-control-plane-hazelcast" fits. */}}
{{- define "gatehouse.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gatehouse.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one component: dict "root" $ "component" "edge-proxy". */}}
{{- define "gatehouse.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "gatehouse.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Services reach the control plane through this ClusterIP Service (xDS and Hazelcast). */}}
{{- define "gatehouse.controlPlaneHost" -}}
{{- printf "%s-control-plane.%s.svc" (include "gatehouse.fullname" .) .Release.Namespace -}}
{{- end -}}

{{/* The headless Service whose DNS records list the control-plane replicas (Hazelcast). */}}
{{- define "gatehouse.hazelcastDns" -}}
{{- printf "%s-control-plane-hazelcast.%s.svc.cluster.local" (include "gatehouse.fullname" .) .Release.Namespace -}}
{{- end -}}

{{/* "true" when ext-authz and ratelimit take their resources from the control plane. */}}
{{- define "gatehouse.servicesFromControlPlane" -}}
{{- if eq .Values.serviceConfig "auto" -}}
{{- eq .Values.controlPlane.source "kubernetes" -}}
{{- else -}}
{{- eq .Values.serviceConfig "control-plane" -}}
{{- end -}}
{{- end -}}

{{- define "gatehouse.configName" -}}
{{- printf "%s-config" (include "gatehouse.fullname" .) -}}
{{- end -}}

{{/* Fails the install on contradictory values, naming the value. */}}
{{- define "gatehouse.validate" -}}
{{- if not (has .Values.dataPlane (list "edge-proxy" "envoy")) -}}
{{- fail (printf "dataPlane: %q (expected: edge-proxy or envoy)" .Values.dataPlane) -}}
{{- end -}}
{{- if not (has .Values.watchScope (list "cluster" "namespace")) -}}
{{- fail (printf "watchScope: %q (expected: cluster or namespace)" .Values.watchScope) -}}
{{- end -}}
{{- if not (has .Values.controlPlane.source (list "kubernetes" "directory")) -}}
{{- fail (printf "controlPlane.source: %q (expected: kubernetes or directory)" .Values.controlPlane.source) -}}
{{- end -}}
{{- if not (has .Values.serviceConfig (list "auto" "control-plane" "files")) -}}
{{- fail (printf "serviceConfig: %q (expected: auto, control-plane or files)" .Values.serviceConfig) -}}
{{- end -}}
{{- if not (has .Values.ratelimit.onStoreError (list "error" "allow" "deny")) -}}
{{- fail (printf "ratelimit.onStoreError: %q (expected: error, allow or deny)" .Values.ratelimit.onStoreError) -}}
{{- end -}}
{{- $sources := 0 -}}
{{- if .Values.redis.bundled.enabled }}{{ $sources = add1 $sources }}{{ end -}}
{{- if .Values.redis.url }}{{ $sources = add1 $sources }}{{ end -}}
{{- if .Values.redis.urlSecret.name }}{{ $sources = add1 $sources }}{{ end -}}
{{- if and .Values.ratelimit.enabled (ne $sources 1) -}}
{{- fail (printf "redis: %d sources given (expected: exactly one of redis.bundled.enabled, redis.url, redis.urlSecret.name)" $sources) -}}
{{- end -}}
{{- if and .Values.redis.url (not (regexMatch "^rediss?://[^/]+" .Values.redis.url)) -}}
{{- fail (printf "redis.url: %q (expected: redis://HOST[:PORT] or rediss://HOST[:PORT])" .Values.redis.url) -}}
{{- end -}}
{{- end -}}

{{/*
The pod-level parts every Gatehouse component shares. Takes dict "root" $ "component" NAME
"values" the component's values.
*/}}
{{- define "gatehouse.podCommon" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .values.affinity }}
affinity:
  {{- toYaml .values.affinity | nindent 2 }}
{{- else }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "gatehouse.selector" (dict "root" .root "component" .component) | nindent 14 }}
{{- end }}
{{- end -}}

{{/* Probes on the admin port (8877), shared by the four Gatehouse components. */}}
{{- define "gatehouse.probes" -}}
startupProbe:
  httpGet: {path: /live, port: admin}
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet: {path: /live, port: admin}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /ready, port: admin}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{/* Environment every Gatehouse container gets. */}}
{{- define "gatehouse.env" -}}
- name: GATEHOUSE_JAVA_OPTS
  value: {{ .root.Values.javaOpts | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef: {fieldPath: metadata.name}
{{- with .values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* A PodDisruptionBudget and, when enabled, a HorizontalPodAutoscaler for one Deployment. */}}
{{- define "gatehouse.scaling" -}}
{{- $name := printf "%s-%s" (include "gatehouse.fullname" .root) .component -}}
{{- if .values.pdb.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "gatehouse.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if hasKey .values.pdb "minAvailable" }}
  minAvailable: {{ .values.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .values.pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "gatehouse.selector" (dict "root" .root "component" .component) | nindent 6 }}
{{- end }}
{{- if and (hasKey .values "hpa") .values.hpa.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "gatehouse.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ .values.hpa.minReplicas }}
  maxReplicas: {{ .values.hpa.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .values.hpa.targetCPUUtilizationPercentage }}
{{- end }}
{{- end -}}

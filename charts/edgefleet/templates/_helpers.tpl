{{/*
Names. Object names are "<release>-edgefleet" (or fullnameOverride), cut to 52 characters so that
suffixes such as "-metrics" and "-leader-election" stay within the 63 of a label or Service name.
*/}}
{{- define "edgefleet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "edgefleet.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "edgefleet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object of the release. */}}
{{- define "edgefleet.commonLabels" -}}
helm.sh/chart: {{ include "edgefleet.chart" . }}
app.kubernetes.io/name: {{ include "edgefleet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: edgefleet
{{- end -}}

{{/* Labels of the operator's own objects. */}}
{{- define "edgefleet.labels" -}}
{{ include "edgefleet.commonLabels" . }}
app.kubernetes.io/component: operator
{{- end -}}

{{/* The labels that select the operator pods; never change them in an upgrade (selectors are immutable). */}}
{{- define "edgefleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "edgefleet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "edgefleet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "edgefleet.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The default cache image for EdgeCaches, by digest when one is given.
*/}}
{{- define "edgefleet.cacheImage" -}}
{{- if .Values.cacheImage.digest -}}
{{- printf "%s@%s" .Values.cacheImage.repository .Values.cacheImage.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.cacheImage.repository (default .Chart.AppVersion .Values.cacheImage.tag) -}}
{{- end -}}
{{- end -}}

{{- define "edgefleet.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
The operator's permissions on what it reconciles and creates: exactly the verbs it uses. Leases for
leader election are in a separate Role in the release namespace (templates/rbac-leader-election.yaml).
*/}}
{{- define "edgefleet.operatorRules" -}}
- apiGroups: ["edgefleet.io"]
  resources: ["origins", "edgecaches", "invalidations"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["edgefleet.io"]
  resources: ["origins/status", "edgecaches/status", "invalidations/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["services", "configmaps", "secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}

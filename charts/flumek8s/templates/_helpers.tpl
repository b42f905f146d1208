{{/* The release's full name: the release name, with the chart's name added unless it has it already. */}}
{{- define "flumek8s.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "flumek8s.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "flumek8s.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "flumek8s.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "flumek8s.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "flumek8s.fullname" .) -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "flumek8s.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* Where the Lease lives; see leaderElection.leaseNamespace in values.yaml. */}}
{{- define "flumek8s.leaseNamespace" -}}
{{- .Values.leaderElection.leaseNamespace | default .Values.watchNamespace | default .Release.Namespace -}}
{{- end -}}

{{/* The namespace of a tier from the tiers list (given as "tier"), beside the root context (as "root"). */}}
{{- define "flumek8s.tierNamespace" -}}
{{- .tier.namespace | default .root.Values.watchNamespace | default .root.Release.Namespace -}}
{{- end -}}

{{/*
What the operator may do where it watches: read its tiers and write their status, manage the
objects it renders for them, record Events. The same rules as operator/deploy/rbac.yaml.
*/}}
{{- define "flumek8s.rules" -}}
# patch: the finalizer that makes deleting a collector or store tier drain it first.
- apiGroups: ["flumek8s.io"]
  resources: ["agenttiers", "collectortiers", "storetiers"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["flumek8s.io"]
  resources: ["agenttiers/status", "collectortiers/status", "storetiers/status"]
  verbs: ["patch"]
# Owner references with blockOwnerDeletion on the tiers' children need this (OpenShift enforces it).
- apiGroups: ["flumek8s.io"]
  resources: ["agenttiers/finalizers", "collectortiers/finalizers", "storetiers/finalizers"]
  verbs: ["update"]
# Only what the code does: server-side apply (patch, and create when the object is new), get and
# list/watch, delete for pruning; status is applied too (patch). Tests run the operator with exactly these.
- apiGroups: [""]
  resources: ["configmaps", "services"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["apps"]
  resources: ["statefulsets", "deployments", "daemonsets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# A claim no pod uses that no drain emptied is drained by a Job of the tier's image.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "create", "patch", "delete"]
# A raised storage.size expands the existing claims of a collector or store tier; a scale-down marks
# the claims it drained and deletes them once their pods are gone.
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
# Certificates between tiers: each tier namespace's CA Secret (flumek8s-ca-<namespace>, kept in the
# operator's own namespace: created, then replaced by compare-and-swap, update) and each tier's hop
# Secret (server-side apply: create, patch; watched by the operator's label; deleted when the tier
# stops using it). The CA keys are out of the tiers' namespaces, so the edit and admin roles there
# do not reach them: grant secrets in the operator's namespace to no one who should not sign hop
# certificates.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# Why a tier's pods are not ready goes on the tier: its pods are watched (by the operator's label) and
# a started agent's /readyz is read through the API server's pod proxy, and a scale-down tells the
# leaving pods' agents to drain (POST /drain) or, wanted again, to stop (DELETE /drain) the same way.
# Know that the proxy right reaches any port of any pod where this role applies, not only the agents'.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/proxy"]
  verbs: ["get", "create", "delete"]
{{- end -}}

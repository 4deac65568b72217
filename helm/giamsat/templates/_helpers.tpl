{{/* Names and labels shared by every object of a release. */}}

{{- define "giamsat.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped name; CronJob names must leave room for the job suffix Kubernetes adds. */}}
{{- define "giamsat.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "giamsat.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "giamsat.selectorLabels" -}}
app.kubernetes.io/name: {{ include "giamsat.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "giamsat.labels" -}}
helm.sh/chart: {{ include "giamsat.chart" . }}
{{ include "giamsat.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: giamsat
{{- end -}}

{{- define "giamsat.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "giamsat.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "giamsat.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret read by web pods and cronjobs: the operator's own, or the chart's. */}}
{{- define "giamsat.secretName" -}}
{{- default (include "giamsat.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* A password escaped for the userinfo part of a URL (urlquery turns spaces into "+"). */}}
{{- define "giamsat.urlPassword" -}}
{{- . | urlquery | replace "+" "%20" -}}
{{- end -}}

{{/* postgresql:// URL from the database settings; call with (list $ user password). */}}
{{- define "giamsat.databaseUrl" -}}
{{- $root := index . 0 -}}
{{- $db := $root.Values.database -}}
{{- $host := required "database.host is required (the chart does not run PostgreSQL)" $db.host -}}
{{- $url := printf "postgresql://%s:%s@%s:%v/%s" (index . 1) (include "giamsat.urlPassword" (index . 2)) $host $db.port $db.name -}}
{{- if $db.sslMode -}}
{{- $url = printf "%s?sslmode=%s" $url $db.sslMode -}}
{{- end -}}
{{- $url -}}
{{- end -}}

{{- define "giamsat.baseUrl" -}}
{{- if .Values.config.baseUrl -}}
{{- .Values.config.baseUrl -}}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts -}}
{{- $scheme := ternary "https" "http" (gt (len .Values.ingress.tls) 0) -}}
{{- printf "%s://%s" $scheme (index .Values.ingress.hosts 0).host -}}
{{- else -}}
{{- printf "http://%s" (include "giamsat.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Non-secret GIAMSAT_* settings as a flat map; the ConfigMap and the migration hook share it. */}}
{{- define "giamsat.configData" -}}
{{- $c := .Values.config -}}
GIAMSAT_LOG_LEVEL: {{ $c.logLevel | quote }}
GIAMSAT_BASE_URL: {{ include "giamsat.baseUrl" . | quote }}
GIAMSAT_DEFAULT_LANGUAGE: {{ $c.defaultLanguage | quote }}
GIAMSAT_SECURE_COOKIES: {{ $c.secureCookies | toString | quote }}
GIAMSAT_TRUSTED_PROXIES: {{ $c.trustedProxies | quote }}
GIAMSAT_SMTP_HOST: {{ $c.smtp.host | quote }}
GIAMSAT_SMTP_PORT: {{ $c.smtp.port | toString | quote }}
GIAMSAT_SMTP_USER: {{ $c.smtp.user | quote }}
GIAMSAT_SMTP_FROM: {{ $c.smtp.from | quote }}
GIAMSAT_SMTP_STARTTLS: {{ $c.smtp.starttls | toString | quote }}
GIAMSAT_MIGRATIONS_DIR: "/app/migrations"
{{- if $c.file }}
GIAMSAT_CONFIG_FILE: "/etc/giamsat/config.toml"
{{- end }}
{{- range $key, $value := $c.extraEnv }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* Secret keys a web or cronjob pod reads; the admin URL is left to the migration hook. */}}
{{- define "giamsat.secretEnv" -}}
- name: GIAMSAT_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "giamsat.secretName" . }}
      key: GIAMSAT_DATABASE_URL
- name: GIAMSAT_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "giamsat.secretName" . }}
      key: GIAMSAT_SECRET_KEY
- name: GIAMSAT_IDENTITY_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "giamsat.secretName" . }}
      key: GIAMSAT_IDENTITY_KEY
- name: GIAMSAT_SMTP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "giamsat.secretName" . }}
      key: GIAMSAT_SMTP_PASSWORD
      optional: true
{{- end -}}

{{/* Pod-level fields shared by the web pods and every job pod. */}}
{{- define "giamsat.podCommon" -}}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Volumes every pod needs: a writable /tmp and, when given, the settings file. */}}
{{- define "giamsat.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- if .Values.config.file }}
- name: config-file
  configMap:
    name: {{ include "giamsat.fullname" . }}-file
{{- end }}
{{- end -}}

{{- define "giamsat.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.config.file }}
- name: config-file
  mountPath: /etc/giamsat
  readOnly: true
{{- end }}
{{- end -}}

{{/* Restarts pods when their configuration changes (env is read only at start). */}}
{{- define "giamsat.configChecksums" -}}
checksum/config: {{ include "giamsat.configData" . | sha256sum }}
checksum/config-file: {{ .Values.config.file | sha256sum }}
{{- if not .Values.secrets.existingSecret }}
checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end -}}

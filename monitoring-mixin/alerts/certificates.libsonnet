// The alert on the client certificate the exporter logs in to CipherTrust Manager with
// (issue 24): cckm_cm_client_certificate_expiry_timestamp_seconds is its notAfter, as last read
// from its file (re-read when cert-manager or a Vault agent rewrites it). A certificate that
// expires stops every login of that CM. A group of its own: the series has `cm` and no `cloud`.
local promql = import '../lib/promql.libsonnet';
local folded = promql.folded;

{
  _config+:: {
    // CCKMExporterClientCertificateExpiring: warning this many days before notAfter, critical
    // this many days before (and after it passed).
    clientCertificateWarningDays: 14,
    clientCertificateCriticalDays: 3,
  },

  local cfg = $._config,
  local expiry = promql.series('cckm_cm_client_certificate_expiry_timestamp_seconds', [cfg.cckmSelector]),
  local rule(severity, days) = {
    alert: 'CCKMExporterClientCertificateExpiring',
    // The soonest of the exporters presenting a certificate to the CM (an HA pair).
    expr: 'min by (job, cm) (%s) - time() < %d * 86400' % [expiry, days],
    'for': '5m',
    labels: { severity: severity },
    annotations: {
      summary: 'The client certificate for {{ $labels.cm }} expires in {{ $value | humanizeDuration }}',
      description: folded(|||
        The client certificate cckm_exporter presents to CipherTrust Manager {{ $labels.cm }}
        expires in {{ $value | humanizeDuration }} (%s at under %d days; negative: expired). Once
        it has expired CM refuses every login and the CM's metrics stop. Renew it and write the
        new certificate and key over the configured files: the exporter reads them again before
        its next login, without a restart.
      ||| % [severity, days]),
      runbook_url: cfg.runbookURLBase + 'cckmexporterclientcertificateexpiring',
    },
  },

  local refused = promql.series('cckm_cm_client_certificate_rotation_refused', [cfg.cckmSelector]),
  local refusedRule = {
    alert: 'CCKMExporterClientCertificateRotationRefused',
    // A rotation caught half-written is refused until the other file lands (the next login,
    // within a token lifetime): only one that stays refused pages.
    expr: 'max by (job, cm) (%s) == 1' % refused,
    'for': '15m',
    labels: { severity: 'warning' },
    annotations: {
      summary: 'The new client certificate files for {{ $labels.cm }} are refused',
      description: folded(|||
        The client certificate and key files cckm_exporter reads for CipherTrust Manager
        {{ $labels.cm }} changed but do not make a usable pair (the key is not the certificate's,
        a file is cut off, the key password does not decrypt the key, or the certificate has
        expired). The exporter keeps presenting the last good pair, which expires as
        cckm_cm_client_certificate_expiry_timestamp_seconds says.
      |||),
      runbook_url: cfg.runbookURLBase + 'cckmexporterclientcertificaterotationrefused',
    },
  },

  prometheusAlerts+:: {
    groups+: [{
      name: 'cckm_exporter_credentials',
      rules: [
        rule('warning', cfg.clientCertificateWarningDays),
        rule('critical', cfg.clientCertificateCriticalDays),
        refusedRule,
      ],
    }],
  },
}

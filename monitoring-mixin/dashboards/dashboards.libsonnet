// grafanaDashboards: file name → dashboard.
(import 'cckm.libsonnet')

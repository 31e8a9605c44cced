print("cckm_exporter: under construction")

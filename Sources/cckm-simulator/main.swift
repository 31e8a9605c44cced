print("cckm-simulator: under construction")

#!/usr/bin/env bash
# Builds the libFuzzer harnesses in Fuzz/Harnesses against the repo's own sources
# (swiftc -sanitize=fuzzer,address) and runs each for a bounded time from its seed corpus
# in Fuzz/corpus/<target>. Fails on any crash, sanitizer report, timeout or leak.
# Usage: scripts/fuzz.sh [seconds per target, default 60]
# New inputs found go to a scratch copy of the corpus (printed), never into the repo;
# copy interesting ones into Fuzz/corpus/<target>/ by hand.
set -euo pipefail
seconds="${1:-60}"
cd "$(dirname "$0")/.."
out=.build-fuzz
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g -package-name cckm_exporter)
log="$out/build.log"
: >"$log"

# The C shims as SwiftPM builds them: a module map over include/<name>.h (SwiftPM generates
# it; here it is written out) and the .c files compiled into one object list.
shims=(CMicroHTTPD CZlib CCrypt)
includes=(-I "$out")
shim_objects=()
for shim in "${shims[@]}"; do
  mkdir -p "$out/modules/$shim"
  printf 'module %s {\n    umbrella header "%s"\n    export *\n}\n' "$shim" \
    "$PWD/Sources/$shim/include/$shim.h" >"$out/modules/$shim/module.modulemap"
  includes+=(-I "$out/modules/$shim")
  for source in Sources/"$shim"/*.c; do
    object="$out/$shim-$(basename "$source" .c).o"
    clang -c -O1 -g -fsanitize=address -I "Sources/$shim/include" "$source" -o "$object" >>"$log" 2>&1 ||
      { cat "$log" >&2; echo "fuzz: compiling $source failed" >&2; exit 1; }
    shim_objects+=("$object")
  done
done

module() { # name, sources...
  local name="$1"; shift
  swiftc "${flags[@]}" "${includes[@]}" -wmo -module-name "$name" -emit-module \
    -emit-module-path "$out/$name.swiftmodule" -c "$@" -o "$out/$name.o" >>"$log" 2>&1 ||
    { cat "$log" >&2; echo "fuzz: building module $name failed" >&2; exit 1; }
}

echo "fuzz: building modules (log: $log)"
module CMWire Sources/CMWire/*.swift
module JobMetrics Sources/JobMetrics/*.swift
module MetricsExposition Sources/MetricsExposition/*.swift
module TextSafety Sources/TextSafety/*.swift
module TextFormats Sources/TextFormats/*.swift
module HTTPServer Sources/HTTPServer/*.swift
module StatusPages Sources/StatusPages/*.swift
# WebToolkit without the YAML loader (Yams is not needed to gate requests): of StrictYAML
# only its error type, which the web configuration's types throw.
mapfile -t fieldError < <(grep -L 'import Yams' Sources/StrictYAML/*.swift)
module StrictYAML "${fieldError[@]}"
mapfile -t gate < <(grep -L -e 'import Yams' -e 'StrictYAMLReader' Sources/WebToolkit/*.swift |
  grep -v WebConfigReloader)
module WebToolkit "${gate[@]}"
module MetricsServer Sources/MetricsServer/*.swift

harness() { # target, harness file, objects...
  local target="$1" file="$2"; shift 2
  swiftc "${flags[@]}" "${includes[@]}" "$file" "$@" "${shim_objects[@]}" \
    -lmicrohttpd -lgnutls -lz -lcrypt -o "$out/fuzz-$target" >>"$log" 2>&1 ||
    { grep -v 'ld.gold: warning' "$log" >&2; echo "fuzz: linking $target failed" >&2; exit 1; }
}
harness job-page Fuzz/Harnesses/JobPageDecoderFuzz.swift "$out/CMWire.o"
harness rfc3339 Fuzz/Harnesses/RFC3339Fuzz.swift "$out/CMWire.o"
harness routes Fuzz/Harnesses/RoutesFuzz.swift "$out/CMWire.o" "$out/JobMetrics.o" "$out/MetricsExposition.o" \
  "$out/TextSafety.o" "$out/TextFormats.o" "$out/HTTPServer.o" "$out/StatusPages.o" "$out/StrictYAML.o" \
  "$out/WebToolkit.o" "$out/MetricsServer.o"
harness scrub Fuzz/Harnesses/SecretScrubberFuzz.swift "$out/TextSafety.o"

status=0
for target in job-page rfc3339 routes scrub; do
  work="$out/corpus-$target"
  rm -rf "$work" && mkdir -p "$work" && cp Fuzz/corpus/"$target"/* "$work"/
  echo "fuzz: $target for ${seconds}s (new inputs in $work)"
  if ! ASAN_OPTIONS=detect_leaks=1 "$out/fuzz-$target" -max_total_time="$seconds" -timeout=5 \
      -rss_limit_mb=1024 -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/crash-$target-" \
      "$work" >"$out/$target.log" 2>&1; then
    tail -40 "$out/$target.log" >&2
    echo "fuzz: $target FAILED (artifacts: $out/crash-$target-*)" >&2
    status=1
  else
    grep -E 'stat::number_of_executed_units|stat::new_units_added' "$out/$target.log" | tr '\n' ' '
    echo
  fi
done
if ((status == 0)); then echo "fuzz: 4 passed, 0 failed"; else echo "fuzz: some targets failed" >&2; fi
exit "$status"

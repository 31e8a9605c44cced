#!/usr/bin/env bash
# Regenerates the man page and the shell completions under deploy/ from the argument parser,
# so they never drift from `cckm_exporter --help`:
#   deploy/man/cckm_exporter.1                  swift-argument-parser's generate-manual (mdoc)
#   deploy/completions/cckm_exporter.bash       cckm_exporter --generate-completion-script bash
#   deploy/completions/_cckm_exporter           … zsh
#   deploy/completions/cckm_exporter.fish       … fish
#
# Usage: scripts/generate-docs.sh           write the files
#        scripts/generate-docs.sh --check   exit 1 (with a diff) when the committed files are stale
# Env:   SCRATCH_PATH (default .build) is where `swift build` (debug) puts the binaries.
#        MAN_DATE (default below) is the man page's date, fixed so the output is reproducible.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${SCRATCH_PATH:-.build}"
man_date="${MAN_DATE:-2026-11-29}"
swift build --scratch-path "$scratch" --product cckm_exporter >&2
swift build --scratch-path "$scratch" --product generate-manual >&2
bin="$scratch/debug/cckm_exporter"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/man" "$out/completions"
"$scratch/debug/generate-manual" "$bin" --date "$man_date" --output-directory "$out/man" >&2
# ArgumentParser gives every root command an implicit `help` subcommand; cckm_exporter has no
# subcommands, so the synopsis must not promise one.
sed -i '/^\.Ar subcommand$/d' "$out/man/cckm_exporter.1"
"$bin" --generate-completion-script bash > "$out/completions/cckm_exporter.bash"
"$bin" --generate-completion-script zsh > "$out/completions/_cckm_exporter"
"$bin" --generate-completion-script fish > "$out/completions/cckm_exporter.fish"

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -ru deploy/man "$out/man" || ! diff -ru deploy/completions "$out/completions"; then
    echo "deploy/man or deploy/completions is out of date: run scripts/generate-docs.sh" >&2
    exit 1
  fi
  echo "man page and completions up to date" >&2
else
  mkdir -p deploy/man deploy/completions
  cp "$out/man/cckm_exporter.1" deploy/man/
  cp "$out/completions/"* deploy/completions/
  echo "wrote deploy/man/cckm_exporter.1 and deploy/completions/" >&2
fi

#!/usr/bin/env bash
# Runs the speed suite (PERFORMANCE.md) and prints its figures as markdown
# tables: the store's time per action, its bare bbolt floor and their ratio.
#   scripts/bench.sh          the short set (1 and 10 locations), 20 runs each: CI
#   scripts/bench.sh --full   every size up to 40 locations and 5 years, 200 runs each
# The generated organisations are kept in $TMPDIR/locatiedesk-bench (the full
# set is about 3 GB) and made again only when the generator or schema changes.
# Figures are reported, never used to fail.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$root_dir"

runs=20x
if [ "${1:-}" = "--full" ]; then
	export LOCATIEDESK_BENCH=full
	runs=200x
fi
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
go test -tags migrated_fynedo -run '^$' -bench . -benchtime "$runs" -timeout 3h ./data/... ./reports/... ./ui/ | tee "$raw" |
	grep -E '^(FAIL|panic|--- FAIL)' || true
grep -q '^FAIL' "$raw" && { cat "$raw" >&2; exit 1; }

echo "$(go env GOOS)/$(go env GOARCH), $(grep -m1 '^cpu:' "$raw" | cut -d' ' -f2-), $(nproc) cores, $runs"
awk '
function ms(ns) { return ns >= 1e6 ? sprintf("%.1f ms", ns / 1e6) : sprintf("%.3f ms", ns / 1e6) }
/^Benchmark/ {
	name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
	action = name; size = ""
	if (match(name, /\/loc=.*/)) { action = substr(name, 1, RSTART - 1); size = substr(name, RSTART + 1) }
	store = bare = ratio = rows = ""
	for (i = 3; i < NF; i++) {
		if ($(i + 1) == "ns/op") store = ms($i)
		if ($(i + 1) == "bare-ns/op") bare = ms($i)
		if ($(i + 1) == "ratio") ratio = sprintf("%.1f×", $i)
		if ($(i + 1) == "rows") rows = sprintf("%d", $i)
	}
	if (action != last) { printf "\n| %s | rows | store | bare bbolt | ratio |\n|---|---:|---:|---:|---:|\n", action; last = action }
	printf "| %s | %s | %s | %s | %s |\n", (size == "" ? "-" : size), rows, store, bare, ratio
}' "$raw"

#!/usr/bin/env bash
# Runs the speed suite (PERFORMANCE.md) and prints its figures as markdown
# tables: the store's time per action, its bare bbolt floor and their ratio;
# for the PostgreSQL store, its time, its bare SQL floor, their ratio and the
# bbolt store's time for the same action.
#   scripts/bench.sh              the short set (1 and 10 locations), 20 runs each: CI
#   scripts/bench.sh --full       every size up to 40 locations and 5 years, 200 runs each
#   scripts/bench.sh --count N    each benchmark N times, printing the median of
#                                 each figure: steadier on a busy machine
#   scripts/bench.sh --full --count 5 -bench 'StudyDaySheet|DayList'
#                                 anything after the options goes to go test
# The generated organisations are kept in $TMPDIR/locatiedesk-bench (the full
# set is about 3 GB) and made again only when the generator or schema changes.
# The PostgreSQL store's benchmarks run on the cluster LOCATIEDESK_TEST_PG
# names (scripts/test.sh starts one; by hand: source scripts/pg.sh && pg_start)
# and keep each organisation moved into it as a database bench_loc…, made
# again likewise; without a cluster they are skipped.
# Figures are reported, never used to fail.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$root_dir"

runs=20x
count=1
while [ $# -gt 0 ]; do
	case "$1" in
	--full)
		export LOCATIEDESK_BENCH=full
		runs=200x
		;;
	--count)
		count=$2
		shift
		;;
	*) break ;;
	esac
	shift
done
[ -n "${LOCATIEDESK_TEST_PG:-}" ] ||
	echo "bench: LOCATIEDESK_TEST_PG is not set: the PostgreSQL store's benchmarks are skipped" >&2
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
go test -tags migrated_fynedo -run '^$' -bench . -benchtime "$runs" -count "$count" -timeout 3h "$@" ./data/... ./reports/... ./ui/ | tee "$raw" |
	grep -E '^(FAIL|panic|--- FAIL)' || true
grep -q '^FAIL' "$raw" && { cat "$raw" >&2; exit 1; }

echo "$(go env GOOS)/$(go env GOARCH), $(grep -m1 '^cpu:' "$raw" | cut -d' ' -f2-), $(nproc) cores, $runs, median of $count, load $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
function ms(ns) { return ns >= 1e6 ? sprintf("%.1f ms", ns / 1e6) : sprintf("%.3f ms", ns / 1e6) }
function median(list,    v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
/^pkg:/ { pg = $2 ~ /\/pgstore$/ }
/^Benchmark/ {
	name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
	if (pg) name = "PostgreSQL " name
	if (!(name in seen)) { seen[name] = 1; order[++names] = name }
	for (i = 3; i < NF; i++) {
		unit = $(i + 1)
		if (unit == "ns/op" || unit == "bare-ns/op" || unit == "ratio" || unit == "rows" || unit == "bolt-ns/op") figures[name, unit] = figures[name, unit] " " $i
	}
}
END {
	for (k = 1; k <= names; k++) {
		name = order[k]; action = name; size = ""
		if (match(name, /\/loc=.*/)) { action = substr(name, 1, RSTART - 1); size = substr(name, RSTART + 1) }
		store = ms(median(figures[name, "ns/op"]))
		bare = ratio = rows = bolt = ""
		if ((name, "bare-ns/op") in figures) bare = ms(median(figures[name, "bare-ns/op"]))
		if ((name, "ratio") in figures) ratio = sprintf("%.1f×", median(figures[name, "ratio"]))
		if ((name, "rows") in figures) rows = sprintf("%d", median(figures[name, "rows"]))
		if ((name, "bolt-ns/op") in figures) bolt = ms(median(figures[name, "bolt-ns/op"]))
		if (action != last) {
			if (action ~ /^PostgreSQL /) printf "\n| %s | rows | PostgreSQL store | bare SQL | ratio | bbolt store |\n|---|---:|---:|---:|---:|---:|\n", action
			else printf "\n| %s | rows | store | bare bbolt | ratio |\n|---|---:|---:|---:|---:|\n", action
			last = action
		}
		if (action ~ /^PostgreSQL /) printf "| %s | %s | %s | %s | %s | %s |\n", (size == "" ? "-" : size), rows, store, bare, ratio, bolt
		else printf "| %s | %s | %s | %s | %s |\n", (size == "" ? "-" : size), rows, store, bare, ratio
	}
}' "$raw"

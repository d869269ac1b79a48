#!/usr/bin/env bash
# Installs what is missing, then runs every check CI runs: vet, all tests with
# the race detector (the PostgreSQL store's on a throwaway cluster started
# here and removed at the end), the real binary started under Xvfb, and a
# short benchmark pass (figures are reported, never used to fail).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
source "$(dirname "$0")/pg.sh"
ensure_packages "${build_packages[@]}" xvfb xauth x11-utils poppler-utils postgresql
ensure_go
cd "$root_dir"
tags=migrated_fynedo

echo "== gofmt, vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted" >&2; exit 1; fi
go vet -tags "$tags" ./...

echo "== tests"
pg_start
trap pg_stop EXIT
# The PostgreSQL store's tests fail rather than skip when the cluster is missing.
export LOCATIEDESK_REQUIRE_PG=1
go test -race -count=1 -timeout 45m -tags "$tags" ./...
# The corruption sweep once more without the race detector, whose pointer
# checks end the process on a damaged page before the store's guard can
# turn it into a clear message: the sweep skips those copies under -race.
go test -count=1 -run TestCorruptionSweep -tags "$tags" ./data/boltstore/

echo "== the app starts on a fresh data file"
bin=$(mktemp -d)/locatiedesk
go build -tags "$tags" -o "$bin" ./cmd/locatiedesk
xvfb-run -a -s "-screen 0 1280x800x24" scripts/smoke.sh "$bin"

echo "== benchmarks (short run; figures only, see PERFORMANCE.md)"
scripts/bench.sh

#!/usr/bin/env bash
# Runs inside xvfb-run: starts the binary on a fresh data file and waits up to
# 60 s for its main window. Fails if the window never appears or the process dies.
set -uo pipefail
bin=$1
db=$(mktemp -d)/smoke.db
"$bin" --db "$db" &
pid=$!
for _ in $(seq 1 60); do
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		echo "smoke: the app exited (status $?) before its window appeared" >&2
		exit 1
	fi
	if xwininfo -root -tree 2>/dev/null | grep -q '"Locatiedesk'; then
		echo "smoke: main window is up"
		kill "$pid"
		wait "$pid" 2>/dev/null
		exit 0
	fi
	sleep 1
done
kill "$pid"
echo "smoke: no main window within 60 s" >&2
exit 1

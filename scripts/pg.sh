# Sourced by test.sh (and by hand for development): a throwaway PostgreSQL
# cluster from Debian's postgresql package, for the tests of the PostgreSQL
# store. It lives in a temporary folder, listens on 127.0.0.1 on a port of
# its own and is stopped and removed by pg_stop.
#   pg_start   initdb + start; exports LOCATIEDESK_TEST_PG (a superuser URL)
#   pg_stop    stop the cluster and remove its folder

pg_bin() {
	local dir
	dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
	[ -n "$dir" ] || { echo "pg: no PostgreSQL server found under /usr/lib/postgresql" >&2; return 1; }
	echo "$dir"
}

# pg_as runs a server program as the cluster's owner: PostgreSQL refuses to
# run as root, so under root (a CI machine) that is Debian's postgres user.
pg_as() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_free_port() {
	local port
	for port in $(shuf -i 20000-40000 -n 50); do
		(echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null || { echo "$port"; return 0; }
	done
	return 1
}

pg_start() {
	local bin port
	bin=$(pg_bin) || return 1
	port=$(pg_free_port) || { echo "pg: no free port" >&2; return 1; }
	pg_dir=$(mktemp -d /tmp/locatiedesk-pg.XXXXXX)
	chmod 755 "$pg_dir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$pg_dir"
	pg_as "$bin/initdb" -D "$pg_dir/data" -U locatiedesk --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 ||
		{ cat "$pg_dir/initdb.log" >&2; return 1; }
	pg_as "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w start \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off -c max_connections=300 -c shared_buffers=128MB" >/dev/null ||
		{ cat "$pg_dir/server.log" >&2; return 1; }
	export LOCATIEDESK_TEST_PG="postgres://locatiedesk@127.0.0.1:$port/postgres?sslmode=disable"
	export pg_dir
	echo "pg: throwaway PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($pg_dir)"
}

pg_stop() {
	[ -n "${pg_dir:-}" ] && [ -d "$pg_dir" ] || return 0
	pg_as "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$pg_dir"
}

# Sourced by the other scripts: installs what a fresh Debian/Ubuntu machine
# lacks to build and test Locatiedesk, and nothing that is already there.
#   ensure_packages PKG...   Debian packages (apt-get, with sudo when not root)
#   ensure_go                a Go toolchain at least as new as go.mod asks

root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Fyne falls back noisily under LANG=C; any UTF-8 locale will do.
case "${LANG:-C}" in C | C.* | POSIX | "") export LANG=en_US.UTF-8 ;; esac

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
	local missing=()
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "setup: installing ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build_packages are what cgo and Fyne's GL/X11 driver need to compile.
build_packages=(ca-certificates git gcc libc6-dev pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev)

# go_wanted is the version go.mod's go line names, e.g. 1.26.8.
go_wanted() { awk '/^go /{print $2; exit}' "$root_dir/go.mod"; }

go_new_enough() {
	command -v go >/dev/null 2>&1 || return 1
	local have
	have=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
	[ -n "$have" ] && [ "$(printf '%s\n%s\n' "$(go_wanted)" "$have" | sort -V | head -n1)" = "$(go_wanted)" ]
}

# ensure_go uses the Go on PATH (or /usr/local/go) when new enough. Otherwise
# it takes Debian's Go only as a bootstrap and fetches the wanted toolchain as
# the Go module it is published as, the same way `GOTOOLCHAIN` does.
ensure_go() {
	[ -x /usr/local/go/bin/go ] && export PATH="/usr/local/go/bin:$PATH"
	export PATH="$PATH:$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
	go_new_enough && return 0
	command -v go >/dev/null 2>&1 || ensure_packages golang-go
	local version="v0.0.1-go$(go_wanted).linux-$(dpkg --print-architecture)"
	local tmp
	tmp=$(mktemp -d)
	echo "setup: fetching Go $(go_wanted)"
	(cd "$tmp" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download "golang.org/toolchain@$version") || return 1
	rm -rf "$tmp"
	local dir
	dir="$(go env GOMODCACHE)/golang.org/toolchain@$version"
	# Module zips do not keep the executable bit.
	chmod -R u+w "$dir" && chmod +x "$dir"/bin/* "$dir"/pkg/tool/*/*
	export PATH="$dir/bin:$PATH"
	go_new_enough || { echo "setup: Go $(go_wanted) is needed and could not be installed" >&2; return 1; }
}

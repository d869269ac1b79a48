#!/usr/bin/env bash
# Installs what is missing, then starts Locatiedesk on the built-in demo
# location (a separate demo file, so real data is never touched).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
ensure_packages "${build_packages[@]}"
ensure_go
cd "$root_dir"
demo_db="${LOCATIEDESK_DEMO_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/Locatiedesk/demo.db}"
echo "Locatiedesk on demo data: $demo_db"
exec go run -tags migrated_fynedo ./cmd/locatiedesk --db "$demo_db" --demo "$@"

# Shared helpers of the make targets. Sourced, not run.
set -euo pipefail

die() { echo "error: $*" >&2; exit 1; }
say() { echo "==> $*"; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "root is needed to install system packages (run as root or install sudo)"; fi
}

# Run a command as the postgres system user (peer authentication on the local socket).
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres "$@"; fi
}

#!/usr/bin/env bash
# Create .venv from uv.lock with Python 3.11. uv itself lives in a small bootstrap venv.
here=$(dirname "$0"); . "$here/lib.sh"

PYTHON=${PYTHON:-python3.11}
UV_VERSION=0.13.9
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON is missing: install Python 3.11 (Debian: apt-get install python3.11 python3.11-venv)"
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || die "Python's venv module is missing: apt-get install python3.11-venv"

if [ ! -x var/uv/bin/uv ] || [ "$(var/uv/bin/uv --version | awk '{print $2}')" != "$UV_VERSION" ]; then
  say "uv: installing $UV_VERSION into var/uv"
  "$PYTHON" -m venv var/uv
  var/uv/bin/pip install -q "uv==$UV_VERSION" 2>var/uv/pip.log || die "pip could not install uv $UV_VERSION (is PyPI reachable?)"
fi
export UV_PROJECT_ENVIRONMENT=.venv UV_PYTHON_DOWNLOADS=never
groups=(--no-dev --inexact)  # keep dev tools a test run installed
[ "${1:-run}" = test ] && groups=()
var/uv/bin/uv sync --frozen --python "$PYTHON" "${groups[@]}" -q || die "uv sync failed: see the lines above"
say "python: .venv ready ($(.venv/bin/python --version))"

#!/usr/bin/env bash
# Install the Debian packages the project needs, once: `apt-get update` only when one is missing.
# Usage: scripts/system-packages.sh run|test
here=$(dirname "$0"); . "$here/lib.sh"

command -v apt-get >/dev/null 2>&1 || die "apt-get is missing: this set-up needs Debian 12 (bookworm)"
command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query is missing: this set-up needs Debian 12"

packages=(
  postgresql-15 postgresql-15-postgis-3   # PostGIS database
  redis-server                            # Celery broker and cache
  gdal-bin libgdal32 libgeos-c1v5 libproj25 binutils  # GeoDjango's GDAL, GEOS and PROJ
  gettext                                 # compilemessages for ja / ru / tg
  fonts-noto-cjk                          # Japanese in screenshots and reports
  libpango-1.0-0 libpangoft2-1.0-0        # WeasyPrint lays out the printed estimate
  curl                                    # the run target waits for the site with it
)
if [ "${1:-run}" = test ]; then
  packages+=(chromium chromium-driver)    # browser tests drive Debian's Chromium
fi

missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "system packages: all present"
  exit 0
fi
say "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q >/dev/null || die "apt-get update failed: check the network or /etc/apt/sources.list"
as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
  || die "apt-get install failed for: ${missing[*]}"

#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/packages.txt (or in the lists given as arguments,
# such as scripts/packages-bench.txt) that are not installed yet. Called by make before every
# build; it does nothing (and needs no network) when all are present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
missing=()
while read -r pkg; do
  pkg=${pkg%%#*}
  pkg=${pkg//[[:space:]]/}
  [ -z "$pkg" ] && continue
  # node and npm may come from another source than Debian's packages: accept any working copy
  if [ "$pkg" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  if [ "$pkg" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done < <(cat "${@:-$here/packages.txt}")

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# the packaged nginx starts a system site on port 80; gridgov's benchmark runs its own
if printf '%s\n' "${missing[@]}" | grep -q '^nginx'; then
  $SUDO service nginx stop >/dev/null 2>&1 || true
fi

#!/usr/bin/env bash
# Installs Debian's Chromium and the CJK fonts the browser tests need, when they are missing.
# Playwright drives /usr/bin/chromium through executable_path: no browser is downloaded.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
installed fonts-noto-cjk || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing ${need[*]} (apt)"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null

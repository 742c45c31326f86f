#!/usr/bin/env bash
# Installs Debian's Prometheus (prometheus, promtool) and blackbox exporter for the tests that run
# them (tests/e2e/test_prometheus.py), when missing. Only the binaries are used: the packages'
# own services are not started, so the tests' (own config, own data dir, free ports) are the
# only ones running.
set -euo pipefail
need=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-blackbox-exporter >/dev/null 2>&1 || need+=(prometheus-blackbox-exporter)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing ${need[*]} (apt)"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the packages' post-install must not start a Prometheus on :9090.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  made_policy=1
fi
trap 'if [ "$made_policy" = 1 ]; then $sudo rm -f "$policy"; fi' EXIT
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

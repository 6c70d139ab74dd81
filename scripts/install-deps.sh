#!/usr/bin/env bash
# Installs the Debian packages the studio needs; with --test also what the tests need.
# Safe to run again: only missing packages are installed, and apt's lists are refreshed only
# when something is missing.
set -euo pipefail

packages=(cmake ninja-build g++ python3 qt6-base-dev qt6-charts-dev libqscintilla2-qt6-dev
          libyaml-cpp-dev libspdlog-dev libpcre2-dev pkgconf qt6-qpa-plugins xauth xvfb ccache)
if [ "${1:-}" = "--test" ]; then
    packages+=(docker.io debootstrap clang-format wrk gunicorn python3-flask curl
              python3-jmespath)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "packages: all ${#packages[@]} present"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]}" >&2
    echo "run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

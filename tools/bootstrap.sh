#!/usr/bin/env bash
# Installs every Debian package pgcpp needs to build, test and benchmark.
# Idempotent: when everything is present it does nothing and returns at once;
# `apt-get update` runs only when a package is missing.
set -euo pipefail

packages=(
  bazel-bootstrap   # Bazel 4.2.3, WORKSPACE mode (see tools/bazel/README.md)
  g++
  libpq-dev         # libpq 15 headers and library
  libabsl-dev
  libre2-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  postgresql        # server binaries for //testing's ephemeral servers
  postgresql-contrib
  openssl           # TLS certificates for the test servers
  clang-format
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "tools/bootstrap.sh: missing packages: ${missing[*]}" >&2
    echo "tools/bootstrap.sh: run it as root, or install sudo, to install them" >&2
    exit 1
  fi
fi

echo "tools/bootstrap.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Installs the Debian packages alembic-lint needs, only those that are missing.
#   .ci/install-deps.sh build   -- what building and `make run` need
#   .ci/install-deps.sh test    -- plus what the test suite drives (Alembic, PostgreSQL, ...)
# Non-interactive; safe to run repeatedly (a no-op when everything is there).
set -euo pipefail
mode="${1:-build}"

# The plain tree (`make run`) builds the libraries it links from pinned copies fetched at
# configure time (cmake/Dependencies.cmake), over HTTPS: only the toolchain, libpq and the
# test framework come from here.
build_pkgs=(build-essential cmake ninja-build pkg-config git ca-certificates libpq-dev doctest-dev)
# The ASan+UBSan tree links the system's copies; npm fetches the SARIF validator.
# python3-venv and Debian's pip/setuptools/wheel wheels: the Python package is built and
# installed offline in the tests (tests/integration/package_test.py, pre_commit_test.py).
test_pkgs=(libtree-sitter-dev libpg-query-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev
  libcli11-dev libre2-dev libsimdjson-dev libmimalloc-dev clang-format npm nodejs
  python3 python3-alembic python3-yaml postgresql libbenchmark-dev pre-commit neovim
  clang libclang-rt-14-dev python3-venv python3-pip-whl python3-setuptools-whl python3-wheel-whl
  graphviz python3-psycopg2)

pkgs=("${build_pkgs[@]}")
if [[ "$mode" == test ]]; then pkgs+=("${test_pkgs[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    # A tool may be present without its Debian package (node/npm from elsewhere).
    case "$p" in
      npm) command -v npm >/dev/null 2>&1 && continue ;;
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      cmake) command -v cmake >/dev/null 2>&1 && continue ;;
    esac
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing missing packages: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "install-deps: not root and no sudo; please install: ${missing[*]}" >&2
    exit 2
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

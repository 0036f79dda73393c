#!/bin/sh
# Turns each wheel in WHEEL_DIR into a standalone archive for the release page:
#   alembic-lint-<version>-<platform>.tar.gz, one directory holding alembic_lint/bin/alembic-lint
# (and an `alembic-lint` link to it at the top), plus the shared libraries the wheel repair step vendored beside it (auditwheel's
# alembic_lint.libs/, delocate's alembic_lint/.dylibs/), kept at the same relative place so the
# executable's RPATH still finds them, and the third-party licenses; then SHA256SUMS.
# Used by .github/workflows/release.yml; tests/integration/package_test.py runs it locally.
# Usage: packaging/release_archives.sh WHEEL_DIR OUT_DIR
set -eu
wheels=$1 out=$2
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count=0
for whl in "$wheels"/*.whl; do
  [ -e "$whl" ] || continue
  base=$(basename "$whl" .whl)            # alembic_lint-0.1.0-py3-none-<platform>
  version=$(echo "$base" | cut -d- -f2)
  platform=${base##*-none-}
  name="alembic-lint-$version-$platform"
  rm -rf "$work/x" && mkdir -p "$work/x"
  python3 -m zipfile -e "$whl" "$work/x"
  mkdir -p "$work/$name"
  # The wheel's layout from its root, so $ORIGIN/@loader_path-relative paths still resolve.
  cp -R "$work/x/alembic_lint" "$work/$name/"
  [ -d "$work/x/alembic_lint.libs" ] && cp -R "$work/x/alembic_lint.libs" "$work/$name/"
  rm -f "$work/$name/alembic_lint/"*.py
  chmod +x "$work/$name/alembic_lint/bin/alembic-lint"
  ln -s alembic_lint/bin/alembic-lint "$work/$name/alembic-lint"
  tar -czf "$out/$name.tar.gz" -C "$work" "$name"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "release_archives: no wheel in $wheels" >&2; exit 1; }
(cd "$out" && sha256sum ./*.tar.gz > SHA256SUMS 2>/dev/null || shasum -a 256 ./*.tar.gz > SHA256SUMS)
echo "release_archives: $count archive(s) in $out"

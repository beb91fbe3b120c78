#!/usr/bin/env bash
# Builds the add-on tarball the gateway installs: rule-things-<version>.tgz (unpacking into
# package/ with manifest.json, package.json, lib/, examples/, ready-rules/, src/addon/page/, LICENSE, README.md,
# SHA256SUMS and node_modules) and <tarball>.sha256sum. gateway-addon is left out (the gateway
# links its own) and the bundle must hold no native code, so one tarball serves every architecture.
set -euo pipefail
cd "$(dirname "$0")"

name=$(node -p "require('./package.json').name")
version=$(node -p "require('./package.json').version")
manifest_version=$(node -p "require('./manifest.json').version")
if [[ "$version" != "$manifest_version" ]]; then
  echo "package.sh: package.json version $version differs from manifest.json version $manifest_version" >&2
  exit 1
fi
for file in manifest.json LICENSE README.md package-lock.json; do
  [[ -f $file ]] || { echo "package.sh: $file is missing" >&2; exit 1; }
done

npm run build

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r package.json package-lock.json manifest.json LICENSE README.md lib examples ready-rules "$stage/"
# The Rule Things page: plain files the gateway serves as they are (manifest content_scripts).
mkdir -p "$stage/src/addon"
cp -r src/addon/page "$stage/src/addon/"

(
  cd "$stage"
  # Production dependencies only, exactly as locked; no install scripts, so nothing is compiled.
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline >/dev/null
  if [[ -e node_modules/gateway-addon ]]; then
    echo "package.sh: gateway-addon must not be bundled (the gateway links its own)" >&2
    exit 1
  fi
  native=$(find . -name '*.node' -print)
  if [[ -n $native ]]; then
    echo "package.sh: native code in the bundle:" >&2
    echo "$native" >&2
    exit 1
  fi
  rm -f package-lock.json
  # Every shipped file, relative to the add-on folder, as the gateway checks them on install.
  find . -type f ! -name SHA256SUMS -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >SHA256SUMS

  tarball=$(npm pack --silent --ignore-scripts | tail -n 1)
  mkdir unpacked
  tar -xzf "$tarball" -C unpacked
  rm "$tarball"
  # npm pack leaves node_modules out; the gateway does not install dependencies itself.
  cp -r node_modules unpacked/package/
  tar -czf "$tarball" -C unpacked package
  echo "$tarball" >.tarball
)

tarball=$(cat "$stage/.tarball")
mv "$stage/$tarball" "./$tarball"
sha256sum "$tarball" >"$tarball.sha256sum"
echo "package.sh: wrote $tarball and $tarball.sha256sum"

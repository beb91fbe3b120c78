#!/usr/bin/env bash
# Builds the add-on tarball the gateway installs: rule-things-<version>.tgz (unpacking into
# package/ with manifest.json, package.json, lib/, examples/, ready-rules/, src/addon/page/, LICENSE, README.md,
# SHA256SUMS and node_modules) and <tarball>.sha256sum. gateway-addon is left out (the gateway
# links its own) and the bundle must hold no native code, so one tarball serves every architecture.
# It then checks the tarball the way the gateway will use it: after the add-on loader's first-start
# `npm link gateway-addon` (no registry), every SHA256SUMS line must still verify and no package
# may have been added to node_modules.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

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
  # npm rewrites its hidden lockfile whenever it touches node_modules (the loader's `npm link
  # gateway-addon` at first start does): listed in SHA256SUMS, it would fail the gateway's check at
  # the next start. The gateway's own add-ons delete it too.
  rm -f node_modules/.package-lock.json
  # The shipped package.json: no devDependencies (npm would fetch them at the first start) and no
  # scripts (none runs in the gateway).
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    delete pkg.devDependencies;
    delete pkg.scripts;
    fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
  '
  # Not needed to run: source maps, and the dependencies' tests, docs, examples and CI files
  # (licences stay).
  find . -name '*.map' -type f -delete
  find node_modules -type d \( -name test -o -name tests -o -name __tests__ -o -name docs -o -name doc \
    -o -name example -o -name examples -o -name benchmark -o -name benchmarks -o -name .github \) -prune \
    -exec test -f '{}/../package.json' \; -exec rm -rf '{}' +
  find node_modules -type f \( -iname 'README*' -o -iname 'CHANGELOG*' -o -iname 'HISTORY*' \) -delete
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

# The first start as the gateway's add-on loader runs it: `npm link gateway-addon` in the add-on
# folder, gateway-addon installed globally (here: a prefix linking to this repository's copy), the
# registry a closed port so that any download fails.
check=$stage/first-start
mkdir -p "$check/npm-global/lib/node_modules"
ln -s "$root/node_modules/gateway-addon" "$check/npm-global/lib/node_modules/gateway-addon"
tar -xzf "$stage/$tarball" -C "$check"
(
  cd "$check/package"
  fail() {
    echo "package.sh: $tarball would not survive the gateway's first start: $1" >&2
    exit 1
  }
  find node_modules | LC_ALL=C sort >../before
  # The gateway runs the loader with none of the npm settings that `npm run`/npx put in the environment.
  for var in $(compgen -e | grep -i '^npm_config_' || true); do unset "$var"; done
  NPM_CONFIG_PREFIX=$check/npm-global NPM_CONFIG_CACHE=$check/npm-cache \
    NPM_CONFIG_REGISTRY=http://127.0.0.1:9/ NPM_CONFIG_FETCH_RETRIES=0 NPM_CONFIG_UPDATE_NOTIFIER=false \
    npm link gateway-addon >../link.log 2>&1 ||
    fail "npm link gateway-addon failed (it needed the registry?): $(tail -n 5 ../link.log)"
  [[ -e node_modules/gateway-addon ]] || fail "npm link gateway-addon did not link it"
  sha256sum -c --quiet SHA256SUMS >../sums.log 2>&1 || fail "SHA256SUMS no longer verifies: $(cat ../sums.log)"
  # npm's hidden lockfile and the gateway-addon link are what the loader adds; nothing else may appear.
  find node_modules | grep -v -x -e node_modules/.package-lock.json -e node_modules/gateway-addon |
    LC_ALL=C sort >../after
  added=$(comm -13 ../before ../after)
  [[ -z $added ]] || fail "npm link added to node_modules: $(echo "$added" | head -n 10)"
)

mv "$stage/$tarball" "./$tarball"
sha256sum "$tarball" >"$tarball.sha256sum"
files=$(tar -tzf "$tarball" | grep -cv '/$')
unpacked=$(tar -xzOf "$tarball" | wc -c)
echo "package.sh: wrote $tarball and $tarball.sha256sum ($(stat -c %s "$tarball") bytes packed, $unpacked bytes in $files files unpacked)"

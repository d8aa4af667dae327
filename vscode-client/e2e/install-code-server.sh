#!/usr/bin/env bash
# Install code-server 4.100.3 (the last line that runs on Node 20) plus playwright-core into a
# cache folder, without any download other than the npm registry (and apt, when root).
# The top-level packages come from code-server-deps/package-lock.json (npm ci); native modules
# are built against the local Node headers (npm_config_nodedir), never downloaded ones.
#
# Env:
#   SSOT_E2E_CACHE   cache folder (default: $HOME/.cache/ssot-lsp-e2e)
#   SSOT_E2E_NO_APT  set to 1 to skip the apt-get step even when running as root
#
# Needs (apt): libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium build-essential
# Idempotent: a finished install leaves $SSOT_E2E_CACHE/.installed-4.100.3 and is skipped next time
# (a fraction of a second); a changed code-server-deps/package-lock.json reinstalls.
# Prints the code-server executable path as its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.52.0
CACHE="${SSOT_E2E_CACHE:-$HOME/.cache/ssot-lsp-e2e}"
STAMP="$CACHE/.installed-$CODE_SERVER_VERSION"
CS="$CACHE/node_modules/code-server"
DEPS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/code-server-deps"
APT_PACKAGES="libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium build-essential"

log() { echo "[install-code-server] $*" >&2; }

if [ -f "$STAMP" ] && [ -f "$CS/out/node/entry.js" ] && [ -e "$CACHE/node_modules/.bin/code-server" ] \
  && [ -f "$CACHE/node_modules/playwright-core/package.json" ] \
  && cmp -s "$DEPS/package-lock.json" "$CACHE/package-lock.json"; then
  log "already installed in $CACHE"
  echo "$CACHE/node_modules/.bin/code-server"
  exit 0
fi

missing=""
for p in $APT_PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && [ "${SSOT_E2E_NO_APT:-0}" != 1 ]; then
    log "apt-get install -y$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y $missing >&2 || { apt-get update >&2 && apt-get install -y $missing >&2; }
  else
    log "missing apt packages:$missing (install them as root first)"
    exit 1
  fi
fi

# node-gyp downloads the Node headers from the Node.js site unless told where local ones are.
if [ -z "${npm_config_nodedir:-}" ]; then
  nodedir="$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)"
  if [ -f "$nodedir/include/node/node.h" ]; then
    export npm_config_nodedir="$nodedir"
  else
    log "no Node headers under $nodedir/include/node: node-gyp would try to download them"
  fi
fi

rm -f "$STAMP"
mkdir -p "$CACHE"
cd "$CACHE"
cp -f "$DEPS/package.json" "$DEPS/package-lock.json" .

log "npm ci --ignore-scripts (code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION, from code-server-deps/package-lock.json)"
npm ci --no-audit --no-fund --ignore-scripts >&2
grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CS/package.json" || { log "code-server is not $CODE_SERVER_VERSION"; exit 1; }

# What code-server's postinstall.sh does, minus the ripgrep download.
cd "$CS/lib/vscode"
log "lib/vscode: npm install --omit=dev --ignore-scripts"
npm install --no-audit --no-fund --unsafe-perm --omit=dev --ignore-scripts >&2
mkdir -p node_modules/@vscode/ripgrep/bin
cp -f "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
for gyp in node_modules/*/binding.gyp node_modules/@*/*/binding.gyp; do
  [ -f "$gyp" ] || continue
  d="$(dirname "$gyp")"
  if ls "$d"/build/Release/*.node >/dev/null 2>&1; then continue; fi
  log "node-gyp rebuild in $d"
  (cd "$d" && npx --yes node-gyp rebuild >&2)
done
[ -e node_modules.asar ] || ln -s node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
log "lib/vscode/extensions: npm install --omit=dev --ignore-scripts"
(cd extensions && npm install --no-audit --no-fund --unsafe-perm --omit=dev --ignore-scripts >&2)

# argon2 is hoisted to the cache's node_modules (or nested under code-server's): build it where it is.
for a in "$CACHE/node_modules/argon2" "$CS/node_modules/argon2"; do
  [ -f "$a/binding.gyp" ] || continue
  if ! (cd "$CACHE" && node -e "require('$a')" 2>/dev/null); then
    log "argon2: node-pre-gyp rebuild --build-from-source in $a"
    (cd "$a" && npx --yes node-pre-gyp rebuild --build-from-source >&2)
  fi
done
(cd "$CACHE" && node -e "require(require.resolve('argon2', {paths: ['$CS']}))") || { log "argon2 does not load"; exit 1; }

touch "$STAMP"
log "done"
echo "$CACHE/node_modules/.bin/code-server"

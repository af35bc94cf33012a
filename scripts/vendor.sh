#!/usr/bin/env bash
# Vendor front-end assets from npm into kyokan/static/vendor/ so that nobody
# who runs or deploys kyokan needs Node.js. Only this script needs npm.
#
#   make vendor        (or: bash scripts/vendor.sh)
#
# The npm registry is whatever npm is configured to use; no host is
# hard-coded here. The script is idempotent: each vendored folder is removed
# and recreated from the pinned tarball on every run.
set -euo pipefail

TOKENS_PKG="@digital-go-jp/design-tokens"
TOKENS_VERSION="1.1.9"
HTMX_PKG="htmx.org"
HTMX_VERSION="2.0.8"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR_DIR="${ROOT}/kyokan/static/vendor"
TOKENS_DEST="${VENDOR_DIR}/design-tokens-${TOKENS_VERSION}"
HTMX_DEST="${VENDOR_DIR}/htmx-${HTMX_VERSION}"

command -v npm >/dev/null 2>&1 || { echo "vendor.sh: npm is required (only for vendoring)" >&2; exit 1; }
command -v tar >/dev/null 2>&1 || { echo "vendor.sh: tar is required" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kyokan-vendor.XXXXXX")"
trap 'rm -rf "${WORK}"' EXIT

# fetch_and_unpack <package> <version> <dir-name>
# Downloads the exact tarball with `npm pack` and unpacks it to $WORK/<dir-name>/package.
fetch_and_unpack() {
    local pkg="$1" version="$2" name="$3" tarball
    mkdir -p "${WORK}/${name}"
    tarball="$(cd "${WORK}" && npm pack --silent "${pkg}@${version}" | tail -n 1)"
    if [[ ! -f "${WORK}/${tarball}" ]]; then
        echo "vendor.sh: npm pack did not produce a tarball for ${pkg}@${version}" >&2
        exit 1
    fi
    tar -xzf "${WORK}/${tarball}" -C "${WORK}/${name}"
    # Guard against a wrong version slipping through.
    local got
    got="$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "${WORK}/${name}/package/package.json" | head -n 1)"
    if [[ "${got}" != "${version}" ]]; then
        echo "vendor.sh: expected ${pkg}@${version}, got ${got}" >&2
        exit 1
    fi
}

# copy_file <src> <dest-dir>
copy_file() {
    if [[ ! -f "$1" ]]; then
        echo "vendor.sh: missing expected file $1" >&2
        exit 1
    fi
    cp "$1" "$2/"
}

report() {
    local dir="$1" f
    for f in "${dir}"/*; do
        printf '  %s  %8s bytes  sha256:%s\n' \
            "${f#"${ROOT}/"}" "$(wc -c <"${f}" | tr -d ' ')" "$(sha256sum "${f}" | cut -d' ' -f1)"
    done
}

# --- デジタル庁デザインシステム design tokens (MIT) -------------------------
fetch_and_unpack "${TOKENS_PKG}" "${TOKENS_VERSION}" tokens
TOKENS_SRC="${WORK}/tokens/package"
rm -rf "${TOKENS_DEST}"
mkdir -p "${TOKENS_DEST}"
copy_file "${TOKENS_SRC}/dist/tokens.css" "${TOKENS_DEST}"
copy_file "${TOKENS_SRC}/LICENSE" "${TOKENS_DEST}"
copy_file "${TOKENS_SRC}/README.md" "${TOKENS_DEST}"

# --- htmx 2.x (0BSD) ---------------------------------------------------------
fetch_and_unpack "${HTMX_PKG}" "${HTMX_VERSION}" htmx
HTMX_SRC="${WORK}/htmx/package"
rm -rf "${HTMX_DEST}"
mkdir -p "${HTMX_DEST}"
copy_file "${HTMX_SRC}/dist/htmx.min.js" "${HTMX_DEST}"
copy_file "${HTMX_SRC}/LICENSE" "${HTMX_DEST}"

echo "Vendored ${TOKENS_PKG}@${TOKENS_VERSION} -> ${TOKENS_DEST#"${ROOT}/"}/"
report "${TOKENS_DEST}"
echo "Vendored ${HTMX_PKG}@${HTMX_VERSION} -> ${HTMX_DEST#"${ROOT}/"}/"
report "${HTMX_DEST}"

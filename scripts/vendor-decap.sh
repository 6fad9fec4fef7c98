#!/bin/sh
# Refresh the web editor's bundle (/admin/) from the npm registry:
#   sh scripts/vendor-decap.sh 3.16.3
# Downloads decap-cms@VERSION with `npm pack`, checks the tarball against the registry's
# integrity, and keeps its prebuilt browser files (no source maps) in theme/admin/decap-cms/.
# The site build copies them into output/admin/: building needs neither Node nor the network.
set -eu
VERSION=${1:?usage: sh scripts/vendor-decap.sh VERSION}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "decap-cms@$VERSION" >/dev/null
TARBALL="decap-cms-$VERSION.tgz"
EXPECTED=$(npm view "decap-cms@$VERSION" dist.integrity)
ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | openssl base64 -A)"
[ "$EXPECTED" = "$ACTUAL" ] || { echo "integrity mismatch: $ACTUAL != $EXPECTED" >&2; exit 1; }
tar xzf "$TARBALL"
TARGET="$ROOT/theme/admin/decap-cms"
rm -rf "$TARGET"
mkdir -p "$TARGET"
cp package/dist/decap-cms.js package/dist/*.decap-cms.js "$TARGET/"
{
  echo "decap-cms $VERSION (MIT licence, https://github.com/decaporg/decap-cms)"
  echo "npm integrity $EXPECTED"
  echo "files: the package's dist/decap-cms.js and its chunks, without source maps"
} >"$TARGET/SOURCE.txt"
(cd "$TARGET" && sha256sum -- *.js >SHA256SUMS)
echo "theme/admin/decap-cms: decap-cms $VERSION, $(ls "$TARGET"/*.js | wc -l) files"

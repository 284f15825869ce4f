#!/bin/sh
# fetch.sh DEST: downloads the pinned tree-sitter-markdown tarball from npm,
# checks it against grammars/grammar.lock and unpacks it into DEST (outside
# the tracked tree). Does nothing when DEST already holds that checksum.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: fetch.sh DEST}
lock="$here/grammar.lock"
pkg=$(sed -n 's/^package=//p' "$lock")
ver=$(sed -n 's/^version=//p' "$lock")
sum=$(sed -n 's/^sha256=//p' "$lock")

if [ -f "$dest/.sha256" ] && [ "$(cat "$dest/.sha256")" = "$sum" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "fetch.sh: npm is needed to fetch $pkg@$ver (apt-get install npm)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetching $pkg@$ver from npm" >&2
(cd "$tmp" && npm pack --silent "$pkg@$ver" >/dev/null 2>"$tmp/npm.log") || {
    cat "$tmp/npm.log" >&2
    echo "fetch.sh: npm pack $pkg@$ver failed" >&2
    exit 1
}
tgz=$(ls "$tmp"/*.tgz)
got=$(sha256sum "$tgz" | cut -d' ' -f1)
if [ "$got" != "$sum" ]; then
    echo "fetch.sh: checksum mismatch for $pkg@$ver: got $got, want $sum" >&2
    exit 1
fi
rm -rf "$dest"
mkdir -p "$dest"
tar -xzf "$tgz" -C "$dest" --strip-components=1 \
    package/tree-sitter-markdown/src package/tree-sitter-markdown-inline/src package/LICENSE
echo "$sum" > "$dest/.sha256"

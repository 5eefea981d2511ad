#!/usr/bin/env bash
# Builds SeaweedFS's `weed` into .tools/weed for the deploy tests (the
# S3-compatible store they deploy to), unless it is already there.
# `go install` refuses the module's replace directives, so the module is
# downloaded and built inside a writable copy.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
VERSION=v0.0.0-20261109003541-7506e5f91cd6
OUT=.tools/weed
if [ -x "$OUT" ] && [ "$(cat .tools/weed.version 2>/dev/null)" = "$VERSION" ]; then
	exit 0
fi
mkdir -p .tools
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
src=$(cd "$work" && GOFLAGS=-mod=mod "$GO" mod download -json "github.com/seaweedfs/seaweedfs@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cp -r "$src" "$work/seaweedfs"
chmod -R u+w "$work/seaweedfs"
echo "building SeaweedFS $VERSION into $OUT (a few minutes)" >&2
(cd "$work/seaweedfs" && "$GO" build -o "$OLDPWD/$OUT" ./weed)
echo "$VERSION" > .tools/weed.version

#!/usr/bin/env bash
# Builds the DocC documentation of every library product in one
# `swift package generate-documentation` run and fails if anything in it warns: an
# unresolved symbol link, an undocumented parameter, a topic that names nothing, a
# compiler warning. The archives go to a temporary folder that is removed afterwards.
#
# With DATAFOLIO_WITHOUT_NETWORK=1 the networking module is not part of the package, so
# its documentation is not built either. DOCS_SCRATCH_PATH chooses the build folder
# (default .build, so that a later `swift build` reuses what this one compiled).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${DOCS_SCRATCH_PATH:-.build}"
out="$(mktemp -d)"
log="$out/generate-documentation.log"
trap 'rm -rf "$out"' EXIT

# The targets of the library products, as the manifest declares them.
targets=$(swift package --scratch-path "$scratch" dump-package | python3 -c '
import json, sys
package = json.load(sys.stdin)
names = []
for product in package["products"]:
    if "library" in product["type"]:
        names += [t for t in product["targets"] if t not in names]
print(" ".join(names))
')
target_options=()
for target in $targets; do
    target_options+=(--target "$target")
done
echo "== Documentation of: $targets"

start=$(date +%s)
status=0
swift package --scratch-path "$scratch" --allow-writing-to-directory "$out" \
    generate-documentation "${target_options[@]}" \
    --output-path "$out/archives" --disable-indexing 2>&1 | tee "$log" || status=$?
echo "== Documentation: $(( $(date +%s) - start )) s"

if [ "$status" -ne 0 ]; then
    echo "generate-documentation failed (exit status $status)." >&2
    exit "$status"
fi
# Every warning counts, except SwiftPM's notes about files in the dependencies' own
# checkouts (the notice names the package, and the file on the next line).
warnings=$(python3 - "$log" "$scratch" <<'PY'
import os, re, sys
lines = open(sys.argv[1], errors="replace").read().splitlines()
checkouts = os.path.join(os.path.abspath(sys.argv[2]), "checkouts") + os.sep
for index, line in enumerate(lines):
    if "warning:" not in line:
        continue
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if re.search(r"warning: '[^']+': found \d+ file\(s\) which are unhandled", line) \
            and following.strip().startswith(checkouts):
        continue
    print("\n".join(lines[index:index + 4]))
PY
)
if [ -n "$warnings" ]; then
    echo "The documentation has warnings:" >&2
    echo "$warnings" >&2
    exit 1
fi
echo "== Documentation: no warnings"

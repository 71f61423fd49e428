#!/usr/bin/env bash
# Builds one tiny client program per library product (Examples/ProductClients), each
# depending on that product alone, and runs them. A product that needs something it
# does not export, or that leaks a `package` symbol into its API, fails to build here.
# S3Client (DataFolioS3) is built only when networking is on; it needs no server.
set -euo pipefail
cd "$(dirname "$0")/../Examples/ProductClients"
scratch="${PRODUCT_CLIENTS_SCRATCH:-.build}"
swift build --scratch-path "$scratch"
bin="$(swift build --scratch-path "$scratch" --show-bin-path)"
for client in $(ls Sources); do
    # DataFolioS3 is left out of builds without networking (DATAFOLIO_WITHOUT_NETWORK=1).
    if [ "$client" = "S3Client" ] && [ "${DATAFOLIO_WITHOUT_NETWORK:-}" = "1" ]; then
        continue
    fi
    "$bin/$client"
done

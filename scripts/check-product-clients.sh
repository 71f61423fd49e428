#!/usr/bin/env bash
# Builds one tiny client program per library product (Examples/ProductClients), each
# depending on that product alone, and runs them. A product that needs something it
# does not export, or that leaks a `package` symbol into its API, fails to build here.
set -euo pipefail
cd "$(dirname "$0")/../Examples/ProductClients"
scratch="${PRODUCT_CLIENTS_SCRATCH:-.build}"
swift build --scratch-path "$scratch"
bin="$(swift build --scratch-path "$scratch" --show-bin-path)"
for client in $(ls Sources); do
    "$bin/$client"
done

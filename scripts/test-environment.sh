# Prepares what the tests run against and exports where it is. Sourced by
# scripts/test.sh and .ci/sanitizers; safe to source again.
#
# The Python virtual environment (.venv-interop/) is created on the first run and reused
# while scripts/requirements-interop.txt is unchanged. datafolio 1.3.0 (the old three-file
# layout) is installed next to it in .venv-interop/datafolio-1.3.0 and loaded through
# PYTHONPATH by the tests that need it.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-interop"
requirements="$root/scripts/requirements-interop.txt"
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"

if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Preparing the Python environment for interop tests (first run: several minutes)..."
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    rm -rf "$venv/datafolio-1.3.0"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
        --target "$venv/datafolio-1.3.0" datafolio==1.3.0
    echo "$wanted" > "$stamp"
fi

# The report tests open reports in a real browser: Debian's chromium package.
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing chromium for the report tests..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    else
        echo "chromium is missing and cannot be installed here (needs root and apt-get); the browser tests will fail." >&2
    fi
fi

export DATAFOLIO_TEST_PYTHON="$venv/bin/python"
export DATAFOLIO_TEST_OLD_DATAFOLIO="$venv/datafolio-1.3.0"
export DATAFOLIO_REQUIRE_INTEROP=1

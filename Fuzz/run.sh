#!/usr/bin/env bash
# Fuzz orch's lexer, parser and screen classifier with libFuzzer for a bounded time.
# Usage: Fuzz/run.sh [SECONDS]        run for SECONDS (default 60)
#        Fuzz/run.sh --runs N         run exactly N inputs, however long that takes
# New interesting inputs land in .build-fuzz/new/; a crash or hang is written to Fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == --runs ]]; then
    limit=(-runs="${2:?--runs needs a count}")
else
    limit=(-max_total_time="${1:-60}")
fi
out=.build-fuzz
mkdir -p "$out"
sources=(Sources/OrchCore/Language/*.swift Sources/OrchCore/Support/NearestWord.swift
         Sources/OrchCore/Agents/AgentState.swift Sources/OrchCore/Agents/AgentProfile*.swift
         Sources/OrchCore/Agents/Screen*.swift Sources/OrchCore/Agents/PromptBox.swift
         Sources/OrchCore/Agents/EscapeStripper.swift Sources/OrchCore/Agents/ArraySlice+ByteSearch.swift)
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name OrchFuzz \
    "${sources[@]}" Fuzz/FuzzTarget.swift -o "$out/orch-fuzz"
mkdir -p Fuzz/corpus "$out/new"
# Swift's global tables (the profiles) are built once and kept for the process's life, which
# LeakSanitizer would report as leaks: leak detection is off; AddressSanitizer stays on.
ASAN_OPTIONS=detect_leaks=0 "$out/orch-fuzz" "${limit[@]}" -max_len=4096 -timeout=5 \
    -artifact_prefix=Fuzz/corpus/ "$out/new" Fuzz/corpus

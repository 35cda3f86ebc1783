#!/usr/bin/env python3
"""A fake LLM server for driving the real agent CLIs (Codex 0.147, Aider 0.86) offline.

Python 3 standard library only. Listens on 127.0.0.1 only.

    python3 fake_llm.py [--port 0] [--port-file PATH] [--log PATH] [--log-bodies]

Endpoints
  POST /v1/responses          OpenAI Responses API, `stream: true` (Codex): SSE events
                              response.created, response.output_item.added,
                              response.output_text.delta (repeated), response.output_item.done,
                              response.completed (with usage). The connection closes after it.
  POST /v1/chat/completions   chat.completion.chunk SSE ending `data: [DONE]` (Aider / litellm);
                              a non-streaming request gets one chat.completion object.
  GET  /v1/models             a one-model list (`fake`, `fake-model`).
  anything else               404 (logged with api "other").

The user's text
  Codex: the `input_text` of the last `message` item with role `user` in `input`.
  Aider: the last user message, cut before "\\n\\n# *SEARCH/REPLACE block* Rules:" (Aider appends
  its edit-format rules there), and stripped.

Markers in the user's text script the turn (any order, anywhere in the text):
  [delay=1s]       wait this long before the first byte of the reply stream (default 0)
  [stream=2s]      spread the text deltas evenly over this long (default 0: all at once)
  [lines=N]        N lines of reply text (default 1)
  [call=touch x]   Codex: reply with a function call to its shell tool running `touch x`
                   (`exec_command` {"cmd": ...} when the request offers it, else `shell_command`
                   {"command": ...}, else `shell` {"command": ["bash","-lc",...]}); with
                   approval_policy = "untrusted" Codex asks before running it. When the next
                   request's last input item is that call's output, the reply is text (the end
                   of the tool turn): line 1 is `ran <cmd> for: <words>`, then the usual lines.
  [edit=NAME]      Aider: the reply text, then a SEARCH/REPLACE block creating file NAME whose
                   content is `created NAME`; Aider then asks `Create new file? (Y)es/(N)o [Yes]:`.
  [error=500]      answer with this HTTP status and a JSON error body, no stream.
  [mcp=send {"agent":"amp","text":"hi"}]
                   Codex: a function call to the MCP tool of that name (the offered tool whose name
                   is it or ends in `__` + it, e.g. `mcp__orch__send`) with those arguments. Several
                   such markers run in order, one call per request: the next when the last input item
                   is the previous call's output. Then the text: one line `TOOL said: <first line of
                   its output>` per call, then the usual lines. The log gets `tool_outputs`.
Durations: `2s`, `500ms`, `1.5` (seconds), `1m`.

The reply text is deterministic: line i (1-based) is `reply i to: <words>`, where <words> are the
first six words of the user's text with the markers removed (`(no words)` if none).

The log (--log PATH) gets one JSON object per request, appended (flush + fsync) only after the
response has been written completely and the write side of the socket shut down, so a reader
that sees the line knows the stream is over:
  seq, api (responses|chat|models|other), method, path, status, kind (text|call|edit|error|
  followup|models|other), user_text, reply_text, call (the command, for kind call), tools (tool
  names offered, responses only), last_input_type, markers,
  start_wall_ms / end_wall_ms        (time.time_ns() // 1e6: request read / stream ended)
  first_byte_wall_ms                 (after the delay: the first SSE event written)
  start_boot_ms / end_boot_ms        CLOCK_BOOTTIME milliseconds (Swift ContinuousClock on Linux)
  start_mono_ms / end_mono_ms        CLOCK_MONOTONIC milliseconds
  body (only with --log-bodies): the parsed request body.
"""

import argparse
import json
import os
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AIDER_RULES = "\n\n# *SEARCH/REPLACE block* Rules:"
MARKER = re.compile(r"\[(delay|stream|lines|call|edit|error|mcp)=([^\]]*)\]")
# [mcp=TOOL {"json": "arguments"}]: Codex calls that MCP tool (several run in order, one per request)
MCP_MARKER = re.compile(r"\[mcp=([A-Za-z0-9_-]+)\s*(\{[^\]]*\})?\]")

LOG_LOCK = threading.Lock()
SEQ_LOCK = threading.Lock()
SEQ = [0]
OPTIONS = argparse.Namespace(log=None, log_bodies=False)


def now_ms():
    return {
        "wall": time.time_ns() // 1_000_000,
        "boot": time.clock_gettime_ns(getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)) // 1_000_000,
        "mono": time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1_000_000,
    }


def parse_duration(text):
    text = text.strip().lower()
    try:
        if text.endswith("ms"):
            return float(text[:-2]) / 1000.0
        if text.endswith("s"):
            return float(text[:-1])
        if text.endswith("m"):
            return float(text[:-1]) * 60.0
        return float(text)
    except ValueError:
        return 0.0


def parse_markers(text):
    markers = {}
    for name, value in MARKER.findall(text or ""):
        markers[name] = value.strip()
    return markers


def words_of(text):
    words = MARKER.sub(" ", text or "").split()
    return " ".join(words[:6]) if words else "(no words)"


def reply_lines(user_text, count):
    words = words_of(user_text)
    return ["reply %d to: %s" % (i, words) for i in range(1, count + 1)]


def chunks_of(text):
    """Word-sized pieces (each keeps its trailing whitespace) whose concatenation is `text`."""
    pieces = re.findall(r"\S+\s*|\s+", text)
    return pieces or [text]


def content_text(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, str):
                parts.append(part)
        return "".join(parts)
    return ""


def tool_outputs_since_user(items):
    """The text of each tool call output after the last user message, in order."""
    last_user = -1
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("type", "message") == "message" and item.get("role") == "user":
            last_user = index
    outputs = []
    for item in items[last_user + 1:]:
        if isinstance(item, dict) and item.get("type") in ("function_call_output", "custom_tool_call_output"):
            output = item.get("output")
            if isinstance(output, dict):
                output = output.get("content") or output.get("text") or json.dumps(output)
            outputs.append(output if isinstance(output, str) else content_text(output) or json.dumps(output))
    return outputs


def mcp_tool_name(tools, tool):
    """The offered tool name for MCP tool `tool`: itself, or one ending in `__tool`."""
    for name in tools:  # a namespaced one (mcp__orch__send) is listed after the plain ones
        if isinstance(name, str) and name.endswith("__" + tool):
            return name
    for name in tools:
        if name == tool:
            return name
    return "mcp__orch__" + tool


class Plan:
    """What to answer: decided from the markers and the conversation."""

    def __init__(self, user_text):
        self.user_text = user_text
        self.markers = parse_markers(user_text)
        self.delay = parse_duration(self.markers.get("delay", "0"))
        self.stream = parse_duration(self.markers.get("stream", "0"))
        try:
            self.lines = max(1, int(self.markers.get("lines", "1")))
        except ValueError:
            self.lines = 1
        self.error = None
        if "error" in self.markers:
            try:
                self.error = int(self.markers["error"])
            except ValueError:
                self.error = 500
        self.kind = "text"
        self.call = None
        self.text = "\n".join(reply_lines(user_text, self.lines))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; closing ends the stream
    server_version = "fake-llm/1"

    def log_message(self, format, *args):  # keep stderr quiet
        pass

    # ---- plumbing -------------------------------------------------------------------------

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if raw and "zstd" in (self.headers.get("Content-Encoding") or ""):
            raise ValueError("zstd request bodies are not supported")
        try:
            return json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            return {}

    def start_sse(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()

    def write(self, data):
        self.wfile.write(data.encode("utf-8"))
        self.wfile.flush()

    def finish_stream(self):
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def send_json(self, status, obj):
        body = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.finish_stream()

    def record(self, entry):
        with SEQ_LOCK:
            SEQ[0] += 1
            entry["seq"] = SEQ[0]
        if not OPTIONS.log:
            return
        line = json.dumps(entry, sort_keys=True) + "\n"
        with LOG_LOCK:
            with open(OPTIONS.log, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())

    def base_entry(self, api, start):
        return {
            "api": api,
            "method": self.command,
            "path": self.path,
            "start_wall_ms": start["wall"],
            "start_boot_ms": start["boot"],
            "start_mono_ms": start["mono"],
        }

    def end_entry(self, entry, status, first_byte=None):
        end = now_ms()
        entry["status"] = status
        entry["end_wall_ms"] = end["wall"]
        entry["end_boot_ms"] = end["boot"]
        entry["end_mono_ms"] = end["mono"]
        entry["first_byte_wall_ms"] = first_byte
        self.record(entry)

    def paced(self, pieces, seconds, emit):
        """Calls emit(piece) for each piece, spread evenly so the last one lands at `seconds`."""
        begin = time.monotonic()
        count = len(pieces)
        for index, piece in enumerate(pieces):
            if seconds > 0 and count > 1:
                target = begin + seconds * index / (count - 1)
                pause = target - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
            emit(piece)

    # ---- routes ---------------------------------------------------------------------------

    def do_GET(self):
        start = now_ms()
        path = self.path.split("?")[0].rstrip("/")
        if path.endswith("/models"):
            entry = self.base_entry("models", start)
            entry["kind"] = "models"
            models = [{"id": name, "object": "model", "created": 0, "owned_by": "fake"}
                      for name in ("fake", "fake-model")]
            self.send_json(200, {"object": "list", "data": models, "models": []})
            self.end_entry(entry, 200)
            return
        entry = self.base_entry("other", start)
        entry["kind"] = "other"
        self.send_json(404, {"error": {"message": "not found", "type": "not_found"}})
        self.end_entry(entry, 404)

    def do_POST(self):
        start = now_ms()
        path = self.path.split("?")[0].rstrip("/")
        try:
            body = self.read_body()
        except ValueError as error:
            entry = self.base_entry("other", start)
            entry["kind"] = "error"
            self.send_json(415, {"error": {"message": str(error)}})
            self.end_entry(entry, 415)
            return
        if path.endswith("/responses"):
            self.serve_responses(body, start)
        elif path.endswith("/chat/completions"):
            self.serve_chat(body, start)
        else:
            entry = self.base_entry("other", start)
            entry["kind"] = "other"
            self.send_json(404, {"error": {"message": "not found", "type": "not_found"}})
            self.end_entry(entry, 404)

    def error_reply(self, entry, plan):
        entry["kind"] = "error"
        entry["reply_text"] = ""
        if plan.delay > 0:
            time.sleep(plan.delay)
        status = plan.error
        self.send_json(status, {"error": {
            "message": "fake error %d" % status, "type": "server_error", "code": "fake_error_%d" % status}})
        self.end_entry(entry, status)

    # Codex: the Responses API.
    def serve_responses(self, body, start):
        entry = self.base_entry("responses", start)
        items = body.get("input") or []
        if not isinstance(items, list):
            items = []
        user_text = ""
        for item in items:
            if isinstance(item, dict) and item.get("type", "message") == "message" and item.get("role") == "user":
                user_text = content_text(item.get("content"))
        last = items[-1] if items else {}
        last_type = last.get("type") if isinstance(last, dict) else None
        tools = []
        namespaced = {}  # "namespace__tool" -> (namespace, tool): Codex offers MCP tools in a namespace
        for tool in body.get("tools") or []:
            if isinstance(tool, dict):
                tools.append(tool.get("name") or (tool.get("function") or {}).get("name") or tool.get("type"))
                if tool.get("type") == "namespace":
                    for inner in tool.get("tools") or []:
                        if isinstance(inner, dict) and inner.get("name"):
                            namespaced["%s__%s" % (tool.get("name"), inner["name"])] = (tool.get("name"), inner["name"])
        tools += sorted(namespaced)
        plan = Plan(user_text)
        entry.update({"user_text": user_text, "tools": tools, "last_input_type": last_type,
                      "markers": plan.markers})
        if OPTIONS.log_bodies:
            entry["body"] = body
        if plan.error:
            self.error_reply(entry, plan)
            return

        followup = last_type in ("function_call_output", "custom_tool_call_output", "local_shell_call_output")
        mcp_calls = MCP_MARKER.findall(user_text)
        mcp_call = None
        if mcp_calls:
            outputs = tool_outputs_since_user(items)
            entry["tool_outputs"] = outputs
            if len(outputs) < len(mcp_calls):
                plan.kind = "call"
                mcp_call = mcp_calls[len(outputs)]
            else:
                plan.kind = "followup"
                said = ["%s said: %s" % (tool, (output.strip().splitlines() or ["(nothing)"])[0])
                        for (tool, _), output in zip(mcp_calls, outputs)]
                plan.text = "\n".join(said + reply_lines(user_text, plan.lines))
        elif "call" in plan.markers and not followup:
            plan.kind = "call"
            plan.call = plan.markers["call"]
        elif "call" in plan.markers and followup:
            plan.kind = "followup"
            plan.text = "\n".join(["ran %s for: %s" % (plan.markers["call"], words_of(user_text))]
                                  + reply_lines(user_text, plan.lines))

        seq_hint = "%d%06d" % (os.getpid(), int(time.time() * 1000) % 1000000)
        response_id = "resp_" + seq_hint
        message_id = "msg_" + seq_hint
        if plan.delay > 0:
            time.sleep(plan.delay)
        self.start_sse()
        first_byte = now_ms()["wall"]

        def event(obj):
            self.write("event: %s\ndata: %s\n\n" % (obj["type"], json.dumps(obj)))

        event({"type": "response.created", "response": {"id": response_id, "status": "in_progress"}})
        if plan.kind == "call":
            call_id = "call_" + seq_hint
            namespace = None
            if mcp_call:
                name, arguments = mcp_tool_name(tools, mcp_call[0]), mcp_call[1] or "{}"
                if name in namespaced:
                    namespace, name = namespaced[name]
                plan.call = "mcp " + mcp_call[0]
            else:
                name, arguments = shell_call(tools, plan.call)
            item = {"type": "function_call", "id": "fc_" + seq_hint, "call_id": call_id, "name": name,
                    "arguments": arguments, "status": "completed"}
            if namespace:
                item["namespace"] = namespace
            event({"type": "response.output_item.done", "output_index": 0, "item": item})
            entry["call"] = plan.call
            entry["tool"] = name
            entry["reply_text"] = ""
        else:
            event({"type": "response.output_item.added", "output_index": 0, "item": {
                "type": "message", "role": "assistant", "id": message_id, "status": "in_progress",
                "content": []}})

            def delta(piece):
                event({"type": "response.output_text.delta", "item_id": message_id, "output_index": 0,
                       "content_index": 0, "delta": piece})

            self.paced(chunks_of(plan.text), plan.stream, delta)
            event({"type": "response.output_item.done", "output_index": 0, "item": {
                "type": "message", "role": "assistant", "id": message_id, "status": "completed",
                "content": [{"type": "output_text", "text": plan.text, "annotations": []}]}})
            entry["reply_text"] = plan.text
        tokens = max(1, len(plan.text.split()))
        event({"type": "response.completed", "response": {
            "id": response_id, "status": "completed",
            "usage": {"input_tokens": 10, "input_tokens_details": {"cached_tokens": 0},
                      "output_tokens": tokens, "output_tokens_details": {"reasoning_tokens": 0},
                      "total_tokens": 10 + tokens}}})
        self.finish_stream()
        entry["kind"] = plan.kind
        self.end_entry(entry, 200, first_byte)

    # Aider: chat completions.
    def serve_chat(self, body, start):
        entry = self.base_entry("chat", start)
        messages = body.get("messages") or []
        raw = ""
        for message in messages:
            if isinstance(message, dict) and message.get("role") == "user":
                raw = content_text(message.get("content"))
        user_text = raw.split(AIDER_RULES, 1)[0].strip()
        plan = Plan(user_text)
        entry.update({"user_text": user_text, "markers": plan.markers,
                      "rules_appended": AIDER_RULES in raw})
        if OPTIONS.log_bodies:
            entry["body"] = body
        if plan.error:
            self.error_reply(entry, plan)
            return
        text = plan.text
        if "edit" in plan.markers:
            name = plan.markers["edit"] or "new_file.txt"
            plan.kind = "edit"
            text = (text + "\n\n" + name + "\n```\n<<<<<<< SEARCH\n=======\ncreated " + name
                    + "\n>>>>>>> REPLACE\n```\n")
        entry["reply_text"] = text
        model = body.get("model") or "fake"
        created = int(time.time())
        chunk_id = "chatcmpl-%d%d" % (os.getpid(), time.time_ns() % 1000000)
        tokens = max(1, len(text.split()))
        usage = {"prompt_tokens": 10, "completion_tokens": tokens, "total_tokens": 10 + tokens}
        if plan.delay > 0:
            time.sleep(plan.delay)
        if not body.get("stream"):
            first_byte = now_ms()["wall"]
            self.send_json(200, {"id": chunk_id, "object": "chat.completion", "created": created, "model": model,
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                              "finish_reason": "stop"}], "usage": usage})
            entry["kind"] = plan.kind
            self.end_entry(entry, 200, first_byte)
            return
        self.start_sse()
        first_byte = now_ms()["wall"]

        def chunk(delta, finish=None, with_usage=False):
            obj = {"id": chunk_id, "object": "chat.completion.chunk", "created": created, "model": model,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            if with_usage:
                obj["usage"] = usage
            self.write("data: %s\n\n" % json.dumps(obj))

        chunk({"role": "assistant", "content": ""})
        self.paced(chunks_of(text), plan.stream, lambda piece: chunk({"content": piece}))
        chunk({}, finish="stop", with_usage=True)
        self.write("data: [DONE]\n\n")
        self.finish_stream()
        entry["kind"] = plan.kind
        self.end_entry(entry, 200, first_byte)


def shell_call(tools, command):
    """The (name, JSON arguments) of a call to Codex's shell tool, as the request offers it."""
    if "exec_command" in tools or not tools:
        return "exec_command", json.dumps({"cmd": command})
    if "shell_command" in tools:
        return "shell_command", json.dumps({"command": command})
    if "shell" in tools:
        return "shell", json.dumps({"command": ["bash", "-lc", command]})
    return "exec_command", json.dumps({"cmd": command})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--log")
    parser.add_argument("--log-bodies", action="store_true")
    options = parser.parse_args()
    OPTIONS.log = options.log
    OPTIONS.log_bodies = options.log_bodies
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if options.port_file:
        temporary = options.port_file + ".tmp"
        with open(temporary, "w") as handle:
            handle.write("%d\n" % port)
        os.replace(temporary, options.port_file)  # a reader never sees half a number
    sys.stdout.write("fake_llm listening on 127.0.0.1:%d\n" % port)
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

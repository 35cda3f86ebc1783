#!/usr/bin/env python3
"""Measures how real Codex 0.147 and Aider 0.86 behave in tmux, in the RealAgentRig's layout.

    python3 Tests/RealAgents/measure_real_agents.py [--venv DIR] [--screens DIR] [--only codex|aider]

Starts fake_llm.py, a private tmux server (session moana-orchestration, 120x40 panes, window 5
codex, 6 aider, configured as Tests/OrchCoreTests/Support/RealAgents.swift does) and a control
client (`tmux -C attach`) whose `%output` lines are timestamped on arrival. Prints JSON results:
  idle_10s        %output lines of the pane and #{window_activity} changes in 10 s of idling
  turn            a `[delay=3s][stream=3s][lines=10]` turn: longest gap between outputs before the
                  first byte (working) and during streaming; stream end -> last output of the pane
  cursor          #{cursor_x} #{cursor_y} typed-not-submitted, 50 ms and 300 ms after Enter, and
                  (polled every 10 ms) while the submitted prompt is still the last line
  activity        whether #{window_activity} (seconds) followed the outputs, monitor-activity off
  hooks (codex)   notify and hooks.json events with their delay after the fake server's stream end
With --screens DIR it saves captures (plain and -e) of the states it passes through.
Python 3 standard library only; talks to 127.0.0.1 only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SESSION = "moana-orchestration"
HOOK_EVENTS = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest", "PostToolUse", "Stop",
               "PreCompact", "PostCompact", "SessionEnd", "SubagentStart", "SubagentStop"]


def now_ms():
    return time.time_ns() / 1e6


class Rig:
    def __init__(self, venv, hooks=False):
        self.venv = venv
        self.dir = os.path.realpath(tempfile.mkdtemp(prefix="orch-measure-"))
        self.sock = "orch-measure-%d" % os.getpid()
        self.work = os.path.join(self.dir, "work")
        self.codex_home = os.path.join(self.dir, "codex-home")
        self.home = os.path.join(self.dir, "home")
        for folder in (self.work, self.codex_home, self.home):
            os.makedirs(folder)
        self.llm_log = os.path.join(self.dir, "llm.jsonl")
        self.notify_log = os.path.join(self.dir, "notify.log")
        self.hooks_log = os.path.join(self.dir, "hooks.log")
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home, "LANG": "C.UTF-8",
                    "TERM": "xterm-256color", "USER": os.environ.get("USER", "root"), "TMPDIR": tempfile.gettempdir()}
        git = lambda *a: subprocess.run(["git", "-C", self.work] + list(a), check=True, env=self.env,
                                        stdout=subprocess.DEVNULL)
        git("init", "-q")
        git("config", "user.name", "Rig Tester")
        git("config", "user.email", "rig@example.invalid")
        with open(os.path.join(self.work, "README.md"), "w") as handle:
            handle.write("A throwaway repository for the real-agent tests.\n")
        git("add", "README.md")
        git("commit", "-q", "-m", "initial commit")
        port_file = os.path.join(self.dir, "llm.port")
        self.llm = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_llm.py"), "--port-file", port_file,
                                     "--log", self.llm_log], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while not os.path.exists(port_file) and time.time() < deadline:
            time.sleep(0.02)
        self.port = int(open(port_file).read())
        notify = os.path.join(self.dir, "notify.sh")
        with open(notify, "w") as handle:
            handle.write("#!/bin/sh\nprintf '%%s\\t%%s\\t%%s\\n' \"$(date +%%s%%3N)\" \"$TMUX_PANE\" \"$1\" >> '%s'\n"
                         % self.notify_log)
        hook = os.path.join(self.dir, "hook.sh")
        with open(hook, "w") as handle:
            handle.write("#!/bin/sh\npayload=$(tr -d '\\n')\nprintf '%%s\\t%%s\\t%%s\\t%%s\\n' \"$(date +%%s%%3N)\" \"$1\" "
                         "\"$TMUX_PANE\" \"$payload\" >> '%s'\nexit 0\n" % self.hooks_log)
        os.chmod(notify, 0o755)
        os.chmod(hook, 0o755)
        self.hooks = hooks
        config = [
            'model = "fake-model"', 'model_provider = "fake"', 'approval_policy = "untrusted"',
            'sandbox_mode = "danger-full-access"', "check_for_update_on_startup = false",
            'notify = ["%s"]' % notify, "", "[model_providers.fake]", 'name = "fake"',
            'base_url = "http://127.0.0.1:%d/v1"' % self.port, 'wire_api = "responses"',
            'env_key = "FAKE_LLM_API_KEY"', "request_max_retries = 0", "stream_max_retries = 0", "",
            "[analytics]", "enabled = false", "", '[projects."%s"]' % self.work, 'trust_level = "trusted"']
        if hooks:
            config += ["", "[features]", "hooks = true"]
            spec = {"hooks": {e: [{"hooks": [{"type": "command", "command": "%s %s" % (hook, e), "timeout": 10}]}]
                              for e in HOOK_EVENTS}}
            with open(os.path.join(self.codex_home, "hooks.json"), "w") as handle:
                json.dump(spec, handle, indent=1)
        with open(os.path.join(self.codex_home, "config.toml"), "w") as handle:
            handle.write("\n".join(config) + "\n")
        self.settings = os.path.join(self.dir, "aider-model-settings.yml")
        with open(self.settings, "w") as handle:
            handle.write("- name: openai/fake\n  edit_format: diff\n  use_repo_map: false\n  streaming: true\n")
        caches = os.path.join(self.home, ".aider", "caches")
        os.makedirs(caches)
        with open(os.path.join(caches, "model_prices_and_context_window.json"), "w") as handle:
            json.dump({"openai/fake": {"max_tokens": 8192, "max_input_tokens": 128000, "max_output_tokens": 8192,
                                       "input_cost_per_token": 0, "output_cost_per_token": 0,
                                       "litellm_provider": "openai", "mode": "chat"}}, handle)
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", SESSION, "-n", "main", "-x", "120", "-y", "40",
                  "-c", self.work, "sleep", "100000")
        self.tmux("set-option", "-g", "default-size", "120x40")
        self.tmux("set-option", "-g", "allow-rename", "off")
        self.tmux("set-option", "-g", "remain-on-exit", "on")
        for index, name in enumerate(["claude", "amp", "antigravity-proxy", "antigravity"], 1):
            self.window(index, name, {}, ["sleep", "100000"])
        self.outputs = []
        self.control = subprocess.Popen(["tmux", "-L", self.sock, "-C", "attach", "-t", SESSION],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=self.env)
        threading.Thread(target=self.read_control, daemon=True).start()

    def read_control(self):
        for raw in self.control.stdout:
            stamp = now_ms()
            line = raw.decode("utf-8", "replace")
            if line.startswith("%output "):
                pane, _, data = line[len("%output "):].partition(" ")
                self.outputs.append((stamp, pane, data.rstrip("\n")))

    def tmux(self, *args):
        result = subprocess.run(["tmux", "-L", self.sock] + list(args), env=self.env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("tmux %s: %s" % (args, result.stderr))
        return result.stdout

    def window(self, index, name, env, command):
        args = ["new-window", "-d", "-t", "%s:%d" % (SESSION, index), "-n", name, "-c", self.work]
        for key, value in sorted(env.items()):
            args += ["-e", "%s=%s" % (key, value)]
        self.tmux(*(args + command))
        self.tmux("resize-window", "-t", "=%s:%d" % (SESSION, index), "-x", "120", "-y", "40")

    def start_codex(self):
        command = [os.path.join(self.venv, "bin", "codex")]
        if self.hooks:
            command.append("--dangerously-bypass-hook-trust")
        self.window(5, "codex", {"CODEX_HOME": self.codex_home, "FAKE_LLM_API_KEY": "fake-key"}, command)

    def start_aider(self):
        command = [os.path.join(self.venv, "bin", "aider"), "--openai-api-base", "http://127.0.0.1:%d/v1" % self.port,
                   "--openai-api-key", "fake-key", "--model", "openai/fake", "--weak-model", "openai/fake",
                   "--model-settings-file", self.settings, "--no-check-update", "--no-analytics", "--no-gitignore",
                   "--no-show-model-warnings", "--no-show-release-notes", "--map-tokens", "0"]
        self.window(6, "aider", {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "AIDER_ANALYTICS": "false"}, command)

    def target(self, window):
        return "=%s:%s" % (SESSION, window)

    def capture(self, window, escapes=False):
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", self.target(window))

    def display(self, window, fmt):
        return self.tmux("display-message", "-p", "-t", self.target(window), fmt).strip()

    def requests(self):
        if not os.path.exists(self.llm_log):
            return []
        return [json.loads(line) for line in open(self.llm_log) if line.strip()]

    def wait(self, what, predicate, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return
            time.sleep(0.02)
        raise RuntimeError("timed out: " + what)

    def stop(self):
        try:
            self.control.stdin.close()
        except OSError:
            pass
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], env=self.env, capture_output=True)
        self.control.wait(timeout=5)
        self.llm.terminate()
        self.llm.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def codex_idle(screen):
    lines = [line for line in screen.split("\n")]
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return False
    footer = nonblank[-1]
    return (lines[footer].startswith("  fake-model") and " · " in lines[footer]
            and any(line.startswith("› ") for line in lines[max(0, footer - 4):footer])
            and "esc to interrupt" not in screen)


def aider_idle(screen):
    nonblank = [line for line in screen.split("\n") if line.strip()]
    return bool(nonblank) and nonblank[-1].strip() == ">"


def last_line(screen):
    nonblank = [line for line in screen.split("\n") if line.strip()]
    return nonblank[-1] if nonblank else ""


class Saver:
    def __init__(self, folder, rig):
        self.folder = folder
        self.rig = rig
        self.seen = set()
        self.counts = {}
        self.index = []

    def save(self, window, cli, state, what):
        if not self.folder:
            return
        plain = self.rig.capture(window)
        if plain in self.seen:
            return
        self.seen.add(plain)
        escaped = self.rig.capture(window, escapes=True)
        number = self.counts.get((cli, state), 0) + 1
        self.counts[(cli, state)] = number
        name = "%s-%s-%d" % (cli, state, number)
        with open(os.path.join(self.folder, name + ".txt"), "w") as handle:
            handle.write(plain)
        with open(os.path.join(self.folder, name + ".esc.txt"), "w") as handle:
            handle.write(escaped)
        self.index.append((name, what))


def gaps(times):
    return max((b - a for a, b in zip(times, times[1:])), default=None)


def measure(rig, cli, window, saver):
    idle = codex_idle if cli == "codex" else aider_idle
    start = time.time()
    rig.start_codex() if cli == "codex" else rig.start_aider()
    rig.wait(cli + " idle", lambda: idle(rig.capture(window)))
    result = {"start_to_idle_s": round(time.time() - start, 2)}
    pane = rig.display(window, "#{pane_id}")
    result["pane"] = pane
    result["size"] = rig.display(window, "#{pane_width}x#{pane_height}")
    saver.save(window, cli, "idle", "idle after start, nothing typed")
    time.sleep(1.0)

    # (a) idle 10 s
    mark = len(rig.outputs)
    activity = [rig.display(window, "#{window_activity}")]
    t_end = time.time() + 10
    while time.time() < t_end:
        time.sleep(0.5)
        activity.append(rig.display(window, "#{window_activity}"))
    idle_outputs = [o for o in rig.outputs[mark:] if o[1] == pane]
    result["idle_10s"] = {"output_lines": len(idle_outputs),
                          "output_bytes": sum(len(o[2]) for o in idle_outputs),
                          "window_activity_values": sorted(set(activity)),
                          "sample": [o[2][:80] for o in idle_outputs[:3]]}
    saver.save(window, cli, "idle", "idle 11 s after start (placeholder may rotate)")

    # (c) cursor while typed, then after Enter
    prompt = "measure the cursor one two"
    rig.tmux("send-keys", "-t", rig.target(window), "-l", prompt)
    time.sleep(0.3)
    cursor = {"typed": rig.display(window, "#{cursor_x} #{cursor_y}"), "typed_last_line": last_line(rig.capture(window))}
    saver.save(window, cli, "typed", "prompt typed, not submitted: " + prompt)
    enter = now_ms()
    rig.tmux("send-keys", "-t", rig.target(window), "Enter")
    samples = []
    saved_submitted = False
    while now_ms() - enter < 1500:
        screen = rig.capture(window)
        if not saved_submitted and now_ms() - enter > 100:
            saver.save(window, cli, "working", "about 100 ms after Enter (submitted; the cursor has moved)")
            saved_submitted = True
        samples.append((round(now_ms() - enter), rig.display(window, "#{cursor_x} #{cursor_y}"), last_line(screen)))
        time.sleep(0.01)
    cursor["after_enter_samples"] = samples

    def at(ms):
        return min(samples, key=lambda s: abs(s[0] - ms))

    cursor["at_50ms"] = at(50)
    cursor["at_300ms"] = at(300)
    still = [s for s in samples if prompt in s[2]]
    cursor["prompt_still_last_line_ms"] = [still[0][0], still[-1][0]] if still else None
    cursor["cursor_while_prompt_last_line"] = sorted(set(s[1] for s in still))
    rig.wait("reply", lambda: len([r for r in rig.requests() if r["api"] in ("responses", "chat")]) >= 1)
    rig.wait(cli + " idle again", lambda: idle(rig.capture(window)))
    saver.save(window, cli, "done", "a one-line reply finished: " + prompt)
    cursor["idle_again"] = rig.display(window, "#{cursor_x} #{cursor_y}")
    del cursor["after_enter_samples"][::2]  # keep the output shorter
    result["cursor"] = cursor
    time.sleep(1.5)

    # (b) + (d) a scripted turn
    prompt = "timing turn [delay=3s][stream=3s][lines=10]"
    before = len([r for r in rig.requests() if r["api"] in ("responses", "chat")])
    mark = len(rig.outputs)
    rig.tmux("send-keys", "-t", rig.target(window), "-l", prompt)
    time.sleep(0.2)
    enter = now_ms()
    rig.tmux("send-keys", "-t", rig.target(window), "Enter")
    activity = []
    saved_working = saved_stream = False
    while True:
        reqs = [r for r in rig.requests() if r["api"] in ("responses", "chat")]
        elapsed = now_ms() - enter
        activity.append((round(elapsed), rig.display(window, "#{window_activity}")))
        if not saved_working and elapsed > 1500:
            saver.save(window, cli, "working", "1.5 s into a turn, before the first token ([delay=3s])")
            saved_working = True
        if not saved_stream and elapsed > 4700:
            saver.save(window, cli, "working", "streaming, about 1.5 s into a 3 s stream")
            saved_stream = True
        if len(reqs) > before or elapsed > 30000:
            break
        time.sleep(0.1)
    request = [r for r in rig.requests() if r["api"] in ("responses", "chat")][before]
    time.sleep(3.0)
    outs = [o[0] for o in rig.outputs[mark:] if o[1] == pane]
    first_byte, end = request["first_byte_wall_ms"], request["end_wall_ms"]
    working = [enter] + [t for t in outs if t < first_byte] + [first_byte]
    streaming = [t for t in outs if first_byte <= t <= end]
    after = [t for t in outs if t > end]
    result["turn"] = {
        "enter_to_request_ms": round(request["start_wall_ms"] - enter),
        "outputs_total": len(outs),
        "outputs_working": len(working) - 2,
        "longest_gap_working_ms": round(gaps(working) or 0),
        "outputs_streaming": len(streaming),
        "longest_gap_streaming_ms": round(gaps([first_byte] + streaming + [end]) or 0),
        "stream_end_to_last_output_ms": round(after[-1] - end) if after else None,
        "outputs_after_stream_end": len(after),
        "after_end_offsets_ms": [round(t - end) for t in after][:30],
    }
    saver.save(window, cli, "done", "finished the 10-line turn")
    values = sorted(set(v for _, v in activity))
    result["activity"] = {"window_activity_distinct_values_during_turn": len(values),
                          "window_activity_seconds": values[:3] + (["..."] if len(values) > 3 else []) + values[-1:],
                          "turn_seconds": round((now_ms() - enter) / 1000, 1),
                          "monitor_activity": rig.tmux("show-options", "-gwv", "monitor-activity").strip()}
    last_activity = int(rig.display(window, "#{window_activity}"))
    result["activity"]["last_activity_vs_last_output_s"] = round(last_activity - (outs[-1] / 1000), 2) if outs else None

    # Screens of questions: a tool call's approval (codex), a new file's confirmation (aider).
    before = len([r for r in rig.requests() if r["api"] in ("responses", "chat")])
    if cli == "codex":
        question, answer, marker = "Would you like to run the following command?", "y", "[call=touch made-by-codex.txt]"
    else:
        question, answer, marker = "Create new file?", "Enter", "[edit=made-by-aider.txt]"
    rig.tmux("send-keys", "-t", rig.target(window), "-l", "please make a file " + marker)
    time.sleep(0.2)
    rig.tmux("send-keys", "-t", rig.target(window), "Enter")
    rig.wait("the question", lambda: question in rig.capture(window))
    time.sleep(0.3)
    saver.save(window, cli, "input", "asking: " + question)
    rig.tmux("send-keys", "-t", rig.target(window), answer)
    rig.wait(cli + " idle after the question", lambda: idle(rig.capture(window)))
    time.sleep(0.5)
    saver.save(window, cli, "done", "after answering %s to %r" % (answer, question))
    made = marker[marker.index("=") + 1:-1].split()[-1]
    result["question"] = {"file_made": os.path.exists(os.path.join(rig.work, made)),
                          "requests": len([r for r in rig.requests() if r["api"] in ("responses", "chat")]) - before}

    if cli == "codex":
        notes = [line.split("\t", 2) for line in open(rig.notify_log)] if os.path.exists(rig.notify_log) else []
        last = [r for r in rig.requests() if r["api"] == "responses"]
        result["notify"] = [{"delay_after_stream_end_ms": int(n[0]) - last[-1]["end_wall_ms"], "pane": n[1],
                             "payload": json.loads(n[2])} for n in notes[-1:]]
        if rig.hooks and os.path.exists(rig.hooks_log):
            result["hooks"] = [{"wall_ms": int(f[0]), "event": f[1], "pane": f[2]}
                               for f in (line.split("\t", 3) for line in open(rig.hooks_log))]
            result["requests"] = [{k: r.get(k) for k in ("seq", "kind", "start_wall_ms", "first_byte_wall_ms",
                                                         "end_wall_ms")} for r in rig.requests()]
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--venv", default=os.environ.get("ORCH_REAL_AGENTS_VENV")
                        or os.path.join(REPO, ".build", "real-agents", "venv"))
    parser.add_argument("--screens")
    parser.add_argument("--only", choices=["codex", "aider"])
    parser.add_argument("--hooks", action="store_true", help="codex with [features] hooks and hooks.json")
    options = parser.parse_args()
    results = {}
    index = []
    for cli, window in (("codex", "5"), ("aider", "6")):
        if options.only and options.only != cli:
            continue
        rig = Rig(options.venv, hooks=options.hooks and cli == "codex")
        saver = Saver(options.screens, rig)
        try:
            results[cli] = measure(rig, cli, window, saver)
        finally:
            index += saver.index
            rig.stop()
    print(json.dumps(results, indent=1, ensure_ascii=False))
    if options.screens:
        with open(os.path.join(options.screens, "measure-index.json"), "w") as handle:
            json.dump(index, handle, indent=1)


if __name__ == "__main__":
    main()

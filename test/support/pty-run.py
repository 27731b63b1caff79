"""Runs a command in a pseudo-terminal and answers it as a person would.

Reads a JSON object on stdin: {"argv": [...], "cwd": "...", "steps": [{"expect": regex, "send": text}, ...],
"timeout": seconds}. Each step waits until the output so far matches `expect` (from where the
previous match ended), then types `send` ("\\x03" is Ctrl-C). Prints JSON: the exit code (or
-signal), the whole output, and the step that timed out, if any.
"""

import json
import os
import pty
import re
import select
import sys
import time


def main() -> None:
    spec = json.load(sys.stdin)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(spec["cwd"])
        os.execvpe(
            spec["argv"][0],
            spec["argv"],
            {**os.environ, "TERM": "xterm", "FORCE_COLOR": "0"},
        )
    output = b""
    searched = 0
    deadline = time.monotonic() + spec.get("timeout", 30)
    timed_out = None
    for index, step in enumerate(spec["steps"]):
        pattern = re.compile(step["expect"])
        while True:
            text = re.sub(
                r"\x1b\[[0-9;?]*[A-Za-z]", "", output.decode("utf-8", "replace")
            )
            match = pattern.search(text, searched)
            if match:
                searched = match.end()
                break
            if time.monotonic() > deadline:
                timed_out = index
                break
            output += read_some(fd, 0.1)
        if timed_out is not None:
            break
        time.sleep(0.15)
        os.write(fd, step["send"].encode())
    status = None
    while status is None and time.monotonic() < deadline + 5:
        output += read_some(fd, 0.1)
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
    if status is None:
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    output += read_some(fd, 0.1)
    exit_code = os.waitstatus_to_exitcode(status)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output.decode("utf-8", "replace"))
    json.dump({"exit": exit_code, "output": text, "timedOut": timed_out}, sys.stdout)


def read_some(fd: int, wait: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:
        return b""


main()

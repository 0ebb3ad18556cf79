#!/usr/bin/env python3
"""Runs a program in a pseudo-terminal and answers its prompts, as a person would.
Usage: pty_drive.py TIMEOUT 'prompt substring=answer' ... -- PROGRAM ARGS...
Prints everything the program wrote; exits with the program's exit status."""
import os
import pty
import select
import sys
import time

split = sys.argv.index("--")
timeout = float(sys.argv[1])
script = [a.split("=", 1) for a in sys.argv[2:split]]
argv = sys.argv[split + 1:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

seen = b""
answered = 0
deadline = time.time() + timeout
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        sys.stdout.write(chunk.decode("utf-8", "replace"))
        sys.stdout.flush()
    while answered < len(script) and script[answered][0].encode() in seen.split(b"\x00")[-1]:
        prompt, answer = script[answered]
        cut = seen.index(prompt.encode()) + len(prompt)
        seen = seen[cut:]
        os.write(fd, answer.encode() + b"\n")
        answered += 1
else:
    os.kill(pid, 9)
    print("\npty_drive: timed out", file=sys.stderr)
    sys.exit(124)
_, status = os.waitpid(pid, 0)
if answered < len(script):
    print(f"\npty_drive: only {answered} of {len(script)} prompts were asked", file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))

#!/usr/bin/env python3
"""Checks the source tree's shape: arrows between folders point down, front ends use
services (never the store), files and functions stay small. Prints every breach and
exits 1 when there is one."""
import pathlib
import re
import sys

SRC = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")

# What each folder may include besides itself: the layering of src/CMakeLists.txt.
BELOW = {
    "core": set(),
    "metrics": {"core"},
    "crypto": {"core"},
    "pdf": {"core"},
    "config": {"core"},
    "storage": {"core"},
    "http": {"core", "metrics"},
    "web": {"core", "crypto", "http"},
    "instance": {"core", "crypto", "pdf", "config", "storage"},
    "status": {"core", "crypto", "pdf", "config", "storage", "http", "instance", "metrics"},
    "documents": {"core", "crypto", "pdf", "config", "storage", "http", "instance", "status", "metrics"},
    "operations": {"core", "crypto", "pdf", "config", "storage", "instance"},
    "jobs": {"core", "crypto", "pdf", "config", "storage", "instance", "status", "documents", "metrics"},
    "portal": {"core", "crypto", "pdf", "config", "http", "web", "instance", "status", "documents"},
    "api": {"core", "crypto", "pdf", "config", "http", "web", "instance", "status", "documents"},
    "cmp": {"core", "crypto", "pdf", "config", "http", "instance", "status"},
    "cli": {"core", "crypto", "pdf", "config", "storage", "http", "web", "instance", "status", "documents", "jobs",
            "portal", "api", "cmp", "operations", "metrics"},
    "lock": {"core", "crypto", "pdf"},
}
FRONT_ENDS = ("portal", "api", "cmp")
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80
# Generated text tables and the migration list are allowed to be long.
LONG_FILES_ALLOWED = {"portal/text.cpp", "portal/text_procedure.cpp", "storage/migrations.cpp"}
LONG_FUNCTIONS_ALLOWED = {"storage/migrations.cpp", "portal/text.cpp", "portal/text_procedure.cpp"}

problems = []
include = re.compile(r'#include "([a-z_]+)/')
for path in sorted(SRC.rglob("*")):
    if path.suffix not in (".h", ".cpp"):
        continue
    relative = path.relative_to(SRC).as_posix()
    folder = relative.split("/")[0]
    text = path.read_text()
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        found = include.match(line)
        if found and found.group(1) != folder and found.group(1) not in BELOW.get(folder, set()):
            problems.append(f"{relative}:{number}: {folder}/ may not include {found.group(1)}/")
        if folder in FRONT_ENDS and ("store()" in line or '#include "storage/' in line):
            problems.append(f"{relative}:{number}: a front end reaches the store; call a service")
    if len(lines) > MAX_FILE_LINES and relative not in LONG_FILES_ALLOWED:
        problems.append(f"{relative}: {len(lines)} lines (at most {MAX_FILE_LINES})")
    if relative in LONG_FUNCTIONS_ALLOWED:
        continue
    # A function's signature starts at column 0; its body closes with a "}" at column 0.
    start = None
    in_body = False
    for number, line in enumerate(lines, 1):
        if not in_body:
            if start is None and re.match(r"^[A-Za-z]", line) and \
                    not re.match(r"^(namespace|struct|class|enum|union|using|template|typedef|extern)\b", line):
                start = number
            if start is not None:
                stripped = line.rstrip()
                if stripped.endswith("{"):
                    in_body = True
                elif stripped.endswith(";") or stripped.endswith("}") or not stripped:
                    start = None
        elif line.startswith("}"):
            if number - start + 1 > MAX_FUNCTION_LINES:
                problems.append(f"{relative}:{start}: function of {number - start + 1} lines (at most {MAX_FUNCTION_LINES})")
            start = None
            in_body = False

for problem in problems:
    print(problem)
print(f"architecture: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)

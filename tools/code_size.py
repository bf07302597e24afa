"""Print the largest modules and the longest functions under annotator/ (lines, with the place).

Usage: python tools/code_size.py [--most N] [ROOT]
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("root", nargs="?", default="annotator", type=Path)
    ap.add_argument("--most", type=int, default=3)
    args = ap.parse_args()
    modules: list[tuple[int, str]] = []
    functions: list[tuple[int, str]] = []
    for path in sorted(args.root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        modules.append((len(text.splitlines()), str(path)))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno:
                length = node.end_lineno - node.lineno + 1
                functions.append((length, f"{path}:{node.lineno} {node.name}"))
    print("largest modules (lines):")
    for n, where in sorted(modules, reverse=True)[: args.most]:
        print(f"  {n:>6}  {where}")
    print("longest functions (lines):")
    for n, where in sorted(functions, reverse=True)[: args.most]:
        print(f"  {n:>6}  {where}")


if __name__ == "__main__":
    main()

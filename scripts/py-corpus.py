"""Records what CPython prints for each program of tests/loop-corpus/python into
tests/loop-corpus/python/expected.json: the lines on stdout, and the last line of the
traceback when the program ends with an exception. Run: python3 scripts/py-corpus.py"""
import json
import pathlib
import subprocess
import sys

corpus = pathlib.Path(__file__).resolve().parent.parent / "tests" / "loop-corpus" / "python"
expected = {"engine": f"CPython {sys.version.split()[0]}", "programs": {}}
for program in sorted(corpus.glob("*.py")):
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    exception = None
    if done.returncode != 0:
        exception = [line for line in done.stderr.splitlines() if line.strip()][-1]
    expected["programs"][program.name] = {"output": lines, "exception": exception}
(corpus / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
print(f"{len(expected['programs'])} programs recorded with {expected['engine']}")

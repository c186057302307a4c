"""Fail unless Chromium, Firefox and WebKit each ran tests that passed, with none skipped.

A green run where a required engine silently skipped would hide exactly the
regressions this harness exists to catch.
"""

import collections
import re
import sys
import xml.etree.ElementTree as ET

REQUIRED = ("chromium", "firefox", "webkit")


def main(path):
    counts = collections.defaultdict(collections.Counter)
    for case in ET.parse(path).iter("testcase"):
        match = re.search(r"\[(chromium|firefox|webkit)\b", case.get("name", ""))
        if not match:
            continue
        outcome = next((child.tag for child in case if child.tag in ("skipped", "failure", "error")), "passed")
        counts[match.group(1)][outcome] += 1
    problems = []
    for engine in ("chromium", "firefox", "webkit"):
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts[engine].items()))
        print(f"{engine}: {summary or 'no tests'}")
    for engine in REQUIRED:
        if counts[engine]["passed"] == 0:
            problems.append(f"{engine}: no test passed")
        if counts[engine]["skipped"]:
            problems.append(f"{engine}: {counts[engine]['skipped']} tests skipped; {engine} must never skip")
    for problem in problems:
        print(f"engines_ran: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""Dependency audit: fail on any known vulnerability; never claim an audit
that did not happen.

Runs pip-audit over the installed environment (.venv, what the tests ran
against) and reads its JSON. Exit status:

- 1 when any installed package has a known vulnerability (the report lists
  them with the fixed versions);
- 0 otherwise, with a loud "NOT AUDITED" line naming how many packages the
  vulnerability service could not answer for. On this project's CI machine
  PyPI's per-release JSON (pip-audit's data source) is not reachable, so
  every package is reported unaudited rather than passed.

    .venv/bin/python .ci/audit_deps.py            # or: make audit
"""

import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def verdict(report):
    """(exit status, lines to print) for a pip-audit JSON report."""
    vulnerable, skipped, clean = [], [], 0
    for dependency in report.get("dependencies", []):
        if dependency.get("vulns"):
            vulnerable.append(dependency)
        elif dependency.get("skip_reason"):
            skipped.append(dependency)
        else:
            clean += 1
    lines = []
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
            lines.append(
                f"VULNERABLE {dependency['name']} {dependency.get('version', '?')}: "
                f"{vuln.get('id', '?')} (fixed in {fixed})"
            )
    if skipped:
        lines.append(
            f"NOT AUDITED: {len(skipped)} of {len(skipped) + len(vulnerable) + clean} "
            "packages; the vulnerability service could not answer for them "
            f"(first: {skipped[0]['skip_reason']})"
        )
    lines.append(
        f"audit: {clean} clean, {len(vulnerable)} vulnerable, {len(skipped)} not audited"
    )
    return (1 if vulnerable else 0), lines


def main():
    result = subprocess.run(  # noqa: S603 (our own venv's pip-audit, fixed arguments)
        [str(PIP_AUDIT), "--local", "--skip-editable", "--progress-spinner", "off",
         "--format", "json"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr[-2000:], file=sys.stderr)
        print("NOT AUDITED: pip-audit produced no report", file=sys.stderr)
        return 0 if result.returncode == 0 else result.returncode
    status, lines = verdict(report)
    for line in lines:
        print(line, file=sys.stderr if status or "NOT" in line else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main())

"""The dependency audit fails on a vulnerability and never passes off
unaudited packages as clean."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "audit_deps", Path(__file__).resolve().parents[2] / ".ci" / "audit_deps.py"
)
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)


def test_a_known_vulnerability_fails_the_audit():
    status, lines = audit_deps.verdict(
        {
            "dependencies": [
                {"name": "django", "version": "5.2.0", "vulns": [
                    {"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]},
                {"name": "nh3", "version": "0.2.0", "vulns": []},
            ]
        }
    )  # fmt: skip
    assert status == 1
    assert "VULNERABLE django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in lines
    assert lines[-1] == "audit: 1 clean, 1 vulnerable, 0 not audited"


def test_unaudited_packages_are_named_not_passed():
    status, lines = audit_deps.verdict(
        {
            "dependencies": [
                {"name": "wagtail", "skip_reason": "Dependency not found on PyPI"},
                {"name": "nh3", "version": "0.2.0", "vulns": []},
            ]
        }
    )
    assert status == 0
    assert lines[0].startswith("NOT AUDITED: 1 of 2 packages")
    assert lines[-1] == "audit: 1 clean, 0 vulnerable, 1 not audited"

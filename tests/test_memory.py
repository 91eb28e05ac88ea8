"""Both server entry points move their start-up objects out of the garbage
collector's sight (cop/memory.py), in a fresh process as a server loads them."""

import json
import os
import subprocess
import sys

import pytest

from cop import memory

PROBE = (
    "import gc, json, {module}; "
    "print('PROBE:' + json.dumps([gc.get_freeze_count(), gc.get_threshold()]))"
)


@pytest.mark.parametrize("module", ["cop.asgi", "cop.wsgi"])
def test_server_entry_point_freezes_startup_objects(module):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    line = next(
        line for line in result.stdout.splitlines() if line.startswith("PROBE:")
    )
    frozen, threshold = json.loads(line.removeprefix("PROBE:"))
    # Django, Wagtail and our apps: hundreds of thousands of objects.
    assert frozen > 100_000
    assert threshold[0] == memory.YOUNG_THRESHOLD
    # The older generations keep CPython's own ratios.
    assert threshold[1:] == [10, 10]

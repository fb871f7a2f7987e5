"""docs/deploy.md's table of periodic jobs is what a steward reads to run beat: every job the
code registers with a period is there, with that period, and nothing else is."""

from __future__ import annotations

import re
from pathlib import Path

from peerwork.core import jobs

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
UNITS = {"min": 60, "h": 3600}


def test_the_deploy_guide_lists_every_periodic_job_with_its_period() -> None:
    rows = re.findall(r"^\| `([a-z_.]+)` \| (\d+) (min|h) \|", DEPLOY.read_text(), re.M)
    documented = {name: int(amount) * UNITS[unit] for name, amount, unit in rows}
    periodic = {name: job.every for name, job in jobs.registered().items() if job.every}
    assert documented == periodic

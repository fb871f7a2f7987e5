"""The daily retraining of every space's edit-risk model that has enough history."""

from __future__ import annotations

import logging

from peerwork.core import jobs
from peerwork.core.errors import Conflict

logger = logging.getLogger("peerwork.risk")


@jobs.job("risk.train_all", every=24 * 3600)
def train_all() -> int:
    from peerwork.spaces.models import Space

    from .actions import risk_train

    trained = 0
    for space in Space.objects.order_by("pk"):
        try:
            risk_train(user=None, space=space)
            trained += 1
        except Conflict:
            continue  # too little history: the shipped default keeps scoring
    logger.info("risk models trained for %d spaces", trained)
    return trained

"""Re-walk the hash chains; the first event that does not fit is named."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from .models import GENESIS_HASH, ChainHead, Event
from .recorder import event_hash


@dataclass
class ChainReport:
    chain: str
    length: int
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_chain(chain: str) -> ChainReport:
    events = Event.objects.filter(chain=chain).order_by("seq").iterator(2000)
    return _walk(chain, events, ChainHead.objects.filter(key=chain).first())


def _walk(chain: str, events: Iterable[Event], head: ChainHead | None) -> ChainReport:
    """Check one chain's events, in order, against each other and against its head."""
    expected_seq = 1
    prev = GENESIS_HASH
    for event in events:
        where = f"event #{event.seq} (id {event.pk}, {event.verb}) in chain {chain}"
        if event.seq != expected_seq:
            return ChainReport(
                chain,
                expected_seq - 1,
                f"event #{expected_seq} of chain {chain} is missing (deleted?); "
                f"the next one is {where}",
            )
        if event.prev_hash != prev:
            return ChainReport(
                chain, expected_seq - 1, f"{where} does not follow the event before it (reordered?)"
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                chain, expected_seq - 1, f"{where} does not match its hash (altered?)"
            )
        prev = event.hash
        expected_seq += 1
    length = expected_seq - 1
    if head is None:
        if length:
            return ChainReport(chain, length, f"chain {chain} has events but no head (tampered)")
        return ChainReport(chain, 0)
    if head.length != length or head.last_hash != prev:
        return ChainReport(
            chain,
            length,
            f"chain {chain} ends at event #{length} but its head records #{head.length} "
            "(events deleted at the end?)",
        )
    return ChainReport(chain, length)


#: More chains than this are picked out while reading rather than named in the query, which
#: would exceed the database's limit on parameters.
NAMED_IN_SQL = 1000


def verify_all(chains: list[str] | None = None) -> list[ChainReport]:
    """Every chain, or those named, read in one pass over the events (two queries in all,
    however many chains) rather than one walk per chain."""
    events = Event.objects.all()
    heads = ChainHead.objects.all()
    if chains is None:
        keys = set(heads.values_list("key", flat=True))
        keys |= set(events.values_list("chain", flat=True).distinct())
        chains = sorted(keys)
    elif len(chains) <= NAMED_IN_SQL:
        events = events.filter(chain__in=chains)
        heads = heads.filter(key__in=chains)
    wanted = set(chains)
    head_of = {head.key: head for head in heads if head.key in wanted}
    reports = {}
    ordered = events.order_by("chain", "seq").iterator(2000)
    for chain, chain_events in groupby(ordered, key=lambda event: event.chain):
        if chain in wanted:
            reports[chain] = _walk(chain, chain_events, head_of.get(chain))
    return [
        reports[chain] if chain in reports else _walk(chain, [], head_of.get(chain))
        for chain in chains
    ]

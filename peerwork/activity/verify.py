"""Re-walk the hash chains; the first event that does not fit is named."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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
    expected_seq = 1
    prev = GENESIS_HASH
    events: Iterator[Event] = Event.objects.filter(chain=chain).order_by("seq").iterator(2000)
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
    head = ChainHead.objects.filter(key=chain).first()
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


def verify_all(chains: list[str] | None = None) -> list[ChainReport]:
    if chains is None:
        keys = set(ChainHead.objects.values_list("key", flat=True))
        keys |= set(Event.objects.values_list("chain", flat=True).distinct())
        chains = sorted(keys)
    return [verify_chain(chain) for chain in chains]

"""Which webhook targets peerwork refuses to call (server-side request forgery).

A target is refused when ANY address its host resolves to is loopback, private, link-local,
multicast, reserved, unspecified, shared (100.64/10) or otherwise not global, unless
`PEERWORK_WEBHOOK_ALLOW_PRIVATE` is on; cloud metadata addresses are refused always. The check
runs when a steward subscribes and again at every delivery attempt, on the very addresses the
delivery then connects to (see delivery.py: the connection is pinned to a checked address, so
a DNS answer that changes between the check and the connect cannot slip through).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)


class AddressRefused(Exception):
    """The URL may not be called; the message says why (shown to the steward)."""


@dataclass(frozen=True)
class Target:
    url: SplitResult
    scheme: str
    host: str
    port: int
    addresses: tuple[IPAddress, ...]

    @property
    def path(self) -> str:
        path = self.url.path or "/"
        return f"{path}?{self.url.query}" if self.url.query else path


def _plain(address: IPAddress) -> IPAddress:
    """An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as the IPv4 it is."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
    return address


def refusal(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why `address` may not be called, or None when it may."""
    address = _plain(address)
    if address in METADATA_ADDRESSES:
        return _("a cloud metadata address")
    if allow_private:
        return None
    for test, reason in (
        (address.is_unspecified, _("an unspecified address")),
        (address.is_loopback, _("a loopback address")),
        (address.is_link_local, _("a link-local address")),
        (address.is_multicast, _("a multicast address")),
        (address.is_private, _("a private address")),
        (address.is_reserved, _("a reserved address")),
        (not address.is_global, _("an address that is not public")),
    ):
        if test:
            return reason
    return None


def parse(url: str) -> tuple[SplitResult, str, int]:
    """(parts, host, port) of an http(s) URL, or AddressRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused(_("The URL cannot be read.")) from None
    if parts.scheme not in {"http", "https"}:
        raise AddressRefused(_("Only http and https URLs can receive webhooks."))
    if not parts.hostname:
        raise AddressRefused(_("The URL has no host."))
    if parts.username or parts.password:
        raise AddressRefused(_("The URL may not carry a user name or password."))
    return parts, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def resolve(host: str, port: int) -> tuple[IPAddress, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise AddressRefused(_("The host %(host)s cannot be resolved.") % {"host": host}) from None
    found: list[IPAddress] = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise AddressRefused(_("The host %(host)s has no address.") % {"host": host})
    return tuple(found)


def check(url: str, *, allow_private: bool | None = None) -> Target:
    """Resolve `url`'s host and refuse it if any of its addresses may not be called."""
    if allow_private is None:
        allow_private = bool(getattr(settings, "PEERWORK_WEBHOOK_ALLOW_PRIVATE", False))
    parts, host, port = parse(url)
    addresses = resolve(host, port)
    for address in addresses:
        reason = refusal(address, allow_private=allow_private)
        if reason:
            raise AddressRefused(
                _("%(host)s resolves to %(address)s, %(reason)s; peerwork does not send there.")
                % {"host": host, "address": address, "reason": reason}
            )
    return Target(parts, parts.scheme, host, port, addresses)

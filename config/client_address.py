"""The client's address, for throttles and lockouts.

It is the connection's address (`REMOTE_ADDR`). Only when that is one of the deployment's
own proxies (`TRUSTED_PROXIES`: addresses or CIDRs) is `X-Forwarded-For` read, from the
right, skipping the trusted proxies: the first address that is not one of them is the
client. A client-sent `X-Forwarded-For` changes nothing otherwise.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]):
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _parse(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(_parse(remote), networks):
        return remote or "unknown"
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        address = _parse(hop)
        if address is None:
            break  # a malformed hop: nothing to its left can be trusted
        if not _trusted(address, networks):
            return str(address)
    return remote

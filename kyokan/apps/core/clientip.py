"""The client's address, as rate limits and the login lockout must see it.

Behind a reverse proxy every request arrives from the proxy's address, so counting by
REMOTE_ADDR would put every citizen in one bucket. The address is read from the proxy's
``X-Forwarded-For`` header only when the connecting address is one of
``KYOKAN_TRUSTED_PROXIES`` (addresses or networks such as ``10.0.0.5`` or ``10.0.0.0/24``):
the header is read from the right, skipping trusted proxies, and the first other address is
the client's. Without that setting the header is ignored (a client could write anything in
it), and the connecting address counts.
"""

import contextlib
import ipaddress
from functools import lru_cache

from django.conf import settings

_ATTR = "_kyokan_client_address"


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    cached = getattr(request, _ATTR, None)
    if cached is not None:
        return cached
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "KYOKAN_TRUSTED_PROXIES", ())))
    result = remote
    if networks and _trusted(_parse(remote), networks):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h for h in (part.strip() for part in forwarded.split(",")) if h]
        for hop in reversed(hops):
            address = _parse(hop)
            if address is None:
                break  # a malformed hop: trust nothing further left
            result = str(address)
            if not _trusted(address, networks):
                break
    with contextlib.suppress(AttributeError):  # e.g. a request-like object with slots
        setattr(request, _ATTR, result)
    return result

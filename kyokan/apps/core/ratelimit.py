"""Rate limits shared by every worker process, with atomic increments.

``hit(scope, ident, limit=..., window=...)`` counts one attempt and says whether it is
allowed. Counters are rows of Kyokan's database by default (an ``UPDATE … SET count =
count + 1``, atomic on SQLite and PostgreSQL), or keys of the cache server named by
``KYOKAN_CACHE_URL`` (Redis increments are atomic). The identity is hashed: no address or
token is stored as typed. Use :func:`kyokan.apps.core.clientip.client_address` for the
address of a request.
"""

import hashlib
import random
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateCounter


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{ident}".encode()).hexdigest()
    return f"{scope}:{digest[:40]}"


def _hit_database(key: str, window_no: int, window: int) -> int:
    expires = timezone.now() + timedelta(seconds=window * 2)
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key, window=window_no).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(
                        key=key, window=window_no, count=1, expires_at=expires
                    )
            except IntegrityError:  # another process created it first
                RateCounter.objects.filter(key=key, window=window_no).update(count=F("count") + 1)
        count = RateCounter.objects.filter(key=key, window=window_no).values_list(
            "count", flat=True
        )[0]
    if random.random() < 0.01:  # now and then, forget the expired windows
        RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return count


def _hit_cache(key: str, window_no: int, window: int) -> int:
    from django.core.cache import cache

    bucket = f"rl:{key}:{window_no}"
    if cache.add(bucket, 1, timeout=window * 2):
        return 1
    return cache.incr(bucket)


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one attempt of ``ident`` in ``scope``; False when it is over ``limit`` in the
    current window of ``window`` seconds (fixed windows)."""
    window_no = int(time.time()) // window
    key = _key(scope, ident)
    backend = getattr(settings, "KYOKAN_RATELIMIT_BACKEND", "database")
    count = (_hit_cache if backend == "cache" else _hit_database)(key, window_no, window)
    return count <= limit

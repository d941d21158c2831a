"""Garbage collection for a long-running web process.

Python's full collection walks every tracked object, and a loaded Django app holds about
130,000 (modules, URL patterns, compiled templates, the ORM's metadata) that will live as
long as the process. Requests that build many objects at once (a page of 200 assets)
make such a collection happen every few requests: measured at a million assets, pauses
of 75-95 ms, the worst request in ten. Once the app has served its first requests, what
is alive then is frozen out of the collector's reach (`gc.freeze()`, after one last full
collection so that no garbage is kept): a full collection then walks only what requests
made since (9-18 ms).

The count is per process (not per middleware instance: each test client builds its own),
and each freeze happens once.
"""

import gc
import threading

# After the first request (the app's own objects) and after this many (what other pages
# loaded on first use: the admin, the statistics, the schema).
FREEZE_AFTER = (1, 200)

_lock = threading.Lock()
_served = 0


def _count_request() -> None:
    global _served  # noqa: PLW0603 - one count per process
    if _served >= FREEZE_AFTER[-1]:
        return
    with _lock:
        _served += 1
        if _served in FREEZE_AFTER:
            gc.collect()
            gc.freeze()


class FreezeStartupObjectsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        _count_request()
        return response

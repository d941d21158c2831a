"""The web process freezes what its first requests loaded out of the garbage collector's
reach (config.heap), once each time, however many clients (middleware instances) serve."""

import gc

import pytest
from django.test import Client

from config import heap


@pytest.fixture
def fresh_process(monkeypatch):
    """A process that has served nothing yet, freezing after its 1st and 3rd requests;
    `freezes` lists how many objects each freeze took."""
    monkeypatch.setattr(heap, "_served", 0)
    monkeypatch.setattr(heap, "FREEZE_AFTER", (1, 3))
    gc.unfreeze()
    freezes = []
    real_freeze = gc.freeze

    def freeze():
        before = gc.get_freeze_count()
        real_freeze()
        freezes.append(gc.get_freeze_count() - before)

    monkeypatch.setattr(gc, "freeze", freeze)
    yield freezes
    real_freeze()  # as the process had it: frozen past its first requests


@pytest.mark.django_db
def test_the_first_requests_freeze_the_loaded_app_once_each(fresh_process):
    Client().get("/healthz")
    assert len(fresh_process) == 1 and fresh_process[0] > 10_000  # Django, the apps, their URLs

    Client().get("/healthz")  # another client (middleware instance): the same process count
    assert len(fresh_process) == 1
    Client().get("/healthz")
    assert len(fresh_process) == 2
    for _ in range(3):
        Client().get("/healthz")
    assert len(fresh_process) == 2 and heap._served == 3  # counting stops with the last freeze

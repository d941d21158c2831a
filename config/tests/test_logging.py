"""Each log record is written once: a 4xx used to appear twice when DEBUG was on."""

import logging

from django.test import Client


def emitting_handlers(logger_name: str, record: logging.LogRecord) -> list[logging.Handler]:
    logger, found = logging.getLogger(logger_name), []
    while logger is not None:
        found += [
            h for h in logger.handlers
            if record.levelno >= h.level and h.filter(record) and not type(h).__module__.startswith("_pytest")
        ]
        if not logger.propagate:
            break
        logger = logger.parent
    return found


def test_a_4xx_is_logged_once_with_debug_on_or_off(settings, db):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: /x", None, None)
    for debug in (True, False):
        settings.DEBUG = debug
        assert len(emitting_handlers("django.request", record)) == 1


def test_an_unknown_page_logs_one_warning(caplog, db):
    with caplog.at_level(logging.INFO):
        Client().get("/api/v1/nowhere/")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == ["Not Found: /api/v1/nowhere/"]

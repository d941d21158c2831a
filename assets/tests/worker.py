"""A real Celery worker in a subprocess, against Redis and this test's PostgreSQL database.

Used by the reliability tests, which commit their data (transaction=True) so that the
worker, another process, can see it. Each test gets its own queue, so parallel test
processes never steal each other's tasks.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

import redis
from django.conf import settings
from django.db import connection

from config.celery_app import app as celery_app
from conftest import require_service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        require_service("Redis", "set CELERY_BROKER_URL=redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        require_service("Redis", str(exc))
    return url


def database_url() -> str:
    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "a worker process needs a shared database; set DATABASE_URL=postgres://...")
    params = connection.settings_dict
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or "5432"
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


class Worker:
    def __init__(self, *, queue: str, env: dict):
        self.queue, self.env, self.process = queue, env, None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", self.queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning",
             "-n", f"test-{uuid.uuid4().hex[:8]}@%h"],
            cwd=ROOT, env=self.env, start_new_session=True,
        )
        return self

    def kill(self):
        """SIGKILL: the worker dies mid-task, with no chance to tidy up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def real_workers(**extra_env):
    """Yields a factory of workers; while inside, this process sends tasks to Redis, not eagerly."""
    url = broker_url()
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **{key: str(value) for key, value in extra_env.items()},
    }
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.task_default_queue)
    conf.task_always_eager, conf.broker_url, conf.task_default_queue = False, url, queue
    workers = []

    def make():
        worker = Worker(queue=queue, env=env).start()
        workers.append(worker)
        return worker

    try:
        yield make
    finally:
        for worker in workers:
            worker.stop()
        conf.task_always_eager, conf.broker_url, conf.task_default_queue = saved
        redis.Redis.from_url(url).delete(queue)


def wait_for(predicate, *, timeout=60.0, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {message}")

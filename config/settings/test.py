"""The test suite. Celery runs eagerly unless a test starts a real worker itself."""

import os
import tempfile

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="asset-library-test-media-")
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {  # noqa: F405
    "user": "100000/min", "anon": "100000/min", "token": "100000/min",
}}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not SQLite's shared in-memory database: the browser tests' live server
    # writes from other threads (several uploads at once), and only a file database
    # lets writers wait for each other (busy timeout) instead of failing with
    # "database table is locked".
    # TEST_SQLITE_NAME lets two checkouts (or two people) run the suite side by side.
    _name = os.environ.get("TEST_SQLITE_NAME", "asset-library-tests.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), _name)}  # noqa: F405

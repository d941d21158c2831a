"""Settings shared by every environment. Values that vary come from config.env."""

import shutil

from config.env import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "taggit",
    "pgtrigger",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "assets",
    "collections_app",
    "analytics",
    "asset_library",
]

MIDDLEWARE = [
    # Outermost: counts each request once it is answered (config.heap).
    "config.heap.FreezeStartupObjectsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.request_guards.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.login_guard.LockoutStatusMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The templates that draw many assets at once (the library's cards): asset_library.jinja.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "asset_library.jinja.environment", "autoescape": True},
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default: let concurrent writers (several uploads at once) wait for each
    # other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Prefix searches (`lighthouse:*`) build a bitmap of every row that has the word; with
    # PostgreSQL's 4 MB default it turns lossy on large libraries and every candidate row
    # must be rechecked (3x the heap reads in bench/search.py).
    # JIT compiling costs 10-20 ms on every query the planner deems large (a count over a
    # big owner's library), more than it saves on queries that take tens of milliseconds.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c work_mem={env('DATABASE_WORK_MEM', default='32MB')} -c jit=off"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering columns (Index.include) are a PostgreSQL feature; SQLite, the embedded default,
# builds the same indexes without them, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Every password check goes through the lockout (config.login_guard).
AUTHENTICATION_BACKENDS = ["config.login_guard.GuardedModelBackend"]
LOGIN_FAILURES_PER_USERNAME = env.int("LOGIN_FAILURES_PER_USERNAME", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
# Proxies whose X-Forwarded-For is believed (addresses or CIDRs); none by default, so the
# client address is the connection's (config.client_address).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/library/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Static files are served by whitenoise; user files never are (see assets.api.files).
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [p for p in [BASE_DIR / "node_modules_dist"] if p.exists()]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"  # never routed: files go through authenticated views
# User files: on this machine's disk (MEDIA_ROOT) by default; in an S3-compatible bucket
# (AWS S3, Cloudflare R2, MinIO, Backblaze B2, GCS's S3 API) once AWS_STORAGE_BUCKET_NAME
# is set, through django-storages with its usual settings. The bucket stays private: files
# are served through the app's URLs, which answer with a presigned URL that lives
# FILE_URL_EXPIRE_SECONDS (assets.api.files).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
FILE_URL_EXPIRE_SECONDS = min(env.int("FILE_URL_EXPIRE_SECONDS", default=300), 300)
DEFAULT_FILE_STORAGE_OPTIONS = {}
if AWS_STORAGE_BUCKET_NAME:
    from boto3.s3.transfer import TransferConfig as _TransferConfig
    from botocore.config import Config as _BotoConfig

    DEFAULT_FILE_STORAGE_OPTIONS = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        "location": env("AWS_LOCATION", default=""),
        "default_acl": None,  # the bucket's own (private) policy
        "querystring_auth": True,
        "querystring_expire": FILE_URL_EXPIRE_SECONDS,
        "file_overwrite": False,
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,
        # Retries with backoff for throttling, 5xx and timeouts (botocore's standard mode).
        # An object opened for reading is spooled to a temporary file past 8 MiB (django-storages'
        # default, 0, keeps all of it in memory).
        "max_memory_size": 8 * 1024 * 1024,
        # Multipart transfers of 8 MiB parts, two at a time, with s3transfer's read-ahead
        # queues kept short (their defaults buffer up to 1,000 parts): a 500 MB upload
        # (spooled to a temporary file first) goes to the bucket with a few parts in memory.
        "transfer_config": _TransferConfig(
            multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, max_concurrency=2,
            max_io_queue=16, use_threads=True,
        ),
        "client_config": _BotoConfig(
            retries={"max_attempts": env.int("AWS_MAX_ATTEMPTS", default=5), "mode": "standard"},
            connect_timeout=env.float("AWS_CONNECT_TIMEOUT", default=5.0),
            read_timeout=env.float("AWS_READ_TIMEOUT", default=60.0),
            signature_version="s3v4",
        ),
    }
if AWS_STORAGE_BUCKET_NAME:
    _transfer = DEFAULT_FILE_STORAGE_OPTIONS["transfer_config"]
    _transfer.max_request_queue_size = 2
    _transfer.max_submission_queue_size = 2
    _transfer.max_in_memory_upload_chunks = 2
    _transfer.max_in_memory_download_chunks = 4
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": DEFAULT_FILE_STORAGE_OPTIONS}
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: spooled to a temporary file past 2.5 MB, refused while streaming in past
# the per-type limit (assets.upload_limits).
FILE_UPLOAD_HANDLERS = [
    "assets.upload_limits.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=500 * 1024 * 1024)
MAX_UPLOAD_SIZE_BY_TYPE = {
    "image": env.int("MAX_IMAGE_UPLOAD_SIZE", default=50 * 1024 * 1024),
    "video": env.int("MAX_VIDEO_UPLOAD_SIZE", default=500 * 1024 * 1024),
    "audio": env.int("MAX_AUDIO_UPLOAD_SIZE", default=200 * 1024 * 1024),
    "text": env.int("MAX_TEXT_UPLOAD_SIZE", default=10 * 1024 * 1024),
}
# A JSON body may carry a text asset at the text limit, escaped, plus its other fields
# (DRF reads JSON bodies through request.body, which this caps); config.json_limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * MAX_UPLOAD_SIZE_BY_TYPE["text"] + 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True

REST_FRAMEWORK = {
    # Token first: the first class names the WWW-Authenticate challenge, which is what
    # makes an unauthenticated request a 401 rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [],
    # JSON with a size cap and depth limits (config.json_limits); forms and uploads as DRF parses them.
    "DEFAULT_PARSER_CLASSES": [
        "config.json_limits.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.openapi.AutoSchema",  # every operation documents its errors
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["config.throttles.UserRateThrottle", "config.throttles.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("THROTTLE_USER_RATE", default="2000/min"),
        "anon": env("THROTTLE_ANON_RATE", default="600/min"),
        "token": env("THROTTLE_TOKEN_RATE", default="30/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Asset Library API",
    "DESCRIPTION": (
        "One archive for every AI-generated asset. Generation modules register what they "
        "make; creators browse, search, organise, download and share it."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `kind` and a `status` (assets, jobs, share links): name every enum
    # after its choices, so that the schema's names are stable (no `StatusA8fEnum`).
    "ENUM_NAME_OVERRIDES": {
        "ShareKindEnum": "collections_app.models.ShareKind",
        "AssetTypeEnum": "assets.models.AssetType",
        "AssetStatusEnum": "assets.models.AssetStatus",
        "JobKindEnum": "assets.models.JobKind",
        "JobStatusEnum": "assets.models.JobStatus",
        "TeamRoleEnum": "collections_app.models.TeamRole",
        "CollectionRoleEnum": ["owner", "editor", "viewer"],
        "GrantRoleEnum": ["viewer", "editor"],
        "GranteeTypeEnum": ["user", "team"],
        "ActivityVerbEnum": "collections_app.models.ActivityVerb",
        "UsageKindEnum": "assets.models.UsageKind",
    },
}

# Throttles and share-link password guesses are counted here: set CACHE_URL (e.g.
# redis://127.0.0.1:6379/1) when more than one process serves the app.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Celery: eager (in-process) unless a broker is configured.
_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = _BROKER_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not _BROKER_URL)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")

# Security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the page's JS reads it to send X-CSRFToken

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print every record a second time.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}

# Pillow refuses images with more pixels than this (decompression bombs).
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=64_000_000)

# Jobs and upkeep
EXPORT_TTL = env.int("EXPORT_TTL", default=24 * 3600)  # seconds a zip export stays downloadable
TRASH_RETENTION_DAYS = env.int("TRASH_RETENTION_DAYS", default=30)
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=120)  # no heartbeat this long: dispatch again
JOB_ITEM_DELAY_SECONDS = env.float("JOB_ITEM_DELAY_SECONDS", default=0.0)  # fault injection (tests only)
PURGE_CHUNK_SIZE = env.int("PURGE_CHUNK_SIZE", default=500)  # assets deleted per transaction
ORPHAN_GRACE_SECONDS = env.int("ORPHAN_GRACE_SECONDS", default=3600)  # younger files are never orphans
STUCK_ASSET_MINUTES = env.int("STUCK_ASSET_MINUTES", default=60)
SHARE_LINK_DEFAULT_DAYS = env.int("SHARE_LINK_DEFAULT_DAYS", default=0)  # 0: links don't expire by default
# How often an open collection link's public page looks for new assets (with script).
SHARE_LIVE_REFRESH_SECONDS = env.float("SHARE_LIVE_REFRESH_SECONDS", default=15.0)

# What Celery beat runs (`make beat`). Each task is also a management command.
CELERY_BEAT_SCHEDULE = {
    "recover-stale-jobs": {"task": "assets.tasks.recover_stale_jobs", "schedule": 60.0},
    "fail-stuck-assets": {"task": "assets.tasks.fail_stuck_assets", "schedule": 10 * 60.0},
    "cleanup-exports": {"task": "assets.tasks.cleanup_exports", "schedule": 60 * 60.0},
    "purge-trash": {"task": "assets.tasks.purge_trash", "schedule": 6 * 60 * 60.0},
    "cleanup-orphans": {"task": "assets.tasks.cleanup_orphans", "schedule": 24 * 60 * 60.0},
    "expire-shares": {"task": "collections_app.tasks.expire_shares", "schedule": 60 * 60.0},
    "compact-stats": {"task": "analytics.tasks.compact_stats", "schedule": 24 * 60 * 60.0},
}

# Media pipeline (assets.media_probe, assets.thumbnails): Debian's ffmpeg package. Without
# ffprobe, video/audio dimensions and durations stay empty (a warning is logged); without
# ffmpeg, videos get no poster frame and only WAV files get a waveform.
FFPROBE_PATH = env("FFPROBE_PATH", default=shutil.which("ffprobe") or "")
FFMPEG_PATH = env("FFMPEG_PATH", default=shutil.which("ffmpeg") or "")
MEDIA_TOOL_TIMEOUT = env.int("MEDIA_TOOL_TIMEOUT", default=120)  # seconds per ffprobe/ffmpeg run
THUMBNAIL_SIZE = env.int("THUMBNAIL_SIZE", default=400)  # longest side, pixels
THUMBNAIL_TARGET_BYTES = env.int("THUMBNAIL_TARGET_BYTES", default=40_000)  # WebP quality is lowered to fit

# How often the library page refreshes assets that are still pending or processing.
LIBRARY_REFRESH_MS = env.int("LIBRARY_REFRESH_MS", default=5000)

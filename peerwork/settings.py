"""The one settings module: everything that varies between machines comes from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PEERWORK_ENV = env_str("PEERWORK_ENV", "embedded")
PRODUCTION = PEERWORK_ENV == "production"
DATA_DIR = Path(env_str("PEERWORK_DATA_DIR", "var")).resolve()


def _secret_key() -> str:
    """Production must bring its own key; the embedded run makes one once and keeps it."""
    key = env_str("PEERWORK_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "PEERWORK_SECRET_KEY is required when PEERWORK_ENV=production; "
            "set it to a long random string "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("PEERWORK_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "PEERWORK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("PEERWORK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "ninja",
    "peerwork.core",
    "peerwork.accounts",
    "peerwork.spaces",
    "peerwork.activity",
    "peerwork.wiki",
    "peerwork.authorship",
    "peerwork.search",
    "peerwork.discussions",
    "peerwork.interop",
    "peerwork.ideas",
    "peerwork.challenges",
    "peerwork.ledger",
    "peerwork.tasks",
    "peerwork.governance",
    "peerwork.credit",
    "peerwork.reputation",
    "peerwork.assist",
    "peerwork.abuse",
    "peerwork.risk",
    "peerwork.bridging",
    "peerwork.moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy (see the browser security block below).
    "peerwork.core.security.SecurityHeadersMiddleware",
    "peerwork.core.pagecache.HeadMiddleware",
    "peerwork.core.middleware.RejectNulMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "peerwork.core.pagecache.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "peerwork.core.limits.ClientAddressMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peerwork.accounts.middleware.TokenAuthenticationMiddleware",
    "peerwork.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "peerwork.core.middleware.ProblemMiddleware",
]

ROOT_URLCONF = "peerwork.urls"
WSGI_APPLICATION = "peerwork.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peerwork.core.context_processors.header_counts",
            ],
            # Every template's {% url %} remembers what it reversed (core/templatetags/urls.py).
            "builtins": ["peerwork.core.templatetags.urls"],
        },
    }
]


#: Django's SQLite backend with a first-come queue for writers (peerwork/core/sqlite/base.py).
SQLITE_ENGINE = "peerwork.core.sqlite"


def _databases() -> dict:
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("PEERWORK_DB_CONN_MAX_AGE", 60))
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["ENGINE"] = SQLITE_ENGINE
            config["OPTIONS"] = _sqlite_options()
        return {"default": config}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": str(DATA_DIR / "peerwork.sqlite3"),
            "OPTIONS": _sqlite_options(),
            # Kept open between requests: a new connection reads the whole schema again on
            # its first query, which cost a signed-in API request more than its own work.
            "CONN_MAX_AGE": env_int("PEERWORK_DB_CONN_MAX_AGE", 60),
            # Tests run concurrent writers, which an in-memory database cannot hold.
            # One file per test process, so two runs on one machine do not share it.
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }


def _sqlite_options() -> dict:
    """See docs/decisions/0001-sqlite-durability.md for why these values."""
    return {
        # BEGIN IMMEDIATE takes the write lock up front, so two writers queue on the busy
        # timeout instead of both reading and then deadlocking on the upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=FULL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=30000;"
        ),
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the shared cache (files, or Redis) and written through to the database:
# a signed-in request spares a query, and a session outlives a cache flush.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind a reverse proxy (deploy/nginx.conf) that sets X-Forwarded-Proto on every request, a
# request is HTTPS when the proxy says so. Trust it only when the nodes are reachable through
# the proxy alone: anyone who reaches a node directly could send the header themselves.
if env_bool("PEERWORK_BEHIND_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxy passes the client's Host header through; X-Forwarded-Host only if it is told to.
USE_X_FORWARDED_HOST = env_bool("PEERWORK_USE_X_FORWARDED_HOST", False)

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("PEERWORK_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        # PEERWORK_SSL_REDIRECT=0 says the proxy in front redirects http to https, so the
        # deploy check's advice to redirect here is already followed (docs/security.md).
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("PEERWORK_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("PEERWORK_HSTS_PRELOAD", True)

# ---- browser security headers (peerwork/core/security.py, docs/security.md) --------------
# SecurityMiddleware sends nosniff, Referrer-Policy, Cross-Origin-Opener-Policy and, on HTTPS
# answers only, HSTS; X_FRAME_OPTIONS above matches the policy's frame-ancestors 'none'.
# Pictures in wiki pages load from peerwork's own address only; list other hosts here
# (e.g. "https://media.example.org") to allow them (docs/decisions/0032-*.md says why).
PEERWORK_CSP_IMG_SOURCES = env_list("PEERWORK_CSP_IMG_SOURCES", [])
# ---- end of browser security headers -----------------------------------------------------

REDIS_URL = env_str("REDIS_URL")

# ---- email (docs/decisions/0042-email.md) --------------------------------------------------
#: Schemes PEERWORK_EMAIL_URL takes, and the Django backend each one chooses.
EMAIL_SCHEMES = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def email_settings(url: str, data_dir: Path) -> dict[str, Any]:
    """Django's EMAIL_* settings from one address, as PEERWORK_EMAIL_URL gives it:

    - ``smtp://user:password@host:587``: SMTP with STARTTLS (required), port 587 by default;
      a loopback host (a local relay) talks plain unless ``?starttls=on``; ``?starttls=off``
      talks plain anywhere. Percent-encode an ``@`` or ``:`` in the user or password.
    - ``smtps://user:password@host:465``: SMTP over TLS from the first byte, port 465.
    - ``console:`` prints each mail; ``locmem:`` keeps them in memory (tests);
      ``file:///path`` writes one file per mail into that folder.
    - empty: files under ``<data dir>/mail/``, the embedded default.
    SMTP takes ``?timeout=SECONDS`` (10 by default). A bad address raises one line that
    names what is wrong, and never repeats the password.
    """
    from urllib.parse import parse_qs, unquote, urlsplit

    if not url:
        return {"EMAIL_BACKEND": EMAIL_SCHEMES["file"], "EMAIL_FILE_PATH": str(data_dir / "mail")}

    def bad(reason: str) -> ImproperlyConfigured:
        shown = url
        if "@" in url and "://" in url:  # hide the credentials
            scheme, rest = url.split("://", 1)
            shown = f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
        return ImproperlyConfigured(
            f"PEERWORK_EMAIL_URL {shown!r}: {reason} (e.g. smtp://user:password@host:587, "
            "smtps://user:password@host:465, console:, file:///var/mail/peerwork, locmem:)"
        )

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in EMAIL_SCHEMES:
        raise bad(f"unknown scheme {scheme or '(none)'!r}; use one of {', '.join(EMAIL_SCHEMES)}")
    config: dict[str, Any] = {"EMAIL_BACKEND": EMAIL_SCHEMES[scheme]}
    if scheme == "file":
        if parts.netloc or not parts.path or parts.path == "/":
            raise bad("a file address names a folder as file:///absolute/path")
        config["EMAIL_FILE_PATH"] = unquote(parts.path)
        return config
    if scheme in {"console", "locmem"}:
        return config
    try:
        port = parts.port
    except ValueError:
        raise bad("the port is not a number from 1 to 65535") from None
    host = parts.hostname or ""
    if not host:
        raise bad("no host")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"starttls", "timeout"}
    if unknown:
        raise bad(f"unknown option {sorted(unknown)[0]!r}; the options are starttls and timeout")
    starttls = query.get("starttls", "off" if host in LOOPBACK_HOSTS else "on").lower()
    if starttls not in {"on", "off"}:
        raise bad("starttls must be on or off")
    try:
        timeout = int(query.get("timeout", "10"))
    except ValueError:
        raise bad("timeout must be a whole number of seconds") from None
    if timeout <= 0:
        raise bad("timeout must be a whole number of seconds")
    config.update(
        EMAIL_HOST=host,
        EMAIL_PORT=port or (465 if scheme == "smtps" else 587),
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_SSL=scheme == "smtps",
        EMAIL_USE_TLS=scheme == "smtp" and starttls == "on",
        EMAIL_TIMEOUT=timeout,
    )
    if scheme == "smtps" and "starttls" in query:
        raise bad("smtps is TLS from the start; starttls is for smtp")
    return config


def email_sender(value: str) -> str:
    """PEERWORK_EMAIL_FROM: an address, or a name and an address ("peerwork <a@b.org>")."""
    from email.utils import parseaddr

    _name, address = parseaddr(value)
    local, at, domain = address.rpartition("@")
    if not (local and at and domain) or "\n" in value or "\r" in value:
        raise ImproperlyConfigured(
            f"PEERWORK_EMAIL_FROM {value!r} is not an address; "
            "write it as 'peerwork@example.org' or 'peerwork <peerwork@example.org>'"
        )
    return value


PEERWORK_EMAIL_URL = env_str("PEERWORK_EMAIL_URL")
_EMAIL = email_settings(PEERWORK_EMAIL_URL, DATA_DIR)
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _EMAIL.get("EMAIL_FILE_PATH")
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _EMAIL.get("EMAIL_TIMEOUT")
DEFAULT_FROM_EMAIL = email_sender(env_str("PEERWORK_EMAIL_FROM", "peerwork <peerwork@localhost>"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: The site's public address ("https://peerwork.example.org") that links in mails start with;
#: in production the first allowed host by default. Without it (the embedded run), a mail sent
#: while answering a request links to the address the request came to.
PEERWORK_BASE_URL = env_str("PEERWORK_BASE_URL").rstrip("/") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
    if PRODUCTION and ALLOWED_HOSTS and ALLOWED_HOSTS[0] != "*"
    else ""
)
#: How long a password reset link works (Django's own setting) and a verification link.
PASSWORD_RESET_TIMEOUT = env_int("PEERWORK_PASSWORD_RESET_SECONDS", 3 * 3600)
PEERWORK_EMAIL_VERIFY_SECONDS = env_int("PEERWORK_EMAIL_VERIFY_SECONDS", 7 * 24 * 3600)
# ---- end of email --------------------------------------------------------------------------


# ---- HTTP caching (peerwork/core/pagecache.py, docs/decisions/0030-page-cache.md) ----------
# One cache shared by every worker (and every node): Redis when REDIS_URL is set, else files in
# the data directory. PEERWORK_CACHE_URL names another Redis for the cache alone.
_CACHE_REDIS = env_str("PEERWORK_CACHE_URL", REDIS_URL)
if _CACHE_REDIS:
    _cache_backend: dict[str, Any] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _CACHE_REDIS,
    }
else:
    _cache_backend = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("PEERWORK_CACHE_MAX_ENTRIES", 20000)},
    }
CACHES = {
    alias: {
        **_cache_backend,
        "KEY_PREFIX": f"peerwork-{alias}",
        **({} if _CACHE_REDIS else {"LOCATION": str(DATA_DIR / "cache" / alias)}),
    }
    for alias in ("default", "pages")
}
# Anonymous pages of public spaces are kept until an event purges them (off: every read renders).
PEERWORK_PAGE_CACHE = env_bool("PEERWORK_PAGE_CACHE", True)
# A kept page is dropped after this long even if nothing purged it.
PEERWORK_PAGE_CACHE_SECONDS = env_int("PEERWORK_PAGE_CACHE_SECONDS", 3600)
# How long a shared cache in front of peerwork (a reverse proxy, a CDN) may serve an anonymous
# answer before it asks again with the ETag (`s-maxage`); 0 makes it ask every time.
PEERWORK_SHARED_MAX_AGE = env_int("PEERWORK_SHARED_MAX_AGE", 10)

NINJA_PAGINATION_MAX_LIMIT = 100

# ---- rate limits and sign-in throttling (peerwork/abuse, docs/moderation.md) ---------------
# PEERWORK_RATE_LIMITS=off turns every limit off (a load test, a trusted import).
PEERWORK_RATE_LIMITS_ON = env_bool("PEERWORK_RATE_LIMITS", True)
# The site's figures over MediaWiki's defaults (peerwork/abuse/limiter.py DEFAULTS):
# {"edit": {"user": (30, 60)}} is 30 edits a minute per established account; 0 removes a bucket.
PEERWORK_RATE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {}
# Without a space to be autoconfirmed in (sign-ups, API tokens), an account is new this long.
PEERWORK_NEW_ACCOUNT_SECONDS = env_int("PEERWORK_NEW_ACCOUNT_SECONDS", 4 * 86400)
# The client's address is X-Forwarded-For's last entry behind the proxy (deploy/nginx.conf
# overwrites the header), else REMOTE_ADDR.
PEERWORK_TRUST_X_FORWARDED_FOR = env_bool("PEERWORK_BEHIND_PROXY", PRODUCTION)
# ---- end of rate limits ----------------------------------------------------------------------

# API tokens record their last use at most this often, so reads stay reads.
PEERWORK_TOKEN_TOUCH_SECONDS = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PEERWORK_LOG_LEVEL", "WARNING")},
    # A refused request is the client's business and has its answer; only failures are logged.
    "loggers": {"django.request": {"level": "ERROR"}},
}

# ---- background jobs, webhooks, live updates (docs/decisions/0008-jobs.md) ----------------
# "celery" (Redis at REDIS_URL, a `celery -A peerwork worker -B` beside the web server) or
# "inprocess" (the embedded default: jobs run in this process after the transaction commits).
PEERWORK_JOBS = env_str("PEERWORK_JOBS", "celery" if REDIS_URL else "inprocess")
if PEERWORK_JOBS not in {"celery", "inprocess"}:
    raise ImproperlyConfigured(f"PEERWORK_JOBS must be celery or inprocess, not {PEERWORK_JOBS!r}")
# In-process worker threads; 0 runs each job synchronously in the committing thread.
PEERWORK_JOBS_THREADS = env_int("PEERWORK_JOBS_THREADS", 2)

# The assist service's embedder: "wordllama" (ships in its wheel) or "tfidf" (fitted per space).
PEERWORK_ASSIST_EMBEDDER = env_str("PEERWORK_ASSIST_EMBEDDER", "wordllama")
if PEERWORK_ASSIST_EMBEDDER not in {"wordllama", "tfidf"}:
    raise ImproperlyConfigured(
        f"PEERWORK_ASSIST_EMBEDDER must be wordllama or tfidf, not {PEERWORK_ASSIST_EMBEDDER!r}"
    )
# Signs MediaWiki's job-runner requests (index.php?title=Special:RunJobs, which MediaWiki's own
# API tests call); empty turns that runner off.
PEERWORK_MEDIAWIKI_JOBS_KEY = env_str("PEERWORK_MEDIAWIKI_JOBS_KEY", "")
CELERY_BROKER_URL = REDIS_URL or "redis://127.0.0.1:6379/0"
# Webhook targets on loopback, private or link-local networks are refused unless this is on
# (cloud metadata addresses are refused always).
PEERWORK_WEBHOOK_ALLOW_PRIVATE = env_bool("PEERWORK_WEBHOOK_ALLOW_PRIVATE", False)
PEERWORK_WEBHOOK_TIMEOUT = env_int("PEERWORK_WEBHOOK_TIMEOUT", 10)
# Seconds to wait before each retry; a delivery gives up after len(...) + 1 attempts.
PEERWORK_WEBHOOK_RETRY_DELAYS = [
    int(s) for s in env_list("PEERWORK_WEBHOOK_RETRY_DELAYS", ["60", "300", "1500", "7500"])
]
# Server-Sent Events: a stream closes after LIFETIME seconds (the browser reconnects with
# Last-Event-ID), polls the database every POLL seconds and sends a comment every HEARTBEAT.
PEERWORK_LIVE_LIFETIME = env_int("PEERWORK_LIVE_LIFETIME", 30)
PEERWORK_LIVE_HEARTBEAT = env_int("PEERWORK_LIVE_HEARTBEAT", 15)
PEERWORK_LIVE_POLL = 1.0
# With Redis a stream wakes when a space's event commits (a pub/sub message from any server
# process) and reads the log at least this often besides, in case a message was lost.
PEERWORK_LIVE_SAFETY_POLL = env_int("PEERWORK_LIVE_SAFETY_POLL", 10)
# Open streams per process at most: each holds a server thread (`peerwork serve --threads`,
# 4 by default) while it is open, so keep this below the thread count.
PEERWORK_LIVE_MAX_STREAMS = env_int("PEERWORK_LIVE_MAX_STREAMS", 2)

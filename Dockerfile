# syntax=docker/dockerfile:1
# Joined Up: one image for the web (ASGI), Celery worker and Celery beat.
#
#   docker build -t joinedup .
#   docker compose up        (see docker-compose.yml and docs/deployment.md)

# --- Stage 1: front-end assets (GOV.UK Frontend compiled with Sass) -----------
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY cop/static_src cop/static_src
# Writes cop/static/build/ (main.css, govuk-frontend.min.js, images).
RUN npm run build

# --- Stage 2: the Python application ------------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cop.settings.production \
    DJANGO_MEDIA_ROOT=/app/var/media

WORKDIR /app

RUN groupadd --system --gid 10001 cop \
    && useradd --system --uid 10001 --gid cop --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin cop

# Runtime requirements only (no test or lint tools). Every dependency ships
# manylinux wheels (psycopg[binary], nh3, uvloop), so no compiler is needed.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=assets /build/cop/static/build cop/static/build

# production.py refuses to start without these five; collectstatic touches
# neither the database, Redis nor email, so dummy values serve for this line only.
# The settings' var/ directory goes to /tmp so the build leaves nothing behind.
RUN DJANGO_SECRET_KEY=collectstatic-build-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    EMAIL_URL=smtp://localhost:25 \
    COP_VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var

# The code stays root-owned and read-only to the app; only var/ is writable
# (settings create var/mail at start-up; uploads go to var/media and space
# documents to var/private, volumes in docker-compose.yml, which take this
# ownership; Celery beat keeps its schedule state here).
RUN mkdir -p var/mail var/media var/private && chown -R cop:cop var

USER cop
EXPOSE 8000

# slim has no curl. The request names the first allowed host and says it came
# over HTTPS (SECURE_PROXY_SSL_HEADER), so neither ALLOWED_HOSTS nor
# SECURE_SSL_REDIRECT turns the check into a 400 or a redirect. /healthz
# answers 503 (an error for urlopen) when the database, cache or channel
# layer is down.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.').replace('*', 'localhost') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=8)"]

# ASGI by default (it serves pages and websockets, so one container works on
# its own). docker-compose.yml runs pages on gunicorn (cop.wsgi:application),
# which our benchmark found cheaper, and keeps this command for /ws/.
CMD ["uvicorn", "cop.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--proxy-headers"]

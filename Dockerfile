# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# The dependencies exactly as locked (every file checked against its hash), then the project.
COPY requirements.lock ./
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY src ./src
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps .

FROM python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PLASED_ENVIRONMENT=production \
    PLASED_MIGRATIONS_DIR=/app/migrations
RUN groupadd --system --gid 10001 plased \
    && useradd --system --uid 10001 --gid plased --home-dir /app plased
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY migrations ./migrations
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=4).status != 200)"]
# Migrations first (safe to run on every start), then serve.
CMD ["sh", "-c", "plased migrate && exec plased serve --host 0.0.0.0 --port 8000 --workers ${PLASED_WORKERS:-2}"]

# The advisor's image: `advisor serve` on port 3000, configured only through ADVISOR_* variables.
#
#   docker build -t ssrm-advisor .        (or: podman build --format docker -t ssrm-advisor .)
#   docker run --env-file .env -p 3000:3000 ssrm-advisor
#
# Measured on these machines (2 cores; Debian 12 base, 176 MB, since no registry is reached
# there): 514 MB (513,850,009 bytes), of which the virtualenv is 345 MB; a build without cached
# layers takes 37 to 57 s, most of it pip downloading wheels, and one after a change to the code
# only 14 s (the dependencies' layer is reused).
#
# Builds behind a TLS-intercepting proxy: --build-arg PIP_CERT=/path/in/build/ca.crt (mounted).

ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS builder
ARG PIP_CERT=
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
RUN python3 -m venv /opt/advisor
WORKDIR /src
COPY pyproject.toml ./
# The dependencies first, from pyproject.toml alone: a layer that a change to the code reuses.
RUN python3 -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" >/tmp/dependencies.txt \
    && /opt/advisor/bin/pip install --requirement /tmp/dependencies.txt
COPY README.md ./
COPY engine ./engine
COPY dialogs ./dialogs
COPY storage ./storage
COPY bot ./bot
# The wheel is built in pip's isolated build environment, which fetches setuptools>=69 as
# pyproject.toml asks: the venv's own setuptools may be older.
RUN /opt/advisor/bin/pip wheel --no-deps --wheel-dir /wheels . \
    && /opt/advisor/bin/pip install /wheels/*.whl \
    && /opt/advisor/bin/pip uninstall --yes pip setuptools wheel

FROM ${BASE_IMAGE}
ARG UID=10001
RUN groupadd --gid "${UID}" advisor \
    && useradd --uid "${UID}" --gid advisor --home-dir /var/lib/advisor --create-home \
        --shell /usr/sbin/nologin advisor
COPY --from=builder /opt/advisor /opt/advisor
ENV PATH=/opt/advisor/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    ADVISOR_HOST=0.0.0.0 \
    ADVISOR_PORT=3000 \
    ADVISOR_LOG_FORMAT=json
# The default SQLite database (var/advisor.db) lands here; production sets ADVISOR_DATABASE_URL.
WORKDIR /var/lib/advisor
USER ${UID}:${UID}
EXPOSE 3000
# python3, not curl: the slim base has no curl. The port follows ADVISOR_PORT if it is changed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('ADVISOR_PORT', '3000') + '/healthz', timeout=4)"]
CMD ["advisor", "serve"]

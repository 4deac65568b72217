# syntax=docker/dockerfile:1
# giamsat container image. Two stages: `build` has the C toolchain that durable-rules
# (an sdist with a C engine) needs to compile; `runtime` gets only the finished virtualenv.
#   docker build -t giamsat:0.1.0 .
#   docker run --rm -p 8000:8000 giamsat:0.1.0 serve --host 0.0.0.0 --port 8000

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc g++ make libc6-dev \
    && rm -rf /var/lib/apt/lists/*
# The same path in both stages keeps the virtualenv's scripts and shebangs valid.
RUN python -m venv /opt/giamsat
ENV PATH=/opt/giamsat/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY platform ./platform
COPY plugins ./plugins
# The core and both channel plugins install as separate distributions, exactly as a
# partner's plugin would; a non-editable install leaves no reference to /src behind.
RUN pip install --upgrade pip setuptools wheel \
    && pip install . ./plugins/workplace ./plugins/residence ./plugins/staff \
    && python -m compileall -q /opt/giamsat/lib

FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="giamsat" \
      org.opencontainers.image.description="Fatherland Front supervision platform"
ENV PATH=/opt/giamsat/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GIAMSAT_MIGRATIONS_DIR=/app/migrations
# A fixed numeric uid lets Kubernetes verify runAsNonRoot without reading /etc/passwd.
# LibreOffice Writer (headless, no GUI) turns the results report into PDF, with the fonts that
# carry Vietnamese; without it the PDF download answers 503. About 200 MB of the image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 giamsat \
    && useradd --system --uid 10001 --gid giamsat --home-dir /app --shell /usr/sbin/nologin giamsat
COPY --from=build /opt/giamsat /opt/giamsat
WORKDIR /app
# Data the installed package reads at run time: piccolo migrations, rule packs, tenant data.
COPY --chown=root:root migrations ./migrations
COPY --chown=root:root rules ./rules
COPY --chown=root:root tenants ./tenants
USER 10001:10001
EXPOSE 8000
ENTRYPOINT ["giamsat"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]

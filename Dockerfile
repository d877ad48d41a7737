# pmbot in HTTP mode: a small image, run as a non-root user, with the knowledge
# bundled in the installed package and its SQLite database on a volume.
#
# CI cannot build images on its machine, so this file stays minimal, and every
# command it runs (the install, `pmbot validate`, `pmbot serve --http` and the
# health check) is also run by CI outside Docker, in the same order, by
# .ci/deploy-check (tests/test_deploy.py fails if the two drift apart). The one
# exception is `useradd`, which only creates the user the image runs as.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATABASE_URL=sqlite:////data/pmbot.sqlite3

WORKDIR /src
# The dependencies first, in a layer of their own: a knowledge or code edit rebuilds
# only the small layer below, not every library.
COPY pyproject.toml ./
RUN pip install --no-cache-dir $(python -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))")
COPY README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install --no-cache-dir --no-deps .
RUN useradd --system --uid 10001 --home-dir /data --create-home pmbot

# Not /src: from there ./knowledge would be read instead of the bundled copy.
WORKDIR /data
USER pmbot
RUN pmbot validate
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=3)"
CMD ["pmbot", "serve", "--http"]

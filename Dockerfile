# Readout worker image: `docker build -t readout .` then
#   docker run -v readout-data:/home/readout/data -p 8080:8080 readout
# Tokens come from the environment (-e READOUT_TELEGRAM_TOKEN=...), never from the image.
# A config file, if any, is mounted at /home/readout/readout.toml (the working directory's
# readout.toml is read by default):
#   -v ./readout.toml:/home/readout/readout.toml:ro
# Port 8080 serves /healthz and /metrics, and the inbound routes when configured (Telegram
# webhook, Slack HTTP mode, POST /reports).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin readout

WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY seeds ./seeds
# constraints.txt pins every dependency to the versions CI passed with.
RUN pip install -c constraints.txt . && rm -rf /src

USER readout
WORKDIR /home/readout
RUN mkdir -p /home/readout/data
# The gazetteer is built from the seed files once, here, into ~/.cache/readout: every
# container starts by reading it back (0.3 s) instead of building it (1.5 s).
RUN python -c "from bot.knowledge import load_gazetteer; load_gazetteer()"
# matplotlib builds its font cache on first use: here, not in every new container.
RUN python -c "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"
ENV READOUT_DATABASE_URL=sqlite:////home/readout/data/readout.db \
    READOUT_HTTP_HOST=0.0.0.0 \
    READOUT_HTTP_PORT=8080
VOLUME ["/home/readout/data"]
EXPOSE 8080
# `readout health` asks the worker's own /healthz (the database answers, a poll finished
# lately) and exits 1 otherwise.
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 \
    CMD ["readout", "health"]

CMD ["readout", "run"]

# The scorer's image: `riskscorer` is the entry point (worker by default).
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY scoring ./scoring
COPY streams ./streams
RUN pip install --no-cache-dir . \
    && useradd --system --no-create-home --uid 10001 riskscorer \
    && mkdir -p /tmp/riskscorer-data \
    && chown riskscorer /tmp/riskscorer-data
USER riskscorer
ENV RISKSCORER_WEB_HOST=0.0.0.0 \
    RISKSCORER_WEB_PORT=6066 \
    RISKSCORER_DATA_DIR=/tmp/riskscorer-data
EXPOSE 6066
ENTRYPOINT ["riskscorer"]
CMD ["worker", "-l", "info", "--loop", "uvloop"]

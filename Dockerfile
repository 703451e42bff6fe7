FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY scoring ./scoring
COPY streams ./streams
COPY deploy/rules.toml ./deploy/rules.toml
RUN pip install --no-cache-dir .
ENV RISKSCORER_RULES_FILE=/app/deploy/rules.toml \
    RISKSCORER_WEB_HOST=0.0.0.0 \
    RISKSCORER_DATA_DIR=/tmp/riskscorer-data
EXPOSE 6066
ENTRYPOINT ["riskscorer"]
CMD ["worker", "-l", "info", "--loop", "uvloop"]

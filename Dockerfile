# Airflow 3.3.2 with newsetl installed, for docker compose. Same pins as the local install.
FROM apache/airflow:3.3.2-python3.11
COPY --chown=airflow:root . /opt/newsetl
RUN pip install --no-cache-dir -c /opt/newsetl/constraints.txt -e /opt/newsetl

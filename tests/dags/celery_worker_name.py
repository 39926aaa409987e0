"""``AIRFLOW__CORE__HOSTNAME_CALLABLE`` of the Celery test's workers: the worker's name, so each task
instance records which of two workers on one host ran it."""

from __future__ import annotations

import os
import socket


def worker_name() -> str:
    """Return ``<NEWSETL_TEST_WORKER>@<host>`` (the name the worker was started with, ``-n w1@%h``)."""
    return f"{os.environ['NEWSETL_TEST_WORKER']}@{socket.gethostname()}"

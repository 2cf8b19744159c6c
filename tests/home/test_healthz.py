"""/healthz tells the load balancer whether this process can serve, and nothing else."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from library.tasks import update_search_index
from tests.enquiries.conftest import free_port

pytestmark = pytest.mark.django_db

CHECKS = {"database", "cache", "search", "tasks"}


def assert_leaks_nothing(response, *secrets):
    body = response.content.decode()
    assert set(response.json()) == {"status", "checks"}
    assert set(response.json()["checks"]) == CHECKS
    assert set(response.json()["checks"].values()) <= {"ok", "failing"}
    for secret in ("Error", "Traceback", "version", "127.0.0.1", *secrets):
        assert secret not in body
    assert "no-cache" in response["Cache-Control"]


def test_healthy_site_answers_200_with_every_check_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}
    assert_leaks_nothing(response)


def test_unreachable_cache_answers_503_naming_only_the_failing_check(client, settings):
    port = free_port()  # nothing listens here
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/5",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "ok", "cache": "failing", "search": "ok", "tasks": "ok"},
    }
    assert_leaks_nothing(response, str(port), "redis", "Connection")


def test_unreachable_search_cluster_answers_503(client, settings):
    port = free_port()
    settings.SHELFMARK_SEARCH = {
        "ENGINE": "library.search.engines.elasticsearch.ElasticsearchEngine",
        "OPTIONS": {"url": f"http://127.0.0.1:{port}", "snapshot_wait": None},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["search"] == "failing"
    assert_leaks_nothing(response, str(port), "elastic")


def test_task_queue_left_waiting_by_a_stopped_worker_answers_503(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = update_search_index.enqueue([1])
    assert client.get("/healthz").status_code == 200  # just queued: a worker will take it

    DBTaskResult.objects.filter(pk=queued.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=settings.HEALTHZ_MAX_TASK_WAIT + 60)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"] == "failing"
    assert_leaks_nothing(response)


def test_too_many_due_tasks_answer_503(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTHZ_MAX_QUEUED_TASKS = 2
    for record_id in range(3):
        update_search_index.enqueue([record_id])
    assert client.get("/healthz").json()["checks"]["tasks"] == "failing"


def test_healthz_takes_no_changes(client):
    assert client.post("/healthz").status_code == 405

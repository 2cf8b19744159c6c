"""A task worker killed mid-send: the sweep queues its work again and the email leaves once.

A real `manage.py db_worker` process sends the enquiry's emails to a real SMTP server that
holds the first message at its recipient, is killed there (SIGKILL, as the out-of-memory
killer or a host restart would), and `recover_stalled_tasks` and a new worker finish the job.
An index update whose worker died is queued again the same way.
"""

import asyncio
import datetime
import io
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enquiries.models import Enquiry, Source
from library.models import CatalogueRecord
from library.search import parse_search_params, search_catalogue
from library.tasks import update_search_index
from tests.enquiries.conftest import Inbox, SMTPServer, settings_for_subprocess
from tests.enquiries.test_delivery import run_worker
from tests.factories.home import make_site
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT_DIR = Path(settings.BASE_DIR)

# Moves the clock of every claim and running task back an hour: what a cron sweep would find
# once the dead worker's claim (5 minutes) and the stall limit (15 minutes) have passed.
LET_AN_HOUR_PASS = """
import datetime
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from enquiries.models import OutgoingMessage
an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
OutgoingMessage.objects.filter(claimed_until__isnull=False).update(claimed_until=an_hour_ago)
DBTaskResult.objects.filter(status="RUNNING").update(started_at=an_hour_ago)
"""


class HoldingInbox(Inbox):
    """Holds the first message at RCPT (mid-send) until the test releases it."""

    def __init__(self):
        super().__init__()
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not self.holding.is_set():
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def holding_smtp_server():
    server = SMTPServer()
    server.inbox = HoldingInbox()
    server.start()
    yield server
    server.inbox.released.set()
    server.stop()


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def test_email_of_a_worker_killed_mid_send_arrives_exactly_once_after_the_sweep(
    form_page, holding_smtp_server, tmp_path, settings
):
    settings.ENQUIRIES_TASK_BACKEND = "database"
    enquiry = Enquiry.submit(
        name="Jo Bloggs",
        email="jo@example.org",
        profession="health",
        nation="wales",
        question="Anything on bruising in non-mobile babies?",
        source=Source.WEB,
    )
    env = settings_for_subprocess(
        tmp_path,
        "recovery_settings",
        [
            "EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'",
            f"EMAIL_HOST, EMAIL_PORT = '127.0.0.1', {holding_smtp_server.port}",
            "EMAIL_USE_TLS = EMAIL_USE_SSL = False",
            "EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ''",
            "ENQUIRIES_TASK_BACKEND = 'database'",
            "LOGGING = {'version': 1, 'root': {'level': 'ERROR'}}",
        ],
    )
    worker_args = ["db_worker", "--backend=database", "--no-startup-delay", "--no-reload"]
    worker = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *worker_args, "--interval=0.1"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        reached = holding_smtp_server.inbox.holding.wait(timeout=120)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert reached, "The worker never reached the mail server."
    holding_smtp_server.inbox.released.set()
    assert holding_smtp_server.inbox.messages == []

    manage(env, "shell", "--command", LET_AN_HOUR_PASS)
    swept = manage(env, "recover_stalled_tasks")
    assert "Queued again 1 abandoned enquiry emails and 1 stalled tasks." in swept.stdout
    manage(env, *worker_args, "--batch", "--interval=0")

    inbox = holding_smtp_server.inbox
    assert len(inbox.to("jo@example.org")) == 1
    assert len(inbox.to("service@example.org")) == 1
    assert enquiry.reference in inbox.to("jo@example.org")[0]["data"]
    assert len(inbox.messages) == 2

    # Another sweep and another worker find nothing left to send.
    swept = manage(env, "recover_stalled_tasks")
    assert "Queued again 0 abandoned enquiry emails and 0 stalled tasks." in swept.stdout
    manage(env, *worker_args, "--batch", "--interval=0")
    assert len(inbox.messages) == 2


def found(query: str) -> list[str]:
    results = search_catalogue(parse_search_params({"q": query}), AnonymousUser())
    return [hit.record.title for hit in results.hits]


def test_index_update_of_a_worker_that_died_runs_again_after_the_sweep():
    record = CatalogueRecordFactory(
        parent=LibraryIndexPageFactory(parent=make_site()), title="Neglect in the early years"
    )
    # A change written without signals, whose index update a worker took and then died on.
    CatalogueRecord.objects.filter(pk=record.pk).update(title="Resilient families")
    queued = update_search_index.using(backend="database").enqueue([record.pk])
    DBTaskResult.objects.get(pk=queued.id).claim("a-worker-that-was-killed")
    run_worker()
    assert found("resilient") == []  # nothing runs a RUNNING task again by itself

    call_command("recover_stalled_tasks", stdout=io.StringIO())
    assert found("resilient") == []  # still running, as far as anyone can tell

    DBTaskResult.objects.filter(status="RUNNING").update(
        started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    output = io.StringIO()
    call_command("recover_stalled_tasks", stdout=output)
    assert "1 stalled tasks" in output.getvalue()
    run_worker()
    assert found("resilient") == ["Resilient families"]
    stalled = DBTaskResult.objects.get(pk=queued.id)
    assert stalled.status == "FAILED"
    assert "stopped before it finished" in stalled.traceback

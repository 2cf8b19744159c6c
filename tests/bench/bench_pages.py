"""Page rendering through the full Django stack (in-process client, no network)."""

import io

from django.core.management import call_command
from django.test import Client

from home.models import HomePage
from tests.bench.timing import TABLE_HEADER, summary_row, time_calls


def run(options) -> list[str]:
    call_command("migrate", verbosity=0)
    if not HomePage.objects.exists():
        call_command("load_demo_content", records=0, stdout=io.StringIO())
    client = Client()
    rows = [
        summary_row("home page", time_calls(lambda: client.get("/"), repeat=200)),
        summary_row("about page", time_calls(lambda: client.get("/about/"), repeat=200)),
        summary_row("404 page", time_calls(lambda: client.get("/no-such-page/"), repeat=200)),
    ]
    return ["## Site pages", "", *TABLE_HEADER, *rows]

"""One smoke test of the demo: the November 2013 list is complete and loads twice safely."""

import pytest
from django.core.management import call_command

from demo.content.reading_lists import PRACTICE_GUIDANCE_ENTRIES
from readinglists.models import ReadingListIndexPage, ReadingListPage

pytestmark = pytest.mark.django_db


def test_demo_list_is_complete_and_linked_to_catalogue_records(client):
    call_command("load_demo_content", verbosity=0)
    call_command("load_demo_content", verbosity=0)

    assert ReadingListIndexPage.objects.get().url == "/reading-lists/"
    reading_list = ReadingListPage.objects.get()
    sections = reading_list.sections_for(None)
    assert [s.heading for s in sections] == [
        "Learning models for serious case reviews",
        "Practice guidance and learning audits",
    ]
    entries = sections[1].entries
    assert [entry.title for entry in entries] == [d["title"] for d in PRACTICE_GUIDANCE_ENTRIES]
    assert all(entry.kind == "record" and entry.annotation for entry in entries)

    html = client.get(reading_list.url).content.decode()
    assert "November 2013" in html
    assert "Working together to safeguard children" in html
    assert "Contact the Information Service" in html
    assert 'href="/reading-lists/"' in client.get("/").content.decode()

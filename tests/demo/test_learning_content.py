"""The demo's learning pages: four nations, three briefings, charts and working PDF links."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from learning.models import NationPage, ThematicBriefingPage
from library.models import CaseReview


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_learning_content_fills_the_lists_charts_and_briefings(client):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert NationPage.objects.live().count() == 4
    assert sorted(ThematicBriefingPage.objects.values_list("slug", flat=True)) == [
        "disabled-children",
        "neglect",
        "under-ones",
    ]
    assert CaseReview.objects.filter(publication_year=2016).count() >= 6
    england = client.get("/learning/england/").content.decode()
    assert "Read the overview report" in england
    href = england.split("Read the overview report")[0].rsplit('href="', 1)[1].split('"')[0]
    served = client.get(href)
    assert served.status_code == 200
    assert b"".join(served.streaming_content)[:5] == b"%PDF-"
    for briefing in ("neglect", "under-ones", "disabled-children"):
        page = client.get(f"/learning/{briefing}/").content.decode()
        assert 'data-chart-table="theme-reviews"' in page
        assert client.get(f"/learning/{briefing}/pdf/")["Content-Type"] == "application/pdf"
    assert "Case reviews published in 2016" in client.get("/learning/years/2016/").content.decode()

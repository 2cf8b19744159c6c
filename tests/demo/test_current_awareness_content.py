"""The demo's current awareness: an archive reachable from the home page, with a past issue of
New in the Library and of the case reviews update that list real records."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from currentawareness.models import DigestIssuePage


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_archive_has_past_issues_with_records(client):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = client.get("/").content.decode()
    assert 'href="/subscriptions/"' in home
    archive = client.get("/current-awareness/").content.decode()
    assert "Sign up" in archive or 'href="/subscriptions/"' in archive
    issues = DigestIssuePage.objects.live()
    assert sorted(issues.values_list("service", flat=True)) == ["case-reviews", "new-in-library"]
    for issue in issues:
        assert issue.title in archive
        items = issue.items()
        assert items, f"{issue.title} lists no records"
        assert items[0].title in client.get(issue.url).content.decode()
    feed = client.get("/current-awareness/feed/")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")

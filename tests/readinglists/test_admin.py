"""Editing lists in the admin: the form, its validation and the Review tab."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from readinglists.models import ReadingListPage

pytestmark = pytest.mark.django_db


def test_editors_can_open_a_new_list_and_its_review_tab(admin_client, lists_index):
    response = admin_client.get(f"/admin/pages/add/readinglists/readinglistpage/{lists_index.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Save the list to see its link checks and hidden entries." in html
    assert "Review every (months)" in html or "review every (months)" in html.lower()


def test_an_editor_builds_a_list_in_the_admin(admin_client, lists_index, record):
    entries = streamfield(
        [
            (
                "record",
                {
                    "record": record.pk,
                    "annotation": rich_text("<p>Read this first.</p>"),
                    "format_marker": "",
                    "size": "",
                },
            ),
            (
                "citation",
                {
                    "title": "Safeguarding through audit",
                    "item_type": "webpage",
                    "authors": "Handley, M.\nGreen, R.",
                    "edition": "Rev. ed.",
                    "place": "London",
                    "publisher": "NSPCC",
                    "year": "2009",
                    "month": "",
                    "journal": "",
                    "volume": "",
                    "issue": "",
                    "pages": "",
                    "url": "https://example.org/audit",
                    "format_marker": "",
                    "size": "a lot",
                    "annotation": rich_text(""),
                },
            ),
        ]
    )
    data = nested_form_data(
        {
            "title": "Auditing case review recommendations",
            "slug": "auditing-case-review-recommendations",
            "compiled": "2013-11-01",
            "compiler": "the Information Service",
            "introduction": rich_text("<p>Guides to auditing.</p>"),
            "sections": streamfield(
                [
                    (
                        "section",
                        {
                            "heading": "Learning audits",
                            "introduction": rich_text(""),
                            "entries": entries,
                        },
                    )
                ]
            ),
            "see_also": streamfield([]),
            "closing_note": rich_text(""),
            "review_interval_months": "12",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    url = f"/admin/pages/add/readinglists/readinglistpage/{lists_index.pk}/"
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "Write the size as a number and a unit, like 319kb." in refused.content.decode()
    assert not ReadingListPage.objects.exists()

    data["sections-0-value-entries-1-value-size"] = "319kb"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    reading_list = ReadingListPage.objects.get()
    [guidance] = reading_list.sections_for(None)
    assert [entry.title for entry in guidance.entries] == [
        record.title,
        "Safeguarding through audit",
    ]
    assert "Read this first." in str(guidance.entries[0].annotation)

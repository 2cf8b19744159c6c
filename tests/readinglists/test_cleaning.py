"""Whatever writes a list (editor, shell, import, API), what readers get is what the editor
allows: no scripts, event handlers or javascript: addresses, and a message for unreadable text."""

import pytest
from django.core.exceptions import ValidationError

from readinglists.models import ReadingListIndexPage, ReadingListPage
from tests.factories.readinglists import ReadingListPageFactory, citation_entry, section

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="steal()">Read <b onmouseover="steal()">first</b><script>steal()</script> '
    '<a href="javascript:steal()">here</a> <a href="https://example.org/guide">guide</a></p>'
)


def assert_harmless(html: str) -> None:
    for sign in ("<script>steal", "javascript:", "onclick=", "onmouseover=", "onerror="):
        assert sign not in html.lower(), sign


@pytest.fixture
def hostile_list(lists_index):
    """A list written outside the editor, with hostile markup in every rich text and address."""
    return ReadingListPageFactory(
        parent=lists_index,
        introduction=HOSTILE,
        closing_note=HOSTILE,
        sections=[
            section(
                "Guidance",
                [
                    citation_entry(
                        "A report with a hostile address",
                        url="javascript:steal()",
                        annotation='<p><img src=x onerror="steal()"> Worth reading.</p>',
                    )
                ],
                introduction=HOSTILE,
            )
        ],
        see_also=[
            ("link", {"label": "Hostile link", "page": None, "url": "javascript:steal()"}),
            citation_entry("Another report", url=" JavaScript:steal()", annotation=HOSTILE),
        ],
    )


def test_every_rich_text_and_address_of_a_list_is_cleaned_on_save(client, hostile_list):
    for url in (hostile_list.url, hostile_list.url + "print/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert_harmless(html)
        # What the editor allows survives: bold text, safe links, titles and annotations.
        assert "<b>first</b>" in html
        assert 'href="https://example.org/guide"' in html
        assert "A report with a hostile address" in html
        assert "Worth reading." in html


def test_a_cleaned_list_keeps_its_cleaned_text_when_read_back(hostile_list):
    stored = ReadingListPage.objects.get(pk=hostile_list.pk)
    assert_harmless(stored.introduction + stored.closing_note)
    [entry] = stored.sections_for(None)[0].entries
    assert entry.link_url == ""
    assert_harmless(str(stored.sections.raw_data) + str(stored.see_also.raw_data))


def test_the_reading_lists_home_introduction_is_cleaned(client, lists_index):
    lists_index.introduction = HOSTILE
    lists_index.save()
    stored = ReadingListIndexPage.objects.get(pk=lists_index.pk)
    assert_harmless(stored.introduction)
    html = client.get(lists_index.url).content.decode()
    assert_harmless(html)
    assert "<b>first</b>" in html


def test_text_the_editor_cannot_read_is_refused_with_a_message(lists_index):
    reading_list = ReadingListPageFactory(parent=lists_index)
    reading_list.introduction = "<li>An item outside any list</li>"
    with pytest.raises(ValidationError) as refused:
        reading_list.save()
    [message] = refused.value.message_dict["introduction"]
    assert message.startswith("The introduction has formatting the editor cannot read")
    assert ReadingListPage.objects.get(pk=reading_list.pk).introduction != (
        "<li>An item outside any list</li>"
    )


def test_an_unreadable_annotation_names_its_entry(lists_index):
    reading_list = ReadingListPageFactory(parent=lists_index)
    reading_list.sections = [
        section(
            "Guidance",
            [citation_entry("A report", annotation="<b><p>Bold around a paragraph</p></b>")],
        )
    ]
    with pytest.raises(ValidationError) as refused:
        reading_list.full_clean()
    [message] = refused.value.message_dict["sections"]
    assert "annotation of “A report” in “Guidance”" in message

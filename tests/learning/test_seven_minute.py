"""7-minute learning: the print view and the PDF made from it."""

import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

HEADINGS = [
    "What happened",
    "Why it matters",
    "What to look for",
    "What to do",
    "Questions for reflection",
]


def test_the_print_view_has_the_seven_minute_sections(client, repository):
    page = client.get(repository.briefing.url + "print/").content.decode()
    assert "7-minute learning: Neglect" in page
    for heading in HEADINGS:
        assert heading in page
    assert "Missed health appointments" in page
    assert "How do you know what a day is like for this child?" in page


def test_the_pdf_opens_is_one_page_and_carries_the_headings(client, repository):
    response = client.get(repository.briefing.url + "pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "7-minute learning: Neglect" in text
    for heading in HEADINGS:
        assert heading in text
    assert "See the child, every visit." in text
    assert "Wombatford" not in text  # the restricted review it cites is left out


def test_a_long_briefing_still_fits_one_page(client, repository):
    briefing = repository.briefing
    briefing.risk_factors = [("risk_factor", "A long risk factor sentence. " * 6)] * 6
    briefing.reflection_questions = "\n".join(["What would you do differently here?"] * 6)
    briefing.save_revision().publish()
    reader = PdfReader(io.BytesIO(client.get(briefing.url + "pdf/").content))
    assert len(reader.pages) == 1

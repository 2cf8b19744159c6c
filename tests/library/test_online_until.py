"""After "online until", documents are no longer served but the record stays; PDFs are noindex."""

import datetime

import pytest
from django.test import override_settings

from tests.factories.library import CatalogueRecordFactory, DocumentFactory, RecordDocumentFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def record_with_document(library, online_until):
    record = CatalogueRecordFactory(parent=library, online_until=online_until)
    attached = RecordDocumentFactory(record=record, label="Full report")
    return record, attached.document


def test_documents_are_served_until_the_date_and_carry_noindex(client, library):
    record, document = record_with_document(library, TODAY)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    page = client.get(record.get_url()).content.decode()
    assert document.url in page and "Full report" in page and "PDF" in page


def test_after_the_date_documents_are_gone_and_the_page_says_how_to_ask(client, library):
    record, document = record_with_document(library, TODAY - datetime.timedelta(days=1))
    response = client.get(document.url)
    assert response.status_code == 410
    assert "no longer online" in response.content.decode()
    page = client.get(record.get_url()).content.decode()
    assert document.url not in page
    assert "electronic copy of this publication was removed" in page
    assert "To request a copy" in page


def test_documents_not_attached_to_records_are_served_as_usual_with_noindex(client):
    document = DocumentFactory()
    response = client.get(document.url)
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"


@override_settings(SHELFMARK_ONLINE_YEARS=5)
def test_records_with_documents_default_to_five_years_online(library):
    record = CatalogueRecordFactory(parent=library, date_added=datetime.date(2024, 2, 29))
    RecordDocumentFactory(record=record)
    record.refresh_from_db()
    record.save()
    assert record.online_until == datetime.date(2029, 2, 28)


@override_settings(SHELFMARK_ONLINE_YEARS=5)
def test_keep_online_and_records_without_documents_get_no_date(library):
    kept = CatalogueRecordFactory(parent=library, keep_documents_online=True)
    RecordDocumentFactory(record=kept)
    kept.save()
    bare = CatalogueRecordFactory(parent=library)
    bare.save()
    assert kept.online_until is None and bare.online_until is None

"""A record's API detail and its ETag follow the Wagtail documents attached to it."""

import pytest
from django.core.files.base import ContentFile

from tests.factories.library import CatalogueRecordFactory, DocumentFactory, RecordDocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_with_document(catalogue):
    """A published record whose attached document is labelled by its own title."""
    record = CatalogueRecordFactory(parent=catalogue["library"], title="Neglect in the early years")
    document = DocumentFactory(title="Early years report 2019")
    RecordDocumentFactory(record=record, document=document, label="")
    record.save_revision().publish()
    return record, document


def record_answer(client, record, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"/api/v3/catalogue/records/{record.pk}", headers=headers)


def test_renaming_a_document_refreshes_the_record_detail_and_etag(client, record_with_document):
    record, document = record_with_document
    before = record_answer(client, record)
    assert [doc["title"] for doc in before.json()["documents"]] == ["Early years report 2019"]
    assert record_answer(client, record, before["ETag"]).status_code == 304

    document.title = "Early years report 2019 (revised)"
    document.save()

    after = record_answer(client, record, before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert [doc["title"] for doc in after.json()["documents"]] == [
        "Early years report 2019 (revised)"
    ]


def test_replacing_a_document_file_refreshes_the_record_detail(client, record_with_document):
    record, document = record_with_document
    before = record_answer(client, record)
    assert before.json()["documents"][0]["file_type"] == "PDF"

    document.file.save("early-years-2019.txt", ContentFile(b"Plain text edition."), save=False)
    document.save()

    after = record_answer(client, record, before["ETag"])
    assert after.status_code == 200
    [attached] = after.json()["documents"]
    assert attached["file_type"] == "TXT"
    assert attached["url"] != before.json()["documents"][0]["url"]


def test_deleting_a_document_removes_it_from_the_record_detail(client, record_with_document):
    record, document = record_with_document
    before = record_answer(client, record)
    assert len(before.json()["documents"]) == 1

    document.delete()

    after = record_answer(client, record, before["ETag"])
    assert after.status_code == 200
    assert after.json()["documents"] == []

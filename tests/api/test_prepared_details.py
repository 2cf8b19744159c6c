"""Record details prepared ahead of requests: served only while they match the record."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from library.models import PreparedRecordDetail
from library.record_details import (
    _prepared_row,
    _store,
    build_record_detail,
    forget_prepared_details,
    load_record,
    prepared_record_detail,
)
from library.search.results import site_roots

pytestmark = pytest.mark.django_db


def detail(client, record):
    response = client.get(f"/api/v3/catalogue/records/{record.pk}")
    assert response.status_code == 200
    return response.json()


def test_the_prepared_answer_is_the_answer_built_on_request(client, catalogue):
    for name in ("guidance", "review"):
        record = catalogue[name]
        assert PreparedRecordDetail.objects.filter(record_id=record.pk).exists()
        prepared = detail(client, record)
        forget_prepared_details([record.pk])
        cache.clear()
        assert detail(client, record) == prepared
        assert prepared["url"].startswith("http://testserver/")


def test_a_prepared_detail_is_served_only_until_the_record_is_republished(client, catalogue):
    record = catalogue["guidance"]
    PreparedRecordDetail.objects.filter(record_id=record.pk).update(
        detail=PreparedRecordDetail.objects.get(record_id=record.pk).detail.replace(
            "recognising the signs", "PREPARED COPY"
        )
    )
    assert "PREPARED COPY" in detail(client, record)["title"]
    record.title = "Neglect: the signs in babies"
    record.save_revision().publish()
    assert detail(client, record)["title"] == "Neglect: the signs in babies"
    assert "PREPARED COPY" not in PreparedRecordDetail.objects.get(record_id=record.pk).detail


def test_renamed_subjects_boards_and_agencies_show_in_record_details(client, catalogue):
    assert detail(client, catalogue["guidance"])["subjects"][0]["name"] == "Neglect"
    neglect = catalogue["neglect"]
    neglect.name = "Neglect and emotional abuse"
    neglect.save()
    board = catalogue["board"]
    board.name = "Northshire Children's Safeguarding Partnership"
    board.save()
    police = catalogue["review"].agencies.get()
    police.name = "Northshire Police"
    police.save()
    assert detail(client, catalogue["guidance"])["subjects"][0]["name"] == (
        "Neglect and emotional abuse"
    )
    review = detail(client, catalogue["review"])["case_review"]
    assert review["themes"][0]["name"] == "Neglect and emotional abuse"
    assert review["board"]["name"] == "Northshire Children's Safeguarding Partnership"
    assert review["agencies"] == ["Northshire Police"]


def test_a_prepared_detail_is_not_served_once_the_documents_online_time_ends(catalogue):
    record = catalogue["guidance"]
    record.online_until = timezone.localdate()
    record.save_revision().publish()
    record.refresh_from_db()
    published = record.last_published_at
    today = prepared_record_detail(record.pk, published)
    assert today is not None and today["documents"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert prepared_record_detail(record.pk, published, today=tomorrow) is None
    rebuilt = build_record_detail(load_record(record.pk), today=tomorrow)
    assert rebuilt["documents_online"] is False and rebuilt["documents"] == []


def test_the_command_prepares_missing_and_outdated_details_of_live_records_only(catalogue):
    PreparedRecordDetail.objects.all().delete()
    unpublished = catalogue["book"]
    unpublished.unpublish()
    out = io.StringIO()
    call_command("prepare_record_details", "--no-progress", stdout=out)
    prepared = set(PreparedRecordDetail.objects.values_list("record_id", flat=True))
    assert catalogue["guidance"].pk in prepared and catalogue["review"].pk in prepared
    assert unpublished.pk not in prepared
    out = io.StringIO()
    call_command("prepare_record_details", "--no-progress", stdout=out)
    assert "Prepared 0 record details." in out.getvalue()


def test_an_earlier_preparation_never_overwrites_a_later_one(catalogue):
    record = load_record(catalogue["report"].pk)
    later = PreparedRecordDetail.objects.get(record_id=record.pk)
    record.title = "A title read before the record was last prepared"
    earlier = timezone.now() - datetime.timedelta(hours=1)
    _store([_prepared_row(record, timezone.localdate(), earlier, site_roots())])
    kept = PreparedRecordDetail.objects.get(record_id=record.pk)
    assert kept.detail == later.detail and "read before" not in kept.detail


def test_unpublishing_a_record_removes_its_prepared_detail(client, catalogue):
    record = catalogue["report"]
    assert PreparedRecordDetail.objects.filter(record_id=record.pk).exists()
    record.unpublish()
    assert not PreparedRecordDetail.objects.filter(record_id=record.pk).exists()
    assert client.get(f"/api/v3/catalogue/records/{record.pk}").status_code == 404


def test_a_detail_built_on_request_drops_its_documents_the_day_they_go_offline(
    client, catalogue, monkeypatch
):
    record = catalogue["guidance"]
    record.online_until = timezone.localdate()
    record.save_revision().publish()
    forget_prepared_details([record.pk])
    today = client.get(f"/api/v3/catalogue/records/{record.pk}")
    assert today.json()["documents"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    monkeypatch.setattr(
        timezone, "localtime", lambda *args, **kwargs: timezone.now() + datetime.timedelta(days=1)
    )
    later = client.get(
        f"/api/v3/catalogue/records/{record.pk}", headers={"If-None-Match": today["ETag"]}
    )
    assert later.status_code == 200
    assert later.json()["documents_online"] is False and later.json()["documents"] == []

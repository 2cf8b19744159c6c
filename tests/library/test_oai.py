"""The OAI-PMH provider, harvested as a harvester does: oaipmh-scythe against a live server, by
GET and by POST, with resumption, selective harvesting and deleted records; and every error
condition of the protocol answered as an OAI-PMH error, never a server error."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe.config import HTTPConfig
from oaipmh_scythe.exceptions import NoRecordsMatch
from wagtail.models import Page, PageViewRestriction

from library.models import RecordType
from library.oai import views
from tests.factories.library import (
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    SubjectFactory,
)

NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
MARC = {"marc": "http://www.loc.gov/MARC21/slim"}


def identifier(record) -> str:
    return f"oai:shelfmark.local:{record.pk}"


def restrict(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name="Panel")[0])


def oai_get(**arguments) -> etree._Element:
    response = Client().get("/oai/", arguments)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return etree.fromstring(response.content)


def error_code(root) -> str | None:
    found = root.find("oai:error", NS)
    return None if found is None else found.get("code")


@pytest.fixture
def catalogue(home_page):
    library = LibraryIndexPageFactory(parent=home_page)
    repository = CaseReviewIndexPageFactory(parent=home_page)
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    book = CatalogueRecordFactory(
        parent=library,
        title="Child neglect in practice",
        record_type=RecordType.BOOK,
        subjects=[neglect],
        contributors=2,
    )
    report = CatalogueRecordFactory(parent=library, title="How safe are our children?")
    review = CaseReviewFactory(
        parent=repository, title="Child practice review: Baby W", nation="wales"
    )
    secret = CatalogueRecordFactory(parent=library, title="Quokkaville inquiry", subjects=[neglect])
    restrict(secret)
    return {"book": book, "report": report, "review": review, "secret": secret, "library": library}


# Harvesting with oaipmh-scythe ------------------------------------------------------------------


@pytest.fixture
def harvester(live_server, transactional_db, request):
    """A Scythe harvesting the live server by the method of the test's parameter."""

    def make(method: str = "GET") -> Scythe:
        scythe = Scythe(live_server.url + "/oai/", http_config=HTTPConfig(http_method=method))
        request.addfinalizer(scythe.close)
        return scythe

    return make


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_harvester_gets_every_public_record_in_pages(catalogue, harvester, method, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    scythe = harvester(method)
    identify = scythe.identify()
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    records = list(scythe.list_records(metadata_prefix="oai_dc"))
    titles = sorted(record.metadata["title"][0] for record in records)
    assert titles == [
        "Child neglect in practice",
        "Child practice review: Baby W",
        "How safe are our children?",
    ]
    book = next(r for r in records if r.header.identifier == identifier(catalogue["book"]))
    assert len(book.metadata["creator"]) == 2
    assert "subject:neglect" in book.header.setSpecs and "type:book" in book.header.setSpecs


def test_resumption_tokens_say_the_list_size_cursor_and_expiry(catalogue, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = oai_get(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS)
    assert (token.get("completeListSize"), token.get("cursor")) == ("3", "0")
    expires = datetime.datetime.strptime(token.get("expirationDate"), "%Y-%m-%dT%H:%M:%SZ")
    assert expires > datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    last = oai_get(verb="ListIdentifiers", resumptionToken=token.text)
    assert len(last.findall(".//oai:header", NS)) == 1
    end = last.find(".//oai:resumptionToken", NS)
    assert (end.text or "", end.get("cursor"), end.get("completeListSize")) == ("", "2", "3")


def test_a_harvester_asks_for_one_set(catalogue, harvester):
    scythe = harvester()
    sets = {item.setSpec for item in scythe.list_sets()}
    assert {"type:case-review", "subject:neglect", "nation:wales"} <= sets
    wales = list(scythe.list_identifiers(set_="nation:wales"))
    assert [header.identifier for header in wales] == [identifier(catalogue["review"])]
    neglect = list(scythe.list_identifiers(set_="subject:neglect"))
    assert [header.identifier for header in neglect] == [identifier(catalogue["book"])]


def test_selective_harvest_by_datestamp_to_the_second(catalogue, harvester):
    earlier = datetime.datetime(2020, 1, 1, 12, 0, 0, tzinfo=datetime.UTC)
    Page.objects.filter(pk=catalogue["report"].pk).update(last_published_at=earlier)
    scythe = harvester()
    until_then = list(scythe.list_identifiers(until="2020-01-01T12:00:00Z"))
    assert [header.identifier for header in until_then] == [identifier(catalogue["report"])]
    with pytest.raises(NoRecordsMatch):
        list(scythe.list_identifiers(until="2020-01-01T11:59:59Z"))
    since = {header.identifier for header in scythe.list_identifiers(from_="2020-01-01T12:00:01Z")}
    assert identifier(catalogue["report"]) not in since and len(since) == 2


def test_unpublished_and_deleted_records_are_reported_as_deleted(catalogue, harvester):
    catalogue["report"].unpublish()
    book_id = identifier(catalogue["book"])
    catalogue["book"].delete()
    scythe = harvester("POST")
    headers = {h.identifier: h for h in scythe.list_identifiers()}
    assert headers[identifier(catalogue["report"])].deleted
    assert headers[book_id].deleted
    assert "subject:neglect" in headers[book_id].setSpecs
    assert not headers[identifier(catalogue["review"])].deleted
    # A harvester asking for a set still hears of the deletion.
    assert [h.identifier for h in scythe.list_identifiers(set_="subject:neglect")] == [book_id]
    record = scythe.get_record(identifier=book_id)
    assert record.deleted
    assert record.xml.find("oai:metadata", NS) is None


def test_records_deleted_with_their_section_are_reported_as_deleted(catalogue):
    book_id = identifier(catalogue["book"])
    Page.objects.get(pk=catalogue["library"].pk).delete()
    answer = oai_get(verb="GetRecord", identifier=book_id, metadataPrefix="oai_dc")
    assert answer.find(".//oai:header", NS).get("status") == "deleted"


def test_a_record_published_again_is_no_longer_deleted(catalogue):
    catalogue["report"].unpublish()
    catalogue["report"].save_revision().publish()
    answer = oai_get(
        verb="GetRecord", identifier=identifier(catalogue["report"]), metadataPrefix="oai_dc"
    )
    assert answer.find(".//oai:header", NS).get("status") is None


def test_marc21_records_carry_the_title_in_245(catalogue):
    answer = oai_get(
        verb="GetRecord", identifier=identifier(catalogue["book"]), metadataPrefix="marc21"
    )
    title = answer.xpath(
        ".//marc:datafield[@tag='245']/marc:subfield[@code='a']/text()", namespaces=MARC
    )
    assert title and title[0].startswith("Child neglect in practice")


# Restricted records -----------------------------------------------------------------------------


def test_a_restricted_record_never_appears_not_even_as_deleted(catalogue):
    secret = catalogue["secret"]
    listed = oai_get(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifier(secret) not in etree.tostring(listed).decode()
    assert (
        error_code(
            oai_get(verb="GetRecord", identifier=identifier(secret), metadataPrefix="oai_dc")
        )
        == "idDoesNotExist"
    )
    secret.unpublish()
    secret_id = identifier(secret)
    Page.objects.get(pk=secret.pk).delete()
    listed = oai_get(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert secret_id not in etree.tostring(listed).decode()


def test_a_member_signed_in_still_harvests_only_public_records(catalogue, django_user_model):
    member = django_user_model.objects.create_user("member", password="x", is_superuser=True)
    client = Client()
    client.force_login(member)
    answer = client.get(
        "/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    ).content.decode()
    assert "Quokkaville" not in answer and "Child neglect in practice" in answer


# Errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "colour": "blue"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": "oai:shelfmark.local:1"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-45"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2020-01-01",
                "until": "2021-01-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2021-01-01",
                "until": "2020-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "marc21"]}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "identifier": "oai:elsewhere.org:1", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:shelfmark.local:99999999",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "nonsense"}, "idDoesNotExist"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1990-01-01"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "subject:no-such-thing"},
            "noRecordsMatch",
        ),
        ({"verb": "ListRecords", "resumptionToken": "forged.token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
    ],
)
def test_every_error_condition_is_answered_as_the_protocol_says(catalogue, arguments, code):
    answer = oai_get(**arguments)
    assert error_code(answer) == code
    echoed = answer.find("oai:request", NS)
    if code in {"badVerb", "badArgument"}:
        assert echoed.attrib == {}


def test_a_token_for_one_verb_is_refused_by_another(catalogue, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    token = (
        oai_get(verb="ListIdentifiers", metadataPrefix="oai_dc")
        .find(".//oai:resumptionToken", NS)
        .text
    )
    assert error_code(oai_get(verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


def test_an_expired_token_is_refused(catalogue, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    monkeypatch.setattr(views.tokens, "TOKEN_LIFETIME", datetime.timedelta(seconds=-1))
    token = (
        oai_get(verb="ListIdentifiers", metadataPrefix="oai_dc")
        .find(".//oai:resumptionToken", NS)
        .text
    )
    assert (
        error_code(oai_get(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
    )


def test_a_record_whose_restriction_is_lifted_reaches_an_incremental_harvest(catalogue):
    # The harvester's last visit was after the record was published, while it was restricted.
    secret = catalogue["secret"]
    earlier = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Page.objects.filter(pk=secret.pk).update(last_published_at=earlier)
    last_visit = "2021-01-01T00:00:00Z"
    PageViewRestriction.objects.filter(page=secret).delete()
    listed = oai_get(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": last_visit})
    assert identifier(secret) in etree.tostring(listed).decode()


def test_a_record_moved_out_of_a_restricted_section_reaches_an_incremental_harvest(
    catalogue, home_page
):
    panel_papers = LibraryIndexPageFactory(parent=home_page, title="Panel papers", slug="panel")
    restrict(panel_papers)
    moved = CatalogueRecordFactory(parent=panel_papers, title="Serious case review digest")
    earlier = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Page.objects.filter(pk__in=[moved.pk, catalogue["report"].pk]).update(last_published_at=earlier)
    last_visit = "2021-01-01T00:00:00Z"
    Page.objects.get(pk=moved.pk).move(catalogue["library"], pos="last-child")
    listed = etree.tostring(
        oai_get(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": last_visit})
    ).decode()
    assert identifier(moved) in listed
    # A record that was public all along keeps its datestamp.
    assert identifier(catalogue["report"]) not in listed

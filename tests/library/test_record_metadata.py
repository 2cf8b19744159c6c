"""Record pages read as a reference manager reads them (lxml): Highwire `citation_*` tags,
schema.org JSON-LD and COinS for a book, a report, a journal article and a case review; "Cite
this" in a chosen style; every export; documents listed with their format and size; and the
exports of a results page."""

import datetime
import json
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from lxml import etree, html
from wagtail.models import PageViewRestriction

from library.models import RecordType
from tests.factories.library import (
    BoardFactory,
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    ContributorFactory,
    LibraryIndexPageFactory,
    RecordDocumentFactory,
)

pytestmark = pytest.mark.django_db


class Page:
    """A record page as a reference manager parses it."""

    def __init__(self, url: str, client: Client | None = None):
        response = (client or Client()).get(url)
        assert response.status_code == 200
        self.tree = html.fromstring(response.content)

    def meta(self, name: str) -> list[str]:
        return self.tree.xpath(f"//head/meta[@name='{name}']/@content")

    def json_ld(self) -> dict:
        (script,) = self.tree.xpath("//script[@type='application/ld+json']/text()")
        return json.loads(script)

    def coins(self) -> dict[str, list[str]]:
        (title,) = self.tree.xpath("//span[@class='Z3988']/@title")
        return parse_qs(title)


@pytest.fixture
def library(home_page):
    return LibraryIndexPageFactory(parent=home_page)


def with_authors(record, *names):
    for order, (family, given) in enumerate(names):
        ContributorFactory(record=record, family_name=family, given_names=given, sort_order=order)
    return record


def test_a_book(library):
    book = with_authors(
        CatalogueRecordFactory(
            parent=library,
            title="Child protection",
            subtitle="a guide",
            record_type=RecordType.BOOK,
            isbn="9781446286906",
            publisher="Sage",
            publication_year=2014,
        ),
        ("Munro", "E. R."),
    )
    page = Page(book.url)
    assert page.meta("citation_title") == ["Child protection: a guide"]
    assert page.meta("citation_author") == ["Munro, E. R."]
    assert page.meta("citation_publication_date") == ["2014"]
    assert page.meta("citation_isbn") == ["9781446286906"]
    assert page.meta("citation_journal_title") == []
    data = page.json_ld()
    assert (data["@type"], data["isbn"], data["author"][0]["name"]) == (
        "Book",
        "9781446286906",
        "Munro, E. R.",
    )
    coins = page.coins()
    assert coins["rft.genre"] == ["book"] and coins["rft.isbn"] == ["9781446286906"]


def test_a_report_with_its_full_text_online(library):
    report = CatalogueRecordFactory(
        parent=library, title="How safe are our children?", record_type=RecordType.REPORT
    )
    document = RecordDocumentFactory(record=report, label="Full report").document
    page = Page(report.url)
    assert page.meta("citation_technical_report_institution") == ["NSPCC"]
    (pdf_url,) = page.meta("citation_pdf_url")
    assert pdf_url.endswith(document.url) and Client().get(pdf_url).status_code == 200
    assert page.json_ld()["@type"] == "Report"
    assert page.coins()["rft.genre"] == ["report"]
    (link,) = page.tree.xpath("//ul[@class='document-list']/li/a")
    assert link.get("href") == document.url
    assert " ".join(link.text_content().split()) == "Full report (PDF, 125 bytes)"


def test_no_pdf_url_once_the_documents_are_offline(library):
    report = CatalogueRecordFactory(parent=library, online_until=datetime.date(2000, 1, 1))
    RecordDocumentFactory(record=report)
    page = Page(report.url)
    assert page.meta("citation_pdf_url") == []
    assert "encoding" not in page.json_ld()


def test_a_journal_article(library):
    article = with_authors(
        CatalogueRecordFactory(
            parent=library,
            title="Neglect and the early years",
            record_type=RecordType.JOURNAL_ARTICLE,
            journal_title="Child Abuse Review",
            volume="21",
            issue="3",
            page_range="189-192",
            issn="0952-9136",
            doi="10.1002/car.1234",
        ),
        ("Daniel", "B."),
        ("Taylor", "J."),
    )
    page = Page(article.url)
    assert page.meta("citation_author") == ["Daniel, B.", "Taylor, J."]
    assert page.meta("citation_journal_title") == ["Child Abuse Review"]
    assert (page.meta("citation_volume"), page.meta("citation_issue")) == (["21"], ["3"])
    assert (page.meta("citation_firstpage"), page.meta("citation_lastpage")) == (["189"], ["192"])
    assert page.meta("citation_doi") == ["10.1002/car.1234"]
    data = page.json_ld()
    assert data["@type"] == "ScholarlyArticle" and data["pageStart"] == "189"
    issue = data["isPartOf"]
    assert issue["issueNumber"] == "3" and issue["isPartOf"]["isPartOf"]["issn"] == "0952-9136"
    coins = page.coins()
    assert coins["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:journal"]
    assert coins["rft.jtitle"] == ["Child Abuse Review"] and coins["rft.spage"] == ["189"]
    assert coins["rft_id"] == ["info:doi/10.1002/car.1234"]


def test_a_case_review_is_a_report_under_its_board(home_page):
    repository = CaseReviewIndexPageFactory(parent=home_page)
    review = CaseReviewFactory(
        parent=repository,
        title="Child practice review: Baby W",
        publisher="",
        board=BoardFactory(name="Cwm Taf Safeguarding Children Board"),
        nation="wales",
    )
    page = Page(review.url)
    assert page.meta("citation_author") == ["Cwm Taf Safeguarding Children Board"]
    data = page.json_ld()
    assert data["@type"] == "Report" and data["genre"] == "Serious case review"
    assert data["author"] == [
        {"@type": "Organization", "name": "Cwm Taf Safeguarding Children Board"}
    ]


def test_cite_this_in_a_chosen_style_without_javascript(library):
    article = with_authors(
        CatalogueRecordFactory(
            parent=library,
            title="Neglect",
            record_type=RecordType.JOURNAL_ARTICLE,
            journal_title="Child Abuse Review",
            volume="21",
        ),
        ("Daniel", "B."),
    )
    page = Page(article.url)
    (form,) = page.tree.xpath("//form[@class='citation-style']")
    styles = form.xpath(".//option/@value")
    assert {"harvard-cite-them-right", "apa", "vancouver-nlm"} <= set(styles)
    assert "(2013)" in page.tree.xpath("string(//p[@class='citation'])")  # Harvard by default
    vancouver = Page(article.url + "?style=vancouver-nlm")
    text = vancouver.tree.xpath("string(//textarea[@id='citation-plain'])")
    assert text.startswith("1. Daniel B. Neglect.") and "Child Abuse Review" in text
    unknown = Page(article.url + "?style=klingon")
    assert "klingon" in unknown.tree.xpath("string(//section[@id='cite']/p[@class='notice'])")


def test_every_export_link_downloads_the_record(library):
    record = CatalogueRecordFactory(parent=library, title="Neglect: a practical guide")
    links = Page(record.url).tree.xpath("//ul[@class='export-links']/li/a/@href")
    assert len(links) == 5
    for link in links:
        response = Client().get(link)
        assert response.status_code == 200, link
        assert "Neglect" in response.content.decode()


def test_a_results_page_exports_its_records_but_never_a_restricted_one(library):
    CatalogueRecordFactory(parent=library, title="Neglect: a practical guide")
    secret = CatalogueRecordFactory(parent=library, title="Quokkaville neglect inquiry")
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Panel"))
    results = html.fromstring(Client().get(library.url, {"q": "neglect"}).content)
    links = results.xpath("//section[@class='search-actions']//ul[@class='export-links']//a/@href")
    assert len(links) == 5
    by_format = {link.split("/")[3]: link for link in links}
    ris = Client().get(by_format["ris"]).content.decode()
    assert "TI  - Neglect: a practical guide" in ris and "Quokkaville" not in ris
    marc = etree.fromstring(Client().get(by_format["marcxml"]).content)
    assert len(marc) == 1


def test_an_unknown_export_format_says_which_exist(library):
    response = Client().get("/search/export/endnote-x9/?q=neglect")
    assert response.status_code == 404 and "ris" in response.content.decode()

"""The catalogue import: every format, rejections, exit codes, re-import and librarian edits."""

import io
import unicodedata
from pathlib import Path

import pymarc
import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageViewRestriction

from library.formats.exporters import export
from library.formats.marc import record_to_marc
from library.imports.readers import guess_format, read_records
from library.imports.writer import import_parent, import_records
from library.models import CatalogueRecord, ContributorRole, PreparedRecordDetail, RecordType
from library.record_details import prepared_record_detail
from library.search.params import SearchParams
from library.search.service import search_catalogue
from tests.factories.library import (
    CatalogueRecordFactory,
    ContributorFactory,
    LibraryIndexPageFactory,
    SubjectFactory,
)

FILES = Path(__file__).parent / "import_files"
SHARED_MARC = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "marc"

pytestmark = pytest.mark.django_db


def run(path, *args) -> tuple[int, str, str]:
    """Run the command as a librarian would; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    except CommandError as error:
        code, err = error.returncode, io.StringIO(err.getvalue() + str(error))
    return code, out.getvalue(), err.getvalue()


def marc_field(tag, indicators, *pairs):
    subfields = [pymarc.Subfield(code, value) for code, value in pairs]
    return pymarc.Field(tag=tag, indicators=pymarc.Indicators(*indicators), subfields=subfields)


def marc_record(title: str, *, control: str = "", isbn: str = ""):
    record = pymarc.Record(force_utf8=True)
    if control:
        record.add_field(pymarc.Field(tag="001", data=control))
    record.add_field(pymarc.Field(tag="008", data="130101s2013    enk           000 0 eng d"))
    if isbn:
        record.add_field(marc_field("020", "  ", ("a", f"{isbn} (pbk.)")))
    record.add_field(marc_field("100", "1 ", ("a", "Munro, Eileen."), ("4", "aut")))
    record.add_field(marc_field("245", "10", ("a", f"{title} :"), ("b", "a report /")))
    record.add_field(marc_field("264", " 1", ("a", "London :"), ("b", "NSPCC,"), ("c", "2013.")))
    record.add_field(marc_field("650", " 0", ("a", "Neglect.")))
    return record


@pytest.fixture
def library(home_page):
    return LibraryIndexPageFactory(parent=home_page)


def marc8_bytes(record: pymarc.Record) -> bytes:
    """The record in MARC-8: "#" stands for the combining acute (0xE2), written before its
    letter; pymarc writes UTF-8 only, so the bytes are changed after and leader/09 blanked."""
    data = record.as_marc()
    return data[:9] + b" " + data[10:].replace(b"#", b"\xe2")


def test_marc8_and_utf8_records_keep_their_diacritics(library, tmp_path):
    marc8 = marc8_bytes(marc_record("R#esum#e of findings", control="m8-1"))
    utf8 = marc_record("Évaluation des risques", control="u8-1").as_marc()
    path = tmp_path / "mixed.mrc"
    path.write_bytes(marc8 + utf8)

    code, out, err = run(path)

    assert (code, out.strip().splitlines()[-1]) == (0, "imported 2, updated 0, rejected 0")
    titles = sorted(
        unicodedata.normalize("NFC", title)
        for title in CatalogueRecord.objects.values_list("title", flat=True)
    )
    assert titles == ["Résumé of findings", "Évaluation des risques"]
    record = CatalogueRecord.objects.get(title__startswith="É")
    assert (record.subtitle, record.publisher, record.place_of_publication) == (
        "a report",
        "NSPCC",
        "London",
    )
    assert record.publication_year == 2013
    assert [(c.family_name, c.given_names) for c in record.contributors.all()] == [
        ("Munro", "Eileen")
    ]


def test_broken_marc_records_are_rejected_with_their_position_and_the_rest_kept(library, tmp_path):
    good = marc_record("Learning from case reviews").as_marc()
    broken = b"00042nam  2200099   4500001000400000\x1eabc\x1e\x1d"
    untitled = marc_record("").as_marc()
    path = tmp_path / "broken.mrc"
    path.write_bytes(good + broken + untitled + marc_record("Another good one").as_marc())

    code, out, err = run(path)

    assert code == 2
    assert out.strip().splitlines()[-1] == "imported 2, updated 0, rejected 2"
    assert f"rejected record 2 (byte {len(good)}): unreadable record" in err
    assert "rejected record 3" in err and "no title" in err
    assert CatalogueRecord.objects.count() == 2


def test_an_unreadable_file_exits_1_and_writes_nothing(library, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Just some notes, not a catalogue.\n")
    code, _out, err = run(path)
    assert code == 1
    assert "format could not be recognised" in err
    assert run(tmp_path / "missing.mrc")[0] == 1
    broken_xml = tmp_path / "broken.xml"
    broken_xml.write_text('<collection xmlns="http://www.loc.gov/MARC21/slim"><record>')
    assert run(broken_xml, "--format", "marcxml")[0] == 1
    assert not CatalogueRecord.objects.exists()


def test_ris_from_a_reference_manager(library):
    neglect = SubjectFactory(name="Neglect")
    code, out, err = run(FILES / "zotero.ris")

    assert code == 2
    assert out.strip().splitlines()[-1] == "imported 2, updated 0, rejected 2"
    assert "rejected record 3 (line 28): no title" in err
    assert "rejected record 4 (line 34)" in err and "bad ISBN" in err
    article = CatalogueRecord.objects.get(doi="10.1002/car.2222")
    assert article.record_type == RecordType.JOURNAL_ARTICLE
    assert (article.title, article.subtitle) == (
        "Serious case reviews",
        "learning to use expertise",
    )
    assert (article.journal_title, article.volume, article.issue, article.page_range) == (
        "Child Abuse Review",
        "21",
        "3",
        "189-192",
    )
    assert article.issn == "0952-9136"
    assert list(article.subjects.all()) == [neglect]
    assert list(article.keywords.names()) == ["serious case reviews"]
    book = CatalogueRecord.objects.get(isbn="9780902498730")
    contributor = book.contributors.get()
    assert (contributor.family_name, contributor.is_organisation) == ("NSPCC", True)


def test_bibtex_from_a_reference_manager_with_a_broken_entry(library):
    SubjectFactory(name="Child protection", use_for="Safeguarding\nChild protection")
    code, out, err = run(FILES / "refmanager.bib")

    assert code == 2
    assert out.strip().splitlines()[-1] == "imported 3, updated 0, rejected 2"
    assert "rejected record 3 (line 24): unreadable record" in err
    assert "no title" in err
    munro = CatalogueRecord.objects.get(isbn="9780101806220")
    assert munro.title == "The Munro review of child protection"
    assert [s.name for s in munro.subjects.all()] == ["Child protection"]
    article = CatalogueRecord.objects.get(doi="10.1093/bjsw/bcw065")
    assert article.page_range == "1007-1023"
    assert "practice &amp; children" in article.abstract
    assert [(c.family_name, c.is_organisation) for c in article.contributors.all()] == [
        ("Ferguson", False),
        ("Department of Social Work", True),
    ]
    french = CatalogueRecord.objects.get(title__startswith="L'")
    assert french.title == "L'évaluation des risques"
    assert french.contributors.get().family_name == "Lévesque"
    assert french.publisher == "Université de Montréal"


def test_csv_from_a_supplier(library):
    code, out, err = run(FILES / "supplier.csv", "--format", "csv")

    assert code == 2
    assert out.strip().splitlines()[-1] == "imported 2, updated 0, rejected 2"
    assert "rejected row 3 (line 4): no title" in err
    assert "rejected row 4 (line 5)" in err and "bad ISBN" in err
    guidance = CatalogueRecord.objects.get(title="Working together to safeguard children")
    assert guidance.record_type == RecordType.GUIDANCE
    assert guidance.subtitle == "a guide to inter-agency working"
    assert guidance.web_address.startswith("https://www.gov.uk/")
    neglect = CatalogueRecord.objects.get(isbn="9781849053426")
    assert (neglect.title, neglect.subtitle, neglect.edition) == (
        "Neglect",
        "research, policy and practice",
        "2nd ed.",
    )


def test_the_format_is_guessed_from_the_file():
    assert guess_format((FILES / "zotero.ris").read_bytes()) == "ris"
    assert guess_format((FILES / "refmanager.bib").read_bytes()) == "bibtex"
    assert guess_format((FILES / "supplier.csv").read_bytes()) == "csv"
    assert guess_format(marc_record("A").as_marc()) == "marc"
    assert (
        guess_format(b'<?xml version="1.0"?><collection xmlns="http://www.loc.gov/MARC21/slim">')
        == "marcxml"
    )


def test_reimporting_updates_and_never_duplicates(library):
    first = run(FILES / "refmanager.bib")
    count = CatalogueRecord.objects.count()
    second = run(FILES / "refmanager.bib")

    assert first[1].strip().splitlines()[-1] == "imported 3, updated 0, rejected 2"
    assert second[1].strip().splitlines()[-1] == "imported 0, updated 3, rejected 2"
    assert CatalogueRecord.objects.count() == count
    assert "kept" not in second[1]


def test_a_record_without_identifiers_is_matched_by_title_and_year_or_by_title_alone(
    library, tmp_path
):
    dated = marc_record("Annual report")
    undated = marc_record("Annual report")
    undated["264"].delete_subfield("c")
    undated.remove_fields("008")  # its date would give the year
    later = marc_record("Annual report")
    later["264"]["c"] = "2014."
    path = tmp_path / "reports.mrc"
    path.write_bytes(dated.as_marc() + undated.as_marc())
    assert run(path)[1].strip().splitlines()[-1] == "imported 2, updated 0, rejected 0"
    path.write_bytes(undated.as_marc() + dated.as_marc() + later.as_marc())

    out = run(path)[1]

    assert out.strip().splitlines()[-1] == "imported 1, updated 2, rejected 0"
    years = CatalogueRecord.objects.values_list("publication_year", flat=True)
    assert sorted(years, key=lambda year: year or 0) == [None, 2013, 2014]


def test_a_reimport_keeps_a_librarians_edit_and_says_so(library, tmp_path):
    path = tmp_path / "catalogue.mrc"
    path.write_bytes(
        marc_record("Neglect matters", control="ocm0001", isbn="9780902498730").as_marc()
    )
    run(path)
    record = CatalogueRecord.objects.get()
    record.publisher = "NSPCC Learning"  # the librarian corrects it in the editor
    record.save_revision().publish()
    changed = marc_record("Neglect matters", control="ocm0001", isbn="9780902498730")
    changed["264"]["b"] = "Supplier's publisher"
    changed["264"]["a"] = "Leicester"
    path.write_bytes(changed.as_marc())

    code, out, _err = run(path)

    assert code == 0
    assert "kept librarian's edit of publisher on “Neglect matters”" in out
    assert out.strip().splitlines()[-1] == "imported 0, updated 1, rejected 0"
    record.refresh_from_db()
    assert (record.publisher, record.place_of_publication) == ("NSPCC Learning", "Leicester")
    # The editor opens the latest revision: it has the import's change and the librarian's.
    editing = record.get_latest_revision_as_object()
    assert (editing.publisher, editing.place_of_publication) == ("NSPCC Learning", "Leicester")


def test_a_record_catalogued_here_is_matched_by_isbn_and_only_its_gaps_filled(library, tmp_path):
    existing = CatalogueRecordFactory(
        parent=library,
        title="Neglect matters",
        isbn="9780902498730",
        publisher="NSPCC",
        place_of_publication="",
    )
    path = tmp_path / "catalogue.mrc"
    record = marc_record("Neglect matters", isbn="9780902498730")
    record["264"]["b"] = "Another publisher"
    path.write_bytes(record.as_marc())

    code, out, _err = run(path)

    assert out.strip().splitlines()[-1] == "imported 0, updated 1, rejected 0"
    assert "kept the catalogue's publisher" in out
    existing.refresh_from_db()
    assert (existing.publisher, existing.place_of_publication) == ("NSPCC", "London")


def test_a_dry_run_writes_nothing_and_reports_the_same(library):
    dry = run(FILES / "zotero.ris", "--dry-run")
    assert not CatalogueRecord.objects.exists()
    real = run(FILES / "zotero.ris")
    assert dry[0] == real[0] == 2
    assert dry[1].strip().splitlines()[-1] == real[1].strip().splitlines()[-1]
    assert dry[2] == real[2]


def test_imported_records_are_searchable_and_under_a_restricted_parent_hidden(home_page, tmp_path):
    LibraryIndexPageFactory(parent=home_page, slug="library")
    staff_only = LibraryIndexPageFactory(parent=home_page, slug="staff-library", title="Staff")
    PageViewRestriction.objects.create(page=staff_only, restriction_type=PageViewRestriction.LOGIN)
    path = tmp_path / "records.mrc"
    path.write_bytes(marc_record("Hidden learning", control="h1").as_marc())
    run(path, "--parent", "staff-library")
    path.write_bytes(marc_record("Open learning", control="o1").as_marc())
    run(path, "--parent", "library")

    visible = CatalogueRecord.objects.visible_to(None).values_list("title", flat=True)
    assert list(visible) == ["Open learning"]
    results = search_catalogue(SearchParams(q="learning"), None)
    assert [hit.record.title for hit in results.hits] == ["Open learning"]
    assert run(path, "--parent", "nowhere")[0] == 1


@pytest.mark.django_db(transaction=True)
def test_an_import_with_two_workers_indexes_and_prepares_every_record(library, tmp_path):
    # Committed for real, so the forked workers (on PostgreSQL or a SQLite file) see each batch;
    # the last record repeats the first after its chunk went out, and its change must win.
    records = [marc_record(f"Parenting study {n}", control=f"w{n}") for n in range(1200)]
    records.append(marc_record("Parenting study revised", control="w0"))
    path = tmp_path / "many.mrc"
    path.write_bytes(b"".join(record.as_marc() for record in records))

    code, out, _err = run(path, "--workers", "2")

    assert code == 0
    assert out.strip().splitlines()[-1] == "imported 1200, updated 1, rejected 0"
    live = CatalogueRecord.objects.live()
    assert PreparedRecordDetail.objects.count() == live.count() == 1200
    revised = live.get(title="Parenting study revised")
    assert prepared_record_detail(revised.pk, revised.last_published_at)["title"] == (
        "Parenting study revised"
    )
    assert search_catalogue(SearchParams(q="parenting study"), None).count == 1200
    hits = search_catalogue(SearchParams(q="revised"), None).hits
    assert [hit.record.pk for hit in hits] == [revised.pk]


def _round_trip_records(library):
    book = CatalogueRecordFactory(
        parent=library,
        title="Learning from case reviews",
        subtitle="a summary",
        record_type=RecordType.BOOK,
        isbn="9780902498730",
        publisher="NSPCC",
        place_of_publication="London",
        publication_year=2013,
        edition="2nd ed.",
    )
    ContributorFactory(record=book, family_name="Munro", given_names="E. R.")
    ContributorFactory(
        record=book, family_name="Lushey", given_names="C.", role=ContributorRole.EDITOR
    )
    article = CatalogueRecordFactory(
        parent=library,
        title="Invisible children",
        record_type=RecordType.JOURNAL_ARTICLE,
        journal_title="Child Abuse Review",
        volume="21",
        issue="3",
        page_range="189-192",
        issn="0952-9136",
        doi="10.1002/car.2222",
        publication_year=2012,
    )
    ContributorFactory(record=article, family_name="NSPCC", given_names="", is_organisation=True)
    return [book, article]


def _facts(record):
    return (
        record.title,
        record.subtitle,
        record.record_type,
        record.isbn,
        record.doi,
        record.publication_year,
        record.journal_title,
        record.volume,
        record.issue,
        record.page_range,
        [
            (c.family_name, c.given_names, c.is_organisation, c.role)
            for c in record.contributors.all()
        ],
    )


@pytest.mark.parametrize("format_name", ["marcxml", "marc", "ris", "bibtex"])
def test_what_export_writes_import_reads(library, tmp_path, format_name):
    originals = _round_trip_records(library)
    expected = sorted(_facts(record) for record in originals)
    if format_name == "marc":
        data = b"".join(record_to_marc(record).as_marc() for record in originals)
    else:
        data = export(originals, format_name).content.encode()
    for record in originals:
        record.delete()
    path = tmp_path / f"export.{format_name}"
    path.write_bytes(data)

    code, out, err = run(path)

    assert (code, err) == (0, "")
    assert out.strip().splitlines()[-1] == "imported 2, updated 0, rejected 0"
    assert sorted(_facts(record) for record in CatalogueRecord.objects.all()) == expected


def test_the_reader_yields_neutral_records_in_file_order():
    format_name, entries = read_records((FILES / "supplier.csv").read_bytes())
    entries = list(entries)
    assert format_name == "csv"
    assert [entry.position for entry in entries] == [
        "row 1 (line 2)",
        "row 2 (line 3)",
        "row 3 (line 4)",
        "row 4 (line 5)",
    ]


def test_the_import_function_reports_a_preview_of_the_first_records(library):
    _format, entries = read_records((FILES / "refmanager.bib").read_bytes())
    report = import_records(entries, import_parent(), dry_run=True)
    assert [row["action"] for row in report.preview] == ["new record"] * 3
    assert report.preview[0]["title"] == "The Munro review of child protection"
    assert report.summary() == "imported 3, updated 0, rejected 2"


@pytest.mark.skipif(not SHARED_MARC.is_dir(), reason="the shared MARC test files are not here")
@pytest.mark.parametrize(
    ("name", "summary", "code"),
    [
        ("marc8.dat", "imported 1, updated 0, rejected 0", 0),
        ("diacritic.dat", "imported 1, updated 0, rejected 0", 0),
        ("batch.xml", "imported 2, updated 0, rejected 0", 0),
        ("bad_records.mrc", None, 2),
    ],
)
def test_real_library_of_congress_files(library, name, summary, code):
    result = run(SHARED_MARC / name)
    assert result[0] == code
    if summary:
        assert result[1].strip().splitlines()[-1] == summary
    else:
        assert "unreadable record" in result[2]

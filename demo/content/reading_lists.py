"""Demo content: the reading lists home and the November 2013 list on conducting case reviews.

Runs after the catalogue's demo content (see `demo.content.DEMO_CONTENT`), so entries point
at the catalogue records created for them, matched by title. A record that is missing becomes
an entry with its own citation, so the list is complete either way. Idempotent: pages are
found by slug.
"""

import datetime

from wagtail.models import Page

from demo.content.site import add_navigation_link, get_or_create_child
from home.models import HomePage
from library.identifiers import normalise_title
from library.models import CatalogueRecord, LibraryIndexPage, Subject
from readinglists.models import ReadingListIndexPage, ReadingListPage

LIST_SLUG = "practice-guidance-on-conducting-a-case-review"

LEARNING_MODELS_INTRODUCTION = (
    "<p><i>Working together to safeguard children</i> (HM Government, 2013) lets Local "
    "Safeguarding Children Boards (LSCBs) use any learning model consistent with the "
    "principles of the guidance, including the systems methodology recommended by Professor "
    "Munro.</p>"
    "<p>LSCBs are considering and using several models, among them:</p>"
    "<ul><li>the Social Care Institute for Excellence (SCIE) Learning Together systems "
    "model</li><li>the Significant Incident Learning Process (SILP)</li>"
    "<li>reviews built on individual management reviews from each agency, as under "
    "earlier guidance</li></ul>"
    "<p>No published study has yet compared the models.</p>"
)

# The seed's entries: citation facts, and an annotation in our own words for when the
# catalogue record has no abstract of its own.
PRACTICE_GUIDANCE_ENTRIES = [
    {
        "title": (
            "National panel of independent experts on serious case review: information for "
            "LSCBs and Chairs on how the panel will operate"
        ),
        "place": "[London]",
        "publisher": "Department for Education (DfE)",
        "year": 2013,
        "format_marker": "PDF",
        "annotation": (
            "<p>Tells Local Safeguarding Children Boards (LSCBs) and their chairs how the "
            "national panel of independent experts on serious case reviews works: its remit, "
            "the criteria for reviews and for publishing reports, which cases chairs should "
            "tell the panel about and what it needs to know, how information is kept "
            "confidential, how to contact the panel and when chairs attend its meetings.</p>"
        ),
    },
    {
        "title": (
            "Undertaking serious case reviews using the Social Care Institute for Excellence "
            "(SCIE) learning together systems model: lessons from the pilots"
        ),
        "authors": "Munro, E. R.\nLushey, C.",
        "place": "London",
        "publisher": "Child Wellbeing Research Centre (CWRC)",
        "year": 2013,
        "format_marker": "PDF",
        "annotation": (
            "<p>Evaluates SCIE's systems model for serious case reviews (SCRs) as two Local "
            "Safeguarding Children Boards used it between January and July 2012. Both pilot "
            "areas were strongly committed to the model, and practitioners valued its "
            "collaborative, systemic approach. Open questions include how far learning from "
            "one case can be generalised with the model, and whether it allows enough for how "
            "sensitive the subjects of SCRs are.</p>"
        ),
    },
    {
        "title": "Training materials and LSCB commissioning material with Knowledge and Skills "
        "Framework",
        "authors": "NSPCC\nSequeli\nAction for Children",
        "place": "[Exeter]",
        "publisher": "Sequeli",
        "year": 2013,
        "format_marker": "PDF",
        "annotation": (
            "<p>Materials from the Department for Education programme <i>Improving the "
            "Quality of Children's Serious Case Reviews through Support and Training</i>, run "
            "in England from January 2013 to April 2014. The training follows each stage of a "
            "review, from principles and the choice of methodology to involving families, "
            "interviewing, analysis, recommendations and writing, with sample letters and the "
            "links to Working Together, inquests, the Equality Act 2010 and domestic homicide "
            "reviews. It includes the programme's Knowledge and Skills Framework; the "
            "commissioning material for LSCBs covers key principles, a checklist for a good "
            "review report, and learning from reviews.</p>"
        ),
    },
    {
        "title": "Audit and analysis of initial and significant case reviews",
        "authors": "Vincent, S.\nPetch, A.",
        "place": "Edinburgh",
        "publisher": "The Scottish Government",
        "year": 2012,
        "format_marker": "PDF",
        "annotation": (
            "<p>Analyses 43 initial case reviews (ICRs) and 56 significant case reviews (SCRs) "
            "carried out in Scotland from 2007 to 2011, and finds that reviews were not "
            "undertaken consistently. Half of the SCRs concerned a child's death and half led "
            "to criminal proceedings; parental mental health featured in 43%, parental "
            "substance misuse in nearly two thirds and domestic abuse in over half. Makes 10 "
            "recommendations for the SCR process in Scotland.</p>"
        ),
    },
    {
        "title": "What do serious case reviews achieve?",
        "item_type": "article-journal",
        "authors": "Sidebotham, P.",
        "journal": "Archives of Disease in Childhood",
        "volume": "97",
        "issue": "3",
        "pages": "189-192",
        "year": 2012,
        "month": 3,
        "annotation": (
            "<p>Asks whether serious case reviews have improved safeguarding, produced new "
            "learning and led to action. Concludes that recommendations help when they are "
            "few, focused and lead to definite action, but that making them is not in itself "
            "evidence that anything has been learned.</p>"
        ),
    },
    {
        "title": "Inquiring into non-accidental child deaths: reviewing the review process",
        "item_type": "article-journal",
        "authors": "Devaney, J.\nLazenbatt, A.\nBunting, L.",
        "journal": "British Journal of Social Work",
        "volume": "41",
        "issue": "2",
        "pages": "242-260",
        "year": 2011,
        "month": 3,
        "annotation": (
            "<p>A Delphi study of experienced child protection professionals in Northern "
            "Ireland on how serious case reviews are conducted. Concludes that reviews would "
            "improve with more attention to process and a stronger focus on turning learning "
            "into action.</p>"
        ),
    },
    {
        "title": (
            "Learning from serious case reviews: report of a research study on the methods of "
            "learning lessons nationally from serious case reviews"
        ),
        "authors": "Sidebotham, P.\net al.",
        "place": "London",
        "publisher": "Department for Education",
        "year": 2010,
        "format_marker": "PDF",
        "annotation": (
            "<p>Recommends ways to improve how lessons are learned nationally from serious "
            "case reviews.</p>"
        ),
    },
    {
        "title": "Safeguarding through audit: a guide to auditing case review recommendations",
        "edition": "Rev. ed.",
        "authors": "Handley, M.\nGreen, R.",
        "place": "London",
        "publisher": "NSPCC",
        "year": 2009,
        "item_type": "webpage",
        "annotation": (
            "<p>An online guide for local safeguarding children boards (LSCBs) on auditing "
            "the recommendations of case reviews.</p>"
        ),
    },
]

WORKING_TOGETHER = {
    "title": (
        "Working together to safeguard children: a guide to inter-agency working to safeguard "
        "and promote the welfare of children"
    ),
    "authors": "HM Government",
    "place": "London",
    "publisher": "Department for Education (DfE)",
    "year": 2013,
    "format_marker": "PDF",
    "item_type": "report",
}


def find_record(title: str) -> CatalogueRecord | None:
    """The catalogue record with this title, exactly or after normalising punctuation."""
    records = CatalogueRecord.objects.all()
    record = records.filter(title=title).first()
    if record is None:
        record = records.filter(normalised_title=normalise_title(title)[:600]).first()
    if record is None and ":" in title:
        head, _sep, tail = title.partition(":")
        for candidate in records.filter(title=head.strip()):
            if normalise_title(candidate.subtitle) == normalise_title(tail):
                return candidate
    return record


def demo_entry(data: dict) -> tuple[str, dict]:
    """A stream value: the catalogue record's entry when it exists, else a full citation."""
    record = find_record(data["title"])
    if record is not None:
        annotation = "" if record.abstract.strip() else data.get("annotation", "")
        return (
            "record",
            {
                "record": record,
                "annotation": annotation,
                "format_marker": data.get("format_marker", ""),
                "size": "",
            },
        )
    fields = {key: value for key, value in data.items() if key != "annotation"}
    fields.setdefault("item_type", "report")
    return ("citation", {**fields, "annotation": data.get("annotation", "")})


def demo_topics() -> list[Subject]:
    """The thesaurus terms for this list: the library's own, or one made here without them."""
    names = ("Serious case reviews", "Learning from reviews")
    topics = list(Subject.objects.filter(name__in=names))
    if not topics:
        topics = [Subject.objects.get_or_create(name="Case reviews")[0]]
    return topics


def see_also_blocks(home: HomePage) -> list[tuple[str, object]]:
    """The list's see-also: where statutory guidance is, and Working Together itself."""
    blocks: list[tuple[str, object]] = []
    library = LibraryIndexPage.objects.child_of(home).first()
    if library is not None:
        blocks.append(
            (
                "link",
                {
                    "label": "Statutory guidance for England, Northern Ireland, Scotland and "
                    "Wales in the library catalogue",
                    "page": library,
                    "url": "",
                },
            )
        )
    blocks.append(demo_entry(WORKING_TOGETHER))
    return blocks


def closing_note(home: HomePage) -> str:
    """The seed's contact line, linking to the About the Information Service page."""
    about = Page.objects.child_of(home).filter(slug="about").first()
    text = "Contact the Information Service"
    if about is not None:
        text = f'<a linktype="page" id="{about.pk}">{text}</a>'
    return f"<p>{text} for more information on case reviews or any child protection topic.</p>"


def load_demo_content(home: HomePage) -> None:
    """The reading lists home at /reading-lists/ and the November 2013 case review list."""
    index = get_or_create_child(
        home,
        ReadingListIndexPage,
        "reading-lists",
        title="Reading lists",
        introduction=(
            "<p>Annotated lists of key guidance, research and practice resources on child "
            "protection topics, compiled by the Information Service.</p>"
        ),
    )
    add_navigation_link("Reading lists", index)
    if ReadingListPage.objects.child_of(index).filter(slug=LIST_SLUG).exists():
        return
    reading_list = ReadingListPage(
        slug=LIST_SLUG,
        title=(
            "Practice guidance on conducting a case review following the death or serious "
            "injury of a child"
        ),
        compiled=datetime.date(2013, 11, 1),
        compiler="the NSPCC Information Service",
        last_reviewed=datetime.date(2013, 11, 1),
        review_interval_months=12,
        search_description=(
            "Guidance resources for conducting a case review, learning from its findings and "
            "implementing its recommendations."
        ),
        introduction=(
            "<p>A reading list of guidance resources for conducting a case review, learning "
            "from the findings and putting the recommendations into practice.</p>"
        ),
        sections=[
            (
                "section",
                {
                    "heading": "Learning models for serious case reviews",
                    "introduction": LEARNING_MODELS_INTRODUCTION,
                    "entries": [],
                },
            ),
            (
                "section",
                {
                    "heading": "Practice guidance and learning audits",
                    "introduction": "",
                    "entries": [demo_entry(data) for data in PRACTICE_GUIDANCE_ENTRIES],
                },
            ),
        ],
        see_also=see_also_blocks(home),
        closing_note=closing_note(home),
    )
    index.add_child(instance=reading_list)
    reading_list.topics.set(demo_topics())
    reading_list.save_revision().publish()

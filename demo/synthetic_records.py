"""Synthetic catalogue records in bulk, shaped like the real library, for demos and benchmarks.

`generate_records(count, seed)` writes `count` live records fast: it plans every record from a
seeded random generator (so a seed always gives the same catalogue), then inserts them in
batches with bulk inserts, never one page save at a time. The tree and row writing is
the library's own (`library.bulk`), which the catalogue import uses too.

Bulk inserts skip save() and signals: the search index must be rebuilt afterwards
(`rebuild_catalogue_index`), and Wagtail's own admin search index (`update_index`) too.
"""

import bisect
import datetime
import itertools
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, Site

from demo.content.catalogue import AGENCIES, load_boards, load_subjects
from library.bulk import TreeWriter, insert_rows, insert_tuples
from library.identifiers import normalise_title
from library.models import (
    AgeBand,
    Agency,
    Availability,
    Board,
    CaseReview,
    CaseReviewIndexPage,
    CatalogueRecord,
    ContributorRole,
    Gender,
    LibraryIndexPage,
    Nation,
    Recommendation,
    RecordContributor,
    RecordKeyword,
    RecordType,
    ReviewType,
    Subject,
)

BATCH_SIZE = 5_000
FIRST_YEAR = 1945
CASE_REVIEW_SHARE = 0.03
DATE_ADDED_DAYS = 8 * 365


def _words(text: str) -> list[str]:
    return text.split()


# The field's own words: most records use several of them.
KEY_WORDS = ["child", "abuse", "neglect", "protection", "safeguarding", "review"]
COMMON_WORDS = [
    *KEY_WORDS,
    "children",
    "young people",
    "families",
    "parents",
    "practice",
    "social work",
    "risk",
    "welfare",
]
# A hand-written domain vocabulary, most frequent first; synthetic words follow it.
DOMAIN_WORDS = _words("""
policy research practitioners assessment intervention support services agencies health
education police court evidence guidance training learning outcomes family care
domestic violence mental substance misuse alcohol drugs parenting infants adolescents
school teachers nurses midwives doctors paediatric hospital community local national
multi-agency communication information sharing decision making thresholds referral
investigation early help prevention wellbeing trauma attachment development resilience
vulnerability exploitation trafficking online grooming bullying self-harm suicide
disability disabled autism learning difficulties looked after foster adoption residential
kinship leaving care homelessness poverty deprivation housing employment migration asylum
unaccompanied refugee ethnicity culture faith religion language interpreters gender
fathers mothers siblings grandparents carers relatives neighbours voluntary sector
charities inspection ofsted regulation legislation statutory duties rights participation
voice consent confidentiality recording chronology supervision workload retention
leadership management commissioning partnership boards audit quality markers standards
evaluation pilot systems model methodology qualitative quantitative survey interviews
cohort longitudinal prevalence incidence statistics trends analysis themes findings
recommendations lessons implementation dissemination knowledge workforce competence
skills framework curriculum prenatal postnatal sudden unexpected death injury fractures
head bruising burns fabricated induced illness emotional physical sexual harmful
behaviour peer relationships dating teenage pregnancy gangs county lines missing
runaway radicalisation extremism female genital mutilation forced marriage honour
digital internet images sexting social media gaming privacy technology apps
criminal justice youth offending custody prison probation victims witnesses testimony
therapy counselling treatment recovery play art music sport nutrition obesity dental
immunisation breastfeeding sleep crying feeding toddlers preschool nursery childcare
rural urban coastal regional scotland wales england ireland northern international
europe comparative historical inquiry reform modernisation austerity funding budget
""")
SYLLABLES = _words(
    "ab ac ad al am an ar as at ba be bi bo ca ce ci co da de di do el em en er es et fa "
    "fe fi fo ga ge gi go ha he hi ho il im in ir is la le li lo ma me mi mo na ne ni no "
    "ob oc od ol om on or os pa pe pi po ra re ri ro sa se si so ta te ti to ul um un ur "
    "us va ve vi vo"
)
SYNTHETIC_WORDS = 2_700
ZIPF_EXPONENT = 1.07

FAMILY_NAMES = _words("""
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson
Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan
Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly
Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall
Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray
Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler
Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher
Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day
Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts
Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett
Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland
Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah
Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross
Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson
Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp
Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rowe
Burke May Pritchard Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond Arnold
Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert
Stephens Blake Akhtar Lynch Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter
""")
INITIALS = _words("A B C D E F G H J K L M N P R S T V W")
ORGANISATIONS = [
    "NSPCC",
    "Department for Education",
    "Department of Health",
    "Home Office",
    "Ofsted",
    "Care Inspectorate",
    "Welsh Government",
    "The Scottish Government",
    "Department of Health (Northern Ireland)",
    "Social Care Institute for Excellence",
    "Barnardo's",
    "Action for Children",
    "The Children's Society",
    "Children's Commissioner for England",
    "Local Government Association",
    "Royal College of Paediatrics and Child Health",
    "Royal College of Nursing",
    "National Children's Bureau",
    "Research in Practice",
    "Child Safeguarding Practice Review Panel",
]
PUBLISHERS = [
    ("NSPCC", "London"),
    ("Department for Education", "London"),
    ("Jessica Kingsley Publishers", "London"),
    ("Policy Press", "Bristol"),
    ("Routledge", "Abingdon"),
    ("Sage", "London"),
    ("Wiley", "Chichester"),
    ("Palgrave Macmillan", "Basingstoke"),
    ("Open University Press", "Maidenhead"),
    ("The Scottish Government", "Edinburgh"),
    ("Welsh Government", "Cardiff"),
    ("HMSO", "London"),
    ("Barnardo's", "Barkingside"),
    ("Research in Practice", "Dartington"),
    ("National Children's Bureau", "London"),
]
JOURNALS = [
    ("Child Abuse Review", "0952-9136"),
    ("Child Abuse and Neglect", "0145-2134"),
    ("British Journal of Social Work", "0045-3102"),
    ("Child and Family Social Work", "1356-7500"),
    ("Children and Youth Services Review", "0190-7409"),
    ("Archives of Disease in Childhood", "0003-9888"),
    ("Journal of Social Work Practice", "0265-0533"),
    ("Adoption and Fostering", "0308-5759"),
    ("Child Care in Practice", "1357-5279"),
    ("Journal of Interpersonal Violence", "0886-2605"),
]
# English local authority areas, for the spread of safeguarding boards.
BOARD_PLACES = {
    Nation.ENGLAND: _words("""Barnet Birmingham Bradford Brighton Bristol Buckinghamshire Camden
        Cornwall Coventry Croydon Cumbria Derby Devon Dorset Durham Essex Gloucestershire
        Hampshire Hertfordshire Kent Lancashire Leeds Leicester Lincolnshire Liverpool
        Manchester Newcastle Norfolk Northumberland Nottingham Oxfordshire Plymouth
        Portsmouth Sheffield Shropshire Somerset Southampton Staffordshire Suffolk Surrey
        Sunderland Wakefield Walsall Warwickshire Wiltshire Wolverhampton Worcestershire
        York"""),
    Nation.SCOTLAND: ["Aberdeen", "Dundee", "Fife", "Glasgow", "Highland", "Lothian", "Stirling"],
    Nation.WALES: ["Gwent", "Powys", "Swansea Bay", "Cwm Taf Morgannwg", "North Wales", "Cardiff"],
    Nation.NORTHERN_IRELAND: ["Belfast", "Western", "Southern"],
}
KEYWORDS = [
    "serious case reviews",
    "child deaths",
    "information sharing",
    "professional curiosity",
    "hidden men",
    "disguised compliance",
    "toxic trio",
    "neglect",
    "babies",
    "adolescents",
    "online safety",
    "domestic abuse",
    "parental mental health",
    "substance misuse",
    "bruising",
    "non-mobile babies",
    "child sexual exploitation",
    "early help",
    "thresholds",
    "supervision",
    "voice of the child",
    "cultural competence",
    "transition to adulthood",
    "home education",
    "private fostering",
]
RECOMMENDATION_TEMPLATES = [
    "Agencies should share information about {w} with the partnership at the earliest point.",
    "The partnership should audit how {w} is recorded in assessments.",
    "Practitioners should receive training on {w} and professional curiosity.",
    "Health services should review their guidance on {w}.",
]

# Shares of record types outside the case review repository (a real catalogue's shape).
RECORD_TYPE_WEIGHTS = [
    (RecordType.JOURNAL_ARTICLE, 36),
    (RecordType.REPORT, 20),
    (RecordType.BOOK, 15),
    (RecordType.RESEARCH, 11),
    (RecordType.GUIDANCE, 10),
    (RecordType.BRIEFING, 8),
]
NATION_WEIGHTS = [
    (Nation.ENGLAND, 70),
    (Nation.SCOTLAND, 10),
    (Nation.WALES, 7),
    (Nation.NORTHERN_IRELAND, 5),
    ("", 8),
]
AVAILABILITY_WEIGHTS = [
    (Availability.IN_LIBRARY, 55),
    (Availability.ONLINE, 35),
    (Availability.ON_REQUEST, 10),
]
AGE_BANDS = list(AgeBand.values)
GENDERS = list(Gender.values)
CSPR_FROM_YEAR = 2019


def build_vocabulary() -> list[str]:
    """The title and abstract vocabulary, most frequent first (the same for every seed)."""
    words = list(dict.fromkeys(DOMAIN_WORDS))
    made = random.Random(0)  # noqa: S311 - a fixed vocabulary, not security
    seen = set(words)
    while len(words) < len(DOMAIN_WORDS) + SYNTHETIC_WORDS:
        word = "".join(made.choices(SYLLABLES, k=made.choice((2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class WeightedChoice:
    """Fast repeated weighted draws from a fixed list (cumulative weights, bisect)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]

    def draw_many(self, rng: random.Random, k: int) -> list:
        return rng.choices(self.items, cum_weights=self.cumulative, k=k)


def zipf_choice(words: list[str]) -> WeightedChoice:
    """Word draws whose frequency falls off with rank, as in real text."""
    return WeightedChoice(words, [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(words))])


def weighted(pairs) -> WeightedChoice:
    return WeightedChoice([item for item, _w in pairs], [w for _i, w in pairs])


@dataclass
class PlannedRecord:
    """Everything about one synthetic record, before it has database ids."""

    title: str
    record_type: str
    publication_year: int
    nation: str
    abstract: str
    contributors: list[tuple[str, str, bool]]
    subjects: list[str]
    keywords: list[str]
    date_added: datetime.date
    availability: str
    publisher: str = ""
    place_of_publication: str = ""
    journal_title: str = ""
    issn: str = ""
    volume: str = ""
    issue: str = ""
    page_range: str = ""
    case: dict = field(default_factory=dict)


class RecordPlanner:
    """Plans plausible records from a seed; the same seed always gives the same records."""

    def __init__(self, seed: int, subjects: list[str], boards: dict[str, list[str]], agencies):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
        self.words = zipf_choice(build_vocabulary())
        self.subjects = zipf_choice(subjects)
        self.record_types = weighted(RECORD_TYPE_WEIGHTS)
        self.nations = weighted(NATION_WEIGHTS)
        self.availability = weighted(AVAILABILITY_WEIGHTS)
        self.family_names = zipf_choice(FAMILY_NAMES)
        self.boards = boards
        self.agencies = list(agencies)
        self.today = timezone.localdate()

    def key_word(self) -> str:
        rng = self.rng
        return rng.choice(KEY_WORDS) if rng.random() < 0.8 else rng.choice(COMMON_WORDS)

    def title(self) -> str:
        rng, w, k = self.rng, self.words.draw, self.key_word
        pattern = rng.randrange(6)
        if pattern == 0:
            text = f"{k()} {w(rng)} and {w(rng)}: a {w(rng)} {k()}"
        elif pattern == 1:
            text = f"{w(rng)} {k()} in {w(rng)} {w(rng)}"
        elif pattern == 2:
            text = f"learning from {k()} {k()}: {w(rng)} and {w(rng)}"
        elif pattern == 3:
            text = f"{k()} {k()}: {w(rng)} {w(rng)} {w(rng)}"
        elif pattern == 4:
            text = f"the {w(rng)} of {k()} {w(rng)}"
        else:
            text = f"{w(rng)}, {w(rng)} and {k()}: {w(rng)} for {k()} {w(rng)}"
        return text[0].upper() + text[1:]

    def abstract(self) -> str:
        rng = self.rng
        sentences = []
        for _sentence in range(rng.randint(2, 4)):
            words = self.words.draw_many(rng, rng.randint(10, 22))
            for position in rng.sample(range(len(words)), k=min(3, len(words))):
                words[position] = self.key_word()
            text = " ".join(words)
            sentences.append(text[0].upper() + text[1:] + ".")
        return "<p>" + " ".join(sentences) + "</p>"

    def year(self) -> int:
        # Catalogues grow: far more recent publications than post-war ones.
        span = self.today.year - FIRST_YEAR
        return FIRST_YEAR + int(span * (1 - self.rng.random() ** 2.2))

    def contributors(self) -> list[tuple[str, str, bool]]:
        rng = self.rng
        if rng.random() < 0.15:
            return [(rng.choice(ORGANISATIONS), "", True)]
        return [
            (self.family_names.draw(rng), self.initials(), False)
            for _person in range(rng.choice((1, 1, 1, 2, 2, 3, 4)))
        ]

    def initials(self) -> str:
        rng = self.rng
        return " ".join(f"{letter}." for letter in rng.sample(INITIALS, k=rng.choice((1, 1, 2))))

    def plan(self, case_review: bool) -> PlannedRecord:
        rng = self.rng
        year = self.year()
        record_type = RecordType.CASE_REVIEW if case_review else self.record_types.draw(rng)
        nation = self.nations.draw(rng)
        if case_review and not nation:
            nation = Nation.ENGLAND
        record = PlannedRecord(
            title=self.title(),
            record_type=record_type,
            publication_year=year,
            nation=nation,
            abstract=self.abstract(),
            contributors=self.contributors(),
            subjects=sorted(set(self.subjects.draw_many(rng, rng.randint(1, 4)))),
            keywords=sorted(set(rng.sample(KEYWORDS, k=rng.choice((0, 0, 1, 2, 3))))),
            date_added=self.today - datetime.timedelta(days=rng.randrange(DATE_ADDED_DAYS)),
            availability=self.availability.draw(rng),
        )
        if record_type == RecordType.JOURNAL_ARTICLE:
            record.journal_title, record.issn = rng.choice(JOURNALS)
            record.volume = str(max(1, year - 1975))
            record.issue = str(rng.randint(1, 6))
            first = rng.randint(1, 900)
            record.page_range = f"{first}-{first + rng.randint(5, 25)}"
        else:
            record.publisher, record.place_of_publication = rng.choice(PUBLISHERS)
        if case_review:
            record.case = self.case_facts(nation, year)
        return record

    def case_facts(self, nation: str, year: int) -> dict:
        rng = self.rng
        review_type = {
            Nation.NORTHERN_IRELAND: ReviewType.CASE_MANAGEMENT_REVIEW,
            Nation.SCOTLAND: ReviewType.SIGNIFICANT_CASE_REVIEW,
            Nation.WALES: ReviewType.CHILD_PRACTICE_REVIEW,
        }.get(nation)
        if review_type is None:
            review_type = (
                ReviewType.CHILD_SAFEGUARDING_PRACTICE_REVIEW
                if year >= CSPR_FROM_YEAR
                else ReviewType.SERIOUS_CASE_REVIEW
            )
        return {
            "review_type": review_type,
            "board": rng.choice(self.boards[nation]),
            "incident_year": year - rng.choice((0, 1, 1, 2, 2, 3)),
            "child_age_band": rng.choice(AGE_BANDS),
            "child_gender": rng.choice(GENDERS),
            "themes": sorted(set(self.subjects.draw_many(rng, rng.randint(1, 3)))),
            "agencies": sorted(set(rng.sample(self.agencies, k=rng.randint(2, 5)))),
            "recommendations": [
                rng.choice(RECOMMENDATION_TEMPLATES).format(w=self.key_word())
                for _r in range(rng.randint(0, 3))
            ],
        }


@dataclass
class GenerationReport:
    """What a run created."""

    records: int = 0
    case_reviews: int = 0


def ensure_sections() -> tuple[LibraryIndexPage, CaseReviewIndexPage]:
    """The library home and case review repository, created under the site's home if missing."""
    library = LibraryIndexPage.objects.first()
    repository = CaseReviewIndexPage.objects.first()
    if library is not None and repository is not None:
        return library, repository
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise ValueError(
            "There is no default site to put the records in; run load_demo_content first."
        )
    home = site.root_page.specific
    if library is None:
        library = LibraryIndexPage(title="Library catalogue", slug="library")
        home.add_child(instance=library)
        library.save_revision().publish()
    if repository is None:
        repository = CaseReviewIndexPage(
            title="National case review repository", slug="case-reviews"
        )
        home.add_child(instance=repository)
        repository.save_revision().publish()
    return library, repository


def ensure_vocabulary() -> tuple[dict[str, int], dict[str, list[int]], dict[str, int]]:
    """Subject ids by name, board ids by nation and agency ids by name, created if missing."""
    load_subjects()
    load_boards()
    for nation, places in BOARD_PLACES.items():
        for place in places:
            name = f"{place} Safeguarding Children Partnership"
            former = f"{place} Local Safeguarding Children Board"
            if nation != Nation.ENGLAND:
                name = f"{place} Child Protection Committee"
                former = ""
            Board.objects.get_or_create(
                name=name, defaults={"nation": nation, "former_names": former}
            )
    for name in AGENCIES:
        Agency.objects.get_or_create(name=name)
    boards: dict[str, list[int]] = {}
    for pk, nation in Board.objects.order_by("name").values_list("pk", "nation"):
        boards.setdefault(nation, []).append(pk)
    return (
        dict(Subject.objects.values_list("name", "pk")),
        boards,
        dict(Agency.objects.values_list("name", "pk")),
    )


def _published_at(record: PlannedRecord) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(record.date_added, datetime.time(9, 0)))


def record_row(page_id: int, record: PlannedRecord) -> dict:
    """The catalogue record table's columns for one record."""
    return {
        "page_ptr_id": page_id,
        "record_type": record.record_type,
        "publisher": record.publisher,
        "place_of_publication": record.place_of_publication,
        "publication_year": record.publication_year,
        "issn": record.issn,
        "journal_title": record.journal_title,
        "volume": record.volume,
        "issue": record.issue,
        "page_range": record.page_range,
        "language": "en",
        "nation": record.nation,
        "abstract": record.abstract,
        "availability": record.availability,
        "date_added": record.date_added,
        "normalised_title": normalise_title(record.title)[:600],
    }


def generate_records(
    count: int,
    seed: int,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> GenerationReport:
    """Create `count` live synthetic records (a few percent case reviews) from `seed`."""
    library, repository = ensure_sections()
    subject_ids, board_ids, agency_ids = ensure_vocabulary()
    planner = RecordPlanner(seed, sorted(subject_ids), board_ids, sorted(agency_ids))
    tag_ids = ensure_tags()
    writers = {
        False: TreeWriter(library, CatalogueRecord),
        True: TreeWriter(repository, CaseReview),
    }
    report = GenerationReport()
    subject_through = CatalogueRecord.subjects.through
    remaining = count
    while remaining > 0:
        size = min(batch_size, remaining)
        remaining -= size
        planned = [planner.plan(planner.rng.random() < CASE_REVIEW_SHARE) for _n in range(size)]
        with transaction.atomic():
            for is_case, writer in writers.items():
                group = [record for record in planned if bool(record.case) == is_case]
                if not group:
                    continue
                entries = [(record.title, _published_at(record)) for record in group]
                pages = Page.objects.bulk_create(
                    writer.pages(
                        entries, lambda: uuid.UUID(int=planner.rng.getrandbits(128), version=4)
                    )
                )
                ids = [page.pk for page in pages]
                insert_rows(
                    CatalogueRecord, [record_row(i, r) for i, r in zip(ids, group, strict=True)]
                )
                pairs = list(zip(ids, group, strict=True))
                insert_tuples(
                    RecordContributor,
                    [
                        "record",
                        "sort_order",
                        "family_name",
                        "given_names",
                        "is_organisation",
                        "role",
                    ],
                    (
                        (i, order, family, given, is_org, ContributorRole.AUTHOR.value)
                        for i, r in pairs
                        for order, (family, given, is_org) in enumerate(r.contributors)
                    ),
                )
                insert_tuples(
                    subject_through,
                    ["cataloguerecord", "subject"],
                    ((i, subject_ids[name]) for i, r in pairs for name in r.subjects),
                )
                insert_tuples(
                    RecordKeyword,
                    ["content_object", "tag"],
                    ((i, tag_ids[name]) for i, r in pairs for name in r.keywords),
                )
                if is_case:
                    insert_case_reviews(ids, group, subject_ids, agency_ids)
                    report.case_reviews += len(group)
                writer.grow_parent(len(group))
                report.records += len(group)
        if progress is not None:
            progress(report.records)
    return report


def insert_case_reviews(ids, group, subject_ids, agency_ids) -> None:
    """The case review rows, themes, agencies and recommendations for one batch."""
    insert_rows(
        CaseReview,
        [
            {
                "cataloguerecord_ptr_id": i,
                "review_type": r.case["review_type"],
                "board_id": r.case["board"],
                "incident_year": r.case["incident_year"],
                "child_age_band": r.case["child_age_band"],
                "child_gender": r.case["child_gender"],
            }
            for i, r in zip(ids, group, strict=True)
        ],
    )
    pairs = list(zip(ids, group, strict=True))
    insert_tuples(
        CaseReview.themes.through,
        ["casereview", "subject"],
        ((i, subject_ids[name]) for i, r in pairs for name in r.case["themes"]),
    )
    insert_tuples(
        CaseReview.agencies.through,
        ["casereview", "agency"],
        ((i, agency_ids[name]) for i, r in pairs for name in r.case["agencies"]),
    )
    insert_tuples(
        Recommendation,
        ["review", "sort_order", "text"],
        (
            (i, order, text)
            for i, r in pairs
            for order, text in enumerate(r.case["recommendations"])
        ),
    )


def ensure_tags() -> dict[str, int]:
    """Tag ids for the generator's keywords, created if missing."""
    for name in KEYWORDS:
        if not Tag.objects.filter(name=name).exists():
            Tag.objects.create(name=name, slug=slugify(name))
    return dict(Tag.objects.filter(name__in=KEYWORDS).values_list("name", "pk"))

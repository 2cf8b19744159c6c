"""Demo content for the library: the two section pages, the thesaurus, boards, agencies,
two case reviews and the eight publications of the NSPCC's November 2013 reading list.

Idempotent: pages are found by slug, records by title, vocabulary by name. Abstracts are
written in our own words from the facts of the seed pages.
"""

from demo.content.site import add_navigation_link, get_or_create_child
from library.models import (
    Agency,
    Board,
    CaseReview,
    CaseReviewIndexPage,
    CatalogueRecord,
    ContributorRole,
    LibraryIndexPage,
    Nation,
    Recommendation,
    RecordContributor,
    RecordType,
    ReviewType,
    Subject,
)
from library.workflow import ensure_librarian_workflow

# (preferred term, broader term, use-for terms, scope note)
SUBJECTS = [
    ("Child abuse", None, ["Child maltreatment"], ""),
    ("Physical abuse", "Child abuse", ["Non-accidental injury", "NAI"], ""),
    ("Sexual abuse", "Child abuse", ["Child sexual abuse", "CSA"], ""),
    (
        "Sexual exploitation",
        "Sexual abuse",
        ["CSE", "Child sexual exploitation"],
        "Abuse in which a child is given something in return for sexual activity.",
    ),
    ("Emotional abuse", "Child abuse", ["Psychological abuse"], ""),
    ("Neglect", "Child abuse", ["Child neglect"], ""),
    ("Children and young people", None, [], ""),
    ("Disabled children", "Children and young people", ["Children with disabilities"], ""),
    ("Looked after children", "Children and young people", ["Children in care", "LAC"], ""),
    ("Minority ethnic children", "Children and young people", ["BME children"], ""),
    ("Under ones", "Children and young people", ["Babies", "Infants"], ""),
    ("Case reviews", None, ["Child death reviews"], ""),
    ("Serious case reviews", "Case reviews", ["SCR", "SCRs"], "England, until 2018."),
    (
        "Child safeguarding practice reviews",
        "Case reviews",
        ["CSPR", "CSPRs"],
        "England, from 2018.",
    ),
    ("Significant case reviews", "Case reviews", ["Learning reviews"], "Scotland."),
    ("Case management reviews", "Case reviews", ["CMR"], "Northern Ireland."),
    ("Child practice reviews", "Case reviews", ["CPR"], "Wales."),
    ("Safeguarding systems", None, [], ""),
    (
        "Local safeguarding children boards",
        "Safeguarding systems",
        ["LSCB", "LSCBs", "Safeguarding partnerships"],
        "",
    ),
    ("Multi-agency working", "Safeguarding systems", ["Inter-agency working"], ""),
    ("Learning from reviews", "Safeguarding systems", ["Lessons learned"], ""),
]
RELATED_SUBJECTS = [
    ("Neglect", "Under ones"),
    ("Sexual exploitation", "Looked after children"),
    ("Serious case reviews", "Learning from reviews"),
    ("Local safeguarding children boards", "Multi-agency working"),
]

# (name, nation, former names)
BOARDS = [
    ("ISCP", Nation.ENGLAND, []),
    (
        "Northshire Safeguarding Children Partnership",
        Nation.ENGLAND,
        ["Northshire Local Safeguarding Children Board", "Northshire LSCB"],
    ),
    ("Safeguarding Board for Northern Ireland", Nation.NORTHERN_IRELAND, []),
    ("Edinburgh Child Protection Committee", Nation.SCOTLAND, []),
    ("Cardiff and Vale Regional Safeguarding Board", Nation.WALES, []),
]
AGENCIES = [
    "Children's social care",
    "Police",
    "Health visiting",
    "General practice",
    "Schools",
    "Hospital services",
    "Adult mental health services",
    "Probation",
    "Housing",
]

CASE_REVIEWS = [
    {
        "title": "Child X",
        "subtitle": "serious case review: executive summary",
        "abstract": (
            "<p>Executive summary of the serious case review the ISCP commissioned into the "
            "circumstances of Child X, published in 2016.</p>"
        ),
        "themes": ["Serious case reviews", "Multi-agency working"],
        "agencies": ["Children's social care", "Police", "Schools"],
        "recommendations": [
            "Agencies should record and share concerns so that a pattern of harm is seen early.",
            "The partnership should check that learning from this review reaches front-line "
            "practitioners through multi-agency training.",
        ],
    },
    {
        "title": "Child/Adult Y",
        "subtitle": "serious case review: executive summary",
        "abstract": (
            "<p>Executive summary of the serious case review the ISCP commissioned into the "
            "circumstances of Child/Adult Y, a young person moving into adulthood, published "
            "in 2016.</p>"
        ),
        "themes": ["Serious case reviews", "Learning from reviews"],
        "agencies": ["Children's social care", "Adult mental health services", "Housing"],
        "recommendations": [
            "Children's and adults' services should plan the move to adult services together "
            "well before a young person's eighteenth birthday.",
        ],
    },
]

# The November 2013 reading list "Practice guidance on conducting a case review".
PUBLICATIONS = [
    {
        "title": (
            "National panel of independent experts on serious case review: information for "
            "LSCBs and Chairs on how the panel will operate"
        ),
        "record_type": RecordType.GUIDANCE,
        "organisations": ["Department for Education (DfE)"],
        "place_of_publication": "[London]",
        "publisher": "Department for Education (DfE)",
        "publication_year": 2013,
        "nation": Nation.ENGLAND,
        "subjects": ["Serious case reviews", "Local safeguarding children boards"],
        "abstract": (
            "<p>For Local Safeguarding Children Boards (LSCBs) and their chairs: how the "
            "national panel of independent experts on serious case reviews operates, its "
            "scope and criteria, the publication of reports, what chairs should tell the "
            "panel and how, how information stays confidential, and when chairs attend panel "
            "meetings.</p>"
        ),
    },
    {
        "title": (
            "Undertaking serious case reviews using the Social Care Institute for Excellence "
            "(SCIE) learning together systems model: lessons from the pilots"
        ),
        "record_type": RecordType.RESEARCH,
        "people": [("Munro", "E. R."), ("Lushey", "C.")],
        "place_of_publication": "London",
        "publisher": "Child Wellbeing Research Centre (CWRC)",
        "publication_year": 2013,
        "nation": Nation.ENGLAND,
        "subjects": ["Serious case reviews", "Learning from reviews"],
        "abstract": (
            "<p>An evaluation of SCIE's systems model for serious case reviews as used by two "
            "Local Safeguarding Children Boards from January to July 2012. Both areas were "
            "committed to the model and practitioners valued its collaborative, systemic way "
            "of working; the evaluation questions how far learning from one case generalises "
            "and whether the model allows for the sensitivity of the issues reviews "
            "discuss.</p>"
        ),
    },
    {
        "title": (
            "Training materials and LSCB commissioning material with Knowledge and Skills Framework"
        ),
        "record_type": RecordType.GUIDANCE,
        "organisations": ["NSPCC", "Sequeli", "Action for Children"],
        "place_of_publication": "[Exeter]",
        "publisher": "Sequeli",
        "publication_year": 2013,
        "nation": Nation.ENGLAND,
        "subjects": ["Serious case reviews", "Local safeguarding children boards"],
        "abstract": (
            "<p>Training and commissioning materials from the Department for Education "
            "programme on improving the quality of children's serious case reviews (England, "
            "January 2013 to April 2014): every stage of a review from principles and method "
            "to involving families, interviews, analysis, recommendations and writing, the "
            "links with Working Together, inquests, the Equality Act 2010 and domestic "
            "homicide reviews, and a Knowledge and Skills Framework.</p>"
        ),
    },
    {
        "title": "Audit and analysis of initial and significant case reviews",
        "record_type": RecordType.RESEARCH,
        "people": [("Vincent", "S."), ("Petch", "A.")],
        "place_of_publication": "Edinburgh",
        "publisher": "The Scottish Government",
        "publication_year": 2012,
        "nation": Nation.SCOTLAND,
        "subjects": ["Significant case reviews", "Learning from reviews"],
        "abstract": (
            "<p>Analysis of 43 initial and 56 significant case reviews held in Scotland from "
            "2007 to 2011. Reviews were carried out inconsistently; half the significant case "
            "reviews concerned a death, parental mental health featured in 43%, parental "
            "substance misuse in nearly two thirds and domestic abuse in over half. Ten "
            "recommendations follow.</p>"
        ),
    },
    {
        "title": "What do serious case reviews achieve?",
        "record_type": RecordType.JOURNAL_ARTICLE,
        "people": [("Sidebotham", "P.")],
        "journal_title": "Archives of Disease in Childhood",
        "volume": "97",
        "issue": "3",
        "page_range": "189-192",
        "publication_year": 2012,
        "nation": Nation.ENGLAND,
        "subjects": ["Serious case reviews", "Learning from reviews"],
        "notes": "Published March 2012.",
        "abstract": (
            "<p>Considers whether serious case reviews improve safeguarding, teach anything "
            "new and lead to action. Recommendations help when few, focused and acted on, but "
            "making them does not show that learning has happened.</p>"
        ),
    },
    {
        "title": "Inquiring into non-accidental child deaths: reviewing the review process",
        "record_type": RecordType.JOURNAL_ARTICLE,
        "people": [("Devaney", "J."), ("Lazenbatt", "A."), ("Bunting", "L.")],
        "journal_title": "British Journal of Social Work",
        "volume": "41",
        "issue": "2",
        "page_range": "242-260",
        "publication_year": 2011,
        "nation": Nation.NORTHERN_IRELAND,
        "subjects": ["Case management reviews", "Learning from reviews"],
        "notes": "Published March 2011.",
        "abstract": (
            "<p>A Delphi study with experienced child protection professionals in Northern "
            "Ireland on how serious case reviews are conducted: more attention to process, "
            "and to turning learning into action, would improve them.</p>"
        ),
    },
    {
        "title": (
            "Learning from serious case reviews: report of a research study on the methods of "
            "learning lessons nationally from serious case reviews"
        ),
        "record_type": RecordType.RESEARCH,
        "people": [("Sidebotham", "P.")],
        "place_of_publication": "London",
        "publisher": "Department for Education",
        "publication_year": 2010,
        "nation": Nation.ENGLAND,
        "subjects": ["Serious case reviews", "Learning from reviews"],
        "notes": "By Sidebotham, P. and others.",
        "abstract": (
            "<p>Recommendations for better ways of learning lessons nationally from serious "
            "case reviews.</p>"
        ),
    },
    {
        "title": "Safeguarding through audit: a guide to auditing case review recommendations",
        "record_type": RecordType.GUIDANCE,
        "people": [("Handley", "M."), ("Green", "R.")],
        "edition": "Rev. ed.",
        "place_of_publication": "London",
        "publisher": "NSPCC",
        "publication_year": 2009,
        "subjects": ["Case reviews", "Local safeguarding children boards"],
        "abstract": (
            "<p>An online guide that helps local safeguarding children boards audit how the "
            "recommendations of case reviews have been carried out.</p>"
        ),
    },
]


def load_demo_content(home) -> None:
    """The library home, the case review repository, their vocabulary and records."""
    library = get_or_create_child(
        home,
        LibraryIndexPage,
        "library",
        title="Library catalogue",
        introduction=(
            "<p>The UK's largest collection of child protection resources, and the only UK "
            "database specialising in published material on child protection, child abuse "
            "and child neglect.</p>"
        ),
    )
    repository = get_or_create_child(
        home,
        CaseReviewIndexPage,
        "case-reviews",
        title="National case review repository",
        introduction=(
            "<p>When a child dies or is seriously harmed and abuse or neglect is involved, a "
            "case review looks at how local professionals and organisations can work "
            "together better. The repository gathers published reviews from all four UK "
            "nations so that their learning can be shared.</p>"
        ),
    )
    add_navigation_link("Library", library)
    add_navigation_link("Case reviews", repository)
    ensure_librarian_workflow(library, repository)
    subjects = load_subjects()
    boards = load_boards()
    agencies = {name: Agency.objects.get_or_create(name=name)[0] for name in AGENCIES}
    for data in PUBLICATIONS:
        add_publication(library, data, subjects)
    for data in CASE_REVIEWS:
        add_case_review(repository, data, subjects, boards["ISCP"], agencies)


def load_subjects() -> dict[str, Subject]:
    """The demo thesaurus, by preferred term."""
    subjects: dict[str, Subject] = {}
    for name, broader, use_for, scope_note in SUBJECTS:
        subject, created = Subject.objects.get_or_create(
            name=name,
            defaults={
                "broader": subjects.get(broader),
                "use_for": "\n".join(use_for),
                "scope_note": scope_note,
            },
        )
        subjects[name] = subject
    for first, second in RELATED_SUBJECTS:
        if not subjects[first].related.filter(pk=subjects[second].pk).exists():
            subjects[first].related.add(subjects[second])
            subjects[first].save()
    return subjects


def load_boards() -> dict[str, Board]:
    """The demo boards and partnerships, by name."""
    return {
        name: Board.objects.get_or_create(
            name=name, defaults={"nation": nation, "former_names": "\n".join(former)}
        )[0]
        for name, nation, former in BOARDS
    }


def _contributors(data: dict) -> list[RecordContributor]:
    people = [
        RecordContributor(family_name=family, given_names=given, role=ContributorRole.AUTHOR)
        for family, given in data.get("people", [])
    ]
    organisations = [
        RecordContributor(family_name=name, is_organisation=True, role=ContributorRole.AUTHOR)
        for name in data.get("organisations", [])
    ]
    return people + organisations


def add_publication(library, data: dict, subjects: dict[str, Subject]) -> None:
    """One reading-list publication under the library home, unless it is there already."""
    if CatalogueRecord.objects.filter(title=data["title"]).exists():
        return
    fields = {
        key: value
        for key, value in data.items()
        if key not in ("people", "organisations", "subjects")
    }
    record = CatalogueRecord(**fields)
    record.contributors = _contributors(data)
    record.subjects = [subjects[name] for name in data["subjects"]]
    library.add_child(instance=record)
    record.save_revision().publish()


def add_case_review(repository, data: dict, subjects, board, agencies) -> None:
    """One of the seed's case reviews under the repository, unless it is there already."""
    if CaseReview.objects.filter(title=data["title"]).exists():
        return
    review = CaseReview(
        title=data["title"],
        subtitle=data["subtitle"],
        abstract=data["abstract"],
        review_type=ReviewType.SERIOUS_CASE_REVIEW,
        nation=Nation.ENGLAND,
        board=board,
        publisher=board.name,
        publication_year=2016,
    )
    review.contributors = [
        RecordContributor(family_name=board.name, is_organisation=True, role=ContributorRole.AUTHOR)
    ]
    review.subjects = [subjects["Serious case reviews"]]
    review.themes = [subjects[name] for name in data["themes"]]
    review.agencies = [agencies[name] for name in data["agencies"]]
    review.recommendations = [Recommendation(text=text) for text in data["recommendations"]]
    repository.add_child(instance=review)
    review.save_revision().publish()

"""Demo content for learning from case reviews: the learning home, a page per UK nation, three
thematic briefings and enough generated case reviews (with small generated PDFs) to fill the
yearly lists and the charts. Idempotent: finds pages by slug and reviews by title."""

import datetime
import random

from django.core.files.base import ContentFile
from django.utils.text import slugify
from fpdf import FPDF
from wagtail.documents import get_document_model
from wagtail.models import Collection

from demo.content.site import add_navigation_link, get_or_create_child
from learning.models import LearningIndexPage, NationPage, ThematicBriefingPage
from library.models import (
    AgeBand,
    Agency,
    Board,
    CaseReview,
    CaseReviewIndexPage,
    DocumentKind,
    LearningPoint,
    Methodology,
    Nation,
    Recommendation,
    RecordDocument,
    ReviewType,
    Subject,
)

YEARS = range(2013, 2020)
SEED = 15

NATIONS = [
    (
        Nation.ENGLAND,
        ReviewType.SERIOUS_CASE_REVIEW,
        Methodology.LEARNING_TOGETHER,
        "<p>When a child in England dies or is seriously harmed and abuse or neglect is known "
        "or suspected, the local safeguarding partners decide whether a review could show how "
        "agencies can work together better. Until 2018 these were serious case reviews; since "
        "then they are local child safeguarding practice reviews, and a national panel reviews "
        "the cases of most concern.</p>",
    ),
    (
        Nation.NORTHERN_IRELAND,
        ReviewType.CASE_MANAGEMENT_REVIEW,
        Methodology.TRADITIONAL,
        "<p>In Northern Ireland the regional safeguarding board commissions a case management "
        "review when a child dies or is seriously harmed and abuse or neglect may have played "
        "a part, to learn how services worked together.</p>",
    ),
    (
        Nation.SCOTLAND,
        ReviewType.SIGNIFICANT_CASE_REVIEW,
        Methodology.ROOT_CAUSE_ANALYSIS,
        "<p>In Scotland a child protection committee holds a significant case review (now a "
        "learning review) after a child dies or is seriously harmed and there are concerns "
        "about how services protected them.</p>",
    ),
    (
        Nation.WALES,
        ReviewType.CHILD_PRACTICE_REVIEW,
        Methodology.WELSH_CHILD_PRACTICE_REVIEW,
        "<p>In Wales a regional safeguarding board holds a child practice review: a concise "
        "review for serious harm, an extended one where a child had been on the child "
        "protection register or looked after. Practitioners take part in a learning event.</p>",
    ),
]
NATION_TITLES = {
    Nation.ENGLAND: "England",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
    Nation.SCOTLAND: "Scotland",
    Nation.WALES: "Wales",
}
CIRCUMSTANCES = {
    "Neglect": "Serious neglect of a {age}-year-old {child} living with several siblings.",
    "Under ones": "Death of a {months}-month-old {child} from a head injury.",
    "Disabled children": "Serious harm to a {age}-year-old disabled {child} with complex needs.",
}
BACKGROUNDS = [
    "The family had moved home several times and were known to many agencies, each of which "
    "saw only part of the picture.",
    "The parents had long-standing difficulties with mental health and alcohol; support was "
    "offered but often not taken up, and the children's views were rarely recorded.",
    "Professionals focused on the mother; the father and a new partner were not assessed.",
]
LEARNING = [
    "Professionals should see and speak to the child, not only the parents.",
    "Information held by one agency was not shared with others at the right time.",
    "Men in the household were invisible to services.",
    "Missed appointments were not recognised as a sign of neglect.",
    "Disguised compliance led professionals to be over-optimistic.",
]
RECOMMENDATIONS = [
    ("Health visiting", "Record who lives in the household, and assess fathers and partners."),
    ("Children's social care", "Review cases open for a long time with no sign of change."),
    ("Police", "Share domestic abuse notifications with schools the next working day."),
    ("General practice", "Follow up children who repeatedly miss health appointments."),
    ("Schools", "Record patterns of absence and tell the safeguarding lead."),
    ("Hospital services", "Check with other agencies when a baby has an unexplained injury."),
]
BRIEFINGS = [
    {
        "slug": "neglect",
        "title": "Neglect: learning from case reviews",
        "theme": "Neglect",
        "summary": "<p>In the reviews on neglect, children lived for a long time with needs "
        "that were not met: food, warmth, health care, school and attention. Many agencies "
        "knew something; nobody put the pieces together.</p>",
        "why": "Neglect is the most common reason for a child protection plan. Its harm builds "
        "up slowly and can be as damaging as a single violent act.",
        "risks": [
            "Missed health, dental and school appointments",
            "Poor home conditions that improve briefly and then slip back",
            "Parents with mental ill health, substance misuse or domestic abuse",
            "A child who is withdrawn, hungry or often unwell",
        ],
        "recommendations": [
            "Keep a chronology so that a pattern of neglect can be seen over time.",
            "Use a recognised tool to assess neglect, and repeat it.",
            "Escalate when help is offered but nothing changes for the child.",
        ],
        "questions": "What is a day like for this child?\nWhat has changed since we became "
        "involved?\nWho else knows this family?",
    },
    {
        "slug": "under-ones",
        "title": "Babies under one: learning from case reviews",
        "theme": "Under ones",
        "summary": "<p>Babies cannot tell anyone what is happening to them and depend "
        "entirely on their carers. Reviews find injuries in babies that were not explained, "
        "and fathers and partners who were not assessed.</p>",
        "why": "Babies are the age group most likely to be the subject of a case review, and "
        "a small injury in a baby who is not yet mobile can be a warning of serious harm.",
        "risks": [
            "Bruising or any injury in a baby who is not yet mobile",
            "Parents under great stress, or with a history of violence",
            "Men in the household who are not known to services",
            "A baby who cries a lot, and carers who struggle to cope",
        ],
        "recommendations": [
            "Refer any bruise in a non-mobile baby for a child protection assessment.",
            "Speak to both parents about coping with crying.",
            "Ask who lives in the home and who looks after the baby.",
        ],
        "questions": "Who else cares for this baby?\nWould we accept this explanation of an "
        "injury from any family?",
    },
    {
        "slug": "disabled-children",
        "title": "Disabled children: learning from case reviews",
        "theme": "Disabled children",
        "summary": "<p>Disabled children are more likely to be abused and less likely to be "
        "protected. Reviews describe signs of abuse put down to a child's condition, and "
        "children whose own voice was not heard.</p>",
        "why": "Communication needs, dependence on carers and a focus on the parents' needs "
        "can hide abuse of disabled children from professionals.",
        "risks": [
            "Injuries or behaviour explained away by the child's impairment",
            "Many professionals involved, none holding the whole picture",
            "Children who cannot easily tell anyone what is happening",
            "Carers under great strain without enough support",
        ],
        "recommendations": [
            "Make sure every child has a way to communicate with professionals.",
            "Apply the same child protection thresholds as for any other child.",
            "Agree a lead professional for children with complex needs.",
        ],
        "questions": "How does this child tell us how they feel?\nWould we act differently "
        "if this child were not disabled?",
    },
]


def demo_report_pdf(title: str, board: str, year: int) -> bytes:
    """A small one-page PDF standing in for a published overview report."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0,
        6,
        f"{board}, {year}. Overview report (demonstration copy: the text of the report is "
        "not reproduced here).",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def demo_document(title: str, board: str, year: int):
    collection = Collection.get_first_root_node()
    document = get_document_model()(title=f"{title}: overview report", collection=collection)
    document.file.save(
        f"demo-overview-{slugify(title)}.pdf",
        ContentFile(demo_report_pdf(title, board, year)),
        save=False,
    )
    document.save()
    return document


def generated_reviews():
    """(title, fields) for the demo reviews, the same on every run."""
    chooser = random.Random(SEED)  # noqa: S311 - repeatable demo data, not security
    letters = "ABCDEFGHJKLMNPRSTVWY"
    count = 0
    for year in YEARS:
        for nation, review_type, methodology, _text in NATIONS:
            for _ in range(3 if nation == Nation.ENGLAND else 1):
                theme = chooser.choice(list(CIRCUMSTANCES))
                child = chooser.choice(["boy", "girl"])
                pseudonym = f"Child {letters[count % len(letters)]}{year % 100}"
                count += 1
                yield (
                    f"{review_type.label}: {pseudonym}",
                    {
                        "nation": nation,
                        "review_type": review_type,
                        "methodology": methodology,
                        "theme": theme,
                        "child_pseudonym": pseudonym,
                        "circumstances": CIRCUMSTANCES[theme].format(
                            age=chooser.randint(2, 14), months=chooser.randint(1, 11), child=child
                        ),
                        "background": chooser.choice(BACKGROUNDS),
                        "learning": chooser.sample(LEARNING, 2),
                        "recommendations": chooser.sample(RECOMMENDATIONS, 2),
                        "year": year,
                        "month": chooser.randint(1, 12),
                        "age_band": AgeBand.UNDER_ONE
                        if theme == "Under ones"
                        else AgeBand.FIVE_TO_TEN,
                    },
                )


def load_demo_content(home) -> None:
    """The learning home, nation pages, briefings and the generated reviews."""
    repository = CaseReviewIndexPage.objects.child_of(home).first()
    if repository is None:
        return
    subjects = {subject.name: subject for subject in Subject.objects.all()}
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    boards = {board.nation: board for board in Board.objects.order_by("-name")}
    for title, data in generated_reviews():
        add_review(repository, title, data, subjects, agencies, boards[data["nation"]])
    learning = get_or_create_child(
        home,
        LearningIndexPage,
        "learning",
        title="Learning from case reviews",
        introduction="<p>Briefings that pull together the learning from case reviews on one "
        "theme, the reviews of each UK nation by year, and what reviews have recommended.</p>",
    )
    add_navigation_link("Learning", learning)
    for nation, _type, _model, text in NATIONS:
        get_or_create_child(
            learning,
            NationPage,
            nation.value,
            title=f"Case reviews in {NATION_TITLES[nation]}",
            nation=nation,
            review_process=text,
        )
    for data in BRIEFINGS:
        add_briefing(learning, data, subjects)


def add_review(repository, title, data, subjects, agencies, board) -> None:
    if CaseReview.objects.filter(title=title).exists():
        return
    review = CaseReview(
        title=title,
        nation=data["nation"],
        review_type=data["review_type"],
        methodology=data["methodology"],
        board=board,
        publisher=board.name,
        publication_year=data["year"],
        publication_month=data["month"],
        incident_year=data["year"] - 1,
        child_age_band=data["age_band"],
        child_pseudonym=data["child_pseudonym"],
        circumstances=data["circumstances"],
        background=data["background"],
        date_added=datetime.date(data["year"], data["month"], 15),
        keep_documents_online=True,
        abstract=f"<p>{data['circumstances']}</p>",
    )
    review.themes = [subjects[data["theme"]]] if data["theme"] in subjects else []
    review.learning_points = [LearningPoint(text=text) for text in data["learning"]]
    review.recommendations = [
        Recommendation(text=text, agency=agencies.get(agency))
        for agency, text in data["recommendations"]
    ]
    review.attached_documents = [
        RecordDocument(
            document=demo_document(title, board.name, data["year"]),
            kind=DocumentKind.FULL_REPORT,
            label="Overview report",
        )
    ]
    repository.add_child(instance=review)
    review.save_revision().publish()


def add_briefing(learning, data, subjects) -> None:
    if learning.get_children().filter(slug=data["slug"]).exists():
        return
    theme = subjects.get(data["theme"])
    if theme is None:
        return
    cited = list(CaseReview.objects.filter(themes=theme).order_by("-publication_year")[:2])
    get_or_create_child(
        learning,
        ThematicBriefingPage,
        data["slug"],
        title=data["title"],
        theme=theme,
        summary=data["summary"],
        why_it_matters=data["why"],
        risk_factors=[("risk_factor", text) for text in data["risks"]],
        recommendations=[
            ("recommendation", {"text": text, "reviews": cited[:1] if index == 0 else []})
            for index, text in enumerate(data["recommendations"])
        ],
        reflection_questions=data["questions"],
        last_reviewed=datetime.date(2017, 1, 1),
        search_description=data["summary"][3:120].rsplit(" ", 1)[0] + "…",
    )

"""The 7-minute learning sheet of a thematic briefing as a one-page PDF, written with fpdf2
(pure Python: no system libraries, no browser). The sections follow the print view."""

from django.utils.html import strip_tags
from fpdf import FPDF
from fpdf.enums import XPos, YPos

# fpdf2's built-in Helvetica covers Latin-1; typographic punctuation is written plainly.
PLAIN = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"}
)
FONT_SIZES = (10, 9, 8, 7)
MAX_ITEMS = 6
HEADINGS = (
    "What happened",
    "Why it matters",
    "What to look for",
    "What to do",
    "Questions for reflection",
    "Further reading",
)


def plain(text) -> str:
    """Text the PDF's core font can write."""
    return (
        " ".join(strip_tags(str(text)).split())
        .translate(PLAIN)
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def sections(briefing, sheet: dict) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs or points) in the sheet's order; empty sections left out."""
    recommendations = [
        text + (" (from " + "; ".join(review.title for review in cited) + ")" if cited else "")
        for text, cited in sheet["recommendation_items"]
    ]
    reading = [reading_list.title + " (reading list)" for reading_list in sheet["reading_lists"]]
    reading += [record.title for record in sheet["further_records"]]
    found = [
        ("What happened", [briefing.summary]),
        ("Why it matters", [briefing.why_it_matters] if briefing.why_it_matters else []),
        ("What to look for", sheet["risk_factors"][:MAX_ITEMS]),
        ("What to do", recommendations[:MAX_ITEMS]),
        ("Questions for reflection", sheet["questions"][:MAX_ITEMS]),
        ("Further reading", reading[:MAX_ITEMS]),
    ]
    return [(heading, [plain(item) for item in items if plain(item)]) for heading, items in found]


class SheetPDF(FPDF):
    def write_block(self, height: float, text: str) -> None:
        """A paragraph across the page, leaving the cursor at the start of the next line."""
        self.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _render(briefing, parts, address: str, size: int) -> FPDF:
    pdf = SheetPDF(format="A4")
    pdf.set_title(plain(f"7-minute learning: {briefing.title}"))
    pdf.set_author("Shelfmark")
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size + 8)
    pdf.write_block((size + 8) * 0.5, plain(f"7-minute learning: {briefing.title}"))
    pdf.ln(1)
    pdf.set_font("Helvetica", "I", size - 1)
    pdf.write_block(
        size * 0.45,
        plain(
            "Case reviews describe children's experiences of abuse and neglect, and some "
            "details may be distressing."
        ),
    )
    for number, (heading, items) in enumerate(parts, start=1):
        if not items:
            continue
        pdf.ln(1.5)
        pdf.set_font("Helvetica", "B", size + 2)
        pdf.write_block((size + 2) * 0.5, f"{number}. {heading}")
        pdf.set_font("Helvetica", "", size)
        bullet = len(items) > 1 or heading not in ("What happened", "Why it matters")
        for item in items:
            pdf.write_block(size * 0.45, ("- " if bullet else "") + item)
    pdf.ln(2)
    pdf.set_font("Helvetica", "I", size - 1)
    pdf.write_block(
        size * 0.45,
        plain(f"Last reviewed {briefing.last_reviewed:%B %Y}. The full briefing: {address}"),
    )
    return pdf


def seven_minute_pdf(briefing, sheet: dict, address: str) -> bytes:
    """The sheet as PDF bytes, in the largest type that fits one A4 page (the smallest size
    is used, over more pages, only for a briefing far longer than a 7-minute sheet)."""
    parts = sections(briefing, sheet)
    for size in FONT_SIZES:
        pdf = _render(briefing, parts, address, size)
        if pdf.page_no() == 1:
            break
    return bytes(pdf.output())

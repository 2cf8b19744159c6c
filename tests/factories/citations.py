"""CSL-JSON items the citation tests share: a journal article as citeproc-py receives it."""

SIDEBOTHAM = {
    "id": "sidebotham-2012",
    "type": "article-journal",
    "title": "What do serious case reviews achieve?",
    "author": [{"family": "Sidebotham", "given": "P."}],
    "issued": {"date-parts": [[2012, 3]]},
    "container-title": "Archives of Disease in Childhood",
    "volume": "97",
    "issue": "3",
    "page": "189-192",
}

"""The demo site's content: one module for each app it fills, each with an idempotent
`load_demo_content(home)` that finds pages by slug and creates only what is missing."""

from demo.content import (
    accounts,
    catalogue,
    current_awareness,
    information_service,
    learning,
    reading_lists,
    site,
)

# (app label, module), in this order because the reading list cites the catalogue's records
# and the accounts join the groups the apps make.
DEMO_CONTENT = [
    ("home", site),
    ("library", catalogue),
    ("readinglists", reading_lists),
    ("enquiries", information_service),
    ("learning", learning),
    ("currentawareness", current_awareness),
    ("auth", accounts),
]

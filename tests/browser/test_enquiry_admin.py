"""The Information Service's admin pages in a real browser: the triage list reads cleanly, and
the reply form chooses canned responses and catalogue records; both pass axe."""

import pytest
from django.contrib.auth.models import Permission

from enquiries.models import CannedResponse
from tests.factories.enquiries import EnquiryFactory, information_service_user
from tests.factories.home import make_site
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def officer(username: str):
    """An Information Service user. Transactional tests flush the group's permissions (a data
    migration gave them), so they are given again here."""
    user = information_service_user(username)
    user.groups.get().permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_enquiry", "change_enquiry", "view_cannedresponse"]
        )
    )
    return user


def sign_in(page, live_server, username="officer"):
    user = officer(username)
    user.set_password("a-long-password")
    user.first_name, user.last_name = "Olu", "Officer"
    user.save()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")
    return user


def test_triage_list_has_readable_headers_and_no_mid_word_breaks(
    page, live_server, assert_accessible
):
    for topic in ("Child sexual exploitation", "Neglect", "Safeguarding in education"):
        EnquiryFactory(topic=topic, profession="safeguarding-partnership")
    sign_in(page, live_server)
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(live_server.url + "/admin/enquiries/enquiry/")
    headers = page.locator("table.listing thead th").all_inner_texts()
    headers = [" ".join(text.split()) for text in headers]
    assert "Received" in headers and "Due" in headers
    assert not [text for text in headers if "display" in text.lower()]
    # No word is split across lines: each cell's words fit whole on their line.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('table.listing th, table.listing td')]
            .filter(cell => getComputedStyle(cell).wordBreak === 'break-all'
                || getComputedStyle(cell).overflowWrap === 'anywhere')
            .map(cell => cell.innerText)"""
    )
    assert broken == []
    words_split = page.evaluate(
        """() => {
            const split = [];
            for (const cell of document.querySelectorAll('table.listing td, table.listing th')) {
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const re = /\\S+/g; let match;
                    while ((match = re.exec(node.data))) {
                        const range = document.createRange();
                        range.setStart(node, match.index);
                        range.setEnd(node, match.index + match[0].length);
                        if (range.getClientRects().length > 1) split.push(match[0]);
                    }
                }
            }
            return split;
        }"""
    )
    assert words_split == []
    assert_accessible(page)


def test_reply_form_inserts_a_canned_response_and_chooses_records(
    page, live_server, assert_accessible
):
    library = LibraryIndexPageFactory(parent=make_site())
    CatalogueRecordFactory(parent=library, title="Bruising in non-mobile infants")
    CannedResponse.objects.create(title="Search tips", body="Try the case review search.")
    enquiry = EnquiryFactory()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/enquiries/{enquiry.pk}/reply/")
    page.get_by_label("Reply to the enquirer").fill("Dear Sam,")
    page.get_by_label("Canned response").select_option(label="Search tips")
    page.get_by_role("button", name="Insert into the reply").click()
    assert page.get_by_label("Reply to the enquirer").input_value() == (
        "Dear Sam,\n\nTry the case review search."
    )
    assert_accessible(page)
    # Records: the page chooser, not a box of typed ids.
    page.get_by_role("button", name="Add").first.click()
    page.get_by_role("button", name="Choose a page").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("link", name="Bruising in non-mobile infants").click()
    page.get_by_text("Bruising in non-mobile infants").first.wait_for()
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url(f"{live_server.url}/admin/enquiries/enquiry/inspect/{enquiry.pk}/")
    [reply] = enquiry.replies.all()
    assert [record.title for record in reply.records.all()] == ["Bruising in non-mobile infants"]


def test_the_enquiry_page_offers_assignment_to_a_colleague(page, live_server, assert_accessible):
    enquiry = EnquiryFactory()
    colleague = officer("colleague")
    colleague.first_name, colleague.last_name = "Ada", "Jones"
    colleague.save()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/enquiries/enquiry/inspect/{enquiry.pk}/")
    assert_accessible(page)
    page.get_by_label("Assign to").select_option(label="Ada Jones")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_text("assignment saved").wait_for()
    enquiry.refresh_from_db()
    assert enquiry.assignee == colleague


def test_staff_log_a_phone_enquiry_in_the_admin(page, live_server, assert_accessible):
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/enquiries/log/")
    assert_accessible(page)
    page.get_by_label("Received by").select_option(label="Telephone, logged by staff")
    page.get_by_label("Enquirer's name").fill("Caller Example")
    page.get_by_label("Enquirer's email address").fill("caller@example.org")
    page.get_by_label("Profession or role").select_option("education")
    page.get_by_label("Nation or region").select_option("scotland")
    page.get_by_label("The question").fill("A head teacher asked for guidance on sexting.")
    page.get_by_label("The enquirer agreed").check()
    page.get_by_role("button", name="Log the enquiry").click()
    page.get_by_text("logged; the enquirer is emailed the reference").wait_for()
    assert "Telephone, logged by staff" in page.content()

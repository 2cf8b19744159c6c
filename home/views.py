"""Error pages that render in the site's layout, and a plain one when the layout itself fails."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception=None):
    """The 404 page, in the site layout so visitors can find their way on."""
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page: a standalone template that needs no database or context processors."""
    return HttpResponseServerError(loader.get_template("500.html").render())

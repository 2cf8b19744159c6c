"""Admin registration for current awareness: the figures page and its menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from currentawareness import admin_views


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("currentawareness.view_subscriber")

    def render_component(self, request):
        self.url = reverse("currentawareness_figures")
        return super().render_component(request)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("current-awareness/", admin_views.figures, name="currentawareness_figures")]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return FiguresMenuItem(_("Current awareness"), "", icon_name="mail", order=110)

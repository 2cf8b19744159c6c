"""Admin panel on a reading list's Review tab: its broken links and hidden entries."""

from wagtail.admin.panels import Panel


class ListHealthPanel(Panel):
    """Shows editors what readers will miss: links failing repeatedly, entries hidden."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "readinglists/admin/list_health_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            saved = page is not None and page.pk is not None
            context["saved"] = saved
            context["broken_links"] = list(page.broken_links()) if saved else []
            context["hidden_entries"] = page.hidden_entries() if saved else []
            return context

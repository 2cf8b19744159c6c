"""Test-only middleware: each answer names the process that made it, so a test can tell the
workers of one gunicorn server apart (they share a port). Never in the runtime settings."""

import os


class WorkerPidMiddleware:
    """Adds `X-Worker-Pid` to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Worker-Pid"] = str(os.getpid())
        return response

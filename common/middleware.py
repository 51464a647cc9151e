"""The download door's safety net: a file from a view that did not pass the door is refused."""

import logging

from django.http import HttpResponseForbidden

from common.downloads import REQUEST_FLAG, is_file

logger = logging.getLogger(__name__)


class UndeclaredDownloadMiddleware:
    """Any response that is a file (a Content-Disposition, or a PDF, CSV or XLSX type) must come from a view that declared
    the kind of data it holds and passed `common.downloads`; otherwise it is replaced by 403,
    so a download added without the declaration gives nothing away (and its tests fail).
    Django's admin is left alone: it is superuser territory and gives out no files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_file(response) or hasattr(request, REQUEST_FLAG):
            return response
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.app_names:
            return response
        logger.error("Refused a file from %s: its view declares no download kind", request.path)
        return HttpResponseForbidden("This download declares no kind of data.")

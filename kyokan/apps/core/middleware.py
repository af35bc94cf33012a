import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation

from .access import declared_access

logger = logging.getLogger(__name__)


class AccessDeclaredMiddleware:
    """Fail closed: a view that does not declare who may use it is never run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if declared_access(view_func) is None:
            logger.error("View %r declares no access rule; refused.", view_func)
            raise PermissionDenied
        return None


class LanguageMiddleware:
    """Japanese unless the person chose otherwise with the language switch (a cookie).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: a
    city's staff see the Japanese UI on any machine unless they switch."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # The language is restored afterwards, so one request never leaks into the next.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

import logging

from django.core.exceptions import PermissionDenied

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

"""Every view declares who may use it: ``@public`` or ``@require("app.perm")``.

``AccessDeclaredMiddleware`` refuses to run a view that declares nothing, and the URL-walk
test in tests/core/test_url_access.py checks each declaration against every role.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

PUBLIC = "public"
#: Longest address to come back to after signing in. A longer one (a search of 2,000
#: characters, percent-encoded) would make the login redirect exceed Django's limit on
#: redirect addresses (2,048: DisallowedRedirect, a 400 page); the path alone is kept.
NEXT_MAX = 1_500


def login_redirect(request):
    """To the login page, coming back to this page afterwards (without its query when the
    address is too long to carry, :data:`NEXT_MAX`)."""
    back = request.get_full_path()
    if len(back) > NEXT_MAX:
        back = request.path if len(request.path) <= NEXT_MAX else "/"
    return redirect_to_login(back)


def public(view: Callable) -> Callable:
    view.kyokan_access = PUBLIC
    return view


def require(perm: str, *, obj: Callable | None = None) -> Callable[[Callable], Callable]:
    """Anonymous users go to the login page; signed-in users without ``perm`` get 403.

    ``obj(user=request.user, **url_kwargs)`` loads the object the permission is about (404 if
    missing; it may be None, e.g. "this user's invitation", and then only a rule that accepts
    None can pass); it is then passed to the view as ``obj``.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return login_redirect(request)
            target = obj(user=request.user, **kwargs) if obj is not None else None
            if not request.user.has_perm(perm, target):
                raise PermissionDenied
            if obj is not None:
                kwargs["obj"] = target
            return view(request, *args, **kwargs)

        wrapped.kyokan_access = perm
        wrapped.kyokan_object = obj
        return wrapped

    return decorator


def declared_access(view: Callable) -> str | None:
    view_class = getattr(view, "view_class", None)
    return getattr(view, "kyokan_access", None) or getattr(view_class, "kyokan_access", None)

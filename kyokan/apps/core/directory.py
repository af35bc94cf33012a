"""Log in with the city's directory (Active Directory or any LDAP server).

When ``KYOKAN_LDAP_URL`` is set, people log in with their directory account: Kyokan binds
with its service account, finds the person's entry by their login (``KYOKAN_LDAP_USER_FILTER``,
``{login}`` replaced by the escaped login), checks the password by binding as that entry, and
matches the entry to a person of Kyokan by 職員番号 (``KYOKAN_LDAP_STAFF_NUMBER_ATTRIBUTE``)
or, failing that, by e-mail. Nobody is created from the directory — people come from the HR
import — and a person who left (inactive) cannot log in. Local passwords stay for
administrators and for cities without a directory (Django's ModelBackend comes after this
one). The client is ldap3 (pure Python: no system library is needed).

Settings (from the environment, see kyokan/config/settings.py)::

    KYOKAN_LDAP_URL                  ldaps://dc1.city.example.jp  (or ldap://…:389)
    KYOKAN_LDAP_START_TLS            1 to upgrade an ldap:// connection with StartTLS
    KYOKAN_LDAP_BIND_DN              the service account's DN
    KYOKAN_LDAP_BIND_PASSWORD        its password
    KYOKAN_LDAP_USER_BASE            where people's entries are (e.g. OU=Staff,DC=city,DC=…)
    KYOKAN_LDAP_USER_FILTER          default (sAMAccountName={login}) (Active Directory);
                                     (uid={login}) for OpenLDAP
    KYOKAN_LDAP_STAFF_NUMBER_ATTRIBUTE  default employeeID (AD); employeeNumber for OpenLDAP
    KYOKAN_LDAP_EMAIL_ATTRIBUTE      default mail
    KYOKAN_LDAP_TIMEOUT              seconds (default 5)
"""

from __future__ import annotations

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def configured() -> bool:
    return bool(getattr(settings, "KYOKAN_LDAP_URL", ""))


def _server():
    from ldap3 import Server

    return Server(
        settings.KYOKAN_LDAP_URL,
        connect_timeout=settings.KYOKAN_LDAP_TIMEOUT,
        get_info="NO_INFO",
    )


def _connection(user: str, password: str):
    from ldap3 import Connection

    conn = Connection(
        _server(),
        user=user,
        password=password,
        receive_timeout=settings.KYOKAN_LDAP_TIMEOUT,
        raise_exceptions=False,
        read_only=True,
    )
    if settings.KYOKAN_LDAP_START_TLS and not conn.server.ssl:
        conn.open()
        conn.start_tls()
    return conn


def find_entry(login: str) -> tuple[str, dict] | None:
    """(DN, attributes) of the directory entry of ``login``, or None."""
    from ldap3.utils.conv import escape_filter_chars

    staff_attr = settings.KYOKAN_LDAP_STAFF_NUMBER_ATTRIBUTE
    email_attr = settings.KYOKAN_LDAP_EMAIL_ATTRIBUTE
    service = _connection(settings.KYOKAN_LDAP_BIND_DN, settings.KYOKAN_LDAP_BIND_PASSWORD)
    try:
        if not service.bind():
            logger.error("Directory: the service account cannot bind: %s", service.result)
            return None
        query = settings.KYOKAN_LDAP_USER_FILTER.replace("{login}", escape_filter_chars(login))
        service.search(
            settings.KYOKAN_LDAP_USER_BASE, query, attributes=[staff_attr, email_attr], size_limit=2
        )
        if len(service.entries) != 1:
            return None  # nobody, or an ambiguous login
        entry = service.entries[0]
        values = entry.entry_attributes_as_dict

        def first(name: str) -> str:
            value = values.get(name) or []
            return str(value[0]).strip() if value else ""

        return entry.entry_dn, {"staff_number": first(staff_attr), "email": first(email_attr)}
    finally:
        service.unbind()


def check_password(dn: str, password: str) -> bool:
    if not password:
        return False  # an empty password is an anonymous bind: never a login
    conn = _connection(dn, password)
    try:
        return bool(conn.bind())
    finally:
        conn.unbind()


class DirectoryBackend:
    """Django authentication backend: the directory checks the password, Kyokan the person."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not configured() or not username or not password:
            return None
        from .models import User

        try:
            found = find_entry(username)
            if found is None or not check_password(found[0], password):
                return None
        except Exception as exc:  # any failure of the directory is "unreachable"
            # Not only LDAPException and OSError: ldap3's decoder raises KeyError, IndexError
            # or ValueError on a reply that is not LDAP (a URL pointing at another service, a
            # port taken by something else). Every login, the local administrators' too, went
            # through this backend first and got a server error.
            logger.warning("Directory unreachable, local passwords only: %r", exc)
            return None
        _dn, attributes = found
        person = None
        if attributes["staff_number"]:
            person = User.objects.filter(staff_number=attributes["staff_number"]).first()
        if person is None and attributes["email"]:
            matches = list(User.objects.filter(email__iexact=attributes["email"])[:2])
            person = matches[0] if len(matches) == 1 else None
        if person is None or not person.is_active:
            return None
        return person

    def get_user(self, user_id):
        from .models import User

        return User.objects.filter(pk=user_id, is_active=True).first()

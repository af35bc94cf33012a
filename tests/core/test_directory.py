"""Log in with the city's directory, against a real OpenLDAP server (slapd) started here.

Skipped when slapd is not installed (Debian: `apt install slapd ldap-utils`; .ci/run does it).
"""

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.urls import reverse

from kyokan.apps.core.roles import Role
from tests.factories import UserFactory

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
pytestmark = pytest.mark.skipif(not Path(SLAPD).exists(), reason="slapd is not installed")

SUFFIX = "dc=hikarino,dc=example"
ROOT_DN, ROOT_PW = f"cn=admin,{SUFFIX}", "root-secret"
SERVICE_DN, SERVICE_PW = f"cn=kyokan,ou=services,{SUFFIX}", "service-secret"
PEOPLE = f"ou=people,{SUFFIX}"

CONFIG = """
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_pw}
directory {dir}/data
access to attrs=userPassword by self auth by anonymous auth by * none
access to * by dn.exact="{service_dn}" read by self read by * none
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    from ldap3 import Connection, Server

    base = tmp_path_factory.mktemp("slapd")
    (base / "data").mkdir()
    conf = base / "slapd.conf"
    conf.write_text(
        CONFIG.format(
            dir=base, suffix=SUFFIX, root_dn=ROOT_DN, root_pw=ROOT_PW, service_dn=SERVICE_DN
        )
    )
    port = _free_port()
    url = f"ldap://127.0.0.1:{port}"
    process = subprocess.Popen(
        [SLAPD, "-f", str(conf), "-h", url + "/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"slapd did not start: {process.stderr.read().decode()[-800:]}")
                time.sleep(0.1)
        admin = Connection(Server(url), ROOT_DN, ROOT_PW, auto_bind=True)
        admin.add(SUFFIX, ["dcObject", "organization"], {"o": "Hikarino City", "dc": "hikarino"})
        admin.add(f"ou=services,{SUFFIX}", ["organizationalUnit"], {"ou": "services"})
        admin.add(
            SERVICE_DN,
            ["person", "simpleSecurityObject"],
            {"cn": "kyokan", "sn": "kyokan", "userPassword": SERVICE_PW},
        )
        admin.add(PEOPLE, ["organizationalUnit"], {"ou": "people"})
        for uid, number, mail, password in (
            ("h.sato", "30001", "sato@city.example.jp", "Dir-Pass-Sato-1"),
            ("k.suzuki", "", "suzuki@city.example.jp", "Dir-Pass-Suzuki-1"),
            ("t.gone", "30003", "gone@city.example.jp", "Dir-Pass-Gone-1"),
            ("x.stranger", "99999", "stranger@elsewhere.example", "Dir-Pass-X-1"),
        ):
            attributes = {"cn": uid, "sn": uid, "uid": uid, "mail": mail, "userPassword": password}
            if number:
                attributes["employeeNumber"] = number
            assert admin.add(f"uid={uid},{PEOPLE}", ["inetOrgPerson"], attributes), admin.result
        admin.unbind()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def ldap_settings(settings, directory):
    settings.KYOKAN_LDAP_URL = directory
    settings.KYOKAN_LDAP_BIND_DN = SERVICE_DN
    settings.KYOKAN_LDAP_BIND_PASSWORD = SERVICE_PW
    settings.KYOKAN_LDAP_USER_BASE = PEOPLE
    settings.KYOKAN_LDAP_USER_FILTER = "(uid={login})"
    settings.KYOKAN_LDAP_STAFF_NUMBER_ATTRIBUTE = "employeeNumber"
    return settings


@pytest.fixture
def staff(db):
    sato = UserFactory(username="sato-local", staff_number="30001", roles=[Role.STAFF])
    suzuki = UserFactory(username="suzuki-local", email="suzuki@city.example.jp")
    gone = UserFactory(username="gone-local", staff_number="30003", is_active=False)
    return {"sato": sato, "suzuki": suzuki, "gone": gone}


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_a_person_logs_in_with_the_directory_account(client, ldap_settings, staff):
    response = _login(client, "h.sato", "Dir-Pass-Sato-1")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff["sato"].pk  # matched by 職員番号


@pytest.mark.django_db
def test_without_a_staff_number_the_email_matches(client, ldap_settings, staff):
    assert _login(client, "k.suzuki", "Dir-Pass-Suzuki-1").status_code == 302
    assert int(client.session["_auth_user_id"]) == staff["suzuki"].pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("h.sato", "wrong-password"),
        ("h.sato", ""),  # an empty password would be an anonymous bind
        ("t.gone", "Dir-Pass-Gone-1"),  # left the city: inactive in Kyokan
        ("x.stranger", "Dir-Pass-X-1"),  # in the directory, not a person of Kyokan
        ("*", "Dir-Pass-Sato-1"),  # filter injection
        ("h.sato)(uid=*", "Dir-Pass-Sato-1"),
        ("nobody", "whatever-pass"),
    ],
)
def test_refused_logins(client, ldap_settings, staff, login, password):
    assert _login(client, login, password).status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_local_passwords_still_work_for_administrators(client, ldap_settings, staff):
    admin = UserFactory(username="cityadmin", roles=[Role.SYSADMIN])
    admin.set_password("Local-Admin-Pass-2026")
    admin.save()
    assert _login(client, "cityadmin", "Local-Admin-Pass-2026").status_code == 302


@pytest.fixture
def closed_port():
    """A port bound here and not listening: connecting is refused, and no other process
    (a parallel test worker's server) can take it while the test runs."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


@pytest.fixture
def not_ldap_port():
    """A port answering every connection with bytes that are not an LDAP reply: its own request
    echoed back, which is what a connection to a free local port does when the kernel connects
    it to itself (TCP self-connect) — seen in CI."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    while data := conn.recv(4096):
                        conn.sendall(data)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        server.close()


def _falls_back(client, settings, port, username):
    settings.KYOKAN_LDAP_URL = f"ldap://127.0.0.1:{port}"
    settings.KYOKAN_LDAP_TIMEOUT = 1
    admin = UserFactory(username=username, roles=[Role.SYSADMIN])
    admin.set_password("Local-Admin-Pass-2026")
    admin.save()
    assert _login(client, "h.sato", "Dir-Pass-Sato-1").status_code == 200
    assert _login(client, username, "Local-Admin-Pass-2026").status_code == 302


@pytest.mark.django_db
def test_an_unreachable_directory_falls_back_to_local_passwords(
    client, settings, staff, closed_port
):
    _falls_back(client, settings, closed_port, "cityadmin2")


@pytest.mark.django_db
def test_a_directory_url_answering_something_else_falls_back_to_local_passwords(
    client, settings, staff, not_ldap_port
):
    # ldap3 raised KeyError decoding the reply: every login was a server error.
    _falls_back(client, settings, not_ldap_port, "cityadmin3")

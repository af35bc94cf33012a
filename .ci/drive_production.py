"""Drive a running Kyokan production stack over HTTP, as its users would, and check that
nothing failed or was lost.

Run by ``.ci/production-stack`` against gunicorn on 127.0.0.1, with the Python of the
installed Kyokan (openpyxl is used to read the Excel exports; everything else is the
standard library). The client plays the TLS-terminating reverse proxy too: every request
carries ``X-Forwarded-Proto: https`` and the ``Host`` the proxy would pass, and each simulated
person has an ``X-Forwarded-For`` address of their own (``KYOKAN_TRUSTED_PROXIES`` names
127.0.0.1, the "proxy").

Steps (each one fails the run on any unexpected status, refused form or missing row):

1. the proxy contract: plain HTTP is redirected to HTTPS, HSTS and secure cookies are set;
2. logins (and a wrong password refused without an error);
3. the secretariat creates a named survey for all staff (free text, single choice, number)
   and opens it;
4. RESPONDENTS staff log in at once, then all submit their answers at the same moment while
   the secretariat imports IMPORT_ROWS responses from a CSV file (the import runs during the
   answers); one person then edits their answer (still one response for them);
5. the free-text answers are analysed by the background worker until the run is done;
6. exports: the survey's CSV and Excel, the analysis' JSON, CSV and Excel, the audit CSV
   (directly or through a background export job, whichever the page does); every count is
   checked against what was sent.

Before the survey, a paper is uploaded to one of the demo's meetings and downloaded again,
so that the uploads folder holds a file for the backup to carry.

The figures (throughput, latencies, wall times) are printed at the end and written as JSON
to ``--report``. Exit status 0 only if every check held.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import http.client
import io
import json
import re
import statistics
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

DEMO_PASSWORD = "kyokan-demo-2026"
SECRETARIAT = "jimukyoku"
RESPONDENTS = 50
IMPORT_ROWS = 5000
TEXT_Q = "窓口のデジタル化で市民にとって一番良くなることは何ですか。"
SINGLE_Q = "オンライン申請の研修を受けたことがありますか。"
SINGLE_OPTIONS = ["ある", "ない", "予定がある"]
NUMBER_Q = "1か月に紙で受け付ける申請はおよそ何件ですか。"
ANALYSIS_TIMEOUT = 300
EXPORT_TIMEOUT = 180

# Answers are built from a few themes so that the analysis has groups to find.
THEMES = [
    ["申請書を書かなくても手続ができること", "窓口で何度も同じことを書かずに済むこと",
     "書かない窓口で記入の手間がなくなること"],
    ["オンラインで家から手続を終えられること", "電子申請で役所に来なくてよくなること",
     "夜や休日でもスマートフォンで申請できること"],
    ["窓口の待ち時間が短くなること", "順番待ちが減って早く帰れること",
     "混雑が減り待たされなくなること"],
    ["職員の事務が減って相談に時間を使えること", "入力や転記の作業がなくなること",
     "紙の書類の保管がいらなくなること"],
]  # fmt: skip
DETAILS = ["", "と思います", "が一番です", "を期待しています", "が大切です"]


def answer_text(i: int) -> str:
    theme = THEMES[i % len(THEMES)]
    return theme[(i // len(THEMES)) % len(theme)] + DETAILS[(i // 12) % len(DETAILS)]


class CheckFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --- HTML forms ------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    in_main: bool
    #: (name, value) pairs a browser would submit without the user touching anything
    defaults: list[tuple[str, str]] = field(default_factory=list)
    #: name -> the kind of control ("text", "textarea", "radio", "checkbox", "select", …)
    kinds: dict[str, str] = field(default_factory=dict)
    #: name -> the values a radio, checkbox or select offers
    options: dict[str, list[str]] = field(default_factory=dict)

    def names(self) -> set[str]:
        return set(self.kinds)

    def value(self, name: str) -> str | None:
        return next((v for n, v in self.defaults if n == name), None)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._main = 0
        self._select: tuple[str, list[str], list[str]] | None = None  # name, values, selected
        self._option: str | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "main":
            self._main += 1
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", "application/x-www-form-urlencoded"),
                in_main=self._main > 0,
            )
            self.forms.append(self._form)
        elif self._form is None or ("name" not in a and tag != "option"):
            return
        elif tag == "input":
            name, kind = a["name"], a.get("type", "text").lower()
            self._form.kinds.setdefault(name, kind)
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio"):
                self._form.options.setdefault(name, []).append(value)
                if "checked" in a:
                    self._form.defaults.append((name, value))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form.defaults.append((name, value))
        elif tag == "textarea":
            self._form.kinds.setdefault(a["name"], "textarea")
            self._textarea = (a["name"], [])
        elif tag == "select":
            self._form.kinds.setdefault(a["name"], "select")
            self._select = (a["name"], [], [])
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")  # None: the option's text is its value
            self._option_text: list[str] = []
            self._option_selected = "selected" in a

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._select is not None and self._option is None:
            getattr(self, "_option_text", []).append(data)

    def handle_endtag(self, tag):
        if tag == "main":
            self._main -= 1
        elif tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            self._form.defaults.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option" and self._select is not None:
            value = self._option
            if value is None:
                value = "".join(self._option_text).strip()
            self._select[1].append(value)
            if self._option_selected:
                self._select[2].append(value)
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, values, selected = self._select
            self._form.options[name] = values
            chosen = selected if self._multiple else (selected[-1:] or values[:1])
            self._form.defaults.extend((name, v) for v in chosen)
            self._select = None


def parse_forms(html: str) -> tuple[list[Form], list[str]]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms, parser.links


def main_post_form(html: str, *, having: str | None = None) -> Form:
    forms, _links = parse_forms(html)
    candidates = [f for f in forms if f.method == "post" and f.in_main]
    if having is not None:
        candidates = [f for f in candidates if having in f.names()]
    check(bool(candidates), f"no form (with {having!r}) in the page")
    return candidates[0]


_ERRORS = re.compile(r'class="(?:errorlist|form-errors)[^"]*"[^>]*>(.*?)</(?:ul|div)>', re.S)


def form_errors(html: str) -> list[str]:
    """The texts of a page's error lists: empty when the form was accepted."""
    return [" ".join(re.sub(r"<[^>]+>", " ", chunk).split()) for chunk in _ERRORS.findall(html)]


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    path: str
    elapsed: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


class Stats:
    """Every request's label, status and time, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[str, int, float]] = []

    def add(self, label: str, status: int, elapsed: float) -> None:
        with self.lock:
            self.requests.append((label, status, elapsed))

    def server_errors(self) -> list[tuple[str, int, float]]:
        return [r for r in self.requests if r[1] >= 500]


STATS = Stats()


def encode_multipart(fields: list[tuple[str, str]], files: dict[str, tuple[str, bytes, str]]):
    boundary = f"----kyokan{uuid.uuid4().hex}"
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode("utf-8") + b"\r\n")
    for name, (filename, content, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Client:
    """One person's browser behind the proxy: cookies, CSRF, redirects."""

    def __init__(self, base: str, host: str, address: str):
        parts = urllib.parse.urlsplit(base)
        self.server = (parts.hostname, parts.port or 80)
        self.host = host
        self.address = address
        self.cookies: dict[str, str] = {}
        self.secure_cookies: set[str] = set()

    def _send(self, method, path, body=None, headers=None, label="", *, proxied=True):
        all_headers = {"Host": self.host, "User-Agent": "kyokan-production-check"}
        if proxied:
            all_headers["X-Forwarded-Proto"] = "https"
            all_headers["X-Forwarded-For"] = self.address
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        connection = http.client.HTTPConnection(*self.server, timeout=120)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=all_headers)
            raw = connection.getresponse()
            data = raw.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for cookie in raw.headers.get_all("Set-Cookie") or []:
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            lowered = attributes.lower()
            if "max-age=0" in lowered or "expires=thu, 01 jan 1970" in lowered:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
            if "secure" in [a.strip() for a in lowered.split(";")]:
                self.secure_cookies.add(name)
        STATS.add(label or f"{method} {path.split('?')[0]}", raw.status, elapsed)
        return Response(raw.status, raw.headers, data, path, elapsed)

    def request(self, method, path, body=None, headers=None, label="", follow=True):
        response = self._send(method, path, body, headers, label)
        hops = 0
        while follow and response.status in (301, 302, 303, 307) and hops < 5:
            location = urllib.parse.urlsplit(response.header("Location"))
            check(
                not location.netloc or location.netloc == self.host,
                f"redirect off the site: {response.header('Location')}",
            )
            target = location.path + (f"?{location.query}" if location.query else "")
            response = self._send("GET", target, label=f"GET {location.path} (redirect)")
            hops += 1
        return response

    def get(self, path, *, label="", expect=200, headers=None) -> Response:
        response = self.request("GET", path, headers=headers, label=label)
        check(response.status == expect, f"GET {path}: {response.status}, expected {expect}")
        return response

    def post(self, path, fields, *, files=None, label="", follow=True) -> Response:
        headers = {
            "Origin": f"https://{self.host}",
            "Referer": f"https://{self.host}{path}",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        }
        if files:
            body, content_type = encode_multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        headers["Content-Type"] = content_type
        return self.request("POST", path, body, headers, label=label, follow=follow)

    def submit(self, page_path, values: dict, *, having=None, files=None, label="",
               multi: dict | None = None) -> Response:  # fmt: skip
        """Open ``page_path``, fill its main form like a user (the form's own defaults and
        hidden fields kept, ``values`` replacing theirs) and submit it."""
        page = self.get(page_path, label=f"GET {label or page_path}")
        form = main_post_form(page.text, having=having)
        replaced = set(values) | set(multi or {})
        fields = [(n, v) for n, v in form.defaults if n not in replaced]
        fields += [(n, str(v)) for n, v in values.items() if v is not None]
        for name, many in (multi or {}).items():
            fields += [(name, str(v)) for v in many]
        action = form.action or page_path
        response = self.post(action, fields, files=files, label=f"POST {label or page_path}")
        check(response.status == 200, f"POST {action}: {response.status}")
        errors = form_errors(response.text)
        check(not errors, f"POST {action}: the form was refused: {errors}")
        return response

    def login(self, username: str, password: str = DEMO_PASSWORD) -> Response:
        response = self.submit(
            "/accounts/login/", {"username": username, "password": password},
            having="username", label="login",
        )  # fmt: skip
        check(response.path == "/", f"{username} could not log in (ended at {response.path})")
        return response


# --- the journey -----------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timing(values: list[float]) -> dict:
    return {
        "count": len(values),
        "median_ms": round(statistics.median(values) * 1000, 1) if values else 0,
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1) if values else 0,
    }


class Journey:
    def __init__(self, base: str, host: str, people: list[str]):
        self.base, self.host, self.people = base, host, people
        self.figures: dict = {}
        self.today = dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()
        self._addresses = iter(f"198.51.100.{i}" for i in range(1, 250))

    def client(self) -> Client:
        return Client(self.base, self.host, next(self._addresses))

    def step(self, name: str):
        print(f"-- {name}", flush=True)

    # 1 ------------------------------------------------------------------------------------
    def proxy_contract(self):
        self.step("proxy contract: HTTPS redirect, HSTS, secure cookies")
        c = self.client()
        plain = c._send("GET", "/healthz", proxied=False, label="GET /healthz (plain http)")
        check(plain.status == 301, f"plain HTTP answered {plain.status}, expected a redirect")
        check(
            plain.header("Location") == f"https://{self.host}/healthz",
            f"redirect to {plain.header('Location')}",
        )
        health = c.get("/healthz")
        check(json.loads(health.body) == {"status": "ok"}, f"healthz said {health.text[:200]}")
        check("max-age=" in health.header("Strict-Transport-Security"), "no HSTS header")
        login_page = c.get("/accounts/login/")
        check("csrftoken" in c.secure_cookies, "the CSRF cookie is not marked Secure")
        self.figures["content_security_policy"] = bool(login_page.header("Content-Security-Policy"))
        static = re.search(r'href="(/static/[^"]+\.css)"', login_page.text)
        check(static is not None, "the login page links no stylesheet")
        css = c.get(static.group(1), label="GET static css")
        check(b"{" in css.body, "the stylesheet is empty (collectstatic / WhiteNoise)")

    # 2 ------------------------------------------------------------------------------------
    def logins(self):
        self.step("logins: the secretariat, and a wrong password refused")
        wrong = self.client()
        page = wrong.get("/accounts/login/")
        form = main_post_form(page.text, having="username")
        fields = [(n, v) for n, v in form.defaults if n not in ("username", "password")]
        fields += [("username", SECRETARIAT), ("password", "not-the-password")]
        refused = wrong.post("/accounts/login/", fields, label="POST login (wrong password)")
        check(refused.status == 200 and refused.path == "/accounts/login/",
              f"a wrong password gave {refused.status} at {refused.path}")  # fmt: skip
        check("sessionid" not in wrong.cookies, "a wrong password opened a session")
        self.secretariat = self.client()
        self.secretariat.login(SECRETARIAT)
        self.secretariat.get("/")

    # 3 ------------------------------------------------------------------------------------
    def create_survey(self):
        self.step("the secretariat creates and opens a survey for all staff")
        s = self.secretariat
        self.title = f"本番構成の確認アンケート {uuid.uuid4().hex[:8]}"
        page = s.submit(
            "/surveys/new/",
            {
                "title": self.title,
                "purpose": "本番構成（PostgreSQL・gunicorn・ワーカー）の動作確認です。",
                "opens_on": self.today.isoformat(),
                "closes_on": (self.today + dt.timedelta(days=14)).isoformat(),
                "audience": "all_staff",
                "round_label": "",
            },
            having="title",
            label="survey create",
        )
        found = re.fullmatch(r"/surveys/(\d+)/", page.path)
        check(found is not None, f"after creating the survey: {page.path}")
        self.survey = int(found.group(1))
        for kind, text, required, options in [
            ("text", TEXT_Q, True, []),
            ("single", SINGLE_Q, True, SINGLE_OPTIONS),
            ("number", NUMBER_Q, False, []),
        ]:
            values = {"kind": kind, "text": text, "choices_text": "\n".join(options)}
            values["required"] = "on" if required else None
            page = s.submit(
                f"/surveys/{self.survey}/questions/new/", values, having="kind",
                label="question create",
            )  # fmt: skip
            check(page.path == f"/surveys/{self.survey}/", f"after a question: {page.path}")
        page = s.submit(f"/surveys/{self.survey}/state/open/", {}, label="survey open")
        check(page.path == f"/surveys/{self.survey}/", f"after opening: {page.path}")

    def meeting_paper(self):
        self.step("a paper uploaded to a meeting (a file in the uploads folder)")
        s = self.secretariat
        listing = s.get("/meetings/")
        _forms, links = parse_forms(listing.text)
        meetings = sorted(
            {int(m.group(1)) for h in links if (m := re.fullmatch(r"/meetings/(\d+)/", h))}
        )
        check(bool(meetings), "no meeting listed at /meetings/")
        self.paper_bytes = (
            "資料,内容\r\n本番構成の確認,PostgreSQL・gunicorn・ワーカー\r\n".encode("utf-8-sig")
            + uuid.uuid4().hex.encode()
        )
        for meeting in meetings:
            upload = f"/meetings/{meeting}/papers/upload/"
            if s.request("GET", upload, label="GET paper upload").status != 200:
                continue
            page = s.submit(
                upload, {"title": "本番構成の確認資料"}, having="title",
                files={"file": ("production-check.csv", self.paper_bytes, "text/csv")},
                label="paper upload",
            )  # fmt: skip
            _forms, links = parse_forms(page.text)
            papers = [int(m.group(1)) for h in links if (m := re.fullmatch(r"/papers/(\d+)/", h))]
            check(bool(papers), f"no paper listed after the upload ({page.path})")
            self.paper = max(papers)
            back = s.get(f"/papers/{self.paper}/", label="GET paper")
            check(back.body == self.paper_bytes, "the uploaded paper did not come back unchanged")
            return
        raise CheckFailed(f"no meeting of {meetings[:10]} accepts a paper")

    # 4 ------------------------------------------------------------------------------------
    def import_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["回答番号", TEXT_Q, SINGLE_Q, NUMBER_Q])
        for i in range(IMPORT_ROWS):
            # Texts unlike any typed in (a suffix of their own), so that every person's own
            # answer can be found in the exports.
            text = f"{answer_text(i)}（紙の回答票{i % 7 + 1}）"
            writer.writerow([f"F{i:05d}", text, SINGLE_OPTIONS[i % 3], i % 90])
        return out.getvalue().encode("utf-8-sig")

    def run_import(self, start: threading.Event, result: dict):
        try:
            s = self.secretariat
            start.wait()
            began = time.perf_counter()
            here = f"/surveys/{self.survey}/import/"
            upload = s.submit(
                here, {}, having="step",
                files={"file": ("responses.csv", self.import_csv(), "text/csv")},
                label="import upload",
            )  # fmt: skip
            check(upload.path == here, f"after the upload: {upload.path}")
            mapping = main_post_form(upload.text, having="step")
            check(mapping.value("step") == "import", "no mapping step after the upload")
            done = s.submit(here, {}, having="step", label="import map")
            # The import runs in the background worker; its page shows the progress until
            # it is done (or lists the rows it refused).
            status_prefix = f"/surveys/{self.survey}/imports/"
            check(
                done.path.startswith(status_prefix),
                f"the import ended at {done.path}: {form_errors(done.text)}",
            )
            deadline = time.perf_counter() + 300
            page = done
            while 'class="message message--success"' not in page.text:
                check('id="import-errors"' not in page.text,
                      f"the import was refused: {form_errors(page.text)}")  # fmt: skip
                check(time.perf_counter() < deadline, "the import did not finish in 300 s")
                time.sleep(0.5)
                page = s.get(done.path, label="GET import status")
            result["seconds"] = time.perf_counter() - began
        except Exception as exc:  # reported by the main thread
            result["error"] = exc

    def answers(self):
        self.step(
            f"{RESPONDENTS} staff log in at once, then answer at the same moment while "
            f"{IMPORT_ROWS} responses are imported"
        )
        people = self.people
        check(len(people) == RESPONDENTS, f"{len(people)} people to answer, not {RESPONDENTS}")
        clients = {name: self.client() for name in people}
        forms: dict[str, Form] = {}
        errors: list[str] = []
        lock = threading.Lock()
        ready = threading.Barrier(RESPONDENTS + 1)
        go = threading.Event()
        timings: dict[str, float] = {}
        answer_times: list[float] = []

        def person(index: int, name: str):
            c = clients[name]
            try:
                try:
                    c.login(name)
                    page = c.get(f"/surveys/{self.survey}/answer/", label="GET answer")
                    form = main_post_form(page.text)
                    forms[name] = form
                finally:
                    ready.wait(timeout=300)
                go.wait()
                values = self.fill_answer(form, index)
                fields = [(n, v) for n, v in form.defaults if n not in values] + [
                    (n, v) for n, v in values.items()
                ]
                path = f"/surveys/{self.survey}/answer/"
                began = time.perf_counter()
                response = c.post(path, fields, label="POST answer", follow=False)
                took = time.perf_counter() - began
                check(response.status == 302, f"{name}'s answer: {response.status} "
                      f"{form_errors(response.text)}")  # fmt: skip
                page = c.get(response.header("Location"), label="GET answer (after)")
                check(not form_errors(page.text), f"{name}: {form_errors(page.text)}")
                with lock:
                    answer_times.append(took)
                    timings[name] = time.perf_counter()
            except Exception as exc:
                with lock:
                    errors.append(f"{name}: {type(exc).__name__}: {exc}")

        login_started = time.perf_counter()
        threads = [
            threading.Thread(target=person, args=(i, n), daemon=True) for i, n in enumerate(people)
        ]
        for t in threads:
            t.start()
        ready.wait(timeout=300)
        logins_done = time.perf_counter()
        check(not errors, f"logins failed: {errors[:5]}")
        imported: dict = {}
        importer = threading.Thread(target=self.run_import, args=(go, imported), daemon=True)
        importer.start()
        answers_started = time.perf_counter()
        go.set()
        for t in threads:
            t.join(timeout=300)
        answers_done = max(timings.values(), default=time.perf_counter())
        importer.join(timeout=300)
        check(not errors, f"{len(errors)} answers failed: {errors[:5]}")
        check("error" not in imported, f"the import failed: {imported.get('error')}")
        check("seconds" in imported, "the import did not finish")
        login_wall = logins_done - login_started
        answer_wall = answers_done - answers_started
        login_times = [e for label, _s, e in STATS.requests if label == "POST login"]
        self.figures["logins"] = {
            "concurrent": RESPONDENTS,
            "wall_s": round(login_wall, 2),
            "per_s": round(RESPONDENTS / login_wall, 1),
            **timing(login_times[-RESPONDENTS:]),
        }
        self.figures["answers"] = {
            "concurrent": RESPONDENTS,
            "wall_s": round(answer_wall, 2),
            "per_s": round(RESPONDENTS / answer_wall, 1),
            **timing(answer_times),
        }
        self.figures["import"] = {
            "rows": IMPORT_ROWS,
            "wall_s": round(imported["seconds"], 2),
            "rows_per_s": round(IMPORT_ROWS / imported["seconds"], 1),
        }
        self.question_ids = self.kinds_of(forms[people[0]])

        # One person changes their answer: still one response for them.
        edited = people[0]
        c = clients[edited]
        page = c.get(f"/surveys/{self.survey}/answer/")
        form = main_post_form(page.text)
        text_field = self.question_ids["text"]
        check(
            form.value(text_field) == answer_text(0),
            f"{edited}'s saved answer is not shown again: {form.value(text_field)!r}",
        )
        c.submit(
            f"/surveys/{self.survey}/answer/",
            {text_field: answer_text(0) + "（修正）"}, label="answer edit",
        )  # fmt: skip

    def kinds_of(self, form: Form) -> dict[str, str]:
        """Field name of each question of the answer form, by kind."""
        found = {}
        for name, kind in form.kinds.items():
            if not re.fullmatch(r"q\d+", name):
                continue
            if kind == "textarea":
                found["text"] = name
            elif kind == "radio":
                found["single"] = name
            else:
                found["number"] = name
        check(set(found) == {"text", "single", "number"}, f"answer form fields: {form.kinds}")
        return found

    def fill_answer(self, form: Form, index: int) -> dict[str, str]:
        fields = self.kinds_of(form)
        return {
            fields["text"]: answer_text(index),
            fields["single"]: form.options[fields["single"]][index % 3],
            fields["number"]: str(10 + index),
        }

    # 5 ------------------------------------------------------------------------------------
    def analysis(self):
        self.step("the free-text answers are analysed by the background worker")
        s = self.secretariat
        question = self.question_ids["text"][1:]
        began = time.perf_counter()
        page = s.submit(f"/analyses/new/?question={question}", {}, label="analysis start")
        found = re.fullmatch(r"/analyses/(\d+)/", page.path)
        check(found is not None, f"after starting the analysis: {page.path}")
        self.run = int(found.group(1))
        deadline = time.monotonic() + ANALYSIS_TIMEOUT
        while True:
            progress = s.get(
                f"/analyses/{self.run}/progress/", headers={"HX-Request": "true"},
                label="GET analysis progress",
            )  # fmt: skip
            if progress.header("HX-Refresh") == "true":
                break
            check(
                time.monotonic() < deadline, f"the analysis did not finish in {ANALYSIS_TIMEOUT} s"
            )
            time.sleep(1)
        seconds = time.perf_counter() - began
        page = s.get(f"/analyses/{self.run}/")
        check(
            f"/analyses/{self.run}/export.json" in page.text,
            f"the analysis did not complete: {form_errors(page.text)}",
        )
        self.figures["analysis"] = {
            "answers": RESPONDENTS + IMPORT_ROWS,
            "wall_s": round(seconds, 1),
        }

    # 6 ------------------------------------------------------------------------------------
    def download(self, path: str, *, kind: str) -> bytes:
        """A download, direct or through a background export (job page, then its file)."""
        c = self.secretariat
        began = time.perf_counter()
        response = c.get(path, label=f"GET export {kind}")
        job = re.fullmatch(r"/exports/([0-9a-f-]{36})/", response.path)
        if job is not None:
            deadline = time.monotonic() + EXPORT_TIMEOUT
            link = f"/exports/{job.group(1)}/download/"
            while link not in response.text:
                check(time.monotonic() < deadline, f"the export {path} did not finish")
                check(
                    not form_errors(response.text) and "message-error" not in response.text,
                    f"the export {path} failed",
                )
                time.sleep(1)
                response = c.get(response.path, label="GET export job")
            response = c.get(link, label=f"GET export {kind} (file)")
        content_type = response.header("Content-Type")
        check("text/html" not in content_type, f"{path} gave a page, not a file")
        self.figures.setdefault("exports", {})[path] = {
            "bytes": len(response.body),
            "wall_s": round(time.perf_counter() - began, 2),
            "background": job is not None,
        }
        return response.body

    def exports(self):
        self.step("exports: survey CSV and Excel, analysis JSON, CSV and Excel, audit CSV")
        from openpyxl import load_workbook

        expected = RESPONDENTS + IMPORT_ROWS
        data = self.download(f"/surveys/{self.survey}/export.csv", kind="csv")
        check(data.startswith(b"\xef\xbb\xbf"), "the survey CSV has no BOM")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        check(
            len(rows) - 1 == expected, f"survey CSV: {len(rows) - 1} responses, expected {expected}"
        )
        texts = [cell for row in rows for cell in row]
        check(answer_text(0) + "（修正）" in texts, "the edited answer is not in the CSV")
        for i in range(1, RESPONDENTS):
            check(answer_text(i) in texts, f"{self.people[i]}'s answer is missing from the CSV")
        self.stored = {"survey_csv_rows": len(rows) - 1}

        data = self.download(f"/surveys/{self.survey}/export.xlsx", kind="xlsx")
        book = load_workbook(io.BytesIO(data), read_only=True)
        sheet = book.worksheets[0]
        lines = sum(
            1 for row in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in row)
        )
        check(lines - 1 == expected, f"survey Excel: {lines - 1} responses, expected {expected}")
        self.stored["survey_xlsx_rows"] = lines - 1

        result = json.loads(self.download(f"/analyses/{self.run}/export.json", kind="json"))
        check(
            len(result["items"]) == expected,
            f"analysis: {len(result['items'])} items, expected {expected}",
        )
        check(result["stats"].get("word_vectors") is True, "the analysis ran without word vectors")
        coarse = [c for c in result["clusters"] if c["level"] == 1]
        check(len(coarse) >= 2, f"the analysis found {len(coarse)} group(s)")
        self.figures["analysis"].update(
            groups=len(coarse), divergence=round(result["stats"]["divergence"], 3)
        )
        data = self.download(f"/analyses/{self.run}/export.csv", kind="csv")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        check(len(rows) - 1 == expected, f"analysis CSV: {len(rows) - 1} rows")
        data = self.download(f"/analyses/{self.run}/export.xlsx", kind="xlsx")
        book = load_workbook(io.BytesIO(data), read_only=True)
        items = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
        check(items == expected, f"analysis Excel: {items} rows")
        self.stored["analysis_items"] = len(result["items"])

        data = self.download("/audit/export.csv", kind="csv")
        audit = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        check(len(audit) > 1, "the audit CSV is empty")
        self.stored["audit_csv_rows"] = len(audit) - 1

    def run_all(self) -> dict:
        started = time.perf_counter()
        self.proxy_contract()
        self.logins()
        self.meeting_paper()
        self.create_survey()
        self.answers()
        self.analysis()
        self.exports()
        errors = STATS.server_errors()
        check(not errors, f"{len(errors)} responses were server errors: {errors[:5]}")
        self.figures["requests"] = len(STATS.requests)
        self.figures["journey_wall_s"] = round(time.perf_counter() - started, 1)
        return {
            "survey": self.survey,
            "analysis": self.run,
            "paper": self.paper,
            "expected_responses": RESPONDENTS + IMPORT_ROWS,
            "respondents": RESPONDENTS,
            "imported": IMPORT_ROWS,
            "stored": self.stored,
            "figures": self.figures,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:18000")
    parser.add_argument("--host", required=True, help="the Host the proxy passes")
    parser.add_argument("--report", help="write the figures as JSON here")
    parser.add_argument(
        "--people",
        required=True,
        help=f"comma-separated logins of {RESPONDENTS} staff (password {DEMO_PASSWORD})",
    )
    args = parser.parse_args()
    journey = Journey(args.base, args.host, [p for p in args.people.split(",") if p])
    try:
        report = journey.run_all()
    except CheckFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        bad = STATS.server_errors()
        if bad:
            print(f"server errors: {bad[:10]}", file=sys.stderr)
        return 1
    if args.report:
        with open(args.report, "w", encoding="utf-8") as stream:
            json.dump(report, stream, ensure_ascii=False, indent=1)
    f = report["figures"]
    print(
        "Throughput: "
        f"{f['logins']['concurrent']} concurrent logins in {f['logins']['wall_s']} s "
        f"({f['logins']['per_s']}/s, median {f['logins']['median_ms']} ms, "
        f"p95 {f['logins']['p95_ms']} ms); "
        f"{f['answers']['concurrent']} concurrent answers in {f['answers']['wall_s']} s "
        f"({f['answers']['per_s']}/s, median {f['answers']['median_ms']} ms, "
        f"p95 {f['answers']['p95_ms']} ms, max {f['answers']['max_ms']} ms) during an import of "
        f"{f['import']['rows']} rows in {f['import']['wall_s']} s "
        f"({f['import']['rows_per_s']} rows/s); analysis of {f['analysis']['answers']} answers "
        f"done in {f['analysis']['wall_s']} s ({f['analysis']['groups']} groups); "
        f"{f['requests']} requests, none failed, in {f['journey_wall_s']} s."
    )
    for path, e in f["exports"].items():
        how = "background" if e["background"] else "direct"
        print(f"  export {path}: {e['bytes']} bytes in {e['wall_s']} s ({how})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

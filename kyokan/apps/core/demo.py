"""The demo city: a fictional city (ひかり野市) built from the seed paper.

Every app may add a ``demo.py`` with ``load(ctx: DemoContext)``; ``demo_load`` runs them in
the order of INSTALLED_APPS, each through its own services, so the demo's writes are in the
audit trail like any other.
"""

import importlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import japanese_dates, services
from .models import Department, Notification, User
from .roles import Role

DEMO_PASSWORD = "kyokan-demo-2026"

CITY = {
    "name": "ひかり野市",
    "name_kana": "ひかりのし",
    "code": "139904",
    "issuing_office": "デジタル化推進本部事務局（経営戦略部 情報戦略課）",
    "hourly_labour_cost": 4200,
    "citizen_hour_value": 2400,
    "default_useful_life_years": 5,
    "year_end_closure": True,
}

# 部局 → 課, in the order of the city's organisation chart.
DEPARTMENTS: list[tuple[str, list[str]]] = [
    ("経営戦略部", ["情報戦略課", "企画政策課", "行政改革推進課", "広報広聴課"]),
    ("総務部", ["総務課", "人事課", "契約課", "危機管理課"]),
    ("財務部", ["財政課", "市民税課", "資産税課", "納税課"]),
    ("市民生活部", ["市民課", "地域振興課", "市民相談課"]),
    ("福祉部", ["福祉総務課", "障がい福祉課", "高齢福祉課", "生活支援課"]),
    ("こども未来部", ["こども政策課", "保育課", "子育て支援課"]),
    ("健康医療部", ["健康推進課", "国民健康保険課"]),
    ("環境部", ["環境政策課", "ごみ減量推進課"]),
    ("都市整備部", ["都市計画課", "道路課", "建築指導課"]),
    ("産業観光部", ["商工振興課", "観光課", "農政課"]),
    ("教育委員会事務局", ["教育総務課", "学校教育課", "生涯学習課"]),
    ("消防本部", ["消防総務課", "予防課"]),
]

SURNAMES = (
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 "
    "吉田 山田 佐々木 山口 松本 井上 木村 林 清水 山崎"
).split()
SURNAMES_KANA = (
    "さとう すずき たかはし たなか いとう わたなべ やまもと なかむら こばやし かとう "
    "よしだ やまだ ささき やまぐち まつもと いのうえ きむら はやし しみず やまざき"
).split()
GIVEN = (
    "陽菜 蓮 結衣 湊 葵 大翔 美咲 悠真 さくら 健太 真央 翔 彩 拓海 恵 直樹 由佳 亮 千尋 誠"
).split()
GIVEN_KANA = (
    "ひな れん ゆい みなと あおい ひろと みさき ゆうま さくら けんた "
    "まお しょう あや たくみ めぐみ なおき ゆか りょう ちひろ まこと"
).split()


@dataclass(frozen=True)
class DemoTimeline:
    """The demo's calendar, built relative to the day it is loaded: the seed's story (5th
    meeting held, the definition drafted, the 6th polled, the 7th planned, adoption within
    the year) happens around ``today`` in the current fiscal year; earlier fiscal years hold
    what came before. Every date a loader uses comes from here, so nothing contradicts the
    calendar: held things are in the past, planned ones in the future, meetings on days the
    city office is open."""

    today: date
    closed: tuple[date, ...] = ()  # the demo's own closed days

    @property
    def fiscal_year(self) -> int:
        return japanese_dates.fiscal_year_of(self.today)

    @property
    def fiscal_years(self) -> range:
        """Five years back (what came before) to five ahead (the future vision)."""
        return range(self.fiscal_year - 5, self.fiscal_year + 6)

    def is_open(self, d: date) -> bool:
        return japanese_dates.is_business_day(d, extra_closed={c: "" for c in self.closed})

    def day(self, offset: int) -> date:
        """The office day nearest to ``today + offset`` days, never crossing ``today``:
        past offsets move earlier, future (and zero) offsets move later."""
        d = self.today + timedelta(days=offset)
        step = -1 if offset < 0 else 1
        while not self.is_open(d) or (offset < 0 and d >= self.today):
            d += timedelta(days=step)
        return d

    def at(self, offset: int, hour: int, minute: int = 0) -> datetime:
        """An aware moment (Japan time) on :meth:`day`; a past offset is safely in the past."""
        return timezone.make_aware(datetime.combine(self.day(offset), time(hour, minute)))


def demo_timeline(today: date | None = None) -> DemoTimeline:
    today = today or timezone.localdate()
    # The demo's closed day (庁舎点検) falls on a weekday some weeks before today.
    inspection = today - timedelta(days=40)
    while inspection.weekday() >= 5 or not japanese_dates.is_business_day(inspection):
        inspection -= timedelta(days=1)
    return DemoTimeline(today=today, closed=(inspection,))


@dataclass
class DemoContext:
    """What the loaders share: the acting administrator, named records and the timeline."""

    timeline: DemoTimeline = field(default_factory=demo_timeline)
    actor: User | None = None
    departments: dict[str, Department] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)
    # Argon2 is slow on purpose: hash the shared demo password once, not per person.
    password_hash: str = field(default_factory=lambda: make_password(DEMO_PASSWORD))


def _name(i: int) -> tuple[str, str]:
    s, g = i % len(SURNAMES), (i * 7 + i // len(SURNAMES)) % len(GIVEN)
    return f"{SURNAMES[s]} {GIVEN[g]}", f"{SURNAMES_KANA[s]} {GIVEN_KANA[g]}"


def _person(
    ctx: DemoContext,
    login: str,
    i: int,
    *,
    dept: str | None,
    title: str,
    roles: list[tuple[str, str | None]],
    affiliation: str = "",
) -> User:
    full_name, kana = _name(i)
    user = services.user_create(
        actor=ctx.actor,
        username=login,
        full_name=full_name,
        full_name_kana=kana,
        email=f"{login}@demo.hikarino.invalid",
        department=ctx.departments.get(dept) if dept else None,
        title=title,
        affiliation=affiliation,
        password_hash=ctx.password_hash,
        roles=[(r, ctx.departments[d] if d else None) for r, d in roles],
    )
    ctx.people[login] = user
    return user


def load(ctx: DemoContext) -> None:
    """The core of the demo: city, departments, people and roles, fiscal years."""
    # The system administrator exists first so that everything after is done by someone.
    ctx.actor = None
    services.municipality_create(actor=None, **CITY)
    for order, (bureau_name, divisions) in enumerate(DEPARTMENTS, start=1):
        bureau = services.department_create(
            actor=None, name=bureau_name, kind=Department.Kind.BUREAU, sort_order=order * 10
        )
        ctx.departments[bureau_name] = bureau
        for j, division in enumerate(divisions, start=1):
            ctx.departments[division] = services.department_create(
                actor=None,
                name=division,
                kind=Department.Kind.DIVISION,
                parent=bureau,
                sort_order=j * 10,
            )
    ctx.actor = _person(
        ctx, "admin", 0, dept="情報戦略課", title="主査", roles=[(Role.SYSADMIN, None)]
    )
    i = 1
    # The secretariat (事務局): 経営戦略部 情報戦略課.
    for login, title in [("jimukyoku", "課長補佐"), ("jimukyoku2", "主任"), ("jimukyoku3", "主事")]:
        _person(
            ctx,
            login,
            i,
            dept="情報戦略課",
            title=title,
            roles=[(Role.SECRETARIAT, None)],
        )
        i += 1
    # The headquarters: the mayor chairs it, the deputy mayors assist, bureau heads sit in it.
    _person(ctx, "honbucho", i, dept=None, title="市長", roles=[(Role.HQ_CHIEF, None)])
    i += 1
    for login in ["fukuhonbucho", "fukuhonbucho2"]:
        _person(ctx, login, i, dept=None, title="副市長", roles=[(Role.HQ_DEPUTY, None)])
        i += 1
    for n, (bureau_name, divisions) in enumerate(DEPARTMENTS):
        head = (
            "消防長"
            if bureau_name == "消防本部"
            else ("教育長" if bureau_name.startswith("教育") else f"{bureau_name}長")
        )
        login = "honbuin" if n == 1 else f"honbuin{n + 1:02d}"
        _person(
            ctx,
            login,
            i,
            dept=divisions[0],
            title=head,
            roles=[(Role.HQ_MEMBER, None)],
        )
        i += 1
    # One promoter (推進員) per bureau, working in its first or second division.
    for n, (bureau_name, divisions) in enumerate(DEPARTMENTS):
        login = "suishinin" if bureau_name == "福祉部" else f"suishinin{n + 1:02d}"
        _person(
            ctx,
            login,
            i,
            dept=divisions[min(1, len(divisions) - 1)],
            title="主任",
            roles=[(Role.PROMOTER, bureau_name), (Role.STAFF, None)],
        )
        i += 1
    # Ordinary staff: two per division.
    n = 0
    for _bureau, divisions in DEPARTMENTS:
        for division in divisions:
            for k in range(2):
                login = "shokuin" if division == "市民課" and k == 0 else f"staff{n:03d}"
                _person(
                    ctx,
                    login,
                    i,
                    dept=division,
                    title="主事" if k else "主任",
                    roles=[(Role.STAFF, None)],
                )
                i += 1
                n += 1
    # Invited experts and registered citizens.
    experts = [
        ("yushikisha", "ひかり野大学 情報学部 教授"),
        ("yushikisha2", "地域DX支援機構 理事"),
        ("yushikisha3", "行政デザイン研究所 主任研究員"),
    ]
    for login, affiliation in experts:
        _person(
            ctx,
            login,
            i,
            dept=None,
            title="有識者",
            affiliation=affiliation,
            roles=[(Role.EXPERT, None)],
        )
        i += 1
    for login, affiliation in [
        ("shimin", "ひかり野市 中央地区"),
        ("shimin2", "ひかり野市 北地区"),
        ("shimin3", "ひかり野市 南地区"),
    ]:
        _person(
            ctx,
            login,
            i,
            dept=None,
            title="",
            affiliation=affiliation,
            roles=[(Role.CITIZEN, None)],
        )
        i += 1
    # The seed's timeline (令和3年度 → 令和6年度 next strategy → 令和13年度) is laid over the
    # years around today: the story's year is the current one.
    fy = ctx.timeline.fiscal_year
    notes = {
        fy: "デジタル強靱化戦略の改定・DXの定義",
        fy + 1: "次期デジタル強靱化戦略・(仮)DX取組方針",
        fy + 3: "将来像 ステップ1",
        fy + 5: "将来像 ステップ2",
    }
    for year in ctx.timeline.fiscal_years:
        services.fiscal_year_create(actor=ctx.actor, year=year, note=notes.get(year, ""))
    for day in ctx.timeline.closed:
        services.closed_day_create(actor=ctx.actor, date=day, name="庁舎電気設備点検（臨時閉庁）")


def _app_loaders(only=None):
    for config in apps.get_app_configs():
        if not config.name.startswith("kyokan.apps."):
            continue
        if only is not None and config.label not in only:
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        yield module.load


def demo_logins() -> list[tuple[str, str, str]]:
    """(login, roles, name) of the demo accounts present in the database, one per role."""
    wanted = ["admin", "jimukyoku", "honbucho", "fukuhonbucho", "honbuin", "suishinin",
              "shokuin", "yushikisha", "shimin"]  # fmt: skip
    found = {
        u.username: u
        for u in User.objects.filter(username__in=wanted).prefetch_related("role_assignments")
    }
    return [
        (
            login,
            "、".join(str(a.get_role_display()) for a in found[login].role_assignments.all()),
            found[login].full_name,
        )
        for login in wanted
        if login in found
    ]


def demo_is_needed() -> bool:
    return not User.objects.exists()


@transaction.atomic
def demo_load(today: date | None = None, *, only=None) -> DemoContext:
    """Build the demo city relative to ``today`` (by default the day it is loaded).

    ``only`` (app labels) loads just those apps' parts, in the usual order — for tests of
    one app's demo that do not need the rest (the caller names the apps it builds on)."""
    if only is not None and "core" not in only:
        raise ValueError("the demo of any app builds on core's")
    ctx = DemoContext(timeline=demo_timeline(today))
    for loader in _app_loaders(only):
        loader(ctx)
    _mark_old_notifications_read(ctx.timeline)
    from .search import index_rebuild

    index_rebuild()
    return ctx


OLD_NEWS_DAYS = 14


def _mark_old_notifications_read(timeline: DemoTimeline) -> int:
    """The loaders date each notification on the timeline (core.notifications.dated): a
    city that has used Kyokan for years has read what it was told about long ago. Left
    unread, a demo login would open on a bell of every meeting, consultation and idea since
    the 1st headquarters meeting, all 新着; so what is older than two weeks before the
    demo's today counts as read, two hours after it came, and only the recent is new. Its
    daily-digest e-mail counts as sent: the first digest would otherwise carry years of
    news."""
    cutoff = timezone.make_aware(
        datetime.combine(timeline.today - timedelta(days=OLD_NEWS_DAYS), time())
    )
    return Notification.objects.filter(created_at__lt=cutoff, read_at__isnull=True).update(
        read_at=F("created_at") + timedelta(hours=2), digest_pending=False
    )


def demo_reset() -> DemoContext:
    """Empty every table (the audit trail too) and load the demo city again."""
    call_command("flush", interactive=False, verbosity=0)
    return demo_load()

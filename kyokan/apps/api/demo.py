"""Demo of the api app: one system account (福祉部's case-management system) so that the
system administrator's page shows one. Its token is not kept anywhere: issue one from
/api/accounts/ (新しいトークン) or make another account with ``kyokan api-account``."""

from . import services


def load(ctx) -> None:
    bureau = ctx.departments.get("福祉部")
    if bureau is None:
        return
    services.account_create(
        actor=ctx.people.get("admin") or ctx.actor,
        name="福祉総合システム（デモ）",
        description="介護認定の件数と進捗を四半期ごとに取組へ送る連携（デモ）",
        department=bureau,
        scopes=["reports", "kpi_actuals"],
    )

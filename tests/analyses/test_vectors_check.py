"""`kyokan check --deploy` reports missing word vectors (analyses.E001), and an analysis
started without them fails with the reason instead of finishing with a poorer result."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from kyokan.apps.analyses import services
from kyokan.apps.analyses.models import AnalysisRun
from kyokan.apps.core.roles import Role

from .test_analyses import answered  # noqa: F401  (fixture)


@pytest.fixture
def vectors_missing(monkeypatch):
    # The loader as it behaves when ja-ginza is not installed.
    monkeypatch.setattr("kyokan.textanalysis.embed.load_vectors", lambda: None)
    monkeypatch.setattr("kyokan.textanalysis.analysis.load_vectors", lambda: None)


def _analysis_deploy_checks():
    return checks.run_checks(include_deployment_checks=True, tags=["analyses"])


def test_check_deploy_reports_missing_vectors(vectors_missing):
    [error] = _analysis_deploy_checks()
    assert error.id == "analyses.E001" and error.level == checks.ERROR
    assert "ja-ginza==5.3.0" in error.msg and "--no-deps" in error.hint
    with pytest.raises(SystemCheckError, match=r"analyses\.E001"):
        call_command("check", "--deploy", "--tag", "analyses")


def test_check_deploy_reports_unreadable_vectors(monkeypatch):
    def broken():
        raise OSError("No such file or directory: 'vectors'")

    monkeypatch.setattr("kyokan.textanalysis.embed.load_vectors", broken)
    [error] = _analysis_deploy_checks()
    assert error.id == "analyses.E001" and "No such file" in error.msg


def test_the_check_runs_only_with_deploy(vectors_missing):
    assert checks.run_checks(tags=["analyses"]) == []


def test_check_deploy_passes_with_the_vectors_installed():
    assert _analysis_deploy_checks() == []


def test_an_analysis_without_vectors_fails_with_the_reason(vectors_missing, answered, people):  # noqa: F811
    run = services.analysis_start(
        actor=people[Role.SECRETARIAT], question=answered, with_reference=False
    )
    services.analysis_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.FAILED
    assert run.result is None
    assert "ja-ginza" in run.error
    assert run.error_code == "vectors_missing"
    assert run.error_params["package"] == "ja-ginza==5.3.0"
    with translation.override("ja"):
        assert "ja-ginza==5.3.0" in run.error_text()
        assert run.error_text() != run.error

"""System checks of the analysis, run by ``kyokan check --deploy``.

``analyses.E001``: GiNZA's word vectors (the ``ja-ginza`` package) are not installed or cannot
be read. Without them every analysis refuses to run (``kyokan.textanalysis.WordVectorsMissing``),
so a production installation that forgot them is reported before anyone starts an analysis.
The check reads the vector table (about half a second), which is why it runs only with
``--deploy`` and not before every management command.
"""

from django.core import checks

from kyokan import textanalysis


def word_vectors(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if app_configs is not None and not any(c.label == "analyses" for c in app_configs):
        return []
    try:
        textanalysis.require_vectors()
    except textanalysis.WordVectorsMissing as exc:
        return [
            checks.Error(
                str(exc),
                hint=(
                    "The README's production steps install the vectors after Kyokan: "
                    "pip install --no-deps -c constraints.txt "
                    f'"{textanalysis.embed.VECTORS_PACKAGE}"'
                ),
                id="analyses.E001",
            )
        ]
    return []


def register() -> None:
    checks.register(word_vectors, "analyses", deploy=True)

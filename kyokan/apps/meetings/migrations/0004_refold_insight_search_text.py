"""Expert inputs' search copies are folded with the one folding of the text library
(kyokan.textanalysis.normalize.fold: NFKC, case folding, katakana as hiragana, no whitespace)
instead of meetings' own table (lower case only): refold the stored copies so that old and
new inputs are found alike."""

from django.db import migrations


def refold(apps, schema_editor):
    from kyokan.textanalysis.normalize import fold

    Insight = apps.get_model("meetings", "Insight")
    for insight in Insight.objects.only("pk", "title", "body", "tags").iterator(chunk_size=500):
        folded = fold(f"{insight.title}\n{insight.body}\n{insight.tags}")
        Insight.objects.filter(pk=insight.pk).exclude(search_text=folded).update(
            search_text=folded
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_deciding_series_and_decision_targets"),
    ]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]

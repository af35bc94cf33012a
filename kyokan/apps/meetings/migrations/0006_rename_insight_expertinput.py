"""meetings.Insight becomes ExpertInput (「知見」 of an expert at an opinion exchange).

"Insight" also named the text-analysis library and its Django app; the model now has a name
of its own. The table is renamed (rows kept), the reverse accessors follow, and the search
index's entries of this kind move to the new kind name.
"""

from django.db import migrations, models
import django.db.models.deletion

OLD_KIND, NEW_KIND = "meetings.insight", "meetings.expert_input"


def rename_kind(apps, schema_editor):
    SearchEntry = apps.get_model("core", "SearchEntry")
    SearchEntry.objects.filter(kind=OLD_KIND).update(kind=NEW_KIND)


def restore_kind(apps, schema_editor):
    SearchEntry = apps.get_model("core", "SearchEntry")
    SearchEntry.objects.filter(kind=NEW_KIND).update(kind=OLD_KIND)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_outbox_dedupe"),
        ("meetings", "0005_publish_papers_and_minutes"),
    ]

    operations = [
        migrations.RenameModel(old_name="Insight", new_name="ExpertInput"),
        migrations.AlterModelOptions(
            name="expertinput",
            options={
                "ordering": ["-id"],
                "verbose_name": "expert input",
                "verbose_name_plural": "expert inputs",
            },
        ),
        migrations.AlterField(
            model_name="expertinput",
            name="expert",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="expert_inputs",
                to="meetings.invitation",
                verbose_name="expert",
            ),
        ),
        migrations.AlterField(
            model_name="expertinput",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="expert_inputs",
                to="meetings.meeting",
            ),
        ),
        migrations.RunPython(rename_kind, restore_kind),
    ]

"""After 0003: the respondent key is gone (no response keeps a key derived from a person);
a named response is unique per survey and respondent."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_migrate_anonymous_responses")]

    operations = [
        migrations.RemoveField(model_name="response", name="respondent_key"),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=models.Q(("respondent__isnull", False)),
                fields=("survey", "respondent"),
                name="response_one_per_respondent",
            ),
        ),
    ]

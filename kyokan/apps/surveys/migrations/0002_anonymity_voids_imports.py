"""New fields and models; the anonymous responses are migrated in 0003."""

import django.db.models.deletion
import kyokan.apps.core.validation
import kyokan.apps.surveys.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_security_exports'),
        ('surveys', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(blank=True, max_length=255)),
                ('rows', models.PositiveIntegerField(default=0)),
                ('published', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'response import',
                'verbose_name_plural': 'response imports',
            },
        ),
        migrations.CreateModel(
            name='ImportUpload',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('name', models.CharField(blank=True, max_length=255)),
                ('text', models.TextField()),
                ('expires_at', models.DateTimeField(db_index=True)),
            ],
            options={
                'verbose_name': 'uploaded file to import',
                'verbose_name_plural': 'uploaded files to import',
            },
        ),
        migrations.CreateModel(
            name='Participation',
            fields=[
                ('id', models.BigAutoField(default=kyokan.apps.surveys.models.random_id, editable=False, primary_key=True, serialize=False)),
                ('visitor_key', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': 'participation',
                'verbose_name_plural': 'participations',
            },
        ),
        migrations.RemoveConstraint(
            model_name='response',
            name='response_one_per_respondent',
        ),
        migrations.AddField(
            model_name='response',
            name='edit_code_hash',
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name='response',
            name='void_reason',
            field=models.CharField(blank=True, max_length=500, verbose_name='reason'),
        ),
        migrations.AddField(
            model_name='response',
            name='voided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='voided'),
        ),
        migrations.AlterField(
            model_name='answer',
            name='id',
            field=models.BigAutoField(default=kyokan.apps.surveys.models.random_id, editable=False, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name='response',
            name='id',
            field=models.BigAutoField(default=kyokan.apps.surveys.models.random_id, editable=False, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name='response',
            name='submitted_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='response',
            name='updated_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='survey',
            name='anonymous',
            field=models.BooleanField(default=False, help_text='Answers are not linked to anyone: neither names nor bureau and role are kept with them. Fixed once the first answer exists.', verbose_name='anonymous'),
        ),
        migrations.AlterField(
            model_name='survey',
            name='closes_on',
            field=models.DateField(validators=[kyokan.apps.core.validation.validate_sane_date], verbose_name='closes on'),
        ),
        migrations.AlterField(
            model_name='survey',
            name='opens_on',
            field=models.DateField(validators=[kyokan.apps.core.validation.validate_sane_date], verbose_name='opens on'),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='created_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='survey',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='import_batches', to='surveys.survey'),
        ),
        migrations.AddField(
            model_name='response',
            name='import_batch',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='surveys.importbatch'),
        ),
        migrations.AddField(
            model_name='importupload',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='importupload',
            name='survey',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.survey'),
        ),
        migrations.AddField(
            model_name='participation',
            name='survey',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participations', to='surveys.survey'),
        ),
        migrations.AddField(
            model_name='participation',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='participation',
            constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', False)), fields=('survey', 'user'), name='participation_one_per_person'),
        ),
        migrations.AddConstraint(
            model_name='participation',
            constraint=models.UniqueConstraint(condition=models.Q(('visitor_key', ''), _negated=True), fields=('survey', 'visitor_key'), name='participation_one_per_visitor'),
        ),
    ]

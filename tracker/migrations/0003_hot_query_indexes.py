"""Indexes for the hot queries measured by bench/views_bench.py (see README, Performance)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0002_roleassignment_one_holder'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='actionitem',
            index=models.Index(condition=models.Q(('status', 'open')), fields=['due_date', 'id'], name='tracker_ai_open_due_idx'),
        ),
    ]

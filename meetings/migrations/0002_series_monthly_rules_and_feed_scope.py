from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="series",
            name="meetings_series_interval_1_to_8_weeks",
        ),
        migrations.RenameField(
            model_name="series",
            old_name="interval_weeks",
            new_name="interval",
        ),
        migrations.AlterField(
            model_name="series",
            name="interval",
            field=models.PositiveSmallIntegerField(
                verbose_name="every how many weeks or months"
            ),
        ),
        migrations.AddField(
            model_name="series",
            name="frequency",
            field=models.CharField(
                choices=[("weekly", "Weekly"), ("monthly", "Monthly")],
                default="weekly",
                max_length=8,
                verbose_name="repeats",
            ),
        ),
        migrations.AddField(
            model_name="series",
            name="week_of_month",
            field=models.SmallIntegerField(null=True, verbose_name="week of the month"),
        ),
        migrations.AddField(
            model_name="series",
            name="count",
            field=models.PositiveSmallIntegerField(
                null=True, verbose_name="number of meetings"
            ),
        ),
        migrations.AlterField(
            model_name="series",
            name="until",
            field=models.DateField(blank=True, null=True, verbose_name="until"),
        ),
        migrations.AddConstraint(
            model_name="series",
            constraint=models.CheckConstraint(
                condition=Q(until__isnull=False, count__isnull=True)
                | Q(until__isnull=True, count__gte=1, count__lte=60),
                name="meetings_series_ends_by_date_or_count",
            ),
        ),
        migrations.AddConstraint(
            model_name="series",
            constraint=models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=12),
                name="meetings_series_interval_1_to_12",
            ),
        ),
        migrations.AddConstraint(
            model_name="series",
            constraint=models.CheckConstraint(
                condition=Q(week_of_month__isnull=True)
                | Q(frequency="monthly", week_of_month__in=[-1, 1, 2, 3, 4]),
                name="meetings_series_week_of_month_monthly_only",
            ),
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="scope",
            field=models.CharField(
                choices=[
                    ("mine", "The meetings of my groups"),
                    ("units", "Every meeting of the units I manage"),
                ],
                default="mine",
                max_length=8,
                verbose_name="meetings",
            ),
        ),
    ]

# Who sees a profile's time zone and languages (decision 0043).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_email_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="languages_visibility",
            field=models.CharField(
                choices=[
                    ("everyone", "everyone"),
                    ("spaces", "people in my spaces"),
                    ("self", "only me"),
                ],
                default="spaces",
                max_length=10,
                verbose_name="who sees my languages",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="time_zone_visibility",
            field=models.CharField(
                choices=[
                    ("everyone", "everyone"),
                    ("spaces", "people in my spaces"),
                    ("self", "only me"),
                ],
                default="spaces",
                max_length=10,
                verbose_name="who sees my time zone",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("time_zone_visibility__in", ["everyone", "spaces", "self"]),
                    ("languages_visibility__in", ["everyone", "spaces", "self"]),
                ),
                name="accounts_user_visibility_valid",
            ),
        ),
    ]

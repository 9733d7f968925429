"""Create the site-wide role groups. Stewards' groups are made per region, with the region."""

from django.db import migrations

SITE_ROLES = ("planner", "installer", "admin")  # core.roles.SITE_ROLES at the time of writing


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in SITE_ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

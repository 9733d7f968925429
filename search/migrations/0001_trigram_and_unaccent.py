"""pg_trgm (trigram similarity) and unaccent for the place search.

Both are trusted extensions since PostgreSQL 13, so the database owner (not a superuser) may
create them; scripts/services.sh also creates them in template1, as it does postgis, so every
new database (the test ones included) has them already.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [TrigramExtension(), UnaccentExtension()]

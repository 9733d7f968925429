"""ImportBatch and BatchChange now belong to ingest (ingest 0001 takes them over in Django's
state, with their tables core_importbatch and core_batchchange unchanged): core forgets them,
after every foreign key to them has been pointed at ingest's."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0012_audit_entry"),
        ("ingest", "0001_initial"),
        ("geology", "0004_batch_in_ingest"),
        ("monitoring", "0004_batch_in_ingest"),
        ("potential_map", "0005_batch_in_ingest"),
        ("wells", "0004_batch_in_ingest"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="BatchChange"),
                migrations.DeleteModel(name="ImportBatch"),
            ],
            database_operations=[],
        ),
    ]

# The per-process read cache (accounts.read_cache) is retired: access facts are read once a
# request, never kept between requests, so its tokens have nothing left to say.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_read_token"),
    ]

    operations = [
        migrations.DeleteModel(name="ReadToken"),
    ]

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and access")

    def ready(self):
        from accounts.readlog import on_download_served
        from accounts.roles import sync_role_groups
        from common.downloads import download_served

        # Runs after every app's permissions exist (accounts is the last installed app).
        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="accounts.sync_roles")
        download_served.connect(on_download_served, dispatch_uid="accounts.read_log_downloads")

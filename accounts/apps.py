from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and access")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import stamp_session_start
        from accounts.readlog import on_download_served
        from accounts.roles import sync_role_groups
        from common.downloads import download_served

        # Runs after every app's permissions exist (accounts is the last installed app).
        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="accounts.sync_roles")
        download_served.connect(on_download_served, dispatch_uid="accounts.read_log_downloads")
        user_logged_in.connect(stamp_session_start, dispatch_uid="accounts.session_start")
        # The last sign-in time is written without a save(), so signing in adds no entry to
        # the user's change history.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(record_last_login, dispatch_uid="accounts.last_login")

        from accounts.readlog import read_log_purge, retention_days
        from common.schedule import Step, register_step

        register_step(
            Step("nightly", 80, "purge_read_log", lambda: read_log_purge(days=retention_days()))
        )


def record_last_login(sender, user, **kwargs):
    from django.utils import timezone

    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)

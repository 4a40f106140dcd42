"""The allowed list and the permission requests."""


def upgrade(db):
    from plugins.social_media.models import AllowedApp
    from plugins.social_media.models import AppRequest

    db.create_tables([AllowedApp, AppRequest], safe=True)

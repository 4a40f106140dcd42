"""The first tables of the schorsing plugin."""


def upgrade(db):
    from plugins.schorsing.models import MODELS

    db.create_tables(MODELS, safe=True)

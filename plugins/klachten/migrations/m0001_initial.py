"""The complaint details and the conversations on the complaint route."""


def upgrade(db):
    from plugins.klachten.models import MODELS

    db.create_tables(MODELS, safe=True)

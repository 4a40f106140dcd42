"""The trauma tables: event details, partners, engagements and the step plan."""


def upgrade(db):
    from plugins.trauma.models import MODELS

    db.create_tables(MODELS, safe=True)

def upgrade(db):
    from tests.caseplugin import Extra

    db.create_tables([Extra], safe=True)

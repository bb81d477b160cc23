"""On PostgreSQL the database itself refuses to change or delete an audit event.

(TRUNCATE is left alone so that test databases can be flushed. SQLite, the
zero-setup development database, relies on the model and admin guards.)
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION emulation_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER emulation_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON emulation_auditevent
    FOR EACH ROW EXECUTE FUNCTION emulation_auditevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS emulation_auditevent_no_update_delete ON emulation_auditevent;
DROP FUNCTION IF EXISTS emulation_auditevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("emulation", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]

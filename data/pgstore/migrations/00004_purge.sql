-- +goose Up
-- A child's consent history is only ever appended, with one exception: the
-- retention purge removes it with the rest of the child's personal data.
-- It marks the child removed (children.removed_on) first, in the same
-- transaction; the history of a child so marked may be deleted. Every
-- other rewrite of a consent answer stays refused.
-- +goose StatementBegin
CREATE FUNCTION refuse_consent_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM children WHERE id = OLD.child_id AND removed_on IS NOT NULL) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
-- +goose StatementEnd
DROP TRIGGER consent_changes_append_only ON consent_changes;
CREATE TRIGGER consent_changes_append_only BEFORE UPDATE OR DELETE ON consent_changes
    FOR EACH ROW EXECUTE FUNCTION refuse_consent_rewrite();

-- +goose Down
-- Migrations only go up.

-- +goose Up
-- Location isolation, as defence in depth below the hub's own checks: a hub
-- that serves only some locations connects with a database role listed
-- here, and row-level security keeps every other location's children,
-- groups, lists, requests, credit and log away from it. Roles not listed
-- (the organisation's own, which own the tables) see everything.
CREATE TABLE role_locations (
    role_name   name   NOT NULL,
    location_id bigint NOT NULL REFERENCES locations,
    PRIMARY KEY (role_name, location_id)
);

-- The policies call these. They run as the tables' owner (SECURITY
-- DEFINER), so that they see the rows they look up whatever the caller
-- may see, and judge the role that connected (session_user).
-- +goose StatementBegin
CREATE FUNCTION location_visible(loc bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT NOT EXISTS (SELECT 1 FROM role_locations WHERE role_name = session_user)
        OR EXISTS (SELECT 1 FROM role_locations WHERE role_name = session_user AND location_id = loc)
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION group_visible(grp bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT location_visible((SELECT location_id FROM groups WHERE id = grp))
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION child_visible(child bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT location_visible((SELECT location_id FROM children WHERE id = child))
$$;
-- +goose StatementEnd
-- +goose StatementBegin
-- A log entry is visible when every group and child its changes name is.
CREATE FUNCTION audit_visible(entry bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT NOT EXISTS (SELECT 1 FROM role_locations WHERE role_name = session_user)
        OR NOT EXISTS (SELECT 1 FROM changes c WHERE c.seq = entry
            AND ((c.group_id IS NOT NULL AND NOT group_visible(c.group_id))
              OR (c.child_id IS NOT NULL AND NOT child_visible(c.child_id))))
$$;
-- +goose StatementEnd

ALTER TABLE locations ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON locations USING (location_visible(id));
ALTER TABLE groups ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON groups USING (location_visible(location_id));
ALTER TABLE children ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON children USING (location_visible(location_id));
ALTER TABLE invoice_batches ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON invoice_batches USING (location_visible(location_id));
ALTER TABLE study_day_decisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON study_day_decisions USING (location_visible(location_id));

ALTER TABLE attendance ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON attendance USING (group_visible(group_id));
ALTER TABLE extras ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON extras USING (group_visible(group_id));
ALTER TABLE requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON requests USING (group_visible(group_id));
ALTER TABLE signups ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON signups USING (group_visible(group_id));

ALTER TABLE contracts ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON contracts USING (child_visible(child_id));
ALTER TABLE credit_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON credit_entries USING (child_visible(child_id));
ALTER TABLE credit_grants ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON credit_grants USING (child_visible(child_id));
ALTER TABLE consent_changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON consent_changes USING (child_visible(child_id));

ALTER TABLE changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON changes
    USING ((group_id IS NULL OR group_visible(group_id)) AND (child_id IS NULL OR child_visible(child_id)));
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_location ON audit_log USING (audit_visible(seq));

-- +goose Down
-- Migrations only go up.

-- +goose Up
-- What the hubs of the organisation share, so that a device paired through
-- one works through all: their certificate, session key and owner key
-- (one row, written by the first hub that starts; see hub.Identity).
CREATE TABLE hub_identity (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    identity jsonb NOT NULL
);

-- Where each hub answers, for devices to go on through another when theirs
-- is down. A hub notes itself when it starts and every minute while it runs.
CREATE TABLE hubs (
    address text PRIMARY KEY CHECK (address LIKE 'https://%'),
    seen_at timestamptz NOT NULL
);

-- +goose Down
-- Migrations only go up.

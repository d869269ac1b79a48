package pgstore

import (
	"context"
	"fmt"
	"time"
)

// SharedHubIdentity returns the identity the organisation's hubs share,
// storing fresh first when the database has none: of several hubs starting
// at once, the first to commit wins and all use its identity. It is the
// hub's bookkeeping, not an action: neither logged nor in the feed.
func (db *DB) SharedHubIdentity(ctx context.Context, fresh []byte) ([]byte, error) {
	if _, err := db.pool.Exec(ctx, `INSERT INTO hub_identity (identity) VALUES ($1) ON CONFLICT (id) DO NOTHING`, fresh); err != nil {
		return nil, fmt.Errorf("keep the hubs' identity: %w", err)
	}
	var identity []byte
	if err := db.pool.QueryRow(ctx, `SELECT identity FROM hub_identity`).Scan(&identity); err != nil {
		return nil, fmt.Errorf("read the hubs' identity: %w", err)
	}
	return identity, nil
}

// hubForgottenAfter is how long a hub that stopped noting itself stays listed.
const hubForgottenAfter = 24 * time.Hour

// NoteHub records that a hub answers at address (https://host:port).
func (db *DB) NoteHub(ctx context.Context, address string) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO hubs (address, seen_at) VALUES ($1, now())
		ON CONFLICT (address) DO UPDATE SET seen_at = now()`, address)
	if err != nil {
		return fmt.Errorf("note the hub's address: %w", err)
	}
	return nil
}

// HubAddresses lists where the organisation's hubs answer: those seen in the
// last day, most recently seen first.
func (db *DB) HubAddresses(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT address FROM hubs WHERE seen_at > now() - $1::interval ORDER BY seen_at DESC, address`,
		fmt.Sprintf("%d seconds", int(hubForgottenAfter.Seconds())))
	if err != nil {
		return nil, fmt.Errorf("read the hubs' addresses: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

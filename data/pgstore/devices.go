package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

const deviceColumns = `id, name, paired_at, paired_by, last_seen, revoked_at, revoked_by, location_ids, credential_hash`

func scanDevice(row pgx.Row) (data.Device, error) {
	var d data.Device
	var id int64
	var locations []int64
	err := row.Scan(&id, &d.Name, &d.PairedAt, &d.PairedBy, scanTime(&d.LastSeen), scanTime(&d.RevokedAt), &d.RevokedBy, &locations, &d.CredentialHash)
	d.ID, d.LocationIDs = data.ID(id), idsOf(locations)
	return d, err
}

func readDevice(ctx context.Context, q querier, id data.ID) (data.Device, error) {
	d, err := scanDevice(q.QueryRow(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = $1`, int64(id)))
	return d, notFound(err, "device", id)
}

// readDevices reads every device ever paired, by ID.
func readDevices(ctx context.Context, q querier) ([]data.Device, error) {
	rows, err := q.Query(ctx, `SELECT `+deviceColumns+` FROM devices ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read devices: %w", err)
	}
	devices, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Device, error) { return scanDevice(row) })
	if err != nil {
		return nil, fmt.Errorf("read devices: %w", err)
	}
	return devices, nil
}

const pairingCodeColumns = `id, code, device_name, expires, created_by, location_ids, used_at`

func scanPairingCode(row pgx.Row) (data.PairingCode, error) {
	var c data.PairingCode
	var id int64
	var locations []int64
	err := row.Scan(&id, &c.Code, &c.DeviceName, &c.Expires, &c.CreatedBy, &locations, scanTime(&c.UsedAt))
	c.ID, c.LocationIDs = data.ID(id), idsOf(locations)
	return c, err
}

// CreatePairingCode makes a one-time code for a new device, valid for
// data.PairingCodeValid (managers). deviceName may be empty: the device then
// names itself when it pairs.
func (db *DB) CreatePairingCode(ctx context.Context, deviceName string) (data.PairingCode, error) {
	if err := db.allowRole(data.ActAdmin); err != nil {
		return data.PairingCode{}, err
	}
	c := data.NewPairingCode(db.actor, deviceName, db.now())
	err := db.update(ctx, data.AuditCreatePairingCode, func(tx pgx.Tx, changed *[]data.Change) error {
		devices, err := readDevices(ctx, tx)
		if err != nil {
			return err
		}
		if err := data.CheckDeviceName(c.DeviceName, devices); err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO pairing_codes (code, device_name, expires, created_by, location_ids)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, c.Code, c.DeviceName, c.Expires, c.CreatedBy, idsArg(c.LocationIDs)).Scan(&id)
		if err != nil {
			return fmt.Errorf("store the pairing code: %w", err)
		}
		c.ID = data.ID(id)
		*changed = append(*changed, c.Made())
		return nil
	})
	if err != nil {
		return data.PairingCode{}, err
	}
	return c, nil
}

// PendingPairings are the codes a device may still pair with: unused and
// unexpired (the hub itself only: they hold the codes).
func (db *DB) PendingPairings(ctx context.Context) ([]data.PairingCode, error) {
	if err := db.hubOnly(); err != nil {
		return nil, err
	}
	now := db.now()
	var out []data.PairingCode
	err := db.view(ctx, func(tx pgx.Tx) error {
		out = nil
		rows, err := tx.Query(ctx, `SELECT `+pairingCodeColumns+` FROM pairing_codes
			WHERE used_at IS NULL AND expires > $1 ORDER BY id`, now)
		if err != nil {
			return fmt.Errorf("read pairing codes: %w", err)
		}
		all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.PairingCode, error) { return scanPairingCode(row) })
		if err != nil {
			return fmt.Errorf("read pairing codes: %w", err)
		}
		for _, c := range all {
			if c.UsableAt(now) == nil {
				out = append(out, c)
			}
		}
		return nil
	})
	return out, err
}

// PairDevice pairs a device with an open code, which it uses up in the same
// transaction (the hub itself only).
func (db *DB) PairDevice(ctx context.Context, codeID data.ID, asked string, credentialHash []byte) (data.Device, error) {
	if err := db.hubOnly(); err != nil {
		return data.Device{}, err
	}
	if len(credentialHash) == 0 {
		return data.Device{}, data.Invalid("a device needs a credential")
	}
	now := db.now()
	var d data.Device
	err := db.update(ctx, data.AuditPairDevice, func(tx pgx.Tx, changed *[]data.Change) error {
		c, err := scanPairingCode(tx.QueryRow(ctx, `SELECT `+pairingCodeColumns+` FROM pairing_codes WHERE id = $1`, int64(codeID)))
		if err = notFound(err, "pairing code", codeID); err != nil {
			return err
		}
		devices, err := readDevices(ctx, tx)
		if err != nil {
			return err
		}
		var paired data.Change
		if d, paired, err = data.PairWith(c, asked, credentialHash, devices, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE pairing_codes SET used_at = $2 WHERE id = $1`, int64(c.ID), now); err != nil {
			return fmt.Errorf("use up pairing code %d: %w", c.ID, err)
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO devices (name, paired_at, paired_by, last_seen, location_ids, credential_hash)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			d.Name, d.PairedAt, d.PairedBy, d.LastSeen, idsArg(d.LocationIDs), d.CredentialHash).Scan(&id)
		if err != nil {
			return fmt.Errorf("store device %s: %w", d.Name, err)
		}
		d.ID = data.ID(id)
		*changed = append(*changed, paired)
		return nil
	})
	if err != nil {
		return data.Device{}, err
	}
	return d, nil
}

// Devices lists every device ever paired that the actor manages (the hub
// itself: all), the active ones first, each by name.
func (db *DB) Devices(ctx context.Context) ([]data.Device, error) {
	if err := db.allowRole(data.ActAdmin); err != nil {
		return nil, err
	}
	var out []data.Device
	err := db.view(ctx, func(tx pgx.Tx) error {
		out = nil
		all, err := readDevices(ctx, tx)
		for _, d := range all {
			if db.mayManageDevice(d) == nil {
				out = append(out, d)
			}
		}
		return err
	})
	data.SortDevices(out)
	return out, err
}

// Device is one paired device (its managers, and the hub itself, which
// checks a device's credential on every call).
func (db *DB) Device(ctx context.Context, id data.ID) (data.Device, error) {
	if err := db.allowRole(data.ActAdmin); err != nil {
		return data.Device{}, err
	}
	var d data.Device
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		if d, err = readDevice(ctx, tx, id); err != nil {
			return err
		}
		return db.mayManageDevice(d)
	})
	if err != nil {
		return data.Device{}, err
	}
	return d, nil
}

// RevokeDevice unpairs a device (managers): the hub refuses its next call.
// The device stays in the list, so the log's entries still name it.
func (db *DB) RevokeDevice(ctx context.Context, id data.ID) error {
	if err := db.allowRole(data.ActAdmin); err != nil {
		return err
	}
	now, by := db.now(), data.ActorName(db.actor)
	return db.update(ctx, data.AuditRevokeDevice, func(tx pgx.Tx, changed *[]data.Change) error {
		d, err := readDevice(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := db.mayManageDevice(d); err != nil {
			return err
		}
		d, revoked, err := d.Revoke(now, by)
		if err != nil {
			return err
		}
		*changed = append(*changed, revoked)
		_, err = tx.Exec(ctx, `UPDATE devices SET revoked_at = $2, revoked_by = $3 WHERE id = $1`, int64(id), d.RevokedAt, d.RevokedBy)
		return err
	})
}

// DeviceSeen notes when the hub last heard from a device (the hub itself
// only). It is bookkeeping, not an action: unlike every other write it is
// not logged and not in the change feed, or each tablet's calls would fill
// the log and wake every screen. One statement, so no transaction of its own.
func (db *DB) DeviceSeen(ctx context.Context, id data.ID, at time.Time) error {
	if err := db.hubOnly(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var found bool
	err := db.pool.QueryRow(ctx, `WITH seen AS (
			UPDATE devices SET last_seen = $2 WHERE id = $1 AND (last_seen IS NULL OR last_seen < $2) RETURNING id)
		SELECT EXISTS (SELECT 1 FROM seen) OR EXISTS (SELECT 1 FROM devices WHERE id = $1)`, int64(id), at).Scan(&found)
	if err != nil {
		return fmt.Errorf("device %d: %w", id, err)
	}
	if !found {
		return fmt.Errorf("device %d: %w", id, data.ErrNotFound)
	}
	return nil
}

// hubOnly refuses a call through a signed-in person's handle: only the hub
// itself (the unbound store) pairs devices and sees the open codes.
func (db *DB) hubOnly() error {
	if db.actor != nil {
		return data.Refuse(data.RefuseHubOnly, nil)
	}
	return nil
}

// mayManageDevice checks that the handle's actor manages d; the hub itself
// manages every device.
func (db *DB) mayManageDevice(d data.Device) error {
	if db.actor == nil {
		return nil
	}
	return db.actor.MayManageDevice(d)
}

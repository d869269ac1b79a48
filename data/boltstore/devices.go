package boltstore

import (
	"context"
	"fmt"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// CreatePairingCode makes a one-time code for a new device, valid for
// data.PairingCodeValid (managers). deviceName may be empty: the device then
// names itself when it pairs.
func (db *DB) CreatePairingCode(ctx context.Context, deviceName string) (data.PairingCode, error) {
	if err := db.allowRole(data.ActAdmin); err != nil {
		return data.PairingCode{}, err
	}
	c := data.NewPairingCode(db.actor, deviceName, db.now())
	err := db.update(ctx, data.AuditCreatePairingCode, func(tx *bolt.Tx, changed *[]data.Change) error {
		devices, err := allJSON[data.Device](tx.Bucket(bucketDevices))
		if err != nil {
			return err
		}
		if err := data.CheckDeviceName(c.DeviceName, devices); err != nil {
			return err
		}
		codes := tx.Bucket(bucketPairingCodes)
		id, err := codes.NextSequence()
		if err != nil {
			return err
		}
		c.ID = data.ID(id)
		*changed = append(*changed, c.Made())
		return putJSON(codes, idKey(c.ID), c)
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
	err := db.view(ctx, func(tx *bolt.Tx) error {
		all, err := allJSON[data.PairingCode](tx.Bucket(bucketPairingCodes))
		for _, c := range all {
			if c.UsableAt(now) == nil {
				out = append(out, c)
			}
		}
		return err
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
	err := db.update(ctx, data.AuditPairDevice, func(tx *bolt.Tx, changed *[]data.Change) error {
		codes := tx.Bucket(bucketPairingCodes)
		c, err := getJSON[data.PairingCode](codes, idKey(codeID))
		if err != nil {
			return fmt.Errorf("pairing code %d: %w", codeID, err)
		}
		b := tx.Bucket(bucketDevices)
		devices, err := allJSON[data.Device](b)
		if err != nil {
			return err
		}
		var paired data.Change
		if d, paired, err = data.PairWith(c, asked, credentialHash, devices, now); err != nil {
			return err
		}
		c.UsedAt = now
		if err := putJSON(codes, idKey(c.ID), c); err != nil {
			return err
		}
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		d.ID = data.ID(id)
		*changed = append(*changed, paired)
		return putJSON(b, idKey(d.ID), d)
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
	err := db.view(ctx, func(tx *bolt.Tx) error {
		all, err := allJSON[data.Device](tx.Bucket(bucketDevices))
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
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		d, err = getJSON[data.Device](tx.Bucket(bucketDevices), idKey(id))
		if err != nil {
			return fmt.Errorf("device %d: %w", id, err)
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
	return db.update(ctx, data.AuditRevokeDevice, func(tx *bolt.Tx, changed *[]data.Change) error {
		b := tx.Bucket(bucketDevices)
		d, err := getJSON[data.Device](b, idKey(id))
		if err != nil {
			return fmt.Errorf("device %d: %w", id, err)
		}
		if err := db.mayManageDevice(d); err != nil {
			return err
		}
		d, revoked, err := d.Revoke(now, by)
		if err != nil {
			return err
		}
		*changed = append(*changed, revoked)
		return putJSON(b, idKey(d.ID), d)
	})
}

// DeviceSeen notes when the hub last heard from a device (the hub itself
// only). It is bookkeeping, not an action: unlike every other write it is
// not logged and not in the change feed, or each tablet's calls would fill
// the log and wake every screen.
func (db *DB) DeviceSeen(ctx context.Context, id data.ID, at time.Time) error {
	if err := db.hubOnly(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.guard(func() error {
		return db.bolt.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketDevices)
			d, err := getJSON[data.Device](b, idKey(id))
			if err != nil {
				return fmt.Errorf("device %d: %w", id, err)
			}
			if !at.After(d.LastSeen) {
				return nil
			}
			d.LastSeen = at
			return putJSON(b, idKey(d.ID), d)
		})
	})
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

package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// childListColumns are childColumns without the picture: lists of children
// carry no portraits, as in the bbolt store (Child reads one with it).
const childListColumns = `id, location_id, first_name, last_name, birth_date, school_id, number, contacts, NULL::bytea, removed_on`

// Child returns one child, with picture, if the handle's actor may see it.
func (db *DB) Child(ctx context.Context, id data.ID) (data.Child, error) {
	var c data.Child
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = db.readChildFor(ctx, tx, id)
		return err
	})
	return c, err
}

// Children lists the children of a location (for 0: of every location the
// actor works at), without pictures, by name.
func (db *DB) Children(ctx context.Context, locationID data.ID) ([]data.Child, error) {
	var out []data.Child
	err := db.view(ctx, func(tx pgx.Tx) error {
		mayRead, err := db.readScope(ctx, tx)
		if err != nil {
			return fmt.Errorf("read scope: %w", err)
		}
		if locationID != 0 {
			if err := mayRead(locationID); err != nil {
				return err
			}
			out, err = readChildren(ctx, tx, `SELECT `+childListColumns+` FROM children WHERE location_id = $1 ORDER BY id`, int64(locationID))
			return err
		}
		all, err := readChildren(ctx, tx, `SELECT `+childListColumns+` FROM children ORDER BY id`)
		for _, c := range all {
			if mayRead(c.LocationID) == nil {
				out = append(out, c)
			}
		}
		return err
	})
	if len(out) == 0 {
		out = nil
	}
	data.SortByName(out, func(c data.Child) data.Child { return c })
	return out, err
}

// AddChild stores a new child at its location and returns it with its ID.
func (db *DB) AddChild(ctx context.Context, c data.Child) (data.Child, error) {
	c.Number = strings.TrimSpace(c.Number)
	if err := data.ValidateChild(c, db.Today()); err != nil {
		return data.Child{}, err
	}
	if len(c.Picture) > 0 {
		if err := data.ValidatePicture(c.Picture); err != nil {
			return data.Child{}, err
		}
	}
	c.ID = 0
	var id data.ID
	err := db.update(ctx, data.AuditAddChild, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allow(ctx, tx, data.ActContracts, c.LocationID, 0); err != nil {
			return err
		}
		var err error
		if id, err = writeChild(ctx, tx, c, data.Child{}); err != nil {
			return err
		}
		if len(c.Picture) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE children SET picture = $2 WHERE id = $1`, int64(id), c.Picture); err != nil {
				return fmt.Errorf("store the picture of %s: %w", c.Name(), err)
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, ChildID: id, Detail: "child " + c.Name() + " added"})
		return nil
	})
	if err != nil {
		return data.Child{}, err
	}
	c.ID = id
	return c, nil
}

// UpdateChild changes a child's name, birth date, school, number and
// contacts. The picture has its own call (SetChildPicture); the location
// follows the child's group (MoveChild).
func (db *DB) UpdateChild(ctx context.Context, c data.Child) error {
	c.Number = strings.TrimSpace(c.Number)
	if err := data.ValidateChild(c, db.Today()); err != nil {
		return err
	}
	return db.update(ctx, data.AuditUpdateChild, func(tx pgx.Tx, changed *[]data.Change) error {
		old, err := readChild(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if !old.RemovedOn.IsZero() {
			return data.Refuse(data.RefuseChildRemoved, nil)
		}
		if err := db.allow(ctx, tx, data.ActContracts, old.LocationID, 0); err != nil {
			return err
		}
		next := c
		next.LocationID, next.Picture, next.RemovedOn = old.LocationID, nil, data.Date{}
		if _, err := writeChild(ctx, tx, next, old); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, ChildID: c.ID, Detail: "child " + c.Name() + " changed"})
		return nil
	})
}

// writeChild stores a child without its picture, checking its location,
// school and number as the bbolt store's indexes do: old is the child as
// stored before (zero for a new one, which gets the ID returned).
func writeChild(ctx context.Context, tx pgx.Tx, c data.Child, old data.Child) (data.ID, error) {
	var locationKnown, schoolKnown bool
	var numberOwner *int64
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM locations WHERE id = $1),
			$2::bigint IS NULL OR EXISTS (SELECT 1 FROM schools WHERE id = $2),
			(SELECT id FROM children WHERE number = $3 AND number <> '')`,
		int64(c.LocationID), idArg(c.SchoolID), c.Number).Scan(&locationKnown, &schoolKnown, &numberOwner)
	if err != nil {
		return 0, fmt.Errorf("check child %s: %w", c.Name(), err)
	}
	switch {
	case !locationKnown:
		return 0, data.Invalid("child %s: unknown location %d", c.Name(), c.LocationID)
	case !schoolKnown:
		return 0, data.Invalid("child %s: unknown school %d", c.Name(), c.SchoolID)
	case c.Number != old.Number && numberOwner != nil && data.ID(*numberOwner) != old.ID:
		return 0, data.Refuse(data.RefuseChildNumberTaken, data.Args{"Number": c.Number})
	}
	contacts, err := jsonList(c.Contacts)
	if err != nil {
		return 0, err
	}
	if old.ID == 0 {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO children (location_id, first_name, last_name, birth_date, school_id, number, contacts, removed_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			int64(c.LocationID), c.FirstName, c.LastName, dateArg(c.BirthDate), idArg(c.SchoolID), c.Number, contacts, dateArg(c.RemovedOn)).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("add child %s: %w", c.Name(), err)
		}
		return data.ID(id), nil
	}
	_, err = tx.Exec(ctx, `UPDATE children SET location_id = $2, first_name = $3, last_name = $4, birth_date = $5,
			school_id = $6, number = $7, contacts = $8, removed_on = $9 WHERE id = $1`,
		int64(old.ID), int64(c.LocationID), c.FirstName, c.LastName, dateArg(c.BirthDate), idArg(c.SchoolID), c.Number, contacts, dateArg(c.RemovedOn))
	if err != nil {
		return 0, fmt.Errorf("change child %s: %w", c.Name(), err)
	}
	return old.ID, nil
}

// SetChildPicture stores a child's PNG or JPEG portrait; nil removes it.
func (db *DB) SetChildPicture(ctx context.Context, childID data.ID, img []byte) error {
	if img != nil {
		if err := data.ValidatePicture(img); err != nil {
			return err
		}
	}
	return db.update(ctx, data.AuditSetChildPicture, func(tx pgx.Tx, changed *[]data.Change) error {
		c, err := readChild(ctx, tx, childID)
		if err != nil {
			return err
		}
		if err := db.allow(ctx, tx, data.ActContracts, c.LocationID, 0); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, ChildID: childID, Detail: "picture of " + c.Name() + " changed"})
		if _, err := tx.Exec(ctx, `UPDATE children SET picture = $2 WHERE id = $1`, int64(childID), img); err != nil {
			return fmt.Errorf("store the picture of %s: %w", c.Name(), err)
		}
		return nil
	})
}

// jsonList encodes a list for a jsonb column that holds '[]' for none.
func jsonList[T any](list []T) ([]byte, error) {
	if len(list) == 0 {
		return []byte("[]"), nil
	}
	raw, err := json.Marshal(list)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", list, err)
	}
	return raw, nil
}

// childExists reports whether a child with the ID is stored.
func childExists(ctx context.Context, q querier, id data.ID) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM children WHERE id = $1)`, int64(id)).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("look up child %d: %w", id, err)
	}
	return ok, nil
}

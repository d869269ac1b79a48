package boltstore

import (
	"context"
	"fmt"

	"locatiedesk/data"

	_ "image/jpeg"

	// a child's picture may be JPEG
	_ "image/png"
	"strings"

	// or PNG

	bolt "go.etcd.io/bbolt"
)

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
	err := db.update(ctx, data.AuditAddChild, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allow(tx, data.ActContracts, c.LocationID, 0); err != nil {
			return err
		}
		seq, err := tx.Bucket(bucketChildren).NextSequence()
		if err != nil {
			return err
		}
		c.ID = data.ID(seq)
		if err := putChild(tx, c, data.Child{}); err != nil {
			return err
		}
		if len(c.Picture) > 0 {
			if err := tx.Bucket(bucketPictures).Put(idKey(c.ID), c.Picture); err != nil {
				return err
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, ChildID: c.ID, Detail: "child " + c.Name() + " added"})
		return nil
	})
	if err != nil {
		return data.Child{}, err
	}
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
	return db.update(ctx, data.AuditUpdateChild, func(tx *bolt.Tx, changed *[]data.Change) error {
		old, err := getJSON[data.Child](tx.Bucket(bucketChildren), idKey(c.ID))
		if err != nil {
			return fmt.Errorf("child %d: %w", c.ID, err)
		}
		if !old.RemovedOn.IsZero() {
			return data.Refuse(data.RefuseChildRemoved, nil)
		}
		if err := db.allow(tx, data.ActContracts, old.LocationID, 0); err != nil {
			return err
		}
		c.LocationID, c.Picture, c.RemovedOn = old.LocationID, nil, data.Date{}
		if err := putChild(tx, c, old); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, ChildID: c.ID, Detail: "child " + c.Name() + " changed"})
		return nil
	})
}

// putChild writes a child (without picture) and keeps the location and
// number indexes in step; old is the child as stored before (zero for a new one).
func putChild(tx *bolt.Tx, c data.Child, old data.Child) error {
	if tx.Bucket(bucketLocations).Get(idKey(c.LocationID)) == nil {
		return data.Invalid("child %s: unknown location %d", c.Name(), c.LocationID)
	}
	if c.SchoolID != 0 && tx.Bucket(bucketSchools).Get(idKey(c.SchoolID)) == nil {
		return data.Invalid("child %s: unknown school %d", c.Name(), c.SchoolID)
	}
	numbers := tx.Bucket(bucketChildrenByNumber)
	if c.Number != old.Number {
		if c.Number != "" {
			if owner := numbers.Get([]byte(c.Number)); owner != nil && data.ID(btoi(owner)) != c.ID {
				return data.Refuse(data.RefuseChildNumberTaken, data.Args{"Number": c.Number})
			}
			if err := numbers.Put([]byte(c.Number), idKey(c.ID)); err != nil {
				return err
			}
		}
		if old.Number != "" {
			if err := numbers.Delete([]byte(old.Number)); err != nil {
				return err
			}
		}
	}
	if old.ID != 0 && old.LocationID != c.LocationID {
		if idx := nested(tx.Bucket(bucketChildrenByLocation), idKey(old.LocationID)); idx != nil {
			if err := idx.Delete(idKey(c.ID)); err != nil {
				return err
			}
		}
	}
	c.Picture = nil
	if err := putJSON(tx.Bucket(bucketChildren), idKey(c.ID), c); err != nil {
		return err
	}
	return indexChildByLocation(tx, c)
}

// SetChildPicture stores a child's PNG or JPEG portrait; nil removes it.
func (db *DB) SetChildPicture(ctx context.Context, childID data.ID, img []byte) error {
	if img != nil {
		if err := data.ValidatePicture(img); err != nil {
			return err
		}
	}
	return db.update(ctx, data.AuditSetChildPicture, func(tx *bolt.Tx, changed *[]data.Change) error {
		c, err := getJSON[data.Child](tx.Bucket(bucketChildren), idKey(childID))
		if err != nil {
			return fmt.Errorf("child %d: %w", childID, err)
		}
		if err := db.allow(tx, data.ActContracts, c.LocationID, 0); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, ChildID: childID, Detail: "picture of " + c.Name() + " changed"})
		if img == nil {
			return tx.Bucket(bucketPictures).Delete(idKey(childID))
		}
		return tx.Bucket(bucketPictures).Put(idKey(childID), img)
	})
}

// ChildByNumber finds a child by its planning-system number.
func (db *DB) ChildByNumber(ctx context.Context, number string) (data.Child, error) {
	var c data.Child
	err := db.view(ctx, func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketChildrenByNumber).Get([]byte(strings.TrimSpace(number)))
		if id == nil {
			return fmt.Errorf("child number %q: %w", number, data.ErrNotFound)
		}
		var err error
		c, err = readChild(tx, data.ID(btoi(id)))
		return err
	})
	return c, err
}

// migrateChildrenByNumber adds the number index and fills it from the
// children stored so far (numbers came with the planning-system import).
func migrateChildrenByNumber(tx *bolt.Tx) error {
	numbers, err := tx.CreateBucketIfNotExists(bucketChildrenByNumber)
	if err != nil {
		return err
	}
	children, err := allJSON[data.Child](tx.Bucket(bucketChildren))
	if err != nil {
		return err
	}
	for _, c := range children {
		if c.Number == "" {
			continue
		}
		if owner := numbers.Get([]byte(c.Number)); owner != nil && data.ID(btoi(owner)) != c.ID {
			return fmt.Errorf("child number %s is used by two children", c.Number)
		}
		if err := numbers.Put([]byte(c.Number), idKey(c.ID)); err != nil {
			return err
		}
	}
	return nil
}

package boltstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// holdsData reports whether the file holds any organisation yet: a
// location, a person who signs in, or a child.
func holdsData(tx *bolt.Tx) bool {
	for _, b := range [][]byte{bucketLocations, bucketUsers, bucketChildren} {
		if k, _ := tx.Bucket(b).Cursor().First(); k != nil {
			return true
		}
	}
	return false
}

// SetUp creates a new organisation in an empty file, in one transaction:
// its name, the first location and its groups, and the first manager, who
// leads that location. It returns the manager, signed in. A file that holds
// data already is refused with ErrNotEmpty, and nothing is written.
func (db *DB) SetUp(ctx context.Context, s data.OrganisationSetup) (data.Actor, error) {
	if err := s.Validate(); err != nil {
		return data.Actor{}, err
	}
	hash, err := data.HashSecret(s.Secret) // slow on purpose: before the write lock
	if err != nil {
		return data.Actor{}, err
	}
	var manager data.User
	err = db.update(withoutWriteKey(ctx), data.AuditSetUp, func(tx *bolt.Tx, changed *[]data.Change) error {
		if holdsData(tx) {
			return data.ErrNotEmpty
		}
		if err := putJSON(tx.Bucket(bucketSettings), keyOrganisationName, strings.TrimSpace(s.Organisation)); err != nil {
			return err
		}
		loc, err := putNewLocation(tx, strings.TrimSpace(s.Location))
		if err != nil {
			return err
		}
		for _, gs := range s.Groups {
			g := data.Group{LocationID: loc.ID, Name: strings.TrimSpace(gs.Name), Care: gs.Care, Capacity: gs.Capacity}
			if _, err := putNewGroup(tx, g); err != nil {
				return err
			}
		}
		manager = data.User{Name: strings.TrimSpace(s.Manager), Role: data.RoleManager, LocationIDs: []data.ID{loc.ID}}
		manager.SetSecretHash(s.Secret, hash)
		if manager, err = putNewUser(tx, manager); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("organisation %q set up: location %q, %d groups, manager %q",
			strings.TrimSpace(s.Organisation), loc.Name, len(s.Groups), manager.Name)})
		return nil
	})
	return manager.Actor(), err
}

// OrganisationName is the organisation's name, empty in a file from before it was kept.
func (db *DB) OrganisationName(ctx context.Context) (string, error) {
	var name string
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		name, err = readOrganisationName(tx)
		return err
	})
	return name, err
}

// readOrganisationName reads the name, stored as a JSON string; none is "".
func readOrganisationName(tx *bolt.Tx) (string, error) {
	name, err := getJSON[string](tx.Bucket(bucketSettings), keyOrganisationName)
	if errors.Is(err, data.ErrNotFound) {
		return "", nil
	}
	return name, err
}

// RenameOrganisation changes the organisation's name (managers).
func (db *DB) RenameOrganisation(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return data.Refuse(data.RefuseNoOrganisationName, nil)
	}
	return db.update(ctx, data.AuditRenameOrganisation, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		old, err := readOrganisationName(tx)
		if err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("organisation renamed %q → %q", old, name)})
		return putJSON(tx.Bucket(bucketSettings), keyOrganisationName, name)
	})
}

// Organisation reads the organisation's locations and groups, closed ones
// included; on a signed-in handle those at the actor's locations.
func (db *DB) Organisation(ctx context.Context) (data.Organisation, error) {
	var org data.Organisation
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		if org.Name, err = readOrganisationName(tx); err != nil {
			return err
		}
		locations, err := allJSON[data.Location](tx.Bucket(bucketLocations))
		if err != nil {
			return err
		}
		groups, err := allJSON[data.Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		org = data.OrganisationFor(db.actor, org.Name, locations, groups)
		return nil
	})
	return org, err
}

// AddLocation adds a location (managers). The manager who adds it leads it
// from then on, so it is in their lists after they sign in again.
func (db *DB) AddLocation(ctx context.Context, name string) (data.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return data.Location{}, data.Refuse(data.RefuseNoLocationName, nil)
	}
	var loc data.Location
	err := db.update(ctx, data.AuditAddLocation, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		var err error
		if loc, err = putNewLocation(tx, name); err != nil {
			return err
		}
		if db.actor != nil && db.actor.UserID != 0 {
			u, err := getJSON[data.User](tx.Bucket(bucketUsers), idKey(db.actor.UserID))
			if err != nil {
				return fmt.Errorf("user %d: %w", db.actor.UserID, err)
			}
			u.LocationIDs = append(u.LocationIDs, loc.ID)
			if err := putUser(tx, u); err != nil {
				return err
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("location %q added", name)})
		return nil
	})
	return loc, err
}

// putNewLocation numbers and stores a new location; names are unique among open locations.
func putNewLocation(tx *bolt.Tx, name string) (data.Location, error) {
	if err := checkLocationName(tx, 0, name); err != nil {
		return data.Location{}, err
	}
	seq, err := tx.Bucket(bucketLocations).NextSequence()
	if err != nil {
		return data.Location{}, err
	}
	loc := data.Location{ID: data.ID(seq), Name: name}
	return loc, putJSON(tx.Bucket(bucketLocations), idKey(loc.ID), loc)
}

func checkLocationName(tx *bolt.Tx, self data.ID, name string) error {
	all, err := allJSON[data.Location](tx.Bucket(bucketLocations))
	if err != nil {
		return err
	}
	for _, l := range all {
		if l.ID != self && l.ClosedOn.IsZero() && strings.EqualFold(l.Name, name) {
			return data.Refuse(data.RefuseNameTaken, data.Args{"Name": name})
		}
	}
	return nil
}

// RenameLocation changes a location's name (managers of that location).
func (db *DB) RenameLocation(ctx context.Context, id data.ID, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return data.Refuse(data.RefuseNoLocationName, nil)
	}
	return db.update(ctx, data.AuditRenameLocation, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allow(tx, data.ActAdmin, id, 0); err != nil {
			return err
		}
		loc, err := getJSON[data.Location](tx.Bucket(bucketLocations), idKey(id))
		if err != nil {
			return fmt.Errorf("location %d: %w", id, err)
		}
		if err := checkLocationName(tx, id, name); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("location %q renamed %q", loc.Name, name)})
		loc.Name = name
		return putJSON(tx.Bucket(bucketLocations), idKey(id), loc)
	})
}

// CloseLocation closes a location from today (managers of that location).
// Its groups must be closed first, so no child is left expected there.
func (db *DB) CloseLocation(ctx context.Context, id data.ID) error {
	today := db.Today()
	return db.update(ctx, data.AuditCloseLocation, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allow(tx, data.ActAdmin, id, 0); err != nil {
			return err
		}
		loc, err := getJSON[data.Location](tx.Bucket(bucketLocations), idKey(id))
		if err != nil {
			return fmt.Errorf("location %d: %w", id, err)
		}
		if !loc.ClosedOn.IsZero() {
			return data.Refuse(data.RefuseClosed, data.Args{"Name": loc.Name})
		}
		groups, err := allJSON[data.Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.LocationID == id && g.ClosedOn.IsZero() {
				return data.Refuse(data.RefuseGroupsOpen, data.Args{"Name": g.Name})
			}
		}
		loc.ClosedOn = today
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("location %q closed", loc.Name)})
		return putJSON(tx.Bucket(bucketLocations), idKey(id), loc)
	})
}

// AddGroup adds a group to an open location (managers of that location).
func (db *DB) AddGroup(ctx context.Context, g data.Group) (data.Group, error) {
	g.ID, g.ClosedOn, g.Name = 0, data.Date{}, strings.TrimSpace(g.Name)
	if err := g.Validate(); err != nil {
		return g, err
	}
	err := db.update(ctx, data.AuditAddGroup, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allow(tx, data.ActAdmin, g.LocationID, 0); err != nil {
			return err
		}
		var err error
		if g, err = putNewGroup(tx, g); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("group %q added (%s, %d places)", g.Name, g.Care, g.Capacity)})
		return nil
	})
	return g, err
}

// putNewGroup numbers and stores a new group of an open location.
func putNewGroup(tx *bolt.Tx, g data.Group) (data.Group, error) {
	if err := g.Validate(); err != nil {
		return g, err
	}
	loc, err := getJSON[data.Location](tx.Bucket(bucketLocations), idKey(g.LocationID))
	if err != nil {
		return g, data.Invalid("group %q: unknown location %d", g.Name, g.LocationID)
	}
	if !loc.ClosedOn.IsZero() {
		return g, data.Refuse(data.RefuseClosed, data.Args{"Name": loc.Name})
	}
	if err := checkGroupName(tx, g); err != nil {
		return g, err
	}
	seq, err := tx.Bucket(bucketGroups).NextSequence()
	if err != nil {
		return g, err
	}
	g.ID = data.ID(seq)
	return g, putJSON(tx.Bucket(bucketGroups), idKey(g.ID), g)
}

// checkGroupName keeps open groups' names unique within a location: the
// command line and imports find a group by name.
func checkGroupName(tx *bolt.Tx, g data.Group) error {
	all, err := allJSON[data.Group](tx.Bucket(bucketGroups))
	if err != nil {
		return err
	}
	for _, other := range all {
		if other.ID != g.ID && other.LocationID == g.LocationID && other.ClosedOn.IsZero() && strings.EqualFold(other.Name, g.Name) {
			return data.Refuse(data.RefuseNameTaken, data.Args{"Name": g.Name})
		}
	}
	return nil
}

// UpdateGroup changes a group's name, capacity and opening hours (managers
// of its location). Its care type stays: the contracts in it were sold for it.
func (db *DB) UpdateGroup(ctx context.Context, g data.Group) error {
	g.Name = strings.TrimSpace(g.Name)
	if err := g.Validate(); err != nil {
		return err
	}
	return db.update(ctx, data.AuditUpdateGroup, func(tx *bolt.Tx, changed *[]data.Change) error {
		old, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(g.ID))
		if err != nil {
			return fmt.Errorf("group %d: %w", g.ID, err)
		}
		if err := db.allow(tx, data.ActAdmin, old.LocationID, 0); err != nil {
			return err
		}
		if g, err = old.Edit(g); err != nil {
			return err
		}
		if err := checkGroupName(tx, g); err != nil {
			return err
		}
		*changed = append(*changed, data.GroupEdited(old, g)...)
		return putJSON(tx.Bucket(bucketGroups), idKey(g.ID), g)
	})
}

// CloseGroup closes a group from today (managers of its location). A group
// where contracts still run, or requests wait, is refused: end or move them
// first, so no child is expected in a group that is gone.
func (db *DB) CloseGroup(ctx context.Context, id data.ID) error {
	today := db.Today()
	return db.update(ctx, data.AuditCloseGroup, func(tx *bolt.Tx, changed *[]data.Change) error {
		g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(id))
		if err != nil {
			return fmt.Errorf("group %d: %w", id, err)
		}
		if err := db.allow(tx, data.ActAdmin, g.LocationID, 0); err != nil {
			return err
		}
		if !g.ClosedOn.IsZero() {
			return data.Refuse(data.RefuseClosed, data.Args{"Name": g.Name})
		}
		if idx := nested(tx.Bucket(bucketContractsByGroup), idKey(id)); idx != nil {
			c := idx.Cursor()
			for k, span := c.First(); k != nil; k, span = c.Next() {
				if _, end, _ := strings.Cut(string(span), "/"); end == "" || end >= today.String() {
					return data.Refuse(data.RefuseContractsRun, data.Args{"Name": g.Name})
				}
			}
		}
		if open := nested(tx.Bucket(bucketRequestsOpen), idKey(id)); open != nil {
			if k, _ := open.Cursor().First(); k != nil {
				return data.Refuse(data.RefuseRequestsWait, data.Args{"Name": g.Name})
			}
		}
		g.ClosedOn = today
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, GroupID: id, Detail: fmt.Sprintf("group %q closed", g.Name)})
		return putJSON(tx.Bucket(bucketGroups), idKey(id), g)
	})
}

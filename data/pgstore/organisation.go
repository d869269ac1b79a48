package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// holdsData reports whether the database holds any organisation yet: a
// location, a person who signs in, or a child.
func holdsData(ctx context.Context, q querier) (bool, error) {
	var holds bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM locations) OR EXISTS (SELECT 1 FROM users)
		OR EXISTS (SELECT 1 FROM children)`).Scan(&holds)
	if err != nil {
		return false, fmt.Errorf("look for data: %w", err)
	}
	return holds, nil
}

// IsEmpty reports whether the database holds no organisation yet.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var holds bool
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		holds, err = holdsData(ctx, tx)
		return err
	})
	return !holds, err
}

// SetUp creates a new organisation in an empty database, in one
// transaction: its name, the first location and its groups, and the first
// manager, who leads that location. It returns the manager, signed in. A
// database that holds data already is refused with ErrNotEmpty, and nothing
// is written.
func (db *DB) SetUp(ctx context.Context, s data.OrganisationSetup) (data.Actor, error) {
	if err := s.Validate(); err != nil {
		return data.Actor{}, err
	}
	hash, err := data.HashSecret(s.Secret) // slow on purpose: before the transaction
	if err != nil {
		return data.Actor{}, err
	}
	var manager data.User
	err = db.update(withoutWriteKey(ctx), data.AuditSetUp, func(tx pgx.Tx, changed *[]data.Change) error {
		holds, err := holdsData(ctx, tx)
		if err != nil {
			return err
		}
		if holds {
			return data.ErrNotEmpty
		}
		if err := putOrganisationName(ctx, tx, strings.TrimSpace(s.Organisation)); err != nil {
			return err
		}
		loc, err := putNewLocation(ctx, tx, strings.TrimSpace(s.Location))
		if err != nil {
			return err
		}
		for _, gs := range s.Groups {
			g := data.Group{LocationID: loc.ID, Name: strings.TrimSpace(gs.Name), Care: gs.Care, Capacity: gs.Capacity}
			if _, err := putNewGroup(ctx, tx, g); err != nil {
				return err
			}
		}
		manager = data.User{Name: strings.TrimSpace(s.Manager), Role: data.RoleManager, LocationIDs: []data.ID{loc.ID}}
		manager.SetSecretHash(s.Secret, hash)
		if manager, err = putNewUser(ctx, tx, manager); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("organisation %q set up: location %q, %d groups, manager %q",
			strings.TrimSpace(s.Organisation), loc.Name, len(s.Groups), manager.Name)})
		return nil
	})
	return manager.Actor(), err
}

// putOrganisationName stores the organisation's name, making its row if
// there is none yet (with the default settings).
func putOrganisationName(ctx context.Context, tx pgx.Tx, name string) error {
	_, err := tx.Exec(ctx, `INSERT INTO organisation (name) VALUES ($1)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name`, name)
	if err != nil {
		return fmt.Errorf("store the organisation's name: %w", err)
	}
	return nil
}

// OrganisationName is the organisation's name, empty before it is set up.
func (db *DB) OrganisationName(ctx context.Context) (string, error) {
	var name string
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		name, err = readOrganisationName(ctx, tx)
		return err
	})
	return name, err
}

func readOrganisationName(ctx context.Context, q querier) (string, error) {
	var name string
	err := q.QueryRow(ctx, `SELECT name FROM organisation`).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the organisation's name: %w", err)
	}
	return name, nil
}

// RenameOrganisation changes the organisation's name (managers).
func (db *DB) RenameOrganisation(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return data.Refuse(data.RefuseNoOrganisationName, nil)
	}
	return db.update(ctx, data.AuditRenameOrganisation, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		old, err := readOrganisationName(ctx, tx)
		if err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("organisation renamed %q → %q", old, name)})
		return putOrganisationName(ctx, tx, name)
	})
}

// Organisation reads the organisation's locations and groups, closed ones
// included; on a signed-in handle those at the actor's locations.
func (db *DB) Organisation(ctx context.Context) (data.Organisation, error) {
	var org data.Organisation
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		if org.Name, err = readOrganisationName(ctx, tx); err != nil {
			return err
		}
		locations, err := readLocations(ctx, tx)
		if err != nil {
			return err
		}
		groups, err := allGroups(ctx, tx)
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
	err := db.update(ctx, data.AuditAddLocation, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		var err error
		if loc, err = putNewLocation(ctx, tx, name); err != nil {
			return err
		}
		if db.actor != nil && db.actor.UserID != 0 {
			u, err := readUser(ctx, tx, db.actor.UserID)
			if err != nil {
				return err
			}
			u.LocationIDs = append(u.LocationIDs, loc.ID)
			if err := putUser(ctx, tx, u); err != nil {
				return err
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("location %q added", name)})
		return nil
	})
	return loc, err
}

// putNewLocation numbers and stores a new location; names are unique among open locations.
func putNewLocation(ctx context.Context, tx pgx.Tx, name string) (data.Location, error) {
	if err := checkLocationName(ctx, tx, 0, name); err != nil {
		return data.Location{}, err
	}
	loc := data.Location{Name: name}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO locations (name) VALUES ($1) RETURNING id`, name).Scan(&id); err != nil {
		return loc, fmt.Errorf("store location %q: %w", name, err)
	}
	loc.ID = data.ID(id)
	return loc, nil
}

// checkLocationName refuses a name an open location other than self has.
// Names compare as Go folds case, as in the file store; the unique index on
// lower(name) is the backstop.
func checkLocationName(ctx context.Context, q querier, self data.ID, name string) error {
	rows, err := q.Query(ctx, `SELECT name FROM locations WHERE id <> $1 AND closed_on IS NULL`, int64(self))
	if err != nil {
		return fmt.Errorf("read location names: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("read location names: %w", err)
	}
	for _, other := range names {
		if strings.EqualFold(other, name) {
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
	return db.update(ctx, data.AuditRenameLocation, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allow(ctx, tx, data.ActAdmin, id, 0); err != nil {
			return err
		}
		loc, err := readLocation(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkLocationName(ctx, tx, id, name); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("location %q renamed %q", loc.Name, name)})
		_, err = tx.Exec(ctx, `UPDATE locations SET name = $2 WHERE id = $1`, int64(id), name)
		return err
	})
}

// CloseLocation closes a location from today (managers of that location).
// Its groups must be closed first, so no child is left expected there.
func (db *DB) CloseLocation(ctx context.Context, id data.ID) error {
	today := db.Today()
	return db.update(ctx, data.AuditCloseLocation, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allow(ctx, tx, data.ActAdmin, id, 0); err != nil {
			return err
		}
		loc, err := readLocation(ctx, tx, id)
		if err != nil {
			return err
		}
		if !loc.ClosedOn.IsZero() {
			return data.Refuse(data.RefuseClosed, data.Args{"Name": loc.Name})
		}
		var openGroup string
		err = tx.QueryRow(ctx, `SELECT name FROM groups WHERE location_id = $1 AND closed_on IS NULL ORDER BY id LIMIT 1`, int64(id)).Scan(&openGroup)
		switch {
		case err == nil:
			return data.Refuse(data.RefuseGroupsOpen, data.Args{"Name": openGroup})
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("read the groups of location %d: %w", id, err)
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("location %q closed", loc.Name)})
		_, err = tx.Exec(ctx, `UPDATE locations SET closed_on = $2 WHERE id = $1`, int64(id), dateArg(today))
		return err
	})
}

// AddGroup adds a group to an open location (managers of that location).
func (db *DB) AddGroup(ctx context.Context, g data.Group) (data.Group, error) {
	g.ID, g.ClosedOn, g.Name = 0, data.Date{}, strings.TrimSpace(g.Name)
	if err := g.Validate(); err != nil {
		return g, err
	}
	added := g
	err := db.update(ctx, data.AuditAddGroup, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allow(ctx, tx, data.ActAdmin, g.LocationID, 0); err != nil {
			return err
		}
		var err error
		if added, err = putNewGroup(ctx, tx, g); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("group %q added (%s, %d places)", added.Name, added.Care, added.Capacity)})
		return nil
	})
	return added, err
}

// putNewGroup numbers and stores a new group of an open location.
func putNewGroup(ctx context.Context, tx pgx.Tx, g data.Group) (data.Group, error) {
	if err := g.Validate(); err != nil {
		return g, err
	}
	loc, err := readLocation(ctx, tx, g.LocationID)
	if errors.Is(err, data.ErrNotFound) {
		return g, data.Invalid("group %q: unknown location %d", g.Name, g.LocationID)
	}
	if err != nil {
		return g, err
	}
	if !loc.ClosedOn.IsZero() {
		return g, data.Refuse(data.RefuseClosed, data.Args{"Name": loc.Name})
	}
	if err := checkGroupName(ctx, tx, g); err != nil {
		return g, err
	}
	hours, err := json.Marshal(g.Hours)
	if err != nil {
		return g, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO groups (location_id, name, care, capacity, hours) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		int64(g.LocationID), g.Name, string(g.Care), g.Capacity, hours).Scan(&id)
	if err != nil {
		return g, fmt.Errorf("store group %q: %w", g.Name, err)
	}
	g.ID = data.ID(id)
	return g, nil
}

// checkGroupName keeps open groups' names unique within a location: the
// command line and imports find a group by name.
func checkGroupName(ctx context.Context, q querier, g data.Group) error {
	rows, err := q.Query(ctx, `SELECT name FROM groups WHERE id <> $1 AND location_id = $2 AND closed_on IS NULL`, int64(g.ID), int64(g.LocationID))
	if err != nil {
		return fmt.Errorf("read group names: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("read group names: %w", err)
	}
	for _, other := range names {
		if strings.EqualFold(other, g.Name) {
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
	hours, err := json.Marshal(g.Hours)
	if err != nil {
		return err
	}
	return db.update(ctx, data.AuditUpdateGroup, func(tx pgx.Tx, changed *[]data.Change) error {
		old, err := readGroup(ctx, tx, g.ID)
		if err != nil {
			return err
		}
		if err := db.allow(ctx, tx, data.ActAdmin, old.LocationID, 0); err != nil {
			return err
		}
		next, err := old.Edit(g)
		if err != nil {
			return err
		}
		if err := checkGroupName(ctx, tx, next); err != nil {
			return err
		}
		*changed = append(*changed, data.GroupEdited(old, next)...)
		_, err = tx.Exec(ctx, `UPDATE groups SET name = $2, capacity = $3, hours = $4 WHERE id = $1`,
			int64(g.ID), next.Name, next.Capacity, hours)
		return err
	})
}

// CloseGroup closes a group from today (managers of its location). A group
// where contracts still run, or requests wait, is refused: end or move them
// first, so no child is expected in a group that is gone.
func (db *DB) CloseGroup(ctx context.Context, id data.ID) error {
	today := db.Today()
	return db.update(ctx, data.AuditCloseGroup, func(tx pgx.Tx, changed *[]data.Change) error {
		g, err := readGroup(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := db.allow(ctx, tx, data.ActAdmin, g.LocationID, 0); err != nil {
			return err
		}
		if !g.ClosedOn.IsZero() {
			return data.Refuse(data.RefuseClosed, data.Args{"Name": g.Name})
		}
		var contractsRun, requestsWait bool
		err = tx.QueryRow(ctx, `SELECT
				EXISTS (SELECT 1 FROM contracts WHERE group_id = $1 AND (end_day IS NULL OR end_day >= $2)),
				EXISTS (SELECT 1 FROM requests WHERE group_id = $1 AND status = $3)`,
			int64(id), dateArg(today), string(data.StatusOpen)).Scan(&contractsRun, &requestsWait)
		switch {
		case err != nil:
			return fmt.Errorf("read what runs in group %d: %w", id, err)
		case contractsRun:
			return data.Refuse(data.RefuseContractsRun, data.Args{"Name": g.Name})
		case requestsWait:
			return data.Refuse(data.RefuseRequestsWait, data.Args{"Name": g.Name})
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, GroupID: id, Detail: fmt.Sprintf("group %q closed", g.Name)})
		_, err = tx.Exec(ctx, `UPDATE groups SET closed_on = $2 WHERE id = $1`, int64(id), dateArg(today))
		return err
	})
}

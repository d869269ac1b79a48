package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// Settings returns the organisation's settings.
func (db *DB) Settings(ctx context.Context) (data.Settings, error) {
	var s data.Settings
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		s, err = readSettings(ctx, tx)
		return err
	})
	return s, err
}

// SaveSettings replaces the organisation's settings (managers), logging
// each changed setting before → after.
func (db *DB) SaveSettings(ctx context.Context, s data.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return db.update(ctx, data.AuditSaveSettings, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		old, err := readSettings(ctx, tx)
		if err != nil {
			return err
		}
		detail, err := data.SettingsChanges(old, s)
		if err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: detail}, data.Change{Kind: data.ChangePlanning})
		// Settings saved before the set-up (a store filled by a tool) make
		// the organisation's row, still without a name.
		_, err = tx.Exec(ctx, `INSERT INTO organisation (settings) VALUES ($1)
			ON CONFLICT (id) DO UPDATE SET settings = excluded.settings`, raw)
		return err
	})
}

// readLocations reads every location, closed ones too, by ID.
func readLocations(ctx context.Context, q querier) ([]data.Location, error) {
	rows, err := q.Query(ctx, `SELECT `+locationColumns+` FROM locations ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read locations: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Location, error) { return scanLocation(row) })
}

// allGroups reads every group, closed ones too, by ID.
func allGroups(ctx context.Context, q querier) ([]data.Group, error) {
	groups, err := readGroups(ctx, q, `SELECT `+groupColumns+` FROM groups ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	return groups, nil
}

// Locations lists the open locations by ID, for pickers; on a signed-in
// handle only the actor's own. Organisation lists the closed ones too.
func (db *DB) Locations(ctx context.Context) ([]data.Location, error) {
	var out []data.Location
	err := db.view(ctx, func(tx pgx.Tx) error {
		all, err := readLocations(ctx, tx)
		if err != nil {
			return err
		}
		var groups []data.Group
		if db.actor != nil {
			if groups, err = allGroups(ctx, tx); err != nil {
				return err
			}
		}
		out = data.OpenLocationsFor(db.actor, all, groups)
		return nil
	})
	return out, err
}

// Groups lists the open groups of a location (of every location for 0), by
// ID, for pickers. On a signed-in handle only the groups the actor works in
// are listed: a staff member's own groups, a manager's or planner's
// locations' groups. Organisation lists the closed ones too.
func (db *DB) Groups(ctx context.Context, locationID data.ID) ([]data.Group, error) {
	var out []data.Group
	err := db.view(ctx, func(tx pgx.Tx) error {
		out = nil
		open, err := readGroups(ctx, tx, `SELECT `+groupColumns+` FROM groups
			WHERE closed_on IS NULL AND ($1 = 0 OR location_id = $1) ORDER BY id`, int64(locationID))
		if err != nil {
			return fmt.Errorf("read groups: %w", err)
		}
		for _, g := range open {
			if db.actor == nil || db.worksIn(g) {
				out = append(out, g)
			}
		}
		return nil
	})
	return out, err
}

// Group returns one group.
func (db *DB) Group(ctx context.Context, id data.ID) (data.Group, error) {
	var g data.Group
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		g, err = readGroup(ctx, tx, id)
		return err
	})
	return g, err
}

// GroupByName finds a group by name, ignoring case. A name that several
// locations use must be given as "Location/Group".
func (db *DB) GroupByName(ctx context.Context, name string) (data.Group, error) {
	locName, groupName, qualified := strings.Cut(name, "/")
	if !qualified {
		groupName, locName = locName, ""
	}
	var found []data.Group
	err := db.view(ctx, func(tx pgx.Tx) error {
		found = nil
		// Names compare as Go folds case (strings.EqualFold), like the
		// file store's, so the few groups are matched here, not in SQL.
		rows, err := tx.Query(ctx, `SELECT l.name, `+prefixed("g", groupColumns)+`
			FROM groups g JOIN locations l ON l.id = g.location_id ORDER BY g.id`)
		if err != nil {
			return fmt.Errorf("read groups: %w", err)
		}
		type named struct {
			location string
			group    data.Group
		}
		all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (named, error) {
			var n named
			g, err := scanGroup(prefixScan{row, &n.location})
			n.group = g
			return n, err
		})
		if err != nil {
			return fmt.Errorf("read groups: %w", err)
		}
		for _, n := range all {
			if !strings.EqualFold(strings.TrimSpace(n.group.Name), strings.TrimSpace(groupName)) {
				continue
			}
			if qualified && !strings.EqualFold(n.location, strings.TrimSpace(locName)) {
				continue
			}
			found = append(found, n.group)
		}
		return nil
	})
	if len(found) > 1 { // a closed group keeps its name for history; the open one is meant
		open := slices.DeleteFunc(slices.Clone(found), func(g data.Group) bool { return !g.ClosedOn.IsZero() })
		if len(open) == 1 {
			found = open
		}
	}
	switch {
	case err != nil:
		return data.Group{}, err
	case len(found) == 0:
		return data.Group{}, fmt.Errorf("group %q: %w", name, data.ErrNotFound)
	case len(found) > 1:
		return data.Group{}, data.Refuse(data.RefuseGroupAmbiguous, data.Args{"Name": name})
	}
	return found[0], nil
}

// prefixed qualifies each of a list of columns with a table alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ", ")
	for i, c := range parts {
		parts[i] = alias + "." + c
	}
	return strings.Join(parts, ", ")
}

// prefixScan scans a row whose first column goes to first and the rest to
// what a shared scanner (scanGroup, …) asks for.
type prefixScan struct {
	row   pgx.Row
	first any
}

func (p prefixScan) Scan(dest ...any) error { return p.row.Scan(append([]any{p.first}, dest...)...) }

package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// allow checks, inside a transaction, that the handle's actor may do action
// for a group (groupID != 0) or at a location. The system may do anything.
func (db *DB) allow(ctx context.Context, q querier, action data.Action, locationID, groupID data.ID) error {
	if db.actor == nil {
		return nil
	}
	var g data.Group
	if groupID != 0 {
		var err error
		if g, err = readGroup(ctx, q, groupID); err != nil {
			return err
		}
	}
	return db.actor.Can(action, locationID, g)
}

// allowEverywhere checks that the actor may do action at every location of
// the database, for what covers all of them at once (an export of every
// location, a backup).
func (db *DB) allowEverywhere(ctx context.Context, q querier, action data.Action) error {
	if err := db.allowRole(action); err != nil || db.actor == nil {
		return err
	}
	rows, err := q.Query(ctx, `SELECT id FROM locations ORDER BY id`)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.ID, error) {
		var id int64
		err := row.Scan(&id)
		return data.ID(id), err
	})
	if err != nil {
		return err
	}
	return db.actor.MayDoEverywhere(action, ids)
}

// allowRole checks only that the actor's role may do action at all, for
// actions that belong to no one location (school calendars, settings).
func (db *DB) allowRole(action data.Action) error {
	if db.actor == nil {
		return nil
	}
	return db.actor.MayDo(action)
}

// worksIn reports whether the handle's actor works in group g.
func (db *DB) worksIn(g data.Group) bool { return db.actor.WorksIn(g) }

// readScope refuses the handle's actor the children of a location they do
// not work at, so that a device asking the hub directly gets no further than
// its screens offer. The actor's groups are looked up once per call.
func (db *DB) readScope(ctx context.Context, q querier) (func(locationID data.ID) error, error) {
	if db.actor == nil {
		return func(data.ID) error { return nil }, nil
	}
	var groupLocations []data.ID
	if db.actor.Role == data.RoleStaff && len(db.actor.Groups) > 0 {
		rows, err := q.Query(ctx, `SELECT location_id FROM groups WHERE id = ANY($1)`, idsArg(db.actor.Groups))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			groupLocations = append(groupLocations, data.ID(id))
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	actor := *db.actor
	return func(locationID data.ID) error { return actor.MayReadAt(locationID, groupLocations) }, nil
}

// readChildFor reads a child the handle's actor may see.
func (db *DB) readChildFor(ctx context.Context, q querier, id data.ID) (data.Child, error) {
	c, err := readChild(ctx, q, id)
	if err != nil {
		return c, err
	}
	scope, err := db.readScope(ctx, q)
	if err != nil {
		return c, fmt.Errorf("read scope: %w", err)
	}
	return c, scope(c.LocationID)
}

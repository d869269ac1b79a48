package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// PresentNow reads who is here at a location right now (every group, or
// only groupID when it is not 0), by the store's clock, on one snapshot of
// today's lists. Staff see their own groups, managers the groups of their
// locations.
func (db *DB) PresentNow(ctx context.Context, locationID, groupID data.ID) (data.PresentList, error) {
	now := db.now()
	today := data.DateOf(now)
	var p data.PresentList
	err := db.view(ctx, func(tx pgx.Tx) error {
		if err := db.allowRole(data.ActAttendance); err != nil {
			return err
		}
		if groupID != 0 {
			g, err := readGroup(ctx, tx, groupID)
			if err != nil {
				return err
			}
			locationID = g.LocationID
		}
		location, err := readLocation(ctx, tx, locationID)
		if err != nil {
			return err
		}
		groups, err := readGroups(ctx, tx, `SELECT `+groupColumns+` FROM groups WHERE location_id = $1 ORDER BY id`, int64(locationID))
		if err != nil {
			return err
		}
		var lists []data.DayList
		for _, g := range groups {
			if groupID != 0 && g.ID != groupID || db.actor != nil && !db.worksIn(g) {
				continue
			}
			l, err := readDayList(ctx, tx, g.ID, today)
			if err != nil {
				return err
			}
			lists = append(lists, l)
		}
		if len(lists) == 0 && len(groups) > 0 {
			return data.Refuse(data.RefusePresentNoGroup, data.Args{"Name": db.actor.Name, "Location": location.Name})
		}
		p = data.BuildPresentList(location, lists, now, false)
		return nil
	})
	return p, err
}

package boltstore

import (
	"context"
	"fmt"
	"slices"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// PresentNow reads who is here at a location right now (every group, or
// only groupID when it is not 0), by the store's clock, in one read
// transaction over today's buckets. Staff see their own groups, managers
// the groups of their locations.
func (db *DB) PresentNow(ctx context.Context, locationID, groupID data.ID) (data.PresentList, error) {
	now := db.now()
	today := data.DateOf(now)
	var p data.PresentList
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if err := db.allowRole(data.ActAttendance); err != nil {
			return err
		}
		if groupID != 0 {
			g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(groupID))
			if err != nil {
				return fmt.Errorf("group %d: %w", groupID, err)
			}
			locationID = g.LocationID
		}
		location, err := getJSON[data.Location](tx.Bucket(bucketLocations), idKey(locationID))
		if err != nil {
			return fmt.Errorf("location %d: %w", locationID, err)
		}
		all, err := allJSON[data.Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		var lists []data.DayList
		for _, g := range all {
			if g.LocationID != locationID || groupID != 0 && g.ID != groupID || db.actor != nil && !db.worksIn(g) {
				continue
			}
			l, err := readDayList(tx, g.ID, today)
			if err != nil {
				return err
			}
			lists = append(lists, l)
		}
		if len(lists) == 0 && slices.ContainsFunc(all, func(g data.Group) bool { return g.LocationID == locationID }) {
			return data.Refuse(data.RefusePresentNoGroup, data.Args{"Name": db.actor.Name, "Location": location.Name})
		}
		p = data.BuildPresentList(location, lists, now, false)
		return nil
	})
	return p, err
}

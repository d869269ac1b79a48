package boltstore

import (
	"context"
	"fmt"
	"io"
	"slices"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// ExportChildren writes the children of a location (every location for 0;
// on a signed-in handle every location the actor serves) with all their
// contracts as a children file the import reads back unchanged: one line per
// contract, the Dutch column names, ";" between fields, UTF-8 with a
// byte-order mark for Excel. Children without a planning-system number
// (added in Locatiedesk itself), and those whose data were removed, are left out.
// The export of personal data is written to the audit log.
func (db *DB) ExportChildren(ctx context.Context, w io.Writer, locationID data.ID) error {
	var rows [][]string
	err := db.update(ctx, data.AuditExportChildren, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActContracts); err != nil {
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
		schools, err := allJSON[data.School](tx.Bucket(bucketSchools))
		if err != nil {
			return err
		}
		groupByID := map[data.ID]data.Group{}
		for _, g := range groups {
			groupByID[g.ID] = g
		}
		schoolName := map[data.ID]string{}
		for _, s := range schools {
			schoolName[s.ID] = s.Name
		}
		for _, loc := range locations {
			if locationID != 0 && loc.ID != locationID {
				continue
			}
			if db.actor != nil && !slices.Contains(db.actor.Locations, loc.ID) {
				if locationID != 0 {
					return db.allow(tx, data.ActContracts, loc.ID, 0)
				}
				continue
			}
			children, err := locationChildren(tx, loc.ID)
			if err != nil {
				return err
			}
			data.SortByName(children, func(c data.Child) data.Child { return c })
			for _, c := range children {
				if !c.RemovedOn.IsZero() || c.Number == "" {
					continue // a child without number would come back as a line the import refuses
				}
				contracts, err := childContracts(tx, c.ID, data.Date{}, data.MaxDate)
				if err != nil {
					return err
				}
				slices.SortStableFunc(contracts, func(a, b data.Contract) int { return a.Start.Compare(b.Start) })
				for _, k := range contracts {
					rows = append(rows, data.ChildExportRow(c, k, loc.Name, groupByID[k.GroupID].Name, schoolName[c.SchoolID]))
				}
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePrint, Detail: fmt.Sprintf("children exported: %d contract lines", len(rows))})
		return nil
	})
	if err != nil {
		return err
	}
	return data.WriteChildExport(w, rows)
}

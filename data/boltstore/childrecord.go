package boltstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// ChildRecord gathers everything about one child in one transaction, so the
// export is one consistent moment of the store. Managers and office users
// may export; the export is written to the audit log.
func (db *DB) ChildRecord(ctx context.Context, childID data.ID) (data.ChildRecord, error) {
	rec := data.ChildRecord{ExportedAt: db.now()}
	err := db.update(ctx, data.AuditChildRecord, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActContracts); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePrint, ChildID: childID, Detail: "personal data exported"})
		var err error
		if rec.Child, err = db.readChildFor(tx, childID); err != nil {
			return err
		}
		if rec.Location, err = getJSON[data.Location](tx.Bucket(bucketLocations), idKey(rec.Child.LocationID)); err != nil {
			return fmt.Errorf("location %d: %w", rec.Child.LocationID, err)
		}
		if rec.Child.SchoolID != 0 {
			school, err := getJSON[data.School](tx.Bucket(bucketSchools), idKey(rec.Child.SchoolID))
			if err != nil {
				return fmt.Errorf("school %d: %w", rec.Child.SchoolID, err)
			}
			rec.School = &school
		}
		if rec.Contracts, err = childContracts(tx, childID, data.Date{}, data.NewDate(9999, time.December, 31)); err != nil {
			return err
		}
		if rec.Attendance, err = childAttendance(tx, childID); err != nil {
			return err
		}
		if rec.Credit, err = allJSON[data.CreditEntry](nested(tx.Bucket(bucketCredit), idKey(childID))); err != nil {
			return err
		}
		if rec.Requests, err = childRequests(tx, childID); err != nil {
			return err
		}
		if rec.Consent, err = allJSON[data.ConsentChange](nested(tx.Bucket(bucketConsentHistory), idKey(childID))); err != nil {
			return err
		}
		if rec.SignUps, err = childSignUps(tx, childID); err != nil {
			return err
		}
		rec.Groups, err = recordGroups(tx, rec)
		return err
	})
	return rec, err
}

// childAttendance reads the child's records through attendance-by-child, by date.
func childAttendance(tx *bolt.Tx, childID data.ID) ([]data.AttendanceRecord, error) {
	var out []data.AttendanceRecord
	idx := nested(tx.Bucket(bucketAttendanceByChild), idKey(childID))
	if idx == nil {
		return out, nil
	}
	err := idx.ForEach(func(k, _ []byte) error {
		d, groupID, err := parseAttendanceIndexKey(k)
		if err != nil {
			return err
		}
		a, err := getJSON[data.Attendance](nested(tx.Bucket(bucketAttendance), dateKey(d), idKey(groupID)), idKey(childID))
		if err != nil {
			return fmt.Errorf("attendance of child %d on %s in group %d: %w", childID, d, groupID, err)
		}
		out = append(out, data.AttendanceRecord{Date: d, GroupID: groupID, Attendance: a})
		return nil
	})
	return out, err
}

// childRequests reads every request of the child, past ones too, by day.
func childRequests(tx *bolt.Tx, childID data.ID) ([]data.Request, error) {
	var out []data.Request
	idx := nested(tx.Bucket(bucketRequestsByChild), idKey(childID))
	if idx == nil {
		return out, nil
	}
	err := idx.ForEach(func(k, _ []byte) error {
		r, err := getJSON[data.Request](tx.Bucket(bucketRequests), k[len(k)-8:])
		if err != nil {
			return fmt.Errorf("request %d: %w", btoi(k[len(k)-8:]), err)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// childSignUps reads the child's study-day sign-ups, cancelled ones too, by
// date. Sign-ups have no index by child; there are few enough to read them all.
func childSignUps(tx *bolt.Tx, childID data.ID) ([]data.SignUp, error) {
	all, err := allJSON[data.SignUp](tx.Bucket(bucketSignUps))
	all = slices.DeleteFunc(all, func(s data.SignUp) bool { return s.ChildID != childID })
	slices.SortStableFunc(all, func(a, b data.SignUp) int { return a.Date.Compare(b.Date) })
	return all, err
}

// recordGroups reads every group a record of rec names, by ID.
func recordGroups(tx *bolt.Tx, rec data.ChildRecord) ([]data.Group, error) {
	var ids []data.ID
	for _, c := range rec.Contracts {
		ids = append(ids, c.GroupID)
	}
	for _, a := range rec.Attendance {
		ids = append(ids, a.GroupID)
	}
	for _, r := range rec.Requests {
		ids = append(ids, r.GroupID)
	}
	for _, s := range rec.SignUps {
		ids = append(ids, s.GroupID)
	}
	slices.Sort(ids)
	var out []data.Group
	for _, id := range slices.Compact(ids) {
		g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(id))
		if err != nil {
			return nil, fmt.Errorf("group %d: %w", id, err)
		}
		out = append(out, g)
	}
	return out, nil
}

// attendanceIndexKey is "<YYYY-MM-DD><groupID>": a child's records sort by date.
func attendanceIndexKey(d data.Date, groupID data.ID) []byte {
	return append(dateKey(d), idKey(groupID)...)
}

func parseAttendanceIndexKey(k []byte) (data.Date, data.ID, error) {
	if len(k) != 18 {
		return data.Date{}, 0, fmt.Errorf("attendance index key %q: want 18 bytes", k)
	}
	d, err := data.ParseDate(string(k[:10]))
	return d, data.ID(btoi(k[10:])), err
}

// indexAttendance keeps attendance-by-child in step with putAttendance. A
// record edited again is indexed already: then nothing is written, so a
// check-in costs no extra page.
func indexAttendance(tx *bolt.Tx, d data.Date, groupID, childID data.ID) error {
	key := attendanceIndexKey(d, groupID)
	if idx := nested(tx.Bucket(bucketAttendanceByChild), idKey(childID)); idx != nil && idx.Get(key) != nil {
		return nil
	}
	idx, err := nestedCreate(tx.Bucket(bucketAttendanceByChild), idKey(childID))
	if err != nil {
		return err
	}
	return idx.Put(key, []byte{})
}

// migrateAttendanceByChild adds attendance-by-child and indexes every record stored so far.
func migrateAttendanceByChild(tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketAttendanceByChild); err != nil {
		return err
	}
	days := tx.Bucket(bucketAttendance)
	return days.ForEachBucket(func(day []byte) error {
		d, err := data.ParseDate(string(day))
		if err != nil {
			return fmt.Errorf("attendance date %q: %w", day, err)
		}
		groups := days.Bucket(day)
		return groups.ForEachBucket(func(group []byte) error {
			return groups.Bucket(group).ForEach(func(child, _ []byte) error {
				return indexAttendance(tx, d, data.ID(btoi(group)), data.ID(btoi(child)))
			})
		})
	})
}

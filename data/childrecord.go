package data

import (
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketAttendanceByChild indexes a child's attendance records by date and
// group, so one child's history is read without visiting every date bucket.
var bucketAttendanceByChild = []byte("attendance-by-child")

// AttendanceRecord is one day's attendance record of a child, as exported.
type AttendanceRecord struct {
	Date       Date       `json:"date"`
	GroupID    ID         `json:"groupId"`
	Attendance Attendance `json:"attendance"`
}

// ChildRecord is everything the store holds about one child: what a parent
// receives when they ask for their child's data (AVG/GDPR articles 15 and 20).
// Absences are the attendance records marked absent; the credit they earned is
// in Credit.
type ChildRecord struct {
	ExportedAt time.Time `json:"exportedAt"`
	Child      Child     `json:"child"` // with picture
	Location   Location  `json:"location"`
	School     *School   `json:"school,omitempty"`
	// Groups are the groups the records below name, so a reader sees names, not IDs.
	Groups     []Group            `json:"groups"`
	Contracts  []Contract         `json:"contracts"`
	Attendance []AttendanceRecord `json:"attendance"` // by date
	// Credit is the whole ledger, expired and withdrawn entries too, by expiry.
	Credit   []CreditEntry `json:"credit"`
	Requests []Request     `json:"requests"` // by day
	// Consent is the photo-consent history in recording order.
	Consent []ConsentChange `json:"consent"`
	SignUps []SignUp        `json:"signUps"` // by date
}

// ChildRecord gathers everything about one child in one transaction, so the
// export is one consistent moment of the store. Managers and office users
// may export; the export is written to the audit log.
func (db *DB) ChildRecord(childID ID) (ChildRecord, error) {
	rec := ChildRecord{ExportedAt: db.now()}
	err := db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allowRole(ActContracts); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangePrint, ChildID: childID, Detail: "personal data exported"})
		var err error
		if rec.Child, err = readChild(tx, childID); err != nil {
			return err
		}
		if rec.Location, err = getJSON[Location](tx.Bucket(bucketLocations), idKey(rec.Child.LocationID)); err != nil {
			return fmt.Errorf("location %d: %w", rec.Child.LocationID, err)
		}
		if rec.Child.SchoolID != 0 {
			school, err := getJSON[School](tx.Bucket(bucketSchools), idKey(rec.Child.SchoolID))
			if err != nil {
				return fmt.Errorf("school %d: %w", rec.Child.SchoolID, err)
			}
			rec.School = &school
		}
		if rec.Contracts, err = childContracts(tx, childID, Date{}, NewDate(9999, time.December, 31)); err != nil {
			return err
		}
		if rec.Attendance, err = childAttendance(tx, childID); err != nil {
			return err
		}
		if rec.Credit, err = allJSON[CreditEntry](nested(tx.Bucket(bucketCredit), idKey(childID))); err != nil {
			return err
		}
		if rec.Requests, err = childRequests(tx, childID); err != nil {
			return err
		}
		if rec.Consent, err = allJSON[ConsentChange](nested(tx.Bucket(bucketConsentHistory), idKey(childID))); err != nil {
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
func childAttendance(tx *bolt.Tx, childID ID) ([]AttendanceRecord, error) {
	var out []AttendanceRecord
	idx := nested(tx.Bucket(bucketAttendanceByChild), idKey(childID))
	if idx == nil {
		return out, nil
	}
	err := idx.ForEach(func(k, _ []byte) error {
		d, groupID, err := parseAttendanceIndexKey(k)
		if err != nil {
			return err
		}
		a, err := getJSON[Attendance](nested(tx.Bucket(bucketAttendance), dateKey(d), idKey(groupID)), idKey(childID))
		if err != nil {
			return fmt.Errorf("attendance of child %d on %s in group %d: %w", childID, d, groupID, err)
		}
		out = append(out, AttendanceRecord{Date: d, GroupID: groupID, Attendance: a})
		return nil
	})
	return out, err
}

// childRequests reads every request of the child, past ones too, by day.
func childRequests(tx *bolt.Tx, childID ID) ([]Request, error) {
	var out []Request
	idx := nested(tx.Bucket(bucketRequestsByChild), idKey(childID))
	if idx == nil {
		return out, nil
	}
	err := idx.ForEach(func(k, _ []byte) error {
		r, err := getJSON[Request](tx.Bucket(bucketRequests), k[len(k)-8:])
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
func childSignUps(tx *bolt.Tx, childID ID) ([]SignUp, error) {
	all, err := allJSON[SignUp](tx.Bucket(bucketSignUps))
	all = slices.DeleteFunc(all, func(s SignUp) bool { return s.ChildID != childID })
	slices.SortStableFunc(all, func(a, b SignUp) int { return a.Date.Compare(b.Date) })
	return all, err
}

// recordGroups reads every group a record of rec names, by ID.
func recordGroups(tx *bolt.Tx, rec ChildRecord) ([]Group, error) {
	var ids []ID
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
	var out []Group
	for _, id := range slices.Compact(ids) {
		g, err := getJSON[Group](tx.Bucket(bucketGroups), idKey(id))
		if err != nil {
			return nil, fmt.Errorf("group %d: %w", id, err)
		}
		out = append(out, g)
	}
	return out, nil
}

// attendanceIndexKey is "<YYYY-MM-DD><groupID>": a child's records sort by date.
func attendanceIndexKey(d Date, groupID ID) []byte { return append(dateKey(d), idKey(groupID)...) }

func parseAttendanceIndexKey(k []byte) (Date, ID, error) {
	if len(k) != 18 {
		return Date{}, 0, fmt.Errorf("attendance index key %q: want 18 bytes", k)
	}
	d, err := ParseDate(string(k[:10]))
	return d, ID(btoi(k[10:])), err
}

// indexAttendance keeps attendance-by-child in step with putAttendance. A
// record edited again is indexed already: then nothing is written, so a
// check-in costs no extra page.
func indexAttendance(tx *bolt.Tx, d Date, groupID, childID ID) error {
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
		d, err := ParseDate(string(day))
		if err != nil {
			return fmt.Errorf("attendance date %q: %w", day, err)
		}
		groups := days.Bucket(day)
		return groups.ForEachBucket(func(group []byte) error {
			return groups.Bucket(group).ForEach(func(child, _ []byte) error {
				return indexAttendance(tx, d, ID(btoi(group)), ID(btoi(child)))
			})
		})
	})
}

package boltstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// StudyDays lists the study days of every school from from to to inclusive, by date and school.
func (db *DB) StudyDays(ctx context.Context, from, to data.Date) ([]data.StudyDay, error) {
	var out []data.StudyDay
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketStudyDays).ForEachBucket(func(school []byte) error {
			b := tx.Bucket(bucketStudyDays).Bucket(school)
			c := b.Cursor()
			for k, _ := c.Seek(dateKey(from)); k != nil && string(k) <= to.String(); k, _ = c.Next() {
				sd, err := getJSON[data.StudyDay](b, k)
				if err != nil {
					return err
				}
				out = append(out, sd)
			}
			return nil
		})
	})
	sortStudyDays(out)
	return out, err
}

// StudyDaySheet reads a study day at a location with the children who may
// need care and the sign-ups so far.
func (db *DB) StudyDaySheet(ctx context.Context, locationID, schoolID data.ID, d data.Date) (data.StudyDaySheet, error) {
	var sheet data.StudyDaySheet
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		sheet, err = readStudyDaySheet(tx, locationID, schoolID, d)
		return err
	})
	return sheet, err
}

func readStudyDaySheet(tx *bolt.Tx, locationID, schoolID data.ID, d data.Date) (data.StudyDaySheet, error) {
	var sheet data.StudyDaySheet
	var err error
	if sheet.StudyDay, err = readStudyDay(tx, schoolID, d); err != nil {
		return sheet, err
	}
	if sheet.Location, err = getJSON[data.Location](tx.Bucket(bucketLocations), idKey(locationID)); err != nil {
		return sheet, fmt.Errorf("location %d: %w", locationID, err)
	}
	if sheet.School, err = getJSON[data.School](tx.Bucket(bucketSchools), idKey(schoolID)); err != nil {
		return sheet, fmt.Errorf("school %d: %w", schoolID, err)
	}
	settings, err := readSettings(tx)
	if err != nil {
		return sheet, err
	}
	sheet.Hours, sheet.Minimum = settings.HolidayDay, settings.StudyDayMinimum
	sheet.Decision = sheet.StudyDay.Decision(locationID)

	groups, running, err := locationBSOContracts(tx, locationID, d)
	if err != nil {
		return sheet, err
	}
	signUps, err := activeSignUps(tx, schoolID, d)
	if err != nil {
		return sheet, err
	}
	// A sign-up may name a group the placements did not read.
	groupOf := func(id data.ID) (data.Group, error) {
		if g, ok := groups[id]; ok {
			return g, nil
		}
		g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(id))
		if err != nil {
			return g, fmt.Errorf("group %d: %w", id, err)
		}
		groups[id] = g
		return g, nil
	}
	childBucket, pictures := newPointReader(tx.Bucket(bucketChildren)), newPointReader(tx.Bucket(bucketPictures))
	for _, c := range data.StudyDayCandidates(data.BSOPlacements(running, d), signUps) {
		g, err := groupOf(c.GroupID)
		switch {
		case err != nil:
			return sheet, err
		case g.LocationID != locationID:
			continue
		}
		child, err := readChildIn(childBucket, pictures, c.ChildID)
		if err != nil {
			return sheet, err
		}
		sheet.AddRow(data.StudyDayRow{Child: child, Group: g, SignUp: c.SignUp})
	}
	sources, err := othersOnLists(tx, d, settings, running, sheet.Others)
	if err != nil {
		return sheet, err
	}
	sheet.Finish(sources)
	return sheet, nil
}

// othersOnLists reads what data.OthersOnLists needs for the sheet's others:
// their extras of d and their schools' calendars (as readChildRow does for
// one child: building the groups' whole lists was half the sheet's time).
func othersOnLists(tx *bolt.Tx, d data.Date, settings data.Settings, running []data.Contract, others []data.StudyDayRow) (map[data.ID]data.Source, error) {
	if len(others) == 0 {
		return map[data.ID]data.Source{}, nil
	}
	var extras []data.Extra
	schools := map[data.ID]bool{}
	for _, r := range others {
		switch x, err := getJSON[data.Extra](nested(tx.Bucket(bucketExtras), dateKey(d), idKey(r.Group.ID)), idKey(r.Child.ID)); {
		case err == nil:
			extras = append(extras, x)
		case !errors.Is(err, data.ErrNotFound):
			return nil, err
		}
		if r.Child.SchoolID != 0 {
			schools[r.Child.SchoolID] = true
		}
	}
	cal, err := calendarFor(tx, d, schools)
	if err != nil {
		return nil, err
	}
	return data.OthersOnLists(d, others, running, extras, cal, settings), nil
}

func readStudyDay(tx *bolt.Tx, schoolID data.ID, d data.Date) (data.StudyDay, error) {
	sd, err := getJSON[data.StudyDay](nested(tx.Bucket(bucketStudyDays), idKey(schoolID)), dateKey(d))
	if errors.Is(err, data.ErrNotFound) {
		return sd, fmt.Errorf("study day of school %d on %s: %w", schoolID, d, err)
	}
	return sd, err
}

// bsoPlacements finds, for every child with a BSO contract running on d in
// a group of the location, the group of that contract.
func bsoPlacements(tx *bolt.Tx, locationID data.ID, d data.Date) (map[data.ID]data.BSOPlacement, error) {
	_, running, err := locationBSOContracts(tx, locationID, d)
	if err != nil {
		return nil, err
	}
	return data.BSOPlacements(running, d), nil
}

// locationBSOContracts reads the location's BSO groups and the contracts
// running on d in them, by contract number. It reads the contracts through
// the groups' index, so it grows with the location, not with the
// organisation or its years of contracts.
func locationBSOContracts(tx *bolt.Tx, locationID data.ID, d data.Date) (map[data.ID]data.Group, []data.Contract, error) {
	groups := map[data.ID]data.Group{}
	var running []data.Contract
	err := tx.Bucket(bucketGroups).ForEach(func(k, raw []byte) error {
		g, err := decodeJSON[data.Group](raw)
		if err != nil {
			return fmt.Errorf("decode group %x: %w", k, err)
		}
		if g.LocationID != locationID || g.Care != data.BSO {
			return nil
		}
		groups[g.ID] = g
		running, err = appendGroupContracts(running, tx, g.ID, d)
		return err
	})
	slices.SortFunc(running, func(a, b data.Contract) int { return cmp.Compare(a.ID, b.ID) })
	return groups, running, err
}

// activeSignUps reads the sign-ups for a school's study day that are not cancelled, by child.
func activeSignUps(tx *bolt.Tx, schoolID data.ID, d data.Date) (map[data.ID]data.SignUp, error) {
	out := map[data.ID]data.SignUp{}
	idx := nested(tx.Bucket(bucketSignUpsByDate), dateKey(d))
	if idx == nil {
		return out, nil
	}
	all := newPointReader(tx.Bucket(bucketSignUps))
	err := idx.ForEach(func(k, _ []byte) error {
		su, err := readJSON[data.SignUp](all, k)
		if err != nil {
			return err
		}
		if su.SchoolID == schoolID && !su.Cancelled {
			out[su.ChildID] = su
		}
		return nil
	})
	return out, err
}

// RegisterSignUps stores a returned sheet in one transaction: new sign-ups,
// changed times and cancellations, each with the extra that puts the child
// on that day's list of their group (A1, A2). Nothing is stored when any line
// is refused.
func (db *DB) RegisterSignUps(ctx context.Context, reg data.SignUpRegistration) error {
	if strings.TrimSpace(reg.By) == "" {
		return data.Refuse(data.RefuseStudyDayNoRegistrar, nil)
	}
	now := db.now()
	return db.update(ctx, data.AuditRegisterSignUps, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allow(tx, data.ActCalendar, reg.LocationID, 0); err != nil {
			return err
		}
		sd, err := readStudyDay(tx, reg.SchoolID, reg.Date)
		if err != nil {
			return err
		}
		if err := data.SignUpsOpen(sd, reg.LocationID); err != nil {
			return err
		}
		if cd, err := getJSON[data.ClosingDay](tx.Bucket(bucketClosingDays), dateKey(sd.Date)); err == nil {
			return data.OpenDay(sd.Date, true, cd.Name)
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		placements, err := bsoPlacements(tx, reg.LocationID, sd.Date)
		if err != nil {
			return err
		}
		existing, err := activeSignUps(tx, sd.SchoolID, sd.Date)
		if err != nil {
			return err
		}
		touched := map[data.ID]bool{}
		lists := map[data.ID]data.DayList{}
		listed := map[data.ID]bool{}
		for _, e := range reg.Children {
			child, err := readChild(tx, e.ChildID)
			if err != nil {
				return err
			}
			if listed[e.ChildID] {
				return data.Refuse(data.RefuseStudyDayTwice, data.Args{"Name": child.Name()})
			}
			listed[e.ChildID] = true
			p, ok := placements[child.ID]
			place := data.SignUpPlace{LocationID: child.LocationID, BSO: ok, FiftyTwoWeeks: p.FiftyTwoWeeks}
			if err := data.CheckSignUpChild(child, reg.LocationID, place, sd.Date); err != nil {
				return err
			}
			group, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(p.GroupID))
			if err != nil {
				return fmt.Errorf("group %d: %w", p.GroupID, err)
			}
			// A study day is a day without school: the group's holiday hours.
			if err := data.CheckSignUpTimes(child, e.Times, group.HolidayHours(settings)); err != nil {
				return err
			}
			if err := checkNotExpectedOtherwise(tx, lists, child, p.GroupID, sd.Date); err != nil {
				return err
			}
			before, had := existing[child.ID]
			su, write := reg.Registered(sd, e, p.GroupID, before, had, now)
			if !write {
				continue
			}
			if had {
				if err := deleteStudyDayExtra(tx, before); err != nil {
					return err
				}
				touched[before.GroupID] = true
			} else {
				seq, err := tx.Bucket(bucketSignUps).NextSequence()
				if err != nil {
					return err
				}
				su.ID = data.ID(seq)
			}
			if err := putSignUp(tx, su); err != nil {
				return err
			}
			touched[su.GroupID] = true
		}
		for _, childID := range slices.Sorted(maps.Keys(existing)) {
			su := existing[childID]
			if listed[childID] {
				continue
			}
			g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(su.GroupID))
			if err != nil || g.LocationID != reg.LocationID {
				continue // another location's sheet
			}
			su.Cancelled, su.ChangedAt = true, now
			if err := putSignUp(tx, su); err != nil {
				return err
			}
			touched[su.GroupID] = true
		}
		*changed = append(*changed, data.PlanningChanges(sd.Date, touched)...)
		return nil
	})
}

// checkNotExpectedOtherwise refuses a sign-up for a child already on the
// day's list by contract or by an approved request: they would be billed twice.
func checkNotExpectedOtherwise(tx *bolt.Tx, lists map[data.ID]data.DayList, child data.Child, groupID data.ID, d data.Date) error {
	list, ok := lists[groupID]
	if !ok {
		var err error
		if list, err = readDayList(tx, groupID, d); err != nil {
			return err
		}
		lists[groupID] = list
	}
	for _, r := range list.Rows {
		if r.Child.ID == child.ID {
			return data.NotExpectedOtherwise(child, r.Source, d)
		}
	}
	return nil
}

// putSignUp stores a sign-up with its date index, and the extra that puts an
// active sign-up on the day's list, or takes a cancelled one off it.
func putSignUp(tx *bolt.Tx, su data.SignUp) error {
	if err := putJSON(tx.Bucket(bucketSignUps), idKey(su.ID), su); err != nil {
		return err
	}
	idx, err := nestedCreate(tx.Bucket(bucketSignUpsByDate), dateKey(su.Date))
	if err != nil {
		return err
	}
	if err := idx.Put(idKey(su.ID), []byte{}); err != nil {
		return err
	}
	if su.Cancelled {
		return deleteStudyDayExtra(tx, su)
	}
	extras, err := nestedCreate(tx.Bucket(bucketExtras), dateKey(su.Date), idKey(su.GroupID))
	if err != nil {
		return err
	}
	return putJSON(extras, idKey(su.ChildID), data.Extra{ChildID: su.ChildID, GroupID: su.GroupID, Date: su.Date, Times: su.Times, Source: data.SourceStudyDay})
}

// deleteStudyDayExtra takes the sign-up's child off the day's list, unless
// the extra there is not a study-day one.
func deleteStudyDayExtra(tx *bolt.Tx, su data.SignUp) error {
	b := nested(tx.Bucket(bucketExtras), dateKey(su.Date), idKey(su.GroupID))
	e, err := getJSON[data.Extra](b, idKey(su.ChildID))
	if errors.Is(err, data.ErrNotFound) || (err == nil && e.Source != data.SourceStudyDay) {
		return nil
	}
	if err != nil {
		return err
	}
	return b.Delete(idKey(su.ChildID))
}

// DecideStudyDay records the planner's decision on a study day whose
// sign-ups at a location stay below the minimum (S2): care goes ahead (its
// sign-ups are billed), or it is cancelled. A cancellation, in the same
// transaction, cancels the location's sign-ups and study-day requests for
// the day, so those children leave the day's list and nothing is billed;
// what was exported already gets a correction in the next export. A
// cancellation is final: the parents are told with a printed notice.
func (db *DB) DecideStudyDay(ctx context.Context, locationID, schoolID data.ID, d data.Date, outcome data.StudyDayOutcome, by string) error {
	by, err := data.CheckStudyDayDecider(by, outcome)
	if err != nil {
		return err
	}
	now := db.now()
	return db.update(ctx, data.AuditDecideStudyDay, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allow(tx, data.ActCalendar, locationID, 0); err != nil {
			return err
		}
		sheet, err := readStudyDaySheet(tx, locationID, schoolID, d)
		if err != nil {
			return err
		}
		if err := data.CheckStudyDayDecision(sheet, outcome, data.DateOf(now)); err != nil {
			return err
		}
		decision := data.StudyDayDecision{LocationID: locationID, Outcome: outcome, By: by, At: now}
		if outcome == data.OutcomeCancelled {
			if decision.Children, err = cancelStudyDayCare(tx, sheet, by, now, changed); err != nil {
				return err
			}
		}
		sd, change := sheet.Decided(decision)
		*changed = append(*changed, change)
		return putStudyDay(tx, sd)
	})
}

// cancelStudyDayCare takes back, at the sheet's location, every sign-up and
// every open or approved study-day request of the school's children for the
// day, and returns those children.
func cancelStudyDayCare(tx *bolt.Tx, sheet data.StudyDaySheet, by string, now time.Time, changed *[]data.Change) ([]data.ID, error) {
	var children []data.ID
	d := sheet.StudyDay.Date
	for _, su := range sheet.CancelledSignUps(by, now) {
		if err := putSignUp(tx, su); err != nil {
			return nil, err
		}
		children = append(children, su.ChildID)
		*changed = append(*changed, data.SignUpChange(su))
	}
	placements, err := bsoPlacements(tx, sheet.Location.ID, d)
	if err != nil {
		return nil, err
	}
	ids := slices.Sorted(maps.Keys(placements))
	for _, childID := range ids {
		id, found, err := liveRequest(tx, childID, d)
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		r, err := getJSON[data.Request](tx.Bucket(bucketRequests), idKey(id))
		if err != nil {
			return nil, fmt.Errorf("request %d: %w", id, err)
		}
		if r.Product != data.ProductStudyDay {
			continue
		}
		const reason = "studiedag gaat niet door / study day cancelled"
		if err := decideRequest(tx, id, by, reason, now, nil, cancel, changed); err != nil {
			return nil, err
		}
		children = append(children, childID)
	}
	return children, nil
}

// studyDayCancelled reports whether the planner cancelled care on a school's
// study day at a location.
func studyDayCancelled(tx *bolt.Tx, schoolID, locationID data.ID, d data.Date) (bool, error) {
	sd, err := readStudyDay(tx, schoolID, d)
	if errors.Is(err, data.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	dec := sd.Decision(locationID)
	return dec != nil && dec.Outcome == data.OutcomeCancelled, nil
}

// StudyDayNotice reads what the notice of a cancelled study day says.
func (db *DB) StudyDayNotice(ctx context.Context, locationID, schoolID data.ID, d data.Date) (data.StudyDayNotice, error) {
	var n data.StudyDayNotice
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		if n.StudyDay, err = readStudyDay(tx, schoolID, d); err != nil {
			return err
		}
		if n.Decision, err = data.CancelledDecision(n.StudyDay, locationID); err != nil {
			return err
		}
		if n.Location, err = getJSON[data.Location](tx.Bucket(bucketLocations), idKey(locationID)); err != nil {
			return fmt.Errorf("location %d: %w", locationID, err)
		}
		if n.School, err = getJSON[data.School](tx.Bucket(bucketSchools), idKey(schoolID)); err != nil {
			return fmt.Errorf("school %d: %w", schoolID, err)
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		n.Minimum = settings.StudyDayMinimum
		for _, id := range n.Decision.Children {
			c, err := readChild(tx, id)
			if err != nil {
				return err
			}
			n.Children = append(n.Children, c)
		}
		return nil
	})
	data.SortByName(n.Children, func(c data.Child) data.Child { return c })
	return n, err
}

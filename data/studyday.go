package data

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Buckets of study days and their sign-ups (S1); the tree is drawn in doc.go.
var (
	bucketStudyDays     = []byte("study-days")
	bucketSignUps       = []byte("signups")
	bucketSignUpsByDate = []byte("signups-by-date")
)

// StudyDay is a day a school gives no lessons (its teachers study): the
// school's BSO children may need care, which parents ask for on a sign-up
// sheet at the location (S1).
type StudyDay struct {
	SchoolID ID     `json:"schoolId"`
	Date     Date   `json:"date"`
	Name     string `json:"name"`
	// UID is the iCalendar event the study day was imported from.
	UID string `json:"uid,omitempty"`
}

// SignUp is a child signed up for care on a study day. It puts the child on
// that day's list (A1) and is billed (F1), so it keeps its ID and stays
// stored when cancelled: invoicing can then show a correction.
type SignUp struct {
	ID           ID        `json:"id"`
	SchoolID     ID        `json:"schoolId"`
	Date         Date      `json:"date"`
	ChildID      ID        `json:"childId"`
	GroupID      ID        `json:"groupId"`
	Times        TimeRange `json:"times"`
	RegisteredBy string    `json:"registeredBy"`
	RegisteredAt time.Time `json:"registeredAt"`
	// ChangedAt is the last change of times or the cancellation.
	ChangedAt time.Time `json:"changedAt"`
	Cancelled bool      `json:"cancelled,omitempty"`
}

// StudyDayGoesAhead applies S1's minimum: care on a study day goes ahead once
// signUps reach minimum (Settings.StudyDayMinimum). A minimum of 0 means always.
func StudyDayGoesAhead(signUps, minimum int) bool { return signUps >= minimum }

// StudyDaySheet is a study day at one location: what the sign-up sheet prints
// and the office registers.
type StudyDaySheet struct {
	Location Location
	School   School
	StudyDay StudyDay
	// Hours are the opening hours that day: those of a holiday day.
	Hours   TimeRange
	Minimum int
	// Rows are the children who may need care, by name: the school's BSO
	// children at the location, and anyone else signed up from a blank row.
	Rows []StudyDayRow
	// Others are the location's other BSO children who can be signed up from
	// a blank row: not expected that day otherwise, by name.
	Others []StudyDayRow
}

// StudyDayRow is one child on the sheet, with the active sign-up if any.
type StudyDayRow struct {
	Child  Child
	Group  Group
	SignUp *SignUp
}

// SignedUp counts the children signed up.
func (s StudyDaySheet) SignedUp() int {
	n := 0
	for _, r := range s.Rows {
		if r.SignUp != nil {
			n++
		}
	}
	return n
}

// GoesAhead reports whether enough children are signed up (S1).
func (s StudyDaySheet) GoesAhead() bool { return StudyDayGoesAhead(s.SignedUp(), s.Minimum) }

// StudyDays lists the study days of every school from from to to inclusive, by date and school.
func (db *DB) StudyDays(from, to Date) ([]StudyDay, error) {
	var out []StudyDay
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketStudyDays).ForEachBucket(func(school []byte) error {
			b := tx.Bucket(bucketStudyDays).Bucket(school)
			c := b.Cursor()
			for k, _ := c.Seek(dateKey(from)); k != nil && string(k) <= to.String(); k, _ = c.Next() {
				sd, err := getJSON[StudyDay](b, k)
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
func (db *DB) StudyDaySheet(locationID, schoolID ID, d Date) (StudyDaySheet, error) {
	var sheet StudyDaySheet
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		sheet, err = readStudyDaySheet(tx, locationID, schoolID, d)
		return err
	})
	return sheet, err
}

func readStudyDaySheet(tx *bolt.Tx, locationID, schoolID ID, d Date) (StudyDaySheet, error) {
	var sheet StudyDaySheet
	var err error
	if sheet.StudyDay, err = readStudyDay(tx, schoolID, d); err != nil {
		return sheet, err
	}
	if sheet.Location, err = getJSON[Location](tx.Bucket(bucketLocations), idKey(locationID)); err != nil {
		return sheet, fmt.Errorf("location %d: %w", locationID, err)
	}
	if sheet.School, err = getJSON[School](tx.Bucket(bucketSchools), idKey(schoolID)); err != nil {
		return sheet, fmt.Errorf("school %d: %w", schoolID, err)
	}
	settings, err := readSettings(tx)
	if err != nil {
		return sheet, err
	}
	sheet.Hours, sheet.Minimum = settings.HolidayDay, settings.StudyDayMinimum

	placements, err := bsoPlacements(tx, locationID, d)
	if err != nil {
		return sheet, err
	}
	signUps, err := activeSignUps(tx, schoolID, d)
	if err != nil {
		return sheet, err
	}
	groups := map[ID]Group{}
	row := func(child Child, groupID ID) (StudyDayRow, error) {
		g, ok := groups[groupID]
		if !ok {
			if g, err = getJSON[Group](tx.Bucket(bucketGroups), idKey(groupID)); err != nil {
				return StudyDayRow{}, fmt.Errorf("group %d: %w", groupID, err)
			}
			groups[groupID] = g
		}
		return StudyDayRow{Child: child, Group: g}, nil
	}
	// The children who may be on the sheet: placed at the location, or signed up.
	ids := slices.Collect(maps.Keys(placements))
	for id := range signUps {
		if _, placed := placements[id]; !placed {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	childBucket, pictures := tx.Bucket(bucketChildren), tx.Bucket(bucketPictures)
	for _, id := range ids {
		c, err := readChildIn(childBucket, pictures, id)
		if err != nil {
			return sheet, err
		}
		su, signed := signUps[c.ID]
		p, placed := placements[c.ID]
		var r StudyDayRow
		switch {
		case signed:
			r, err = row(c, su.GroupID)
			r.SignUp = &su
		case placed && !p.fiftyTwoWeeks:
			r, err = row(c, p.groupID)
		default:
			continue
		}
		switch {
		case err != nil:
			return sheet, err
		case r.Group.LocationID != locationID:
		case signed || c.SchoolID == schoolID:
			sheet.Rows = append(sheet.Rows, r)
		default:
			sheet.Others = append(sheet.Others, r)
		}
	}
	lists := map[ID]DayList{}
	others := sheet.Others[:0]
	for _, r := range sheet.Others {
		switch err := checkNotExpectedOtherwise(tx, lists, r.Child, r.Group.ID, d); {
		case err == nil:
			others = append(others, r)
		case !errors.Is(err, ErrInvalid):
			return sheet, err
		}
	}
	sheet.Others = others
	SortByName(sheet.Rows, func(r StudyDayRow) Child { return r.Child })
	SortByName(sheet.Others, func(r StudyDayRow) Child { return r.Child })
	return sheet, nil
}

func readStudyDay(tx *bolt.Tx, schoolID ID, d Date) (StudyDay, error) {
	sd, err := getJSON[StudyDay](nested(tx.Bucket(bucketStudyDays), idKey(schoolID)), dateKey(d))
	if errors.Is(err, ErrNotFound) {
		return sd, fmt.Errorf("study day of school %d on %s: %w", schoolID, d, err)
	}
	return sd, err
}

// placement is where a BSO child is in care on a day.
type placement struct {
	groupID ID
	// fiftyTwoWeeks children are expected on days without school under
	// their contract (A1): a sign-up would put them on the list, and the
	// bill, twice.
	fiftyTwoWeeks bool
}

// bsoPlacements finds, for every child with a BSO contract running on d in
// a group of the location, the group of that contract. It reads the running
// contracts of the location's BSO groups through their index, so it grows
// with the location, not with the organisation or its years of contracts.
func bsoPlacements(tx *bolt.Tx, locationID ID, d Date) (map[ID]placement, error) {
	groups, err := allJSON[Group](tx.Bucket(bucketGroups))
	if err != nil {
		return nil, err
	}
	var contracts []Contract
	for _, g := range groups {
		if g.LocationID != locationID || g.Care != BSO {
			continue
		}
		running, err := groupContracts(tx, g.ID, d)
		if err != nil {
			return nil, err
		}
		contracts = append(contracts, running...)
	}
	slices.SortFunc(contracts, func(a, b Contract) int { return cmp.Compare(a.ID, b.ID) })
	out := map[ID]placement{}
	for _, c := range contracts {
		if careOf(c.Product) != BSO || !c.Runs(d) {
			continue
		}
		p, seen := out[c.ChildID]
		// The care contract names the group; a holiday contract alone will do.
		if !seen || c.Product != ProductBSOHoliday {
			p.groupID = c.GroupID
		}
		p.fiftyTwoWeeks = p.fiftyTwoWeeks || c.Product == ProductBSO52Weeks
		out[c.ChildID] = p
	}
	return out, nil
}

// activeSignUps reads the sign-ups for a school's study day that are not cancelled, by child.
func activeSignUps(tx *bolt.Tx, schoolID ID, d Date) (map[ID]SignUp, error) {
	out := map[ID]SignUp{}
	idx := nested(tx.Bucket(bucketSignUpsByDate), dateKey(d))
	if idx == nil {
		return out, nil
	}
	err := idx.ForEach(func(k, _ []byte) error {
		su, err := getJSON[SignUp](tx.Bucket(bucketSignUps), k)
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

// SignUpRegistration is a returned sign-up sheet as the office enters it.
type SignUpRegistration struct {
	LocationID ID
	SchoolID   ID
	Date       Date
	By         string
	// Children are every child the sheet signs up, with their times. A child
	// of this location signed up before and missing now is cancelled.
	Children []SignUpEntry
}

// SignUpEntry is one signed line of the sheet.
type SignUpEntry struct {
	ChildID ID
	Times   TimeRange
}

// RegisterSignUps stores a returned sheet in one transaction: new sign-ups,
// changed times and cancellations, each with the extra that puts the child
// on that day's list of their group (A1, A2). Nothing is stored when any line
// is refused.
func (db *DB) RegisterSignUps(reg SignUpRegistration) error {
	if strings.TrimSpace(reg.By) == "" {
		return invalid("say who registers the sheet")
	}
	now := db.now()
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allow(tx, ActCalendar, reg.LocationID, 0); err != nil {
			return err
		}
		sd, err := readStudyDay(tx, reg.SchoolID, reg.Date)
		if err != nil {
			return err
		}
		if cd, err := getJSON[ClosingDay](tx.Bucket(bucketClosingDays), dateKey(sd.Date)); err == nil {
			return fmt.Errorf("%w: %s (%s)", ErrClosedDay, sd.Date, cd.Name)
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
		touched := map[ID]bool{}
		lists := map[ID]DayList{}
		listed := map[ID]bool{}
		for _, e := range reg.Children {
			child, err := readChild(tx, e.ChildID)
			if err != nil {
				return err
			}
			if listed[e.ChildID] {
				return invalid("%s is on the sheet twice", child.Name())
			}
			listed[e.ChildID] = true
			p, ok := placements[child.ID]
			switch {
			case child.LocationID != reg.LocationID:
				return invalid("%s is not a child of this location", child.Name())
			case !ok:
				return invalid("%s has no BSO contract on %s", child.Name(), sd.Date)
			case p.fiftyTwoWeeks:
				return invalid("%s comes under their 52-weeks contract on %s already", child.Name(), sd.Date)
			}
			group, err := getJSON[Group](tx.Bucket(bucketGroups), idKey(p.groupID))
			if err != nil {
				return fmt.Errorf("group %d: %w", p.groupID, err)
			}
			// A study day is a day without school: the group's holiday hours.
			if err := checkSignUpTimes(child, e.Times, group.HolidayHours(settings)); err != nil {
				return err
			}
			if err := checkNotExpectedOtherwise(tx, lists, child, p.groupID, sd.Date); err != nil {
				return err
			}
			su, ok := existing[child.ID]
			if ok && su.Times == e.Times && su.GroupID == p.groupID {
				continue
			}
			if ok {
				if err := deleteStudyDayExtra(tx, su); err != nil {
					return err
				}
				touched[su.GroupID] = true
				su.Times, su.GroupID, su.ChangedAt = e.Times, p.groupID, now
			} else {
				seq, err := tx.Bucket(bucketSignUps).NextSequence()
				if err != nil {
					return err
				}
				su = SignUp{ID: ID(seq), SchoolID: sd.SchoolID, Date: sd.Date, ChildID: child.ID, GroupID: p.groupID,
					Times: e.Times, RegisteredBy: reg.By, RegisteredAt: now, ChangedAt: now}
			}
			if err := putSignUp(tx, su); err != nil {
				return err
			}
			touched[su.GroupID] = true
		}
		for childID, su := range existing {
			if listed[childID] {
				continue
			}
			g, err := getJSON[Group](tx.Bucket(bucketGroups), idKey(su.GroupID))
			if err != nil || g.LocationID != reg.LocationID {
				continue // another location's sheet
			}
			su.Cancelled, su.ChangedAt = true, now
			if err := putSignUp(tx, su); err != nil {
				return err
			}
			touched[su.GroupID] = true
		}
		for g := range touched {
			*changed = append(*changed, Change{Kind: ChangePlanning, Date: sd.Date, GroupID: g})
		}
		return nil
	})
}

func checkSignUpTimes(child Child, t TimeRange, open TimeRange) error {
	switch {
	case t.Until <= t.From:
		return invalid("the care of %s ends (%s) before it starts (%s)", child.Name(), t.Until, t.From)
	case t.From < open.From || t.Until > open.Until:
		return invalid("the times of %s (%s) fall outside the opening hours %s", child.Name(), t, open)
	}
	return nil
}

// checkNotExpectedOtherwise refuses a sign-up for a child already on the
// day's list by contract or by an approved request: they would be billed twice.
func checkNotExpectedOtherwise(tx *bolt.Tx, lists map[ID]DayList, child Child, groupID ID, d Date) error {
	list, ok := lists[groupID]
	if !ok {
		var err error
		if list, err = readDayList(tx, groupID, d); err != nil {
			return err
		}
		lists[groupID] = list
	}
	for _, r := range list.Rows {
		if r.Child.ID != child.ID {
			continue
		}
		switch r.Source {
		case SourceContract:
			return invalid("%s is expected under their contract on %s already", child.Name(), d)
		case SourceRequest:
			return invalid("%s has approved extra care on %s already", child.Name(), d)
		}
	}
	return nil
}

// putSignUp stores a sign-up with its date index, and the extra that puts an
// active sign-up on the day's list, or takes a cancelled one off it.
func putSignUp(tx *bolt.Tx, su SignUp) error {
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
	return putJSON(extras, idKey(su.ChildID), Extra{ChildID: su.ChildID, GroupID: su.GroupID, Date: su.Date, Times: su.Times, Source: SourceStudyDay})
}

// deleteStudyDayExtra takes the sign-up's child off the day's list, unless
// the extra there is not a study-day one.
func deleteStudyDayExtra(tx *bolt.Tx, su SignUp) error {
	b := nested(tx.Bucket(bucketExtras), dateKey(su.Date), idKey(su.GroupID))
	e, err := getJSON[Extra](b, idKey(su.ChildID))
	if errors.Is(err, ErrNotFound) || (err == nil && e.Source != SourceStudyDay) {
		return nil
	}
	if err != nil {
		return err
	}
	return b.Delete(idKey(su.ChildID))
}

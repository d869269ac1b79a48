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
	// Decisions are the planner's, one per location whose sign-ups stayed
	// below the minimum (S2).
	Decisions []StudyDayDecision `json:"decisions,omitempty"`
}

// decision returns the planner's decision for a location, if any.
func (sd StudyDay) decision(locationID ID) *StudyDayDecision {
	for i := range sd.Decisions {
		if sd.Decisions[i].LocationID == locationID {
			d := sd.Decisions[i]
			return &d
		}
	}
	return nil
}

// StudyDayOutcome is what the planner decides for a study day below its minimum (S2).
type StudyDayOutcome string

// The planner's two choices.
const (
	OutcomeGoesAhead StudyDayOutcome = "goes-ahead"
	OutcomeCancelled StudyDayOutcome = "cancelled"
)

// StudyDayDecision is the planner's decision on a study day at one location.
type StudyDayDecision struct {
	LocationID ID              `json:"locationId"`
	Outcome    StudyDayOutcome `json:"outcome"`
	By         string          `json:"by"`
	At         time.Time       `json:"at"`
	// Children are those whose sign-up or study-day request a cancellation
	// took back: the parents the notice is for.
	Children []ID `json:"children,omitempty"`
}

// StudyDayState is where care on a study day stands at a location (S2).
type StudyDayState string

// The states of a study day.
const (
	StateEnoughSignUps StudyDayState = "enough"        // the minimum is reached: care goes ahead
	StateBelowMinimum  StudyDayState = "below-minimum" // the planner must decide; nothing is billed yet
	StateGoesAhead     StudyDayState = "goes-ahead"    // below the minimum, and the planner let it go ahead
	StateCancelled     StudyDayState = "cancelled"     // the planner cancelled it: nobody on the list, nothing billed
)

// StudyDayStateOf is rule S2 as a pure function: a study day whose sign-ups
// reach the minimum goes ahead; below it the planner decides, and until then
// it is neither billed nor cancelled. A cancellation stands whatever the
// number of sign-ups.
func StudyDayStateOf(signUps, minimum int, decision StudyDayOutcome) StudyDayState {
	switch {
	case decision == OutcomeCancelled:
		return StateCancelled
	case StudyDayGoesAhead(signUps, minimum):
		return StateEnoughSignUps
	case decision == OutcomeGoesAhead:
		return StateGoesAhead
	}
	return StateBelowMinimum
}

// Billed reports whether the sign-ups of a study day in this state are invoiced (F1).
func (s StudyDayState) Billed() bool { return s == StateEnoughSignUps || s == StateGoesAhead }

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
	// CancelledBy names who cancelled the study day, when the sign-up was
	// cancelled with it (S2) rather than taken off the sheet.
	CancelledBy string `json:"cancelledBy,omitempty"`
}

// StudyDayGoesAhead applies S1's minimum: care on a study day goes ahead once
// signUps reach minimum (Settings.StudyDayMinimum). A minimum of 0 means
// always. Below it the planner decides (StudyDayStateOf).
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
	// Decision is the planner's for this location, if made (S2).
	Decision *StudyDayDecision
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

// State is where care on the study day stands at the sheet's location (S2).
func (s StudyDaySheet) State() StudyDayState {
	var outcome StudyDayOutcome
	if s.Decision != nil {
		outcome = s.Decision.Outcome
	}
	return StudyDayStateOf(s.SignedUp(), s.Minimum, outcome)
}

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
	sheet.Decision = sheet.StudyDay.decision(locationID)

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
		if d := sd.decision(reg.LocationID); d != nil && d.Outcome == OutcomeCancelled {
			return invalid("care on the study day of %s is cancelled; it takes no sign-ups", sd.Date)
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
			if err := checkSignUpTimes(child, e.Times, settings.HolidayDay); err != nil {
				return err
			}
			p, ok := placements[child.ID]
			switch {
			case child.LocationID != reg.LocationID:
				return invalid("%s is not a child of this location", child.Name())
			case !ok:
				return invalid("%s has no BSO contract on %s", child.Name(), sd.Date)
			case p.fiftyTwoWeeks:
				return invalid("%s comes under their 52-weeks contract on %s already", child.Name(), sd.Date)
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

// DecideStudyDay records the planner's decision on a study day whose
// sign-ups at a location stay below the minimum (S2): care goes ahead (its
// sign-ups are billed), or it is cancelled. A cancellation, in the same
// transaction, cancels the location's sign-ups and study-day requests for
// the day, so those children leave the day's list and nothing is billed;
// what was exported already gets a correction in the next export. A
// cancellation is final: the parents are told with a printed notice.
func (db *DB) DecideStudyDay(locationID, schoolID ID, d Date, outcome StudyDayOutcome, by string) error {
	by = strings.TrimSpace(by)
	switch {
	case by == "":
		return invalid("say who decides")
	case outcome != OutcomeGoesAhead && outcome != OutcomeCancelled:
		return invalid("unknown decision %q: care goes ahead or is cancelled", outcome)
	}
	now := db.now()
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allow(tx, ActCalendar, locationID, 0); err != nil {
			return err
		}
		sheet, err := readStudyDaySheet(tx, locationID, schoolID, d)
		if err != nil {
			return err
		}
		switch state := sheet.State(); {
		case state == StateCancelled:
			return invalid("care on the study day of %s is cancelled already", d)
		case state == StateEnoughSignUps:
			return invalid("%d sign-ups reach the minimum of %d: care on %s goes ahead", sheet.SignedUp(), sheet.Minimum, d)
		case state == StateGoesAhead && outcome == OutcomeGoesAhead:
			return invalid("care on the study day of %s goes ahead already", d)
		case outcome == OutcomeCancelled && d.Before(DateOf(now)):
			return invalid("%s has passed; a study day is cancelled before it comes", d)
		}
		decision := StudyDayDecision{LocationID: locationID, Outcome: outcome, By: by, At: now}
		if outcome == OutcomeCancelled {
			if decision.Children, err = cancelStudyDayCare(tx, sheet, by, now, changed); err != nil {
				return err
			}
		}
		sd := sheet.StudyDay
		sd.Decisions = slices.DeleteFunc(slices.Clone(sd.Decisions), func(x StudyDayDecision) bool { return x.LocationID == locationID })
		sd.Decisions = append(sd.Decisions, decision)
		*changed = append(*changed, Change{Kind: ChangePlanning, Date: d,
			Detail: fmt.Sprintf("study day of school %d at location %d: %s (%d of %d signed up)", schoolID, locationID, outcome, sheet.SignedUp(), sheet.Minimum)})
		return putStudyDay(tx, sd)
	})
}

// cancelStudyDayCare takes back, at the sheet's location, every sign-up and
// every open or approved study-day request of the school's children for the
// day, and returns those children.
func cancelStudyDayCare(tx *bolt.Tx, sheet StudyDaySheet, by string, now time.Time, changed *[]Change) ([]ID, error) {
	var children []ID
	d := sheet.StudyDay.Date
	for _, r := range sheet.Rows {
		if r.SignUp == nil {
			continue
		}
		su := *r.SignUp
		su.Cancelled, su.ChangedAt, su.CancelledBy = true, now, by
		if err := putSignUp(tx, su); err != nil {
			return nil, err
		}
		children = append(children, su.ChildID)
		*changed = append(*changed, Change{Kind: ChangePlanning, Date: d, GroupID: su.GroupID, ChildID: su.ChildID})
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
		r, err := getJSON[Request](tx.Bucket(bucketRequests), idKey(id))
		if err != nil {
			return nil, fmt.Errorf("request %d: %w", id, err)
		}
		if r.Product != ProductStudyDay {
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
func studyDayCancelled(tx *bolt.Tx, schoolID, locationID ID, d Date) (bool, error) {
	sd, err := readStudyDay(tx, schoolID, d)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	dec := sd.decision(locationID)
	return dec != nil && dec.Outcome == OutcomeCancelled, nil
}

// StudyDayNotice is the parents' notice that care on a study day is
// cancelled (S2): which day, why, and whose care it was.
type StudyDayNotice struct {
	Location Location
	School   School
	StudyDay StudyDay
	Decision StudyDayDecision
	Minimum  int
	// Children are those whose care was cancelled, by name.
	Children []Child
}

// StudyDayNotice reads what the notice of a cancelled study day says.
func (db *DB) StudyDayNotice(locationID, schoolID ID, d Date) (StudyDayNotice, error) {
	var n StudyDayNotice
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		if n.StudyDay, err = readStudyDay(tx, schoolID, d); err != nil {
			return err
		}
		dec := n.StudyDay.decision(locationID)
		if dec == nil || dec.Outcome != OutcomeCancelled {
			return invalid("care on the study day of %s is not cancelled at this location; there is no notice", d)
		}
		n.Decision = *dec
		if n.Location, err = getJSON[Location](tx.Bucket(bucketLocations), idKey(locationID)); err != nil {
			return fmt.Errorf("location %d: %w", locationID, err)
		}
		if n.School, err = getJSON[School](tx.Bucket(bucketSchools), idKey(schoolID)); err != nil {
			return fmt.Errorf("school %d: %w", schoolID, err)
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		n.Minimum = settings.StudyDayMinimum
		for _, id := range dec.Children {
			c, err := readChild(tx, id)
			if err != nil {
				return err
			}
			n.Children = append(n.Children, c)
		}
		return nil
	})
	SortByName(n.Children, func(c Child) Child { return c })
	return n, err
}

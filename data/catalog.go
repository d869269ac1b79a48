package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Settings returns the organisation's settings.
func (db *DB) Settings() (Settings, error) {
	var s Settings
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		s, err = readSettings(tx)
		return err
	})
	return s, err
}

// readSettings decodes the stored settings over the defaults, so a setting
// added in a later version has its default in a file written before it.
func readSettings(tx *bolt.Tx) (Settings, error) {
	raw := tx.Bucket(bucketSettings).Get(keyOrganisation)
	if raw == nil {
		return DefaultSettings(), nil
	}
	s, err := decodeJSON[Settings](raw)
	if err != nil {
		return s, fmt.Errorf("decode settings: %w", err)
	}
	return s, nil
}

// SaveSettings replaces the organisation's settings (managers), logging
// each changed setting before → after.
func (db *DB) SaveSettings(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allowRole(ActAdmin); err != nil {
			return err
		}
		old, err := readSettings(tx)
		if err != nil {
			return err
		}
		detail, err := SettingsChanges(old, s)
		if err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, Detail: detail}, Change{Kind: ChangePlanning})
		return putJSON(tx.Bucket(bucketSettings), keyOrganisation, s)
	})
}

// SettingsChanges says which settings differ, "name before → after", by
// the names the file stores them under, in alphabetical order.
func SettingsChanges(old, s Settings) (string, error) {
	flat := func(v Settings) (map[string]string, error) {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, err
		}
		out := map[string]string{}
		for k, v := range fields {
			out[k] = strings.Trim(string(v), `"`)
		}
		return out, nil
	}
	before, err := flat(old)
	if err != nil {
		return "", err
	}
	after, err := flat(s)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if before[k] != after[k] {
			parts = append(parts, fmt.Sprintf("%s %s → %s", k, before[k], after[k]))
		}
	}
	if len(parts) == 0 {
		return "settings saved unchanged", nil
	}
	return "settings: " + strings.Join(parts, "; "), nil
}

// SettingError names a setting no rule can work with. Setting is the name
// the file stores it under (as in SettingLimits); screens translate it.
type SettingError struct {
	Setting string
	// Problem is ProblemRange (outside Min..Max), ProblemWindow (the parents'
	// window does not run downwards) or ProblemHours (hours end before they start).
	Problem  string
	Min, Max float64
}

// The problems a SettingError names.
const (
	ProblemRange  = "range"
	ProblemWindow = "window"
	ProblemHours  = "hours"
)

func (e *SettingError) Error() string {
	switch e.Problem {
	case ProblemWindow:
		return fmt.Sprintf("%s: the parents' request window must run from more days before the day to fewer (such as 28 down to 4)", ErrInvalid)
	case ProblemHours:
		return fmt.Sprintf("%s: %s: the hours end before they start", ErrInvalid, e.Setting)
	}
	return fmt.Sprintf("%s: %s must lie between %g and %g", ErrInvalid, e.Setting, e.Min, e.Max)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *SettingError) Is(target error) bool { return target == ErrInvalid }

// SettingLimit is the range a number setting may take: no negative days,
// and no value so large it can only be a typing slip.
type SettingLimit struct {
	Setting  string
	Min, Max float64
	Value    func(Settings) float64
}

// SettingLimits are the bounds of every number in Settings, in the order
// the settings form shows them.
var SettingLimits = []SettingLimit{
	{"parentRequestFromDays", 1, 365, func(s Settings) float64 { return float64(s.ParentRequestFromDays) }},
	{"parentRequestUntilDays", 0, 60, func(s Settings) float64 { return float64(s.ParentRequestUntilDays) }},
	{"absenceNoticeHours", 0, 336, func(s Settings) float64 { return float64(s.AbsenceNoticeHours) }},
	{"maxCreditHours", 0, 1000, func(s Settings) float64 { return s.MaxCreditHours }},
	{"creditExpiryDays", 1, 730, func(s Settings) float64 { return float64(s.CreditExpiryDays) }},
	{"holidayContractWeeks", 0, 52, func(s Settings) float64 { return float64(s.HolidayContractWeeks) }},
	{"studyDayMinimum", 0, 100, func(s Settings) float64 { return float64(s.StudyDayMinimum) }},
	{"backupDays", 1, 365, func(s Settings) float64 { return float64(s.BackupDays) }},
	{"signInAttempts", 1, 20, func(s Settings) float64 { return float64(s.SignInAttempts) }},
	{"lockoutMinutes", 1, 1440, func(s Settings) float64 { return float64(s.LockoutMinutes) }},
	{"autoLockMinutes", 1, 480, func(s Settings) float64 { return float64(s.AutoLockMinutes) }},
	{"retentionMonths", 1, 120, func(s Settings) float64 { return float64(s.RetentionMonths) }},
}

// Validate refuses settings no rule can work with (a *SettingError): a
// number outside its SettingLimit, a parents' window that does not run
// downwards (28 → 4 is right, 4 → 28 is not), a holiday day that ends
// before it starts.
func (s Settings) Validate() error {
	for _, l := range SettingLimits {
		if v := l.Value(s); v < l.Min || v > l.Max {
			return &SettingError{Setting: l.Setting, Problem: ProblemRange, Min: l.Min, Max: l.Max}
		}
	}
	if s.ParentRequestFromDays <= s.ParentRequestUntilDays {
		return &SettingError{Setting: "parentRequestFromDays", Problem: ProblemWindow}
	}
	if s.HolidayDay.Until <= s.HolidayDay.From {
		return &SettingError{Setting: "holidayDay", Problem: ProblemHours}
	}
	return nil
}

// Locations lists the open locations by ID, for pickers; on a signed-in
// handle only the actor's own. Organisation lists the closed ones too.
func (db *DB) Locations() ([]Location, error) {
	var out []Location
	err := db.view(func(tx *bolt.Tx) error {
		all, err := allJSON[Location](tx.Bucket(bucketLocations))
		if err != nil {
			return err
		}
		mine := map[ID]bool{}
		if db.actor != nil {
			groups, err := allJSON[Group](tx.Bucket(bucketGroups))
			if err != nil {
				return err
			}
			for _, g := range groups {
				mine[g.LocationID] = mine[g.LocationID] || db.worksIn(g)
			}
			if db.actor.Role != RoleStaff { // their location even before it has groups
				for _, id := range db.actor.Locations {
					mine[id] = true
				}
			}
		}
		for _, l := range all {
			if l.ClosedOn.IsZero() && (db.actor == nil || mine[l.ID]) {
				out = append(out, l)
			}
		}
		return nil
	})
	return out, err
}

// Groups lists the open groups of a location (of every location for 0), by
// ID, for pickers. On a signed-in handle only the groups the actor works in
// are listed: a staff member's own groups, a manager's or planner's
// locations' groups. Organisation lists the closed ones too.
func (db *DB) Groups(locationID ID) ([]Group, error) {
	var out []Group
	err := db.view(func(tx *bolt.Tx) error {
		all, err := allJSON[Group](tx.Bucket(bucketGroups))
		for _, g := range all {
			if g.ClosedOn.IsZero() && (locationID == 0 || g.LocationID == locationID) && (db.actor == nil || db.worksIn(g)) {
				out = append(out, g)
			}
		}
		return err
	})
	return out, err
}

// worksIn reports whether the handle's actor works in group g.
func (db *DB) worksIn(g Group) bool {
	if db.actor.Role == RoleStaff {
		return slices.Contains(db.actor.Groups, g.ID)
	}
	return slices.Contains(db.actor.Locations, g.LocationID)
}

// Group returns one group.
func (db *DB) Group(id ID) (Group, error) {
	var g Group
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		g, err = getJSON[Group](tx.Bucket(bucketGroups), idKey(id))
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return g, fmt.Errorf("group %d: %w", id, err)
	}
	return g, err
}

// GroupByName finds a group by name, ignoring case. A name that several
// locations use must be given as "Location/Group".
func (db *DB) GroupByName(name string) (Group, error) {
	locName, groupName, qualified := strings.Cut(name, "/")
	if !qualified {
		groupName, locName = locName, ""
	}
	var found []Group
	err := db.view(func(tx *bolt.Tx) error {
		groups, err := allJSON[Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if !strings.EqualFold(strings.TrimSpace(g.Name), strings.TrimSpace(groupName)) {
				continue
			}
			if qualified {
				loc, err := getJSON[Location](tx.Bucket(bucketLocations), idKey(g.LocationID))
				if err != nil || !strings.EqualFold(loc.Name, strings.TrimSpace(locName)) {
					continue
				}
			}
			found = append(found, g)
		}
		return nil
	})
	if len(found) > 1 { // a closed group keeps its name for history; the open one is meant
		open := slices.DeleteFunc(slices.Clone(found), func(g Group) bool { return !g.ClosedOn.IsZero() })
		if len(open) == 1 {
			found = open
		}
	}
	switch {
	case err != nil:
		return Group{}, err
	case len(found) == 0:
		return Group{}, fmt.Errorf("group %q: %w", name, ErrNotFound)
	case len(found) > 1:
		return Group{}, invalid("several locations have a group %q; name it as Location/Group", name)
	}
	return found[0], nil
}

// Child returns one child with picture.
func (db *DB) Child(id ID) (Child, error) {
	var c Child
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		c, err = readChild(tx, id)
		return err
	})
	return c, err
}

// Children lists the children of a location (of every location for 0), without pictures.
func (db *DB) Children(locationID ID) ([]Child, error) {
	var out []Child
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		if locationID != 0 {
			out, err = locationChildren(tx, locationID)
		} else {
			out, err = allJSON[Child](tx.Bucket(bucketChildren))
		}
		return err
	})
	SortByName(out, func(c Child) Child { return c })
	return out, err
}

func readChild(tx *bolt.Tx, id ID) (Child, error) {
	return readChildIn(tx.Bucket(bucketChildren), tx.Bucket(bucketPictures), id)
}

// readChildIn reads a child from the children and pictures buckets a
// caller reading many children has opened once.
func readChildIn(children, pictures *bolt.Bucket, id ID) (Child, error) {
	c, err := getJSON[Child](children, idKey(id))
	if err != nil {
		return c, fmt.Errorf("child %d: %w", id, err)
	}
	if pic := pictures.Get(idKey(id)); pic != nil {
		c.Picture = append([]byte(nil), pic...)
	}
	return c, nil
}

// Contracts lists a child's contracts, oldest first.
func (db *DB) Contracts(childID ID) ([]Contract, error) {
	var out []Contract
	err := db.view(func(tx *bolt.Tx) error {
		all, err := allJSON[Contract](tx.Bucket(bucketContracts))
		for _, c := range all {
			if c.ChildID == childID {
				out = append(out, c)
			}
		}
		return err
	})
	return out, err
}

// contractSpan is a contract's index value, "start/end" (end empty when open):
// dates as YYYY-MM-DD compare as strings, so running contracts are found
// without decoding the ended ones, however many years of them a group has.
func contractSpan(c Contract) []byte {
	end := ""
	if !c.End.IsZero() {
		end = c.End.String()
	}
	return []byte(c.Start.String() + "/" + end)
}

// groupContracts reads, through the index, a group's contracts that run on d.
func groupContracts(tx *bolt.Tx, groupID ID, d Date) ([]Contract, error) {
	var out []Contract
	idx := nested(tx.Bucket(bucketContractsByGroup), idKey(groupID))
	if idx == nil {
		return out, nil
	}
	day := d.String()
	all := tx.Bucket(bucketContracts)
	err := idx.ForEach(func(k, span []byte) error {
		start, end, _ := strings.Cut(string(span), "/")
		if day < start || (end != "" && day > end) {
			return nil
		}
		c, err := getJSON[Contract](all, k)
		if err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// calendarFor reads the closing day on d and the holidays and study days on d of the given schools.
func calendarFor(tx *bolt.Tx, d Date, schools map[ID]bool) (Calendar, error) {
	var cal Calendar
	if cd, err := getJSON[ClosingDay](tx.Bucket(bucketClosingDays), dateKey(d)); err == nil {
		cal.ClosingDays = append(cal.ClosingDays, cd)
	} else if !errors.Is(err, ErrNotFound) {
		return cal, err
	}
	for school := range schools {
		sd, err := getJSON[StudyDay](nested(tx.Bucket(bucketStudyDays), idKey(school)), dateKey(d))
		switch {
		case err == nil:
			cal.StudyDays = append(cal.StudyDays, sd)
		case !errors.Is(err, ErrNotFound):
			return cal, err
		}
		b := nested(tx.Bucket(bucketHolidays), idKey(school))
		if b == nil {
			continue
		}
		// Keys start with the holiday's last day: seeking to d skips every
		// holiday that ended before it, so years of past holidays cost nothing.
		c := b.Cursor()
		for k, raw := c.Seek(dateKey(d)); k != nil; k, raw = c.Next() {
			h, err := decodeJSON[SchoolHoliday](raw)
			if err != nil {
				return cal, fmt.Errorf("decode holiday %q: %w", k, err)
			}
			if h.Covers(d) {
				cal.Holidays = append(cal.Holidays, h)
			}
		}
	}
	return cal, nil
}

// holidayKey sorts a school's holidays by last day: "YYYY-MM-DD" + 8-byte ID.
func holidayKey(h SchoolHoliday) []byte { return append(dateKey(h.To), idKey(h.ID)...) }

// holidayKeyOf finds the key of a holiday by ID; office screens look
// holidays up by ID, rarely enough for a scan of one school's bucket.
func holidayKeyOf(b *bolt.Bucket, id ID) []byte {
	if b == nil {
		return nil
	}
	want := idKey(id)
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if bytes.HasSuffix(k, want) {
			return k
		}
	}
	return nil
}

// readHoliday returns one holiday of a school.
func readHoliday(tx *bolt.Tx, schoolID, id ID) (SchoolHoliday, error) {
	b := nested(tx.Bucket(bucketHolidays), idKey(schoolID))
	key := holidayKeyOf(b, id)
	if key == nil {
		return SchoolHoliday{}, fmt.Errorf("holiday %d of school %d: %w", id, schoolID, ErrNotFound)
	}
	return getJSON[SchoolHoliday](b, key)
}

// Schools lists every school by ID.
func (db *DB) Schools() ([]School, error) {
	var out []School
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		out, err = allJSON[School](tx.Bucket(bucketSchools))
		return err
	})
	return out, err
}

// Validate checks a contract on its own; the store checks the references.
func (c Contract) Validate() error {
	known := false
	for _, p := range Products {
		known = known || p == c.Product
	}
	switch {
	case !known:
		return invalid("unknown product %q", c.Product)
	case c.Start.IsZero():
		return invalid("a contract needs a start date")
	case !c.End.IsZero() && c.End.Before(c.Start):
		return invalid("contract ends (%s) before it starts (%s)", c.End, c.Start)
	}
	for _, d := range c.Days {
		if d.Times.Until <= d.Times.From {
			return invalid("care on %s ends before it starts", d.Weekday)
		}
	}
	return nil
}

// careOf tells which care type a product belongs to.
func careOf(p Product) CareType {
	if p == ProductKDV || p == ProductQflexibel {
		return KDV
	}
	return BSO
}

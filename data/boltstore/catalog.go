package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// Settings returns the organisation's settings.
func (db *DB) Settings(ctx context.Context) (data.Settings, error) {
	var s data.Settings
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		s, err = readSettings(tx)
		return err
	})
	return s, err
}

// readSettings decodes the stored settings over the defaults, so a setting
// added in a later version has its default in a file written before it.
func readSettings(tx *bolt.Tx) (data.Settings, error) {
	raw := tx.Bucket(bucketSettings).Get(keyOrganisation)
	if raw == nil {
		return data.DefaultSettings(), nil
	}
	s, err := decodeJSON[data.Settings](raw)
	if err != nil {
		return s, fmt.Errorf("decode settings: %w", err)
	}
	return s, nil
}

// SaveSettings replaces the organisation's settings (managers), logging
// each changed setting before → after.
func (db *DB) SaveSettings(ctx context.Context, s data.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(ctx, data.AuditSaveSettings, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		old, err := readSettings(tx)
		if err != nil {
			return err
		}
		detail, err := data.SettingsChanges(old, s)
		if err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: detail}, data.Change{Kind: data.ChangePlanning})
		return putJSON(tx.Bucket(bucketSettings), keyOrganisation, s)
	})
}

// Locations lists the open locations by ID, for pickers; on a signed-in
// handle only the actor's own. Organisation lists the closed ones too.
func (db *DB) Locations(ctx context.Context) ([]data.Location, error) {
	var out []data.Location
	err := db.view(ctx, func(tx *bolt.Tx) error {
		all, err := allJSON[data.Location](tx.Bucket(bucketLocations))
		if err != nil {
			return err
		}
		var groups []data.Group
		if db.actor != nil {
			if groups, err = allJSON[data.Group](tx.Bucket(bucketGroups)); err != nil {
				return err
			}
		}
		out = data.OpenLocationsFor(db.actor, all, groups)
		return nil
	})
	return out, err
}

// Groups lists the open groups of a location (of every location for 0), by
// ID, for pickers. On a signed-in handle only the groups the actor works in
// are listed: a staff member's own groups, a manager's or planner's
// locations' groups. Organisation lists the closed ones too.
func (db *DB) Groups(ctx context.Context, locationID data.ID) ([]data.Group, error) {
	var out []data.Group
	err := db.view(ctx, func(tx *bolt.Tx) error {
		all, err := allJSON[data.Group](tx.Bucket(bucketGroups))
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
func (db *DB) worksIn(g data.Group) bool { return db.actor.WorksIn(g) }

// readScope refuses the handle's actor the children of a location they do
// not work at, so that a device asking the hub directly gets no further than
// its screens offer. The actor's groups are looked up once per call.
func (db *DB) readScope(tx *bolt.Tx) func(locationID data.ID) error {
	if db.actor == nil {
		return func(data.ID) error { return nil }
	}
	var groupLocations []data.ID
	if db.actor.Role == data.RoleStaff {
		groups := tx.Bucket(bucketGroups)
		for _, id := range db.actor.Groups {
			if g, err := getJSON[data.Group](groups, idKey(id)); err == nil {
				groupLocations = append(groupLocations, g.LocationID)
			}
		}
	}
	actor := *db.actor
	return func(locationID data.ID) error { return actor.MayReadAt(locationID, groupLocations) }
}

// readChildFor reads a child the handle's actor may see.
func (db *DB) readChildFor(tx *bolt.Tx, id data.ID) (data.Child, error) {
	c, err := readChild(tx, id)
	if err != nil {
		return c, err
	}
	return c, db.readScope(tx)(c.LocationID)
}

// Group returns one group.
func (db *DB) Group(ctx context.Context, id data.ID) (data.Group, error) {
	var g data.Group
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		g, err = getJSON[data.Group](tx.Bucket(bucketGroups), idKey(id))
		return err
	})
	if errors.Is(err, data.ErrNotFound) {
		return g, fmt.Errorf("group %d: %w", id, err)
	}
	return g, err
}

// GroupByName finds a group by name, ignoring case. A name that several
// locations use must be given as "Location/Group".
func (db *DB) GroupByName(ctx context.Context, name string) (data.Group, error) {
	locName, groupName, qualified := strings.Cut(name, "/")
	if !qualified {
		groupName, locName = locName, ""
	}
	var found []data.Group
	err := db.view(ctx, func(tx *bolt.Tx) error {
		groups, err := allJSON[data.Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if !strings.EqualFold(strings.TrimSpace(g.Name), strings.TrimSpace(groupName)) {
				continue
			}
			if qualified {
				loc, err := getJSON[data.Location](tx.Bucket(bucketLocations), idKey(g.LocationID))
				if err != nil || !strings.EqualFold(loc.Name, strings.TrimSpace(locName)) {
					continue
				}
			}
			found = append(found, g)
		}
		return nil
	})
	if len(found) > 1 { // a closed group keeps its name for history; the open one is meant
		open := slices.DeleteFunc(slices.Clone(found), func(g data.Group) bool { return !g.ClosedOn.IsZero() })
		if len(open) == 1 {
			found = open
		}
	}
	switch {
	case err != nil:
		return data.Group{}, err
	case len(found) == 0:
		return data.Group{}, fmt.Errorf("group %q: %w", name, data.ErrNotFound)
	case len(found) > 1:
		return data.Group{}, data.Refuse(data.RefuseGroupAmbiguous, data.Args{"Name": name})
	}
	return found[0], nil
}

// Child returns one child with picture.
func (db *DB) Child(ctx context.Context, id data.ID) (data.Child, error) {
	var c data.Child
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		c, err = db.readChildFor(tx, id)
		return err
	})
	return c, err
}

// Children lists the children of a location (for 0: of every location the
// actor works at), without pictures.
func (db *DB) Children(ctx context.Context, locationID data.ID) ([]data.Child, error) {
	var out []data.Child
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		mayRead := db.readScope(tx)
		if locationID != 0 {
			if err := mayRead(locationID); err != nil {
				return err
			}
			out, err = locationChildren(tx, locationID)
			return err
		}
		all, err := allJSON[data.Child](tx.Bucket(bucketChildren))
		for _, c := range all {
			if mayRead(c.LocationID) == nil {
				out = append(out, c)
			}
		}
		return err
	})
	data.SortByName(out, func(c data.Child) data.Child { return c })
	return out, err
}

func readChild(tx *bolt.Tx, id data.ID) (data.Child, error) {
	return readChildIn(newPointReader(tx.Bucket(bucketChildren)), newPointReader(tx.Bucket(bucketPictures)), id)
}

// readChildIn reads a child through readers of the children and pictures
// buckets that a caller reading many children has opened once.
func readChildIn(children, pictures pointReader, id data.ID) (data.Child, error) {
	c, err := readJSON[data.Child](children, idKey(id))
	if err != nil {
		return c, fmt.Errorf("child %d: %w", id, err)
	}
	if pic := pictures.Get(idKey(id)); pic != nil {
		c.Picture = append([]byte(nil), pic...)
	}
	return c, nil
}

// Contracts lists a child's contracts, oldest first.
func (db *DB) Contracts(ctx context.Context, childID data.ID) ([]data.Contract, error) {
	var out []data.Contract
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if _, err := db.readChildFor(tx, childID); err != nil {
			return err
		}
		all, err := allJSON[data.Contract](tx.Bucket(bucketContracts))
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
func contractSpan(c data.Contract) []byte {
	end := ""
	if !c.End.IsZero() {
		end = c.End.String()
	}
	return []byte(c.Start.String() + "/" + end)
}

// groupContracts reads, through the index, a group's contracts that run on d.
func groupContracts(tx *bolt.Tx, groupID data.ID, d data.Date) ([]data.Contract, error) {
	return appendGroupContracts(nil, tx, groupID, d)
}

// appendGroupContracts is groupContracts appending to out, for a caller
// reading several groups.
func appendGroupContracts(out []data.Contract, tx *bolt.Tx, groupID data.ID, d data.Date) ([]data.Contract, error) {
	idx := nested(tx.Bucket(bucketContractsByGroup), idKey(groupID))
	if idx == nil {
		return out, nil
	}
	day := d.String()
	all := newPointReader(tx.Bucket(bucketContracts))
	err := idx.ForEach(func(k, span []byte) error {
		start, end, _ := strings.Cut(string(span), "/")
		if day < start || (end != "" && day > end) {
			return nil
		}
		c, err := readJSON[data.Contract](all, k)
		if err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// calendarFor reads the closing day on d and the holidays and study days on d of the given schools.
func calendarFor(tx *bolt.Tx, d data.Date, schools map[data.ID]bool) (data.Calendar, error) {
	var cal data.Calendar
	if cd, err := getJSON[data.ClosingDay](tx.Bucket(bucketClosingDays), dateKey(d)); err == nil {
		cal.ClosingDays = append(cal.ClosingDays, cd)
	} else if !errors.Is(err, data.ErrNotFound) {
		return cal, err
	}
	for school := range schools {
		sd, err := getJSON[data.StudyDay](nested(tx.Bucket(bucketStudyDays), idKey(school)), dateKey(d))
		switch {
		case err == nil:
			cal.StudyDays = append(cal.StudyDays, sd)
		case !errors.Is(err, data.ErrNotFound):
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
			h, err := decodeJSON[data.SchoolHoliday](raw)
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
func holidayKey(h data.SchoolHoliday) []byte { return append(dateKey(h.To), idKey(h.ID)...) }

// holidayKeyOf finds the key of a holiday by ID; office screens look
// holidays up by ID, rarely enough for a scan of one school's bucket.
func holidayKeyOf(b *bolt.Bucket, id data.ID) []byte {
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
func readHoliday(tx *bolt.Tx, schoolID, id data.ID) (data.SchoolHoliday, error) {
	b := nested(tx.Bucket(bucketHolidays), idKey(schoolID))
	key := holidayKeyOf(b, id)
	if key == nil {
		return data.SchoolHoliday{}, fmt.Errorf("holiday %d of school %d: %w", id, schoolID, data.ErrNotFound)
	}
	return getJSON[data.SchoolHoliday](b, key)
}

// Schools lists every school by ID.
func (db *DB) Schools(ctx context.Context) ([]data.School, error) {
	var out []data.School
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = allJSON[data.School](tx.Bucket(bucketSchools))
		return err
	})
	return out, err
}

package boltstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// SchoolCalendar reads a school's holidays and study days.
func (db *DB) SchoolCalendar(ctx context.Context, schoolID data.ID) (data.SchoolCalendar, error) {
	var out data.SchoolCalendar
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = readSchoolCalendar(tx, schoolID)
		return err
	})
	return out, err
}

func readSchoolCalendar(tx *bolt.Tx, schoolID data.ID) (data.SchoolCalendar, error) {
	var out data.SchoolCalendar
	var err error
	if out.School, err = getJSON[data.School](tx.Bucket(bucketSchools), idKey(schoolID)); err != nil {
		return out, fmt.Errorf("school %d: %w", schoolID, err)
	}
	if out.Holidays, err = allJSON[data.SchoolHoliday](nested(tx.Bucket(bucketHolidays), idKey(schoolID))); err != nil {
		return out, err
	}
	slices.SortStableFunc(out.Holidays, func(a, b data.SchoolHoliday) int { return a.From.Compare(b.From) })
	out.StudyDays, err = allJSON[data.StudyDay](nested(tx.Bucket(bucketStudyDays), idKey(schoolID)))
	return out, err
}

func sortStudyDays(sds []data.StudyDay) {
	slices.SortStableFunc(sds, func(a, b data.StudyDay) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.SchoolID, b.SchoolID)
	})
}

// SchoolByName finds a school by name, ignoring case and surrounding spaces.
func (db *DB) SchoolByName(ctx context.Context, name string) (data.School, error) {
	schools, err := db.Schools(ctx)
	if err != nil {
		return data.School{}, err
	}
	for _, s := range schools {
		if strings.EqualFold(strings.TrimSpace(s.Name), strings.TrimSpace(name)) {
			return s, nil
		}
	}
	return data.School{}, fmt.Errorf("school %q: %w", name, data.ErrNotFound)
}

// AddHoliday stores a holiday entered by hand and returns it with its ID.
func (db *DB) AddHoliday(ctx context.Context, h data.SchoolHoliday) (data.SchoolHoliday, error) {
	h.Name = strings.TrimSpace(h.Name)
	h.ID, h.UID = 0, ""
	if err := data.CheckHoliday(h); err != nil {
		return h, err
	}
	err := db.update(ctx, data.AuditAddHoliday, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		if tx.Bucket(bucketSchools).Get(idKey(h.SchoolID)) == nil {
			return data.Refuse(data.RefuseCalendarUnknownSchool, data.Args{"ID": int(h.SchoolID)})
		}
		var err error
		if h, err = putHoliday(tx, h); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning})
		return nil
	})
	return h, err
}

// RemoveHoliday deletes a holiday of a school.
func (db *DB) RemoveHoliday(ctx context.Context, schoolID, holidayID data.ID) error {
	return db.update(ctx, data.AuditRemoveHoliday, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		b := nested(tx.Bucket(bucketHolidays), idKey(schoolID))
		key := holidayKeyOf(b, holidayID)
		if key == nil {
			return fmt.Errorf("holiday %d of school %d: %w", holidayID, schoolID, data.ErrNotFound)
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning})
		return b.Delete(key)
	})
}

// AddStudyDay stores a study day entered by hand.
func (db *DB) AddStudyDay(ctx context.Context, sd data.StudyDay) error {
	sd.Name, sd.UID = strings.TrimSpace(sd.Name), ""
	return db.update(ctx, data.AuditAddStudyDay, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		if err := checkStudyDay(tx, sd); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: sd.Date})
		return putStudyDay(tx, sd)
	})
}

// RemoveStudyDay deletes a study day that has no sign-ups.
func (db *DB) RemoveStudyDay(ctx context.Context, schoolID data.ID, d data.Date) error {
	return db.update(ctx, data.AuditRemoveStudyDay, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		if err := deleteStudyDay(tx, schoolID, d); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: d})
		return nil
	})
}

func deleteStudyDay(tx *bolt.Tx, schoolID data.ID, d data.Date) error {
	if _, err := readStudyDay(tx, schoolID, d); err != nil {
		return err
	}
	signUps, err := activeSignUps(tx, schoolID, d)
	if err != nil {
		return err
	}
	if err := data.RemovableStudyDay(d, len(signUps)); err != nil {
		return err
	}
	return nested(tx.Bucket(bucketStudyDays), idKey(schoolID)).Delete(dateKey(d))
}

// checkStudyDay gathers the facts around a new study day and applies
// data.CheckStudyDay to them.
func checkStudyDay(tx *bolt.Tx, sd data.StudyDay) error {
	f := data.StudyDayFacts{SchoolKnown: tx.Bucket(bucketSchools).Get(idKey(sd.SchoolID)) != nil}
	if cd, err := getJSON[data.ClosingDay](tx.Bucket(bucketClosingDays), dateKey(sd.Date)); err == nil {
		f.Closed = &cd
	}
	var err error
	if f.Holidays, err = allJSON[data.SchoolHoliday](nested(tx.Bucket(bucketHolidays), idKey(sd.SchoolID))); err != nil {
		return err
	}
	switch _, err := readStudyDay(tx, sd.SchoolID, sd.Date); {
	case err == nil:
		f.Exists = true
	case !errors.Is(err, data.ErrNotFound):
		return err
	}
	return data.CheckStudyDay(sd, f)
}

func putStudyDay(tx *bolt.Tx, sd data.StudyDay) error {
	b, err := nestedCreate(tx.Bucket(bucketStudyDays), idKey(sd.SchoolID))
	if err != nil {
		return err
	}
	return putJSON(b, dateKey(sd.Date), sd)
}

// ImportCalendar stores a school's calendar file in one transaction. Events
// are matched by UID, so importing the same file again changes nothing and a
// corrected file updates what it corrects. Nothing is stored when any event
// is refused.
func (db *DB) ImportCalendar(ctx context.Context, schoolID data.ID, f data.CalendarFile) (data.CalendarImportResult, error) {
	res := data.CalendarImportResult{Skipped: f.Skipped}
	err := db.update(ctx, data.AuditImportCalendar, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		cal, err := readSchoolCalendar(tx, schoolID)
		if err != nil {
			return err
		}
		holidays := map[string]data.SchoolHoliday{}
		for _, h := range cal.Holidays {
			if h.UID != "" {
				holidays[h.UID] = h
			}
		}
		studyDays := map[string][]data.StudyDay{}
		for _, sd := range cal.StudyDays {
			if sd.UID != "" {
				studyDays[sd.UID] = append(studyDays[sd.UID], sd)
			}
		}
		// Holidays first, so a study day is checked against every holiday of the file.
		events := slices.Clone(f.Events)
		slices.SortStableFunc(events, func(a, b data.CalendarEvent) int {
			if a.StudyDay == b.StudyDay {
				return 0
			}
			if a.StudyDay {
				return 1
			}
			return -1
		})
		for _, e := range events {
			var outcome importOutcome
			if e.StudyDay {
				outcome, err = importStudyDays(tx, schoolID, e, studyDays[e.UID])
			} else {
				outcome, err = importHoliday(tx, schoolID, e, holidays)
			}
			if err != nil {
				return fmt.Errorf("%q (%s): %w", e.Name, e.From, err)
			}
			switch outcome {
			case added:
				res.Added++
			case updated:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		if res.Added+res.Updated > 0 {
			*changed = append(*changed, data.Change{Kind: data.ChangePlanning})
		}
		return nil
	})
	if err != nil {
		return data.CalendarImportResult{}, err
	}
	return res, nil
}

type importOutcome int

const (
	unchanged importOutcome = iota
	added
	updated
)

func importHoliday(tx *bolt.Tx, schoolID data.ID, e data.CalendarEvent, byUID map[string]data.SchoolHoliday) (importOutcome, error) {
	h := data.SchoolHoliday{SchoolID: schoolID, Name: e.Name, From: e.From, To: e.To, UID: e.UID}
	outcome := added
	if old, ok := byUID[e.UID]; ok {
		h.ID = old.ID
		if old == h {
			return unchanged, nil
		}
		outcome = updated
	}
	_, err := putHoliday(tx, h)
	return outcome, err
}

// importStudyDays brings the study days of one event (one or more weekdays)
// in line with the file. A date that is a study day already (entered by
// hand) is left as it is.
func importStudyDays(tx *bolt.Tx, schoolID data.ID, e data.CalendarEvent, before []data.StudyDay) (importOutcome, error) {
	days, err := data.StudyDayWeekdays(e)
	if err != nil {
		return unchanged, err
	}
	want := map[data.Date]bool{}
	for _, d := range days {
		want[d] = true
	}
	changed := false
	had := map[data.Date]bool{}
	for _, sd := range before {
		had[sd.Date] = true
		switch {
		case !want[sd.Date]:
			if err := deleteStudyDay(tx, schoolID, sd.Date); err != nil {
				return unchanged, err
			}
			changed = true
		case sd.Name != e.Name:
			sd.Name = e.Name
			if err := putStudyDay(tx, sd); err != nil {
				return unchanged, err
			}
			changed = true
		}
	}
	for d := range want {
		if had[d] {
			continue
		}
		if _, err := readStudyDay(tx, schoolID, d); err == nil {
			continue
		}
		sd := data.StudyDay{SchoolID: schoolID, Date: d, Name: e.Name, UID: e.UID}
		if err := checkStudyDay(tx, sd); err != nil {
			return unchanged, err
		}
		if err := putStudyDay(tx, sd); err != nil {
			return unchanged, err
		}
		changed = true
	}
	switch {
	case !changed:
		return unchanged, nil
	case len(before) == 0:
		return added, nil
	}
	return updated, nil
}

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
	var res data.CalendarImportResult
	err := db.update(ctx, data.AuditImportCalendar, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		cal, err := readSchoolCalendar(tx, schoolID)
		if err != nil {
			return err
		}
		if res, err = data.ImportCalendarFile(schoolID, cal, f, calendarWriter{tx}); err != nil {
			return err
		}
		if res.Changed() {
			*changed = append(*changed, data.Change{Kind: data.ChangePlanning})
		}
		return nil
	})
	if err != nil {
		return data.CalendarImportResult{}, err
	}
	return res, nil
}

// calendarWriter writes a calendar import in tx.
type calendarWriter struct{ tx *bolt.Tx }

func (w calendarWriter) PutHoliday(h data.SchoolHoliday) error {
	_, err := putHoliday(w.tx, h)
	return err
}

func (w calendarWriter) PutStudyDay(sd data.StudyDay) error { return putStudyDay(w.tx, sd) }

func (w calendarWriter) DeleteStudyDay(schoolID data.ID, d data.Date) error {
	return deleteStudyDay(w.tx, schoolID, d)
}

func (w calendarWriter) AddStudyDay(sd data.StudyDay) (bool, error) {
	if _, err := readStudyDay(w.tx, sd.SchoolID, sd.Date); err == nil {
		return false, nil
	}
	if err := checkStudyDay(w.tx, sd); err != nil {
		return false, err
	}
	return true, putStudyDay(w.tx, sd)
}

package pgstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// Schools lists every school by ID.
func (db *DB) Schools(ctx context.Context) ([]data.School, error) {
	var out []data.School
	err := db.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, name, region FROM schools ORDER BY id`)
		if err != nil {
			return fmt.Errorf("read schools: %w", err)
		}
		out, err = pgx.CollectRows(rows, scanSchool)
		return err
	})
	return out, err
}

func scanSchool(row pgx.CollectableRow) (data.School, error) {
	var s data.School
	var id int64
	err := row.Scan(&id, &s.Name, &s.Region)
	s.ID = data.ID(id)
	return s, err
}

func readSchool(ctx context.Context, q querier, id data.ID) (data.School, error) {
	rows, err := q.Query(ctx, `SELECT id, name, region FROM schools WHERE id = $1`, int64(id))
	if err != nil {
		return data.School{}, notFound(err, "school", id)
	}
	s, err := pgx.CollectExactlyOneRow(rows, scanSchool)
	return s, notFound(err, "school", id)
}

// schoolExists reports whether the school is known, for the rules that
// refuse a calendar entry of an unknown school.
func schoolExists(ctx context.Context, q querier, id data.ID) (bool, error) {
	var known bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schools WHERE id = $1)`, int64(id)).Scan(&known)
	return known, err
}

// SchoolByName finds a school by name, ignoring case and surrounding spaces.
// The comparison is Go's, not the database's lower(): Unicode case folding
// and what counts as space are then the same as on the bbolt store.
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

// SchoolCalendar reads a school's holidays and study days.
func (db *DB) SchoolCalendar(ctx context.Context, schoolID data.ID) (data.SchoolCalendar, error) {
	var out data.SchoolCalendar
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = readSchoolCalendar(ctx, tx, schoolID)
		return err
	})
	return out, err
}

// readSchoolCalendar reads a school with its holidays, by first day, and its
// study days, by day.
func readSchoolCalendar(ctx context.Context, q querier, schoolID data.ID) (data.SchoolCalendar, error) {
	var out data.SchoolCalendar
	var err error
	if out.School, err = readSchool(ctx, q, schoolID); err != nil {
		return out, err
	}
	if out.Holidays, err = readHolidays(ctx, q, `WHERE school_id = $1`, int64(schoolID)); err != nil {
		return out, err
	}
	out.StudyDays, err = readStudyDays(ctx, q, `WHERE s.school_id = $1`, int64(schoolID))
	return out, err
}

// readHoliday returns one holiday of a school.
func readHoliday(ctx context.Context, q querier, schoolID, id data.ID) (data.SchoolHoliday, error) {
	hs, err := readHolidays(ctx, q, `WHERE school_id = $1 AND id = $2`, int64(schoolID), int64(id))
	if err != nil {
		return data.SchoolHoliday{}, err
	}
	if len(hs) == 0 {
		return data.SchoolHoliday{}, fmt.Errorf("holiday %d of school %d: %w", id, schoolID, data.ErrNotFound)
	}
	return hs[0], nil
}

// AddHoliday stores a holiday entered by hand and returns it with its ID.
func (db *DB) AddHoliday(ctx context.Context, h data.SchoolHoliday) (data.SchoolHoliday, error) {
	h.Name = strings.TrimSpace(h.Name)
	h.ID, h.UID = 0, ""
	if err := data.CheckHoliday(h); err != nil {
		return h, err
	}
	err := db.update(ctx, data.AuditAddHoliday, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		switch known, err := schoolExists(ctx, tx, h.SchoolID); {
		case err != nil:
			return err
		case !known:
			return data.Refuse(data.RefuseCalendarUnknownSchool, data.Args{"ID": int(h.SchoolID)})
		}
		h.ID = 0 // a retried run numbers it again
		var err error
		if h, err = putHoliday(ctx, tx, h); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning})
		return nil
	})
	return h, err
}

// putHoliday stores h, numbering a new one, and returns it as stored.
func putHoliday(ctx context.Context, tx pgx.Tx, h data.SchoolHoliday) (data.SchoolHoliday, error) {
	if h.From.IsZero() || h.To.Before(h.From) {
		return h, data.Invalid("holiday %q ends before it starts", h.Name)
	}
	if h.ID != 0 {
		_, err := tx.Exec(ctx, `UPDATE school_holidays SET school_id = $2, name = $3, first_day = $4, last_day = $5, uid = $6 WHERE id = $1`,
			int64(h.ID), int64(h.SchoolID), h.Name, dateArg(h.From), dateArg(h.To), h.UID)
		return h, err
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO school_holidays (school_id, name, first_day, last_day, uid) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		int64(h.SchoolID), h.Name, dateArg(h.From), dateArg(h.To), h.UID).Scan(&id)
	h.ID = data.ID(id)
	return h, err
}

// RemoveHoliday deletes a holiday of a school.
func (db *DB) RemoveHoliday(ctx context.Context, schoolID, holidayID data.ID) error {
	return db.update(ctx, data.AuditRemoveHoliday, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM school_holidays WHERE school_id = $1 AND id = $2`, int64(schoolID), int64(holidayID))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("holiday %d of school %d: %w", holidayID, schoolID, data.ErrNotFound)
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning})
		return nil
	})
}

// AddStudyDay stores a study day entered by hand.
func (db *DB) AddStudyDay(ctx context.Context, sd data.StudyDay) error {
	sd.Name, sd.UID = strings.TrimSpace(sd.Name), ""
	return db.update(ctx, data.AuditAddStudyDay, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		if err := checkStudyDay(ctx, tx, sd); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: sd.Date})
		return putStudyDay(ctx, tx, sd)
	})
}

// RemoveStudyDay deletes a study day that has no sign-ups.
func (db *DB) RemoveStudyDay(ctx context.Context, schoolID data.ID, d data.Date) error {
	return db.update(ctx, data.AuditRemoveStudyDay, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		if err := deleteStudyDay(ctx, tx, schoolID, d); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, Date: d})
		return nil
	})
}

// deleteStudyDay deletes a study day, with its decisions, unless children
// are signed up for it (S1).
func deleteStudyDay(ctx context.Context, tx pgx.Tx, schoolID data.ID, d data.Date) error {
	if _, err := readStudyDay(ctx, tx, schoolID, d); err != nil {
		return err
	}
	signUps, err := activeSignUps(ctx, tx, schoolID, d)
	if err != nil {
		return err
	}
	if err := data.RemovableStudyDay(d, len(signUps)); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `DELETE FROM study_days WHERE school_id = $1 AND day = $2`, int64(schoolID), dateArg(d))
	return err
}

// checkStudyDay gathers the facts around a new study day and applies
// data.CheckStudyDay to them.
func checkStudyDay(ctx context.Context, q querier, sd data.StudyDay) error {
	var f data.StudyDayFacts
	var err error
	if f.SchoolKnown, err = schoolExists(ctx, q, sd.SchoolID); err != nil {
		return err
	}
	if f.Closed, err = readClosingDay(ctx, q, sd.Date); err != nil {
		return err
	}
	if f.Holidays, err = readHolidays(ctx, q, `WHERE school_id = $1`, int64(sd.SchoolID)); err != nil {
		return err
	}
	switch _, err := readStudyDay(ctx, q, sd.SchoolID, sd.Date); {
	case err == nil:
		f.Exists = true
	case !errors.Is(err, data.ErrNotFound):
		return err
	}
	return data.CheckStudyDay(sd, f)
}

// readClosingDay returns the closing day on d, or nil when d is no closing day.
func readClosingDay(ctx context.Context, q querier, d data.Date) (*data.ClosingDay, error) {
	var cd data.ClosingDay
	err := q.QueryRow(ctx, `SELECT day, name FROM closing_days WHERE day = $1`, dateArg(d)).Scan(scanDate(&cd.Date), &cd.Name)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("read closing day %s: %w", d, err)
	}
	return &cd, nil
}

// putStudyDay stores a study day with its decisions, as they are in sd.
func putStudyDay(ctx context.Context, tx pgx.Tx, sd data.StudyDay) error {
	_, err := tx.Exec(ctx, `INSERT INTO study_days (school_id, day, name, uid) VALUES ($1, $2, $3, $4)
		ON CONFLICT (school_id, day) DO UPDATE SET name = excluded.name, uid = excluded.uid`,
		int64(sd.SchoolID), dateArg(sd.Date), sd.Name, sd.UID)
	if err != nil {
		return fmt.Errorf("store study day %s: %w", sd.Date, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM study_day_decisions WHERE school_id = $1 AND day = $2`, int64(sd.SchoolID), dateArg(sd.Date)); err != nil {
		return err
	}
	for _, dec := range sd.Decisions {
		_, err := tx.Exec(ctx, `INSERT INTO study_day_decisions (school_id, day, location_id, outcome, decided_by, decided_at, children)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			int64(sd.SchoolID), dateArg(sd.Date), int64(dec.LocationID), string(dec.Outcome), dec.By, dec.At, idsArg(dec.Children))
		if err != nil {
			return fmt.Errorf("store the decision on study day %s: %w", sd.Date, err)
		}
	}
	return nil
}

// ImportCalendar stores a school's calendar file in one transaction. Events
// are matched by UID, so importing the same file again changes nothing and a
// corrected file updates what it corrects. Nothing is stored when any event
// is refused.
func (db *DB) ImportCalendar(ctx context.Context, schoolID data.ID, f data.CalendarFile) (data.CalendarImportResult, error) {
	var res data.CalendarImportResult
	err := db.update(ctx, data.AuditImportCalendar, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActCalendar); err != nil {
			return err
		}
		cal, err := readSchoolCalendar(ctx, tx, schoolID)
		if err != nil {
			return err
		}
		if res, err = data.ImportCalendarFile(schoolID, cal, f, calendarWriter{ctx, tx}); err != nil {
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
type calendarWriter struct {
	ctx context.Context
	tx  pgx.Tx
}

func (w calendarWriter) PutHoliday(h data.SchoolHoliday) error {
	_, err := putHoliday(w.ctx, w.tx, h)
	return err
}

func (w calendarWriter) PutStudyDay(sd data.StudyDay) error { return putStudyDay(w.ctx, w.tx, sd) }

func (w calendarWriter) DeleteStudyDay(schoolID data.ID, d data.Date) error {
	return deleteStudyDay(w.ctx, w.tx, schoolID, d)
}

func (w calendarWriter) AddStudyDay(sd data.StudyDay) (bool, error) {
	switch _, err := readStudyDay(w.ctx, w.tx, sd.SchoolID, sd.Date); {
	case err == nil:
		return false, nil
	case !errors.Is(err, data.ErrNotFound):
		return false, err
	}
	if err := checkStudyDay(w.ctx, w.tx, sd); err != nil {
		return false, err
	}
	return true, putStudyDay(w.ctx, w.tx, sd)
}

// StudyDays lists the study days of every school from from to to inclusive, by date and school.
func (db *DB) StudyDays(ctx context.Context, from, to data.Date) ([]data.StudyDay, error) {
	var out []data.StudyDay
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = readStudyDays(ctx, tx, `WHERE s.day BETWEEN $1 AND $2`, dateArg(from), dateArg(to))
		return err
	})
	slices.SortStableFunc(out, func(a, b data.StudyDay) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.SchoolID, b.SchoolID)
	})
	return out, err
}

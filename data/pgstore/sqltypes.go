package pgstore

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"locatiedesk/data"
)

// dateArg is d as a query argument: NULL for the zero date.
func dateArg(d data.Date) pgtype.Date {
	if d.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: d.Midnight(), Valid: true}
}

// scanDate scans a date column into *d (the zero date for NULL).
func scanDate(d *data.Date) *dateScanner { return &dateScanner{d} }

type dateScanner struct{ d *data.Date }

func (s *dateScanner) ScanDate(v pgtype.Date) error {
	if !v.Valid {
		*s.d = data.Date{}
		return nil
	}
	*s.d = data.DateOf(v.Time)
	return nil
}

// timeArg is t as a query argument: NULL for the zero time.
func timeArg(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// scanTime scans a nullable timestamptz into *t (zero for NULL).
func scanTime(t *time.Time) *timeScanner { return &timeScanner{t} }

type timeScanner struct{ t *time.Time }

func (s *timeScanner) ScanTimestamptz(v pgtype.Timestamptz) error {
	if !v.Valid {
		*s.t = time.Time{}
		return nil
	}
	*s.t = v.Time
	return nil
}

// idArg is id as a query argument: NULL for 0 (no reference).
func idArg(id data.ID) *int64 {
	if id == 0 {
		return nil
	}
	v := int64(id)
	return &v
}

func idOf(v *int64) data.ID {
	if v == nil {
		return 0
	}
	return data.ID(*v)
}

// idsArg is ids as a bigint[] argument.
func idsArg(ids []data.ID) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out
}

func idsOf(v []int64) []data.ID {
	if len(v) == 0 {
		return nil
	}
	out := make([]data.ID, len(v))
	for i, id := range v {
		out[i] = data.ID(id)
	}
	return out
}

// clockArg is a nullable clock time as minutes after midnight.
func clockArg(c *data.Clock) *int16 {
	if c == nil {
		return nil
	}
	v := int16(*c)
	return &v
}

func clockOf(v *int16) *data.Clock {
	if v == nil {
		return nil
	}
	c := data.Clock(*v)
	return &c
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

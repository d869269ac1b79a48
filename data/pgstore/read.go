package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// The readers every part of the store shares: settings, locations, groups,
// children, contracts and the calendar of a day. They take a querier, so
// they read inside the caller's transaction.

// notFound turns "no rows" into data.ErrNotFound naming what was looked for.
func notFound(err error, what string, id any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s %v: %w", what, id, data.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s %v: %w", what, id, err)
	}
	return nil
}

// readSettings decodes the stored settings over the defaults, so a setting
// added in a later version has its default in a database written before it.
func readSettings(ctx context.Context, q querier) (data.Settings, error) {
	var raw []byte
	err := q.QueryRow(ctx, `SELECT settings FROM organisation`).Scan(&raw)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return data.DefaultSettings(), fmt.Errorf("read settings: %w", err)
	}
	return decodeSettings(raw)
}

// queueSettings queues readSettings in b, into *into.
func queueSettings(b *pgx.Batch, into *data.Settings) {
	b.Queue(`SELECT settings FROM organisation`).Query(func(rows pgx.Rows) error {
		raw, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return fmt.Errorf("read settings: %w", err)
		}
		*into, err = decodeSettings(slices.Concat(raw...)) // no row: not set up yet
		return err
	})
}

// decodeSettings decodes stored settings over the defaults; nil (an
// organisation not set up yet) is the defaults.
func decodeSettings(raw []byte) (data.Settings, error) {
	s := data.DefaultSettings()
	if raw == nil {
		return s, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("decode settings: %w", err)
	}
	return s, nil
}

const locationColumns = `id, name, closed_on`

func scanLocation(row pgx.Row) (data.Location, error) {
	var l data.Location
	var id int64
	err := row.Scan(&id, &l.Name, scanDate(&l.ClosedOn))
	l.ID = data.ID(id)
	return l, err
}

func readLocation(ctx context.Context, q querier, id data.ID) (data.Location, error) {
	l, err := scanLocation(q.QueryRow(ctx, `SELECT `+locationColumns+` FROM locations WHERE id = $1`, int64(id)))
	return l, notFound(err, "location", id)
}

const groupColumns = `id, location_id, name, care, capacity, hours, closed_on`

func scanGroup(row pgx.Row) (data.Group, error) {
	var g data.Group
	var id, location int64
	var hours []byte
	if err := row.Scan(&id, &location, &g.Name, &g.Care, &g.Capacity, &hours, scanDate(&g.ClosedOn)); err != nil {
		return g, err
	}
	g.ID, g.LocationID = data.ID(id), data.ID(location)
	if err := json.Unmarshal(hours, &g.Hours); err != nil {
		return g, fmt.Errorf("decode opening hours of group %d: %w", id, err)
	}
	return g, nil
}

func readGroup(ctx context.Context, q querier, id data.ID) (data.Group, error) {
	g, err := scanGroup(q.QueryRow(ctx, `SELECT `+groupColumns+` FROM groups WHERE id = $1`, int64(id)))
	return g, notFound(err, "group", id)
}

// readGroups reads the groups a query selects with groupColumns.
func readGroups(ctx context.Context, q querier, sql string, args ...any) ([]data.Group, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Group, error) { return scanGroup(row) })
}

const childColumns = `id, location_id, first_name, last_name, birth_date, school_id, number, contacts, picture, removed_on`

func scanChild(row pgx.Row) (data.Child, error) {
	var c data.Child
	var id, location int64
	var school *int64
	var contacts []byte
	if err := row.Scan(&id, &location, &c.FirstName, &c.LastName, scanDate(&c.BirthDate), &school, &c.Number, &contacts, &c.Picture, scanDate(&c.RemovedOn)); err != nil {
		return c, err
	}
	c.ID, c.LocationID, c.SchoolID = data.ID(id), data.ID(location), idOf(school)
	if err := json.Unmarshal(contacts, &c.Contacts); err != nil {
		return c, fmt.Errorf("decode contacts of child %d: %w", id, err)
	}
	if len(c.Contacts) == 0 {
		c.Contacts = nil // as a child without contacts reads back from bbolt
	}
	return c, nil
}

func readChild(ctx context.Context, q querier, id data.ID) (data.Child, error) {
	c, err := scanChild(q.QueryRow(ctx, `SELECT `+childColumns+` FROM children WHERE id = $1`, int64(id)))
	return c, notFound(err, "child", id)
}

// readChildren reads the children a query selects with childColumns.
func readChildren(ctx context.Context, q querier, sql string, args ...any) ([]data.Child, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Child, error) { return scanChild(row) })
}

// childrenByID reads the children with the given IDs, by ID.
func childrenByID(ctx context.Context, q querier, ids []data.ID) (map[data.ID]data.Child, error) {
	all, err := readChildren(ctx, q, `SELECT `+childColumns+` FROM children WHERE id = ANY($1)`, idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("read children: %w", err)
	}
	out := make(map[data.ID]data.Child, len(all))
	for _, c := range all {
		out[c.ID] = c
	}
	return out, nil
}

const contractColumns = `id, child_id, group_id, product, days, start_day, end_day, credit_days, credit_hours, continues`

func scanContract(row pgx.Row) (data.Contract, error) {
	var c data.Contract
	var id, child, group int64
	var continues *int64
	var days []byte
	if err := row.Scan(&id, &child, &group, &c.Product, &days, scanDate(&c.Start), scanDate(&c.End), &c.CreditDays, &c.CreditHours, &continues); err != nil {
		return c, err
	}
	c.ID, c.ChildID, c.GroupID, c.Continues = data.ID(id), data.ID(child), data.ID(group), idOf(continues)
	if err := json.Unmarshal(days, &c.Days); err != nil {
		return c, fmt.Errorf("decode days of contract %d: %w", id, err)
	}
	if len(c.Days) == 0 {
		c.Days = nil // as a contract without weekdays reads back from bbolt
	}
	return c, nil
}

// readContracts reads the contracts a query selects with contractColumns.
func readContracts(ctx context.Context, q querier, sql string, args ...any) ([]data.Contract, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Contract, error) { return scanContract(row) })
}

func readContract(ctx context.Context, q querier, id data.ID) (data.Contract, error) {
	c, err := scanContract(q.QueryRow(ctx, `SELECT `+contractColumns+` FROM contracts WHERE id = $1`, int64(id)))
	return c, notFound(err, "contract", id)
}

// groupContracts reads a group's contracts that run on d.
func groupContracts(ctx context.Context, q querier, groupID data.ID, d data.Date) ([]data.Contract, error) {
	return readContracts(ctx, q, `SELECT `+contractColumns+` FROM contracts
		WHERE group_id = $1 AND start_day <= $2 AND (end_day IS NULL OR end_day >= $2) ORDER BY id`, int64(groupID), dateArg(d))
}

// childContracts reads the contracts of a child that run on some day from
// first to last, by ID; a zero first reaches back to the first contract.
func childContracts(ctx context.Context, q querier, childID data.ID, first, last data.Date) ([]data.Contract, error) {
	return readContracts(ctx, q, `SELECT `+contractColumns+` FROM contracts
		WHERE child_id = $1 AND start_day <= $3 AND (end_day IS NULL OR $2::date IS NULL OR end_day >= $2) ORDER BY id`, int64(childID), dateArg(first), dateArg(last))
}

// calendarFor reads the closing day on d and the holidays and study days on
// d of the given schools, in one round trip.
func calendarFor(ctx context.Context, q batcher, d data.Date, schools []data.ID) (data.Calendar, error) {
	var cal data.Calendar
	b := &pgx.Batch{}
	queueCalendar(b, &cal, `SELECT @day::date`, `SELECT unnest(@schools::bigint[])`, pgx.NamedArgs{"day": dateArg(d), "schools": idsArg(schools)})
	if err := q.SendBatch(ctx, b).Close(); err != nil {
		return data.Calendar{}, fmt.Errorf("read the calendar of %s: %w", d, err)
	}
	return cal, nil
}

// queueCalendar queues reading into cal the closing days among the dates
// the query days selects, and the holidays and study days on those dates of
// the schools the query schools selects. The queries may name parameters
// (@name), given in args; a query that needs its own rows (the children on
// a list) adds no round trip this way.
func queueCalendar(b *pgx.Batch, cal *data.Calendar, days, schools string, args pgx.NamedArgs) {
	b.Queue(`SELECT day, name FROM closing_days WHERE day = ANY(ARRAY(`+days+`)) ORDER BY day`, args).Query(func(rows pgx.Rows) (err error) {
		cal.ClosingDays, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.ClosingDay, error) {
			var c data.ClosingDay
			err := row.Scan(scanDate(&c.Date), &c.Name)
			return c, err
		})
		if err != nil {
			return fmt.Errorf("read closing days: %w", err)
		}
		return nil
	})
	b.Queue(studyDaysSQL(`WHERE s.day = ANY(ARRAY(`+days+`)) AND s.school_id = ANY(ARRAY(`+schools+`))`), args).Query(func(rows pgx.Rows) (err error) {
		cal.StudyDays, err = collectStudyDays(rows)
		return err
	})
	b.Queue(holidaysSQL(`WHERE school_id = ANY(ARRAY(`+schools+`)) AND EXISTS (SELECT FROM unnest(ARRAY(`+days+`)) AS d WHERE first_day <= d AND last_day >= d)`), args).Query(func(rows pgx.Rows) (err error) {
		cal.Holidays, err = collectHolidays(rows)
		return err
	})
}

// readHolidays reads the school holidays a WHERE clause selects, by school,
// first day and last day (the bbolt store's order).
func readHolidays(ctx context.Context, q querier, where string, args ...any) ([]data.SchoolHoliday, error) {
	rows, err := q.Query(ctx, holidaysSQL(where), args...)
	if err != nil {
		return nil, fmt.Errorf("read school holidays: %w", err)
	}
	return collectHolidays(rows)
}

func holidaysSQL(where string) string {
	return `SELECT id, school_id, name, first_day, last_day, uid FROM school_holidays ` + where + ` ORDER BY school_id, first_day, last_day, id`
}

func collectHolidays(rows pgx.Rows) ([]data.SchoolHoliday, error) {
	hs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.SchoolHoliday, error) {
		var h data.SchoolHoliday
		var id, school int64
		err := row.Scan(&id, &school, &h.Name, scanDate(&h.From), scanDate(&h.To), &h.UID)
		h.ID, h.SchoolID = data.ID(id), data.ID(school)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("read school holidays: %w", err)
	}
	return hs, nil
}

// readStudyDays reads the study days a WHERE clause selects, with their
// decisions, by school and day. The decisions come in the order they were
// made, as the bbolt store appends them; no children is nil, not empty.
func readStudyDays(ctx context.Context, q querier, where string, args ...any) ([]data.StudyDay, error) {
	rows, err := q.Query(ctx, studyDaysSQL(where), args...)
	if err != nil {
		return nil, fmt.Errorf("read study days: %w", err)
	}
	return collectStudyDays(rows)
}

// studyDaysSQL selects the study days (table study_days s) a WHERE clause
// selects, with their decisions.
func studyDaysSQL(where string) string {
	return `SELECT s.school_id, s.day, s.name, s.uid,
			COALESCE((SELECT jsonb_agg(jsonb_build_object('locationId', d.location_id, 'outcome', d.outcome, 'by', d.decided_by,
				'at', d.decided_at, 'children', NULLIF(d.children, '{}')) ORDER BY d.decided_at, d.location_id)
				FROM study_day_decisions d WHERE d.school_id = s.school_id AND d.day = s.day), '[]')
		FROM study_days s ` + where + ` ORDER BY s.school_id, s.day`
}

func collectStudyDays(rows pgx.Rows) ([]data.StudyDay, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.StudyDay, error) {
		var sd data.StudyDay
		var school int64
		var decisions []byte
		if err := row.Scan(&school, scanDate(&sd.Date), &sd.Name, &sd.UID, &decisions); err != nil {
			return sd, err
		}
		sd.SchoolID = data.ID(school)
		if err := json.Unmarshal(decisions, &sd.Decisions); err != nil {
			return sd, fmt.Errorf("decode decisions of study day %s: %w", sd.Date, err)
		}
		if len(sd.Decisions) == 0 {
			sd.Decisions = nil
		}
		return sd, nil
	})
}

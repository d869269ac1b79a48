package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/snapshot"
)

// Snapshot reads every record of the database on one snapshot of it: what
// a backup writes to a data file. One location's rows are
// Snapshot(ctx).OfLocations(id).
func (db *DB) Snapshot(ctx context.Context) (snapshot.Snapshot, error) {
	var s snapshot.Snapshot
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		s, err = readSnapshot(ctx, tx, everyRow)
		return err
	})
	return s, err
}

// selection says which rows of each table a read takes: per table an SQL
// condition on its rows, with named arguments (@name) in args. A table
// without one takes the condition rest, or is read whole where rest is "".
type selection struct {
	where map[string]string
	rest  string
	args  pgx.NamedArgs
}

// everyRow selects every row of every table.
var everyRow selection

// of is the WHERE clause of table's rows and the arguments it takes.
func (sel selection) of(table string) (string, []any) {
	cond, ok := sel.where[table]
	if !ok {
		cond = sel.rest
	}
	if cond == "" {
		return "", nil
	}
	return ` WHERE ` + cond, []any{sel.args}
}

// readSnapshot reads the rows sel selects of every table into a snapshot.
// Write keys are left out (see package snapshot).
func readSnapshot(ctx context.Context, q querier, sel selection) (snapshot.Snapshot, error) {
	var s snapshot.Snapshot
	var err error
	where, args := sel.of("organisation")
	if s.Organisation, s.Settings, err = readOrganisation(ctx, q, where, args...); err != nil {
		return s, err
	}
	r := tableReader{ctx: ctx, q: q, sel: sel}
	s.Locations = readAll(&r, `SELECT `+locationColumns+` FROM locations`, "locations", ` ORDER BY id`, scanLocation)
	s.Groups = readAll(&r, `SELECT `+groupColumns+` FROM groups`, "groups", ` ORDER BY id`, scanGroup)
	s.Schools = readAll(&r, `SELECT id, name, region FROM schools`, "schools", ` ORDER BY id`, func(row pgx.Row) (data.School, error) {
		var sc data.School
		var id int64
		err := row.Scan(&id, &sc.Name, &sc.Region)
		sc.ID = data.ID(id)
		return sc, err
	})
	if r.err == nil {
		where, args := sel.of("school_holidays")
		s.Holidays, r.err = readHolidays(ctx, q, where, args...)
	}
	if r.err == nil {
		where, args := sel.of("study_days")
		s.StudyDays, r.err = readStudyDays(ctx, q, where, args...)
	}
	s.ClosingDays = readAll(&r, `SELECT day, name FROM closing_days`, "closing_days", ` ORDER BY day`, func(row pgx.Row) (data.ClosingDay, error) {
		var cd data.ClosingDay
		err := row.Scan(scanDate(&cd.Date), &cd.Name)
		return cd, err
	})
	s.Children = readAll(&r, `SELECT `+childColumns+` FROM children`, "children", ` ORDER BY id`, scanChild)
	s.Contracts = readAll(&r, `SELECT `+contractColumns+` FROM contracts`, "contracts", ` ORDER BY id`, scanContract)
	s.Extras = readAll(&r, `SELECT day, group_id, child_id, from_min, until_min, source FROM extras`, "extras", ` ORDER BY day, group_id, child_id`, func(row pgx.Row) (data.Extra, error) {
		var e data.Extra
		var group, child int64
		var from, until int16
		err := row.Scan(scanDate(&e.Date), &group, &child, &from, &until, &e.Source)
		e.GroupID, e.ChildID, e.Times = data.ID(group), data.ID(child), data.TimeRange{From: data.Clock(from), Until: data.Clock(until)}
		return e, err
	})
	s.Attendance = readAll(&r, `SELECT day, group_id, `+attendanceColumns+` FROM attendance`, "attendance", ` ORDER BY day, group_id, child_id`, scanDayRecord)
	s.SignUps = readAll(&r, `SELECT id, school_id, day, child_id, group_id, from_min, until_min, registered_by, registered_at,
			changed_at, cancelled, cancelled_by FROM signups`, "signups", ` ORDER BY id`, func(row pgx.Row) (data.SignUp, error) {
		var su data.SignUp
		var id, school, child, group int64
		var from, until int16
		err := row.Scan(&id, &school, scanDate(&su.Date), &child, &group, &from, &until, &su.RegisteredBy, &su.RegisteredAt,
			&su.ChangedAt, &su.Cancelled, &su.CancelledBy)
		su.ID, su.SchoolID, su.ChildID, su.GroupID = data.ID(id), data.ID(school), data.ID(child), data.ID(group)
		su.Times = data.TimeRange{From: data.Clock(from), Until: data.Clock(until)}
		return su, err
	})
	s.Users = readAll(&r, `SELECT `+userColumns+` FROM users u`, "users", ` ORDER BY u.id`, scanUser)
	s.Consents = readAll(&r, `SELECT child_id, seq, level, given, source, recorded_by, recorded_at, note FROM consent_changes`, "consent_changes", ` ORDER BY child_id, seq`, func(row pgx.Row) (data.ConsentChange, error) {
		var c data.ConsentChange
		var child int64
		var seq int32
		err := row.Scan(&child, &seq, &c.Level, scanDate(&c.Given), &c.Source, &c.RecordedBy, &c.RecordedAt, &c.Note)
		c.ChildID, c.Seq = data.ID(child), uint64(seq)
		return c, err
	})
	s.Credit = readAll(&r, `SELECT `+creditColumns+` FROM credit_entries`, "credit_entries", ` ORDER BY id`, scanCreditEntry)
	s.CreditGrants = readAll(&r, `SELECT child_id, contract_id, period, entry_id FROM credit_grants`, "credit_grants", ` ORDER BY child_id, contract_id, period`, func(row pgx.Row) (snapshot.CreditGrant, error) {
		var g snapshot.CreditGrant
		var child, contract, entry int64
		var period string
		if err := row.Scan(&child, &contract, &period, &entry); err != nil {
			return g, err
		}
		year, err := strconv.Atoi(period)
		if err != nil {
			return g, fmt.Errorf("credit grant of contract %d: period %q: %w", contract, period, err)
		}
		return snapshot.CreditGrant{ChildID: data.ID(child), ContractID: data.ID(contract), Year: year, EntryID: data.ID(entry)}, nil
	})
	s.Requests = readAll(&r, `SELECT `+requestColumns+` FROM requests`, "requests", ` ORDER BY id`, scanRequest)
	s.InvoiceBatches = readAll(&r, `SELECT id, first_day, last_day, location_id, location, created_at, created_by, summary
			FROM invoice_batches`, "invoice_batches", ` ORDER BY id`, func(row pgx.Row) (data.InvoiceBatch, error) {
		var b data.InvoiceBatch
		var id int64
		var location *int64
		var summary []byte
		if err := row.Scan(&id, scanDate(&b.From), scanDate(&b.To), &location, &b.Location, &b.CreatedAt, &b.By, &summary); err != nil {
			return b, err
		}
		b.ID, b.LocationID = data.ID(id), idOf(location)
		return b, decodeJSON(summary, &b.InvoiceSummary, "the summary of export batch", id)
	})
	s.InvoiceLines = readAll(&r, `SELECT batch_id, line FROM invoice_lines`, "invoice_lines", ` ORDER BY batch_id, position`, func(row pgx.Row) (data.InvoiceLine, error) {
		var l data.InvoiceLine
		var batch int64
		var line []byte
		if err := row.Scan(&batch, &line); err != nil {
			return l, err
		}
		return l, decodeJSON(line, &l, "a line of export batch", batch)
	})
	s.Exported = readAll(&r, `SELECT source, source_id, line FROM exported`, "exported", ` ORDER BY source, source_id`, func(row pgx.Row) (snapshot.Exported, error) {
		var e snapshot.Exported
		var id int64
		var line []byte
		if err := row.Scan(&e.Source, &id, &line); err != nil {
			return e, err
		}
		e.SourceID = data.ID(id)
		return e, decodeJSON(line, &e.Line, "the exported line of "+string(e.Source), id)
	})
	s.Devices = readAll(&r, `SELECT `+deviceColumns+` FROM devices`, "devices", ` ORDER BY id`, scanDevice)
	s.PairingCodes = readAll(&r, `SELECT `+pairingCodeColumns+` FROM pairing_codes`, "pairing_codes", ` ORDER BY id`, scanPairingCode)
	s.Audit = readAll(&r, `SELECT seq, at, user_id, who, device, action, detail FROM audit_log`, "audit_log", ` ORDER BY seq`, func(row pgx.Row) (data.AuditEntry, error) {
		var e data.AuditEntry
		var seq int64
		var user *int64
		err := row.Scan(&seq, &e.At, &user, &e.Who, &e.Device, &e.Action, &e.Detail)
		e.Seq, e.UserID = uint64(seq), idOf(user)
		return e, err
	})
	if r.err == nil {
		r.err = readEntryChanges(ctx, q, s.Audit)
	}
	if r.err != nil {
		return s, r.err
	}
	s.Sort()
	return s, nil
}

// readOrganisation reads the organisation's name and settings; none (a
// new database) is "" and nil.
func readOrganisation(ctx context.Context, q querier, where string, args ...any) (string, *data.Settings, error) {
	var name string
	var raw []byte
	err := q.QueryRow(ctx, `SELECT name, settings FROM organisation`+where, args...).Scan(&name, &raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("read the organisation: %w", err)
	}
	settings, err := decodeSettings(raw)
	return name, &settings, err
}

// tableReader keeps the first error, so readSnapshot reads as a list.
type tableReader struct {
	ctx context.Context
	q   querier
	sel selection
	err error
}

// readAll reads the rows of table that r's selection takes: query is the
// SELECT up to its FROM table, order what follows the WHERE.
func readAll[T any](r *tableReader, query, table, order string, scan func(pgx.Row) (T, error)) []T {
	if r.err != nil {
		return nil
	}
	where, args := r.sel.of(table)
	sql := query + where + order
	rows, err := r.q.Query(r.ctx, sql, args...)
	if err == nil {
		var out []T
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (T, error) { return scan(row) })
		if err == nil {
			return out
		}
	}
	r.err = fmt.Errorf("read %s: %w", sql[:min(len(sql), 60)], err)
	return nil
}

func scanDayRecord(row pgx.Row) (data.DayRecord, error) {
	var r data.DayRecord
	var group, child int64
	var in, out *int16
	var credit []byte
	a := &r.Attendance
	err := row.Scan(scanDate(&r.Date), &group, &child, &in, &out, &a.Absent, &a.AbsenceReason, &a.AbsenceText, &a.Note, &a.UpdatedBy, &a.UpdatedAt,
		scanTime(&a.AbsenceReportedAt), &a.AbsenceReportedBy, &a.AbsenceMinutes, &credit, &a.NoCredit)
	if err != nil {
		return r, err
	}
	r.GroupID, r.ChildID, a.CheckIn, a.CheckOut = data.ID(group), data.ID(child), clockOf(in), clockOf(out)
	if credit != nil {
		a.Credit = new(data.CreditRef)
		return r, decodeJSON(credit, a.Credit, "the credit of the record of child", child)
	}
	return r, nil
}

func decodeJSON(raw []byte, v any, what string, id int64) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode %s %d: %w", what, id, err)
	}
	return nil
}

package pgstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// ChildRecord gathers everything about one child in one transaction, so the
// export is one consistent moment of the database. Managers and office users
// may export; the export is written to the audit log.
func (db *DB) ChildRecord(ctx context.Context, childID data.ID) (data.ChildRecord, error) {
	exportedAt := db.now()
	var rec data.ChildRecord
	err := db.update(ctx, data.AuditChildRecord, func(tx pgx.Tx, changed *[]data.Change) error {
		rec = data.ChildRecord{ExportedAt: exportedAt}
		if err := db.allowRole(data.ActContracts); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePrint, ChildID: childID, Detail: "personal data exported"})
		var err error
		if rec.Child, err = db.readChildFor(ctx, tx, childID); err != nil {
			return err
		}
		if rec.Location, err = readLocation(ctx, tx, rec.Child.LocationID); err != nil {
			return err
		}
		if rec.Child.SchoolID != 0 {
			school, err := readSchool(ctx, tx, rec.Child.SchoolID)
			if err != nil {
				return err
			}
			rec.School = &school
		}
		if rec.Contracts, err = childContracts(ctx, tx, childID, data.Date{}, data.MaxDate); err != nil {
			return err
		}
		if rec.Attendance, err = childAttendance(ctx, tx, childID); err != nil {
			return err
		}
		if rec.Credit, err = wholeLedger(ctx, tx, childID); err != nil {
			return err
		}
		if rec.Requests, err = readRequests(ctx, tx, `WHERE child_id = $1 ORDER BY day, id`, int64(childID)); err != nil {
			return err
		}
		histories, err := consentHistories(ctx, tx, []data.ID{childID})
		if err != nil {
			return err
		}
		rec.Consent = histories[childID]
		if rec.SignUps, err = childSignUps(ctx, tx, childID); err != nil {
			return err
		}
		rec.Groups, err = recordGroups(ctx, tx, rec)
		return err
	})
	if err != nil {
		return data.ChildRecord{}, err
	}
	rec.Contracts, rec.Credit, rec.Requests = nilIfEmpty(rec.Contracts), nilIfEmpty(rec.Credit), nilIfEmpty(rec.Requests)
	return rec, nil
}

// nilIfEmpty is list, or nil when it holds nothing, as the bbolt store reads an empty list.
func nilIfEmpty[T any](list []T) []T {
	if len(list) == 0 {
		return nil
	}
	return list
}

// childAttendance reads the child's records by date, then group.
func childAttendance(ctx context.Context, tx pgx.Tx, childID data.ID) ([]data.AttendanceRecord, error) {
	rows, err := tx.Query(ctx, `SELECT day, group_id, `+attendanceColumns+` FROM attendance WHERE child_id = $1 ORDER BY day, group_id`, int64(childID))
	if err != nil {
		return nil, fmt.Errorf("read attendance of child %d: %w", childID, err)
	}
	defer rows.Close()
	var out []data.AttendanceRecord
	for rows.Next() {
		var r data.AttendanceRecord
		var group int64
		if _, r.Attendance, err = scanAttendance(rows, scanDate(&r.Date), &group); err != nil {
			return nil, err
		}
		r.GroupID = data.ID(group)
		out = append(out, r)
	}
	return out, rows.Err()
}

// wholeLedger reads all of a child's credit entries, expired and withdrawn
// ones too, by expiry date and then ID.
func wholeLedger(ctx context.Context, tx pgx.Tx, childID data.ID) ([]data.CreditEntry, error) {
	rows, err := tx.Query(ctx, `SELECT `+creditColumns+` FROM credit_entries WHERE child_id = $1 ORDER BY expires_on, id`, int64(childID))
	if err != nil {
		return nil, fmt.Errorf("read the credit of child %d: %w", childID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.CreditEntry, error) { return scanCreditEntry(row) })
}

// childSignUps reads the child's study-day sign-ups, cancelled ones too, by date.
func childSignUps(ctx context.Context, tx pgx.Tx, childID data.ID) ([]data.SignUp, error) {
	rows, err := tx.Query(ctx, `SELECT `+signUpColumns+` FROM signups WHERE child_id = $1 ORDER BY day, id`, int64(childID))
	if err != nil {
		return nil, fmt.Errorf("read sign-ups of child %d: %w", childID, err)
	}
	out, err := pgx.CollectRows(rows, scanSignUp)
	if err != nil {
		return nil, fmt.Errorf("read sign-ups of child %d: %w", childID, err)
	}
	return nilIfEmpty(out), nil
}

// recordGroups reads every group a record of rec names, by ID.
func recordGroups(ctx context.Context, tx pgx.Tx, rec data.ChildRecord) ([]data.Group, error) {
	var ids []data.ID
	for _, c := range rec.Contracts {
		ids = append(ids, c.GroupID)
	}
	for _, a := range rec.Attendance {
		ids = append(ids, a.GroupID)
	}
	for _, r := range rec.Requests {
		ids = append(ids, r.GroupID)
	}
	for _, s := range rec.SignUps {
		ids = append(ids, s.GroupID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	groups, err := readGroups(ctx, tx, `SELECT `+groupColumns+` FROM groups WHERE id = ANY($1) ORDER BY id`, idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	if len(groups) != len(ids) {
		return nil, fmt.Errorf("groups %v: %w", ids, data.ErrNotFound)
	}
	return nilIfEmpty(groups), nil
}

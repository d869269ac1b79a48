package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// ReportAbsence records an absence through the attendance list's own write
// path (MarkAbsent), so the credit it earns is booked in the same
// transaction. Reporting ahead is what earns credit, so a day to come needs
// no unlock; a day gone by is corrected on its (unlocked) list instead.
// It returns the record as stored, with the credit earned or why none.
func (db *DB) ReportAbsence(ctx context.Context, r data.AbsenceReport) (data.Attendance, error) {
	today := db.Today()
	if err := r.Check(today); err != nil {
		return data.Attendance{}, err
	}
	group, err := db.expectedGroup(ctx, r.ChildID, r.Date)
	if err != nil {
		return data.Attendance{}, err
	}
	edit, err := r.Edit(group, today)
	if err != nil {
		return data.Attendance{}, err
	}
	if err := db.editAttendance(ctx, data.AuditReportAbsence, edit, false, data.MarkAbsent(r.Reason, "")); err != nil {
		return data.Attendance{}, err
	}
	list, err := db.DayList(ctx, group, r.Date)
	if err != nil {
		return data.Attendance{}, err
	}
	return r.Recorded(list)
}

// expectedGroup finds the group whose list holds the child on d.
func (db *DB) expectedGroup(ctx context.Context, childID data.ID, d data.Date) (data.ID, error) {
	var found data.ID
	err := db.view(ctx, func(tx pgx.Tx) error {
		child, err := readChild(ctx, tx, childID)
		if err != nil {
			return err
		}
		contracts, err := childContracts(ctx, tx, childID, d, d)
		if err != nil {
			return err
		}
		for _, c := range contracts {
			cr, err := readChildRow(ctx, tx, c.GroupID, childID, d)
			if err != nil {
				return err
			}
			if cr.closed {
				return data.Refuse(data.RefuseAbsenceClosedDay, data.Args{"Date": d, "Reason": cr.closedReason})
			}
			if cr.listed {
				found = c.GroupID
				return nil
			}
		}
		return data.Refuse(data.RefuseAbsenceNotExpected, data.Args{"Child": child.Name(), "Date": d})
	})
	return found, err
}

package boltstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// ImportHistory applies a stretch of history in one transaction: all of it
// or (on any event the rules refuse) nothing. Events are applied in time
// order; a batch should not reach back before the previous one ended.
func (db *DB) ImportHistory(ctx context.Context, h data.History) error {
	return db.update(ctx, data.AuditImportHistory, func(tx *bolt.Tx, changed *[]data.Change) error { return applyHistory(tx, h, changed) })
}

// ImportRecords stores attendance records in one transaction (all or nothing),
// checking that each names a known group and child.
func (db *DB) ImportRecords(ctx context.Context, records []data.DayRecord) error {
	return db.update(ctx, data.AuditImportRecords, func(tx *bolt.Tx, changed *[]data.Change) error {
		return applyHistory(tx, data.History{Records: records}, changed)
	})
}

// historyEvent is one step of a replay; kind orders events at the same moment.
type historyEvent struct {
	at    time.Time
	kind  int
	apply func() error
}

func applyHistory(tx *bolt.Tx, h data.History, changed *[]data.Change) error {
	// Each event's own changes would tell subscribers (and an audit entry)
	// the same thing thousands of times; the batch says it once, at the end.
	var each []data.Change
	var events []historyEvent
	add := func(at time.Time, kind int, apply func() error) {
		events = append(events, historyEvent{at: at, kind: kind, apply: apply})
	}
	for _, r := range h.Records {
		add(r.Attendance.UpdatedAt, 0, func() error {
			w := seedWriter{tx: tx}
			w.require(bucketGroups, r.GroupID, "record on %s: unknown group %d", r.Date, r.GroupID)
			w.require(bucketChildren, r.ChildID, "record on %s: unknown child %d", r.Date, r.ChildID)
			if w.err != nil {
				return w.err
			}
			return putAttendance(tx, r.Date, r.GroupID, r.ChildID, r.Attendance)
		})
	}
	for _, a := range h.Absences {
		add(a.ReportedAt, 1, func() error {
			if err := a.Validate(); err != nil {
				return err
			}
			e := data.DayEdit{Date: a.Date, GroupID: a.GroupID, ChildID: a.ChildID, By: a.By}
			note := strings.TrimSpace(a.Note)
			err := editRecord(tx, e, a.ReportedAt, func(rec data.Attendance) (data.Attendance, error) {
				rec, err := data.RecordAbsence(rec, a.Reason, "")
				rec.Note = note
				return rec, err
			}, &each)
			if err != nil {
				return fmt.Errorf("absence of child %d on %s: %w", a.ChildID, a.Date, err)
			}
			return nil
		})
	}
	for _, r := range h.Requests {
		if err := r.Validate(); err != nil {
			return err
		}
		var id data.ID
		add(r.SubmittedAt, 2, func() error {
			req, err := submitRequest(tx, r.Draft, nil, r.SubmittedAt, &each)
			if err != nil {
				return fmt.Errorf("request of child %d for %s: %w", r.Draft.ChildID, r.Draft.Date, err)
			}
			id = req.ID
			return nil
		})
		if r.Status == data.StatusOpen {
			continue
		}
		change := map[data.RequestStatus]decision{data.StatusApproved: approve, data.StatusRejected: reject, data.StatusCancelled: cancel}[r.Status]
		add(r.DecidedAt, 3, func() error {
			if err := decideRequest(tx, id, r.DecidedBy, r.Reason, r.DecidedAt, nil, change, &each); err != nil {
				return fmt.Errorf("%s request of child %d for %s: %w", r.Status, r.Draft.ChildID, r.Draft.Date, err)
			}
			return nil
		})
	}
	slices.SortStableFunc(events, func(a, b historyEvent) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.kind, b.kind)
	})
	for _, e := range events {
		if err := e.apply(); err != nil {
			return err
		}
	}
	*changed = append(*changed, data.Change{Kind: data.ChangeAttendance}, data.Change{Kind: data.ChangePlanning}, data.Change{Kind: data.ChangeRequest}, data.Change{Kind: data.ChangeCredit})
	return nil
}

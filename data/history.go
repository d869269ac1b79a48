package data

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// History is a stretch of an organisation's past: what staff recorded, the
// absences that were reported and the extra-care requests with their
// decisions. ImportHistory replays it through the write paths' own rules, in
// the order it happened, so the credit earned and spent is exactly what the
// product would have booked at the time (T1, R2–R7). The scale generator
// writes years of it; the demo a few weeks.
type History struct {
	// Records are attendance records as staff left them (check-in, check-out,
	// note), stored as given at their UpdatedAt.
	Records []DayRecord
	// Absences earn credit by T1 as MarkAbsent does, reported at ReportedAt.
	Absences []PastAbsence
	// Requests are submitted, paid as the rules proposed at that moment, and decided.
	Requests []PastRequest
}

// PastAbsence is an absence reported at ReportedAt for a child on a group's list.
type PastAbsence struct {
	Date       Date
	GroupID    ID
	ChildID    ID
	Reason     AbsenceReason
	Note       string
	By         string
	ReportedAt time.Time
}

// PastRequest is a request submitted at SubmittedAt and, unless Status is
// open, approved, rejected or cancelled at DecidedAt.
type PastRequest struct {
	Draft       RequestDraft
	SubmittedAt time.Time
	Status      RequestStatus
	DecidedBy   string
	DecidedAt   time.Time
	// Reason is why it was rejected or cancelled.
	Reason string
}

// ImportHistory applies a stretch of history in one transaction: all of it
// or (on any event the rules refuse) nothing. Events are applied in time
// order; a batch should not reach back before the previous one ended.
func (db *DB) ImportHistory(h History) error {
	return db.update(func(tx *bolt.Tx, changed *[]Change) error { return applyHistory(tx, h, changed) })
}

// ImportRecords stores attendance records in one transaction (all or nothing),
// checking that each names a known group and child.
func (db *DB) ImportRecords(records []DayRecord) error {
	return db.ImportHistory(History{Records: records})
}

// historyEvent is one step of a replay; kind orders events at the same moment.
type historyEvent struct {
	at    time.Time
	kind  int
	apply func() error
}

func applyHistory(tx *bolt.Tx, h History, changed *[]Change) error {
	// Each event's own changes would tell subscribers (and an audit entry)
	// the same thing thousands of times; the batch says it once, at the end.
	var each []Change
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
			if err := a.validate(); err != nil {
				return err
			}
			e := DayEdit{Date: a.Date, GroupID: a.GroupID, ChildID: a.ChildID, By: a.By}
			note := strings.TrimSpace(a.Note)
			err := editRecord(tx, e, a.ReportedAt, func(rec *Attendance) error {
				if err := markAbsent(a.Reason, "")(rec); err != nil {
					return err
				}
				rec.Note = note
				return nil
			}, &each)
			if err != nil {
				return fmt.Errorf("absence of child %d on %s: %w", a.ChildID, a.Date, err)
			}
			return nil
		})
	}
	for _, r := range h.Requests {
		if err := r.validate(); err != nil {
			return err
		}
		var id ID
		add(r.SubmittedAt, 2, func() error {
			req, err := submitRequest(tx, r.Draft, nil, r.SubmittedAt, &each)
			if err != nil {
				return fmt.Errorf("request of child %d for %s: %w", r.Draft.ChildID, r.Draft.Date, err)
			}
			id = req.ID
			return nil
		})
		if r.Status == StatusOpen {
			continue
		}
		change := map[RequestStatus]decision{StatusApproved: approve, StatusRejected: reject, StatusCancelled: cancel}[r.Status]
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
	*changed = append(*changed, Change{Kind: ChangeAttendance}, Change{Kind: ChangePlanning}, Change{Kind: ChangeRequest}, Change{Kind: ChangeCredit})
	return nil
}

func (a PastAbsence) validate() error {
	switch {
	case !a.Reason.Valid():
		return invalid("absence of child %d on %s: unknown reason %q", a.ChildID, a.Date, a.Reason)
	case strings.TrimSpace(a.By) == "":
		return invalid("absence of child %d on %s: say who reported it", a.ChildID, a.Date)
	case a.ReportedAt.IsZero():
		return invalid("absence of child %d on %s: say when it was reported", a.ChildID, a.Date)
	}
	return nil
}

func (r PastRequest) validate() error {
	what := fmt.Sprintf("request of child %d for %s", r.Draft.ChildID, r.Draft.Date)
	switch {
	case r.SubmittedAt.IsZero():
		return invalid("%s: say when it was submitted", what)
	case r.Status == StatusOpen:
		if !r.DecidedAt.IsZero() {
			return invalid("%s: an open request has no decision", what)
		}
		return nil
	case r.Status != StatusApproved && r.Status != StatusRejected && r.Status != StatusCancelled:
		return invalid("%s: unknown status %q", what, r.Status)
	case r.DecidedAt.Before(r.SubmittedAt):
		return invalid("%s: decided before it was submitted", what)
	case strings.TrimSpace(r.DecidedBy) == "":
		return invalid("%s: say who decided", what)
	case r.Status == StatusRejected && strings.TrimSpace(r.Reason) == "":
		return invalid("%s: give the reason for rejecting", what)
	}
	return nil
}

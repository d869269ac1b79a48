package data

import (
	"fmt"
	"strings"
	"time"
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

func (a PastAbsence) Validate() error {
	switch {
	case !a.Reason.Valid():
		return Invalid("absence of child %d on %s: unknown reason %q", a.ChildID, a.Date, a.Reason)
	case strings.TrimSpace(a.By) == "":
		return Invalid("absence of child %d on %s: say who reported it", a.ChildID, a.Date)
	case a.ReportedAt.IsZero():
		return Invalid("absence of child %d on %s: say when it was reported", a.ChildID, a.Date)
	}
	return nil
}

func (r PastRequest) Validate() error {
	what := fmt.Sprintf("request of child %d for %s", r.Draft.ChildID, r.Draft.Date)
	switch {
	case r.SubmittedAt.IsZero():
		return Invalid("%s: say when it was submitted", what)
	case r.Status == StatusOpen:
		if !r.DecidedAt.IsZero() {
			return Invalid("%s: an open request has no decision", what)
		}
		return nil
	case r.Status != StatusApproved && r.Status != StatusRejected && r.Status != StatusCancelled:
		return Invalid("%s: unknown status %q", what, r.Status)
	case r.DecidedAt.Before(r.SubmittedAt):
		return Invalid("%s: decided before it was submitted", what)
	case strings.TrimSpace(r.DecidedBy) == "":
		return Invalid("%s: say who decided", what)
	case r.Status == StatusRejected && strings.TrimSpace(r.Reason) == "":
		return Invalid("%s: give the reason for rejecting", what)
	}
	return nil
}

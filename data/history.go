package data

import (
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

// The refusals of a stretch of history to import.
const (
	RefuseHistoryAbsenceReason     = "attendance-history-absence-reason"
	RefuseHistoryAbsenceNoReporter = "attendance-history-absence-no-reporter"
	RefuseHistoryAbsenceNoTime     = "attendance-history-absence-no-time"
	RefuseHistoryNotSubmitted      = "attendance-history-request-not-submitted"
	RefuseHistoryOpenDecided       = "attendance-history-request-open-decided"
	RefuseHistoryStatus            = "attendance-history-request-status"
	RefuseHistoryDecidedEarly      = "attendance-history-request-decided-early"
	RefuseHistoryNoDecider         = "attendance-history-request-no-decider"
	RefuseHistoryNoRejectReason    = "attendance-history-request-no-reject-reason"
)

var historyRefusals = map[string]RefusalText{
	RefuseHistoryAbsenceReason:     {Text: "Absence of child {{.Child}} on {{.Date}}: unknown reason {{.Reason}}."},
	RefuseHistoryAbsenceNoReporter: {Text: "Absence of child {{.Child}} on {{.Date}}: say who reported it."},
	RefuseHistoryAbsenceNoTime:     {Text: "Absence of child {{.Child}} on {{.Date}}: say when it was reported."},
	RefuseHistoryNotSubmitted:      {Text: "Request of child {{.Child}} for {{.Date}}: say when it was submitted."},
	RefuseHistoryOpenDecided:       {Text: "Request of child {{.Child}} for {{.Date}}: an open request has no decision."},
	RefuseHistoryStatus:            {Text: "Request of child {{.Child}} for {{.Date}}: unknown status {{.Status}}."},
	RefuseHistoryDecidedEarly:      {Text: "Request of child {{.Child}} for {{.Date}}: decided before it was submitted."},
	RefuseHistoryNoDecider:         {Text: "Request of child {{.Child}} for {{.Date}}: say who decided."},
	RefuseHistoryNoRejectReason:    {Text: "Request of child {{.Child}} for {{.Date}}: give the reason for rejecting."},
}

// Validate refuses a past absence the write path could not have taken.
func (a PastAbsence) Validate() error {
	args := Args{"Child": int(a.ChildID), "Date": a.Date}
	switch {
	case !a.Reason.Valid():
		args["Reason"] = string(a.Reason)
		return Refuse(RefuseHistoryAbsenceReason, args)
	case strings.TrimSpace(a.By) == "":
		return Refuse(RefuseHistoryAbsenceNoReporter, args)
	case a.ReportedAt.IsZero():
		return Refuse(RefuseHistoryAbsenceNoTime, args)
	}
	return nil
}

// Validate refuses a past request whose submission and decision do not fit.
func (r PastRequest) Validate() error {
	args := Args{"Child": int(r.Draft.ChildID), "Date": r.Draft.Date}
	switch {
	case r.SubmittedAt.IsZero():
		return Refuse(RefuseHistoryNotSubmitted, args)
	case r.Status == StatusOpen:
		if !r.DecidedAt.IsZero() {
			return Refuse(RefuseHistoryOpenDecided, args)
		}
		return nil
	case r.Status != StatusApproved && r.Status != StatusRejected && r.Status != StatusCancelled:
		args["Status"] = string(r.Status)
		return Refuse(RefuseHistoryStatus, args)
	case r.DecidedAt.Before(r.SubmittedAt):
		return Refuse(RefuseHistoryDecidedEarly, args)
	case strings.TrimSpace(r.DecidedBy) == "":
		return Refuse(RefuseHistoryNoDecider, args)
	case r.Status == StatusRejected && strings.TrimSpace(r.Reason) == "":
		return Refuse(RefuseHistoryNoRejectReason, args)
	}
	return nil
}
